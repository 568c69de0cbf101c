"""Programs of several files: `import geometry` and `from geometry import norm`
read geometry.ml (or geometry.mojo) beside the importing file. Each test writes
its files into tmp_path and runs them through `mojolite run` and `mojolite.load`,
in the reference mode and the JIT. (The disk cache's side: tests/test_cache.py.)"""
import pytest

import mojolite
from mojolite import cli, modules
from mojolite.check_imports import STD_MODULES

MODES = [pytest.param(True, id="reference"), pytest.param(False, id="jit")]

GEOMETRY = """\
from math import sqrt
from units import scale

alias ORIGIN = 0.0

@value
struct Vec2:
    var x: Float64
    var y: Float64

    fn __add__(self, o: Vec2) -> Vec2:
        return Vec2(self.x + o.x, self.y + o.y)

struct Grid[n: Int]:
    var cells: Int
    fn __init__(out self):
        self.cells = n * n

fn norm(v: Vec2) -> Float64:
    return sqrt(v.x * v.x + v.y * v.y) * scale()

fn times[k: Int](x: Int) -> Int:
    return x * k

fn twice(f: fn(Int) -> Int, x: Int) -> Int:
    return f(f(x))

fn inc(x: Int) -> Int:
    return x + 1

fn which() -> Int:
    return 1

fn main():
    print("geometry's main is not the entry point")
"""

UNITS = """\
fn scale() -> Float64:
    return 1.0

fn which() -> Int:
    return 3
"""

MAIN = """\
from geometry import Vec2, norm as length, times, inc
import geometry
import geometry as g
import units

fn which() -> Int:
    return 2

fn double(x: Int) -> Int:
    return x * 2

fn main():
    var v = Vec2(3.0, 4.0) + geometry.Vec2(0.0, 0.0)
    var w: geometry.Vec2 = v
    print(length(v), geometry.norm(w), g.norm(v), geometry.ORIGIN)
    print(which(), geometry.which(), units.which())
    print(times[3](2), geometry.times[5](2), geometry.Grid[4]().cells)
    print(geometry.twice(inc, 1), geometry.twice(geometry.inc, 5), geometry.twice(double, 1))
"""

OUTPUT = "5.0 5.0 5.0 0.0\n2 1 3\n6 10 16\n3 7 4\n"


def write(folder, **files):
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder / "main.ml"


def run(path, capsys, reference: bool, *extra) -> tuple[int, str, str]:
    rc = cli.main(["run", str(path), *(["--reference"] if reference else []), *extra])
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.mark.parametrize("reference", MODES)
def test_mojolite_run_imports_files_beside_the_program(tmp_path, capsys, reference):
    main = write(tmp_path, **{"main.ml": MAIN, "geometry.ml": GEOMETRY, "units.mojo": UNITS})
    assert run(main, capsys, reference) == (0, OUTPUT, "")


@pytest.mark.parametrize("reference", MODES)
def test_load_runs_a_program_that_imports(tmp_path, capsys, reference):
    main = write(tmp_path, **{"main.ml": MAIN + "\nfn area(a: Float64) -> Float64:\n"
                                               "    return length(Vec2(a, 0.0)) * a\n",
                              "geometry.ml": GEOMETRY, "units.ml": UNITS})
    m = mojolite.load(main, reference=reference)
    assert m.area(3.0) == 9.0
    assert m.which() == 2           # the program's own `which`, not an imported one
    m.main()
    assert capsys.readouterr().out == OUTPUT


@pytest.mark.parametrize("reference", MODES)
def test_python_reaches_imported_functions_by_the_programs_names(tmp_path, reference):
    # `from geometry import inc` makes `m.inc` geometry's; `import geometry (as g)`
    # gives `m.geometry.inc`, `m.g.which`, and a module's own imports: `m.g.scale`.
    main = write(tmp_path, **{"main.ml": MAIN + "import units as u\n\n"
                                               "fn own[k: Int](x: Int) -> Int:\n"
                                               "    return x * k\n",
                              "geometry.ml": GEOMETRY, "units.ml": UNITS})
    m = mojolite.load(main, reference=reference)
    assert m.inc(1) == 2 and m.geometry.inc(5) == 6 and m.own[3](2) == 6
    assert (m.which(), m.g.which(), m.units.which(), m.u.which()) == (2, 1, 3, 3)
    assert m.g.scale() == 1.0 == m.geometry.scale()
    with pytest.raises(AttributeError, match="module 'g' has no function 'nothere'"):
        m.g.nothere
    with pytest.raises(AttributeError, match="'times' is geometry.times, a function with "
                                             "compile-time parameters of an imported module"):
        m.times
    with pytest.raises(AttributeError, match="'geometry.times' is geometry.times"):
        m.geometry.times


def test_a_cached_program_reaches_imported_functions_too(tmp_path, monkeypatch):
    monkeypatch.setenv("MOJOLITE_CACHE", "1")
    monkeypatch.setenv("MOJOLITE_CACHE_DIR", str(tmp_path / "c"))
    main = write(tmp_path, **{"main.ml": MAIN, "geometry.ml": GEOMETRY, "units.ml": UNITS})
    mojolite.load(main, reference=False)
    m = mojolite.load(main, reference=False)
    assert type(m).__name__ == "CachedModule"
    assert (m.inc(1), m.g.which(), m.units.which()) == (2, 1, 3)


@pytest.mark.parametrize("reference", MODES)
def test_a_runtime_error_in_an_imported_file_points_into_it(tmp_path, reference):
    main = write(tmp_path, **{
        "main.ml": "import ops\n\nfn f(b: Int) -> Int:\n    return ops.div(7, b)\n",
        "ops.ml": "fn div(a: Int, b: Int) -> Int:\n    return a // b\n"})
    m = mojolite.load(main, reference=reference)
    assert m.f(2) == 3
    with pytest.raises(mojolite.RuntimeFault) as e:
        m.f(0)
    assert str(e.value).splitlines()[:4] == [
        "runtime error: integer division by zero",
        f"  --> {tmp_path / 'ops.ml'}:2:12",
        "   |",
        " 2 |     return a // b"]


SHADOW_LIB = """\
alias K = 1

@value
struct Pair:
    var a: Int

fn inc(x: Int) -> Int:
    return x + 1

fn twice(x: Int) -> Int:
    return inc(inc(x))

fn scale[k: Int](x: Int) -> Int:
    return x * k
"""

SHADOW_MAIN = """\
@value
struct Pair:
    var a: Int
    var b: Int

from lib import inc, Pair, K, scale, twice, Pair as Single
import lib

alias K = 10

fn inc(x: Int) -> Int:
    return x + 100

fn inc(x: Float64) -> Float64:
    return x + 0.5

fn scale(x: Int) -> Int:
    return -x

@value
struct Single:
    var s: String

fn main():
    print(inc(1), inc(1.0), lib.inc(1), twice(1), K, lib.K)
    print(Pair(1, 2).b, lib.Pair(7).a, Single("s").s, scale(3), lib.scale[2](3))
"""


@pytest.mark.parametrize("reference", MODES)
def test_a_definition_of_the_file_shadows_a_from_import(tmp_path, capsys, reference):
    # As in Python and Mojo: the file's own inc (an overload set here), struct (above
    # or below the import), alias and non-generic scale win; lib's code keeps lib's.
    main = write(tmp_path, **{"main.ml": SHADOW_MAIN, "lib.ml": SHADOW_LIB})
    assert run(main, capsys, reference) == (0, "101 1.5 2 3 10 1\n2 7 s -3 6\n", "")
    m = mojolite.load(main, reference=reference)
    assert m.inc(1) == 101 and m.twice(1) == 3 and m.lib.inc(1) == 2


@pytest.mark.parametrize("reference", MODES)
def test_compile_time_defaults_are_read_in_their_own_module(tmp_path, capsys, reference):
    # `k: Int = K` read the caller's K (200 here), and `v: Scalar[dt]` said "unknown name
    # 'dt'": a parameter's type and default are read where it is declared.
    lib = ("alias K = 5\n\nfn scaled[k: Int = K](x: Int) -> Int:\n    return x * k\n\n"
           "struct Holder[dt: DType, v: Scalar[dt] = K]:\n    var x: Scalar[dt]\n\n"
           "    fn __init__(out self):\n        self.x = v\n")
    main = write(tmp_path, **{"main.ml": "from lib import scaled, Holder\n\nalias K = 100\n\n"
                                         "fn main():\n    print(scaled(2), "
                                         "Holder[DType.float32]().x, Holder[DType.int8, 3]().x)\n",
                              "lib.ml": lib})
    assert run(main, capsys, reference) == (0, "10 5.0 3\n", "")


@pytest.mark.parametrize("reference", MODES)
def test_a_def_raises_where_what_it_imports_raises(tmp_path, capsys, reference):
    # A `def` over an imported function that cannot raise stays callable from an `fn`;
    # one over an imported function, struct or module member that raises is `raises`.
    lib = ("fn plain(x: Int) -> Int:\n    return x + 1\n\n"
           "fn risky(x: Int) raises -> Int:\n    if x < 0:\n        raise Error('negative')\n"
           "    return x\n\n"
           "struct Checked:\n    var v: Int\n    fn __init__(out self, v: Int) raises:\n"
           "        if v < 0:\n            raise Error('checked')\n        self.v = v\n")
    ok = ("from lib import plain\nimport lib\n\ndef f(x: Int) -> Int:\n    return plain(x)\n\n"
          "def g(x: Int) -> Int:\n    return lib.plain(x)\n\n"
          "fn main():\n    print(f(1), g(2))\n")
    main = write(tmp_path, **{"main.ml": ok, "lib.ml": lib})
    assert run(main, capsys, reference) == (0, "2 3\n", "")
    raising = ("from lib import risky, Checked\nimport lib\n\n"
               "def f(x: Int) -> Int:\n    return risky(x)\n\n"
               "def g(x: Int) -> Int:\n    return Checked(x).v\n\n"
               "def h(x: Int) -> Int:\n    return lib.risky(x)\n\n"
               "def main():\n    print(f(1), g(2), h(3))\n    print(h(-1))\n")
    main = write(tmp_path, **{"main.ml": raising})
    rc, out, err = run(main, capsys, reference)
    assert (rc, out) == (1, "1 2 3\n") and "negative" in err
    wrong = raising.replace("def main():", "fn main():")
    main = write(tmp_path, **{"main.ml": wrong})
    rc, out, err = run(main, capsys, reference)
    assert rc == 1 and "'f' can raise, but 'main' is not marked `raises`" in err, err


def test_a_module_imported_twice_is_one_module(tmp_path, capsys):
    # `Vec2` reached through two files is one type; the file is read once.
    main = write(tmp_path, **{
        "main.ml": "from geometry import Vec2\nimport shapes\n\nfn main():\n"
                   "    var v: Vec2 = shapes.unit()\n    print(v.x)\n",
        "shapes.ml": "from geometry import Vec2\n\nfn unit() -> Vec2:\n"
                     "    return Vec2(1.0, 0.0)\n",
        "geometry.ml": "@value\nstruct Vec2:\n    var x: Float64\n    var y: Float64\n"})
    assert run(main, capsys, False) == (0, "1.0\n", "")


def test_a_standard_module_name_means_the_standard_module(tmp_path, capsys):
    main = write(tmp_path, **{"main.ml": "from math import sqrt\n\nfn main():\n"
                                         "    print(sqrt(4.0))\n",
                              "math.ml": "this file is never read\n"})
    assert run(main, capsys, False) == (0, "2.0\n", "")


def test_importing_the_same_name_again_is_harmless(tmp_path, capsys):
    main = write(tmp_path, **{
        "main.ml": "from a import f\nfrom a import f, g\nfrom math import sqrt\n"
                   "from math import sqrt\nimport sys.info\nimport sys\nimport a\nimport a\n\n"
                   "fn main():\n    print(f(), g(), sqrt(4.0), a.f())\n",
        "a.ml": "fn f() -> Int:\n    return 1\n\nfn g() -> Int:\n    return 2\n"})
    assert run(main, capsys, False) == (0, "1 2 2.0 1\n", "")


def test_the_cache_scan_knows_the_standard_modules():
    # and current Mojo's `std` package, which holds them all (`from std.math import sqrt`)
    assert modules.STANDARD == {name.split(".")[0] for name in STD_MODULES} | {"std"}


# ---------------------------------------------------------------- errors
ERRORS = [
    # (id, files besides main.ml's, main.ml, file, message, line, column, more)
    ("missing-module", {}, "import nothere\n\nfn main():\n    pass\n",
     "main.ml", "no module named 'nothere'", 1, 1, "found no {dir}/nothere.ml or "
                                                  "{dir}/nothere.mojo"),
    ("missing-name", {"lib.ml": "fn norm() -> Int:\n    return 1\n"},
     "from lib import norn\n\nfn main():\n    print(norn())\n",
     "main.ml", "module 'lib' has no name 'norn'", 1, 17, "did you mean 'norm'?"),
    ("missing-attribute", {"lib.ml": "fn norm() -> Int:\n    return 1\n"},
     "import lib\n\nfn main():\n    print(lib.nrm())\n",
     "main.ml", "module 'lib' has no name 'nrm'", 4, 11, ""),
    ("type-error-in-module", {"lib.ml": "fn norm() -> Int:\n    return 1\n\n"
                                        "fn bad() -> Int:\n    return \"x\"\n"},
     "from lib import norm\n\nfn main():\n    print(norm())\n",
     "lib.ml", "expected Int, found String", 5, 12, ' 5 |     return "x"'),
    ("syntax-error-in-module", {"lib.ml": "fn norm() -> Int:\n    return 1 +\n"},
     "from lib import norm\n\nfn main():\n    print(norm())\n",
     "lib.ml", "unexpected end of line", 2, 15, " 2 |     return 1 +"),
    ("error-two-imports-deep", {"a.ml": "import b\n", "b.ml": "fn f():\n    var x: Int = 1.5\n"},
     "import a\n\nfn main():\n    pass\n",
     "b.ml", "expected Int, found a float literal", 2, 18, " 2 |     var x: Int = 1.5"),
    ("cycle", {"a.ml": "import b\n", "b.ml": "from main import f\n"},
     "import a\n\nfn f():\n    pass\n",
     "b.ml", "import cycle: main imports a imports b imports main", 1, 1, ""),
    ("imports-itself", {}, "import main\n\nfn main():\n    pass\n",
     "main.ml", "import cycle: main imports main", 1, 1, ""),
    ("generic-as-value", {"lib.ml": "fn scale[k: Int](x: Int) -> Int:\n    return x * k\n"},
     "import lib\n\nfn main():\n    var f = lib.scale\n",
     "main.ml", "'lib.scale' has compile-time parameters: a function value needs them given",
     4, 13, "e.g. `lib.scale[DType.float64]`"),
    ("overloads-as-value", {"lib.ml": "fn f(x: Int) -> Int:\n    return x\n\n"
                                      "fn f(x: Float64) -> Float64:\n    return x\n"},
     "import lib\n\nfn main():\n    var g = lib.f\n",
     "main.ml", "'lib.f' is overloaded: a function value needs one function", 4, 13,
     "wrap the overload you mean"),
    ("dotted-module", {"lib.ml": ""}, "import lib.sub\n\nfn main():\n    pass\n",
     "main.ml", "no module named 'lib.sub'", 1, 1, ""),
    # A name two imports bind to different things: an error at the second, not a
    # silent rebinding (Mojo refuses a redefinition of a name)
    ("same-name-from-two-files", {"a.ml": "fn f() -> Int:\n    return 1\n",
                                  "b.ml": "fn f() -> Int:\n    return 2\n"},
     "from a import f\nfrom b import f\n\nfn main():\n    print(f())\n",
     "main.ml", "'f' is already imported, as a.f", 2, 15, "this would make it b.f"),
    ("alias-clashes-with-import", {"a.ml": "fn f() -> Int:\n    return 1\n"},
     "from math import sqrt\nfrom a import f as sqrt\n\nfn main():\n    pass\n",
     "main.ml", "'sqrt' is already imported, as math.sqrt", 2, 15,
     "`from a import f as other`"),
    ("two-modules-one-alias", {"a.ml": "", "b.ml": ""},
     "import a as m\nimport b as m\n\nfn main():\n    pass\n",
     "main.ml", "'m' is already imported, as module a", 2, 1, "this would make it module b"),
    ("member-clashes-with-module", {"a.ml": "fn math() -> Int:\n    return 1\n"},
     "import math\nfrom a import math\n\nfn main():\n    pass\n",
     "main.ml", "'math' is already imported, as module math", 2, 15, ""),
    ("std-names-clash", {}, "from math import sqrt\nfrom math import cos as sqrt\n\n"
                            "fn main():\n    pass\n",
     "main.ml", "'sqrt' is already imported, as math.sqrt", 2, 18, "this would make it math.cos"),
]


@pytest.mark.parametrize("files, program, where, message, line, column, more",
                         [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_import_errors_point_at_the_file_that_is_wrong(tmp_path, capsys, files, program, where,
                                                       message, line, column, more):
    main = write(tmp_path, **{"main.ml": program, **files})
    rc, out, err = run(main, capsys, False)
    assert rc == 1 and out == ""
    assert err.startswith(f"error: {message}\n  --> {tmp_path / where}:{line}:{column}\n"), err
    assert more.format(dir=tmp_path) in err
    assert "Traceback" not in err


def test_the_uses_of_a_failed_import_report_nothing_more(tmp_path, capsys):
    main = write(tmp_path, **{"main.ml": "from nothere import f, g\nimport gone\n\nfn main():\n"
                                         "    print(f(), g(), gone.h())\n"})
    rc, _, err = run(main, capsys, False)
    assert rc == 1 and err.count("error:") == 2, err


def test_a_program_given_as_text_imports_no_files():
    with pytest.raises(mojolite.CompileError) as e:
        mojolite.compile("import geometry\n\nfn main():\n    pass\n")
    text = str(e.value)
    assert text.startswith("error: no module named 'geometry'\n  --> <string>:1:1\n")
    assert "a program given as text imports no files" in text

"""Aliases with compile-time parameters (`comptime AddOne[a: Int] = a + 1`, also
spelt `alias`): constants and types read at each use with the parameters bound,
in the three modes; and their misuse, a located error."""
from __future__ import annotations

import textwrap

import pytest

import mojolite

MODES = {"ref": dict(reference=True), "O3": dict(opt=3), "O0": dict(opt=0)}

PROGRAM = """\
comptime AddOne[a: Int] = a + 1
alias Scale[k: Int, x: Float64]: Float64 = x * Float64(k)
comptime Vec[w: Int] = SIMD[DType.float32, w]
comptime TwoOf[dt: DType] = SIMD[dt, 2]
comptime ListOf[T: Copyable] = List[T]
comptime Sum[a: Int, b: Int = 10] = a + b
comptime nine = AddOne[8]

fn widen[n: Int](v: Vec[n]) -> Vec[n * 2]:
    var out = Vec[n * 2](0)
    for i in range(n):
        out[i] = v[i]
    return out

struct Holder[n: Int]:
    comptime Times[k: Int] = k * n
    var x: Int

    fn __init__(out self):
        self.x = Self.Times[3]

fn main():
    print(AddOne[3], nine, Scale[2, 1.5], AddOne[AddOne[1]], Sum[1], Sum[1, b=2])
    var v = Vec[4](1.0, 2.0, 3.0, 4.0)
    print(v, TwoOf[DType.int8](1, 2), widen[4](v), Vec[8].size)
    var w: Vec[2] = Vec[2](5.0)
    var l = ListOf[Int]()
    l.append(AddOne[41])
    comptime k = AddOne[2]
    print(w, l[0], k, Holder[5]().x)
"""


@pytest.mark.parametrize("mode", MODES)
def test_parametric_aliases_give_constants_and_types(mode, capsys):
    mojolite.compile(PROGRAM, "t.ml", **MODES[mode]).main()
    assert capsys.readouterr().out == (
        "4 9 3.0 3 11 3\n"
        "[1.0, 2.0, 3.0, 4.0] [1, 2] [1.0, 2.0, 3.0, 4.0, 0.0, 0.0, 0.0, 0.0] 8\n"
        "[5.0, 5.0] 42 3 15\n")


@pytest.mark.parametrize("mode", ["ref", "O3"])
def test_a_parametric_alias_of_an_imported_file(tmp_path, mode, capsys):
    (tmp_path / "lib.ml").write_text("comptime Twice[n: Int] = 2 * n\n"
                                     "comptime V[w: Int] = SIMD[DType.int32, w]\n")
    main = tmp_path / "main.ml"
    main.write_text("from lib import Twice\nimport lib\n\n"
                    "fn main():\n    print(Twice[4], lib.Twice[5], lib.V[2](7))\n")
    mojolite.load(str(main), **MODES[mode]).main()
    assert capsys.readouterr().out == "8 10 [7, 7]\n"


HEAD = """\
comptime AddOne[a: Int] = a + 1
comptime F[a: Int, b: Int] = a + b
comptime R[n: Int] = R[n + 1]
comptime Vec[w: Int] = SIMD[DType.float32, w]
fn main():
"""


@pytest.mark.parametrize("body, message, line, column", [
    ("print(AddOne)", "'AddOne' is a parametric alias, not a value", 6, 11),
    ("print(AddOne[1, 2])", "1 compile-time parameter(s) expected, got 2", 6, 11),
    ('print(AddOne["x"])', "expected Int, found String", 6, 18),
    ("print(F[1])", "missing parameter 'b' of 'F'", 6, 11),
    ("var n = 3\nprint(AddOne[n])", "compile-time parameter 'a' needs a compile-time value",
     7, 18),
    ("print(R[1])", "alias 'R' is read inside itself more than 64 deep", 3, 22),
    ("var x: AddOne[3] = 1", "'AddOne[3]' is not a type", 6, 12),
    ("print(AddOne[3](1))", "'AddOne[3]' cannot be called", 6, 11),
    ("print(Vec[4])", "'Vec[4]' is a type, not a value", 6, 11),
    ("var y: Vec[3] = 1.0", "SIMD width must be a power of two from 1 to 64, not 3", 4, 44),
])
def test_misused_parametric_alias_is_a_located_error(body, message, line, column):
    with pytest.raises(mojolite.CompileError) as info:
        mojolite.compile(HEAD + textwrap.indent(body, "    ") + "\n", "t.ml")
    text = str(info.value)
    assert message in text and f"t.ml:{line}:{column}" in text and "^" in text


# ------------------------------------------------------------------ trait compositions
TRAITS = """\
trait Named:
    fn name(self) -> String: ...

trait Sized:
    fn size(self) -> Int: ...

    fn describe(self) -> String:
        return "sized " + String(self.size())

comptime NamedSized = Named & Sized
alias Both = NamedSized & Copyable

@fieldwise_init
struct Box(Both):
    var n: Int

    fn name(self) -> String:
        return "box"

    fn size(self) -> Int:
        return self.n

fn inline[T: Named & Sized](x: T):
    print(x.name(), x.size())

fn named[T: Both](x: T):
    print(x.name(), x.describe())

fn some(x: Some[Named & Sized], y: Some[NamedSized]):
    print(x.size(), y.name())

fn main():
    comptime Local = Sized & Named
    var b = Box(3)
    inline(b)
    named(b)
    some(b, b)
    print(b.describe())
"""


@pytest.mark.parametrize("mode", MODES)
def test_trait_compositions_name_several_traits(mode, capsys):
    mojolite.compile(TRAITS, "t.ml", **MODES[mode]).main()
    assert capsys.readouterr().out == "box 3\nbox sized 3\n3 box\nsized 3\n"


TRAIT_HEAD = """\
trait Named:
    fn name(self) -> String: ...
trait Sized:
    fn size(self) -> Int: ...
comptime NamedSized = Named & Sized
"""


@pytest.mark.parametrize("rest, message, line, column", [
    ("struct P(NamedSized):\n    var n: Int\n    fn name(self) -> String:\n"
     "        return 'p'\nfn main():\n    pass",
     "P does not conform to trait 'Sized': it has no method 'size'", 6, 8),
    ("@fieldwise_init\nstruct Q(Copyable):\n    var n: Int\n    fn size(self) -> Int:\n"
     "        return 1\nfn g[T: NamedSized](x: T):\n    pass\nfn main():\n    g(Q(1))",
     "Q does not conform to trait 'Named': it has no method 'name'", 14, 5),
    ("comptime X = Named & 3\nfn main():\n    pass", "'3' is not a trait", 6, 22),
    ("comptime X = Nope & Named\nfn main():\n    pass", "'Nope' is not a trait", 6, 14),
    ("fn main():\n    print(NamedSized)", "'NamedSized' is a trait, not a value", 7, 11),
])
def test_misused_trait_composition_is_a_located_error(rest, message, line, column):
    with pytest.raises(mojolite.CompileError) as info:
        mojolite.compile(TRAIT_HEAD + rest + "\n", "t.ml")
    text = str(info.value)
    assert message in text and f"t.ml:{line}:{column}" in text and "^" in text

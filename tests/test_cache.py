"""The disk cache (mojolite/cache.py) as a user meets it: hits in new processes, misses
with their reasons, damaged entries, unwritable directories and concurrent writers.

Every test uses a cache directory of its own under pytest's tmp_path (never the user's).
What a hit computes is checked against a cold compile or the reference mode of the same
program, and a hit is recognised by what it skips (no `parse` stage in `--timings`, a
`CachedModule`), not by timing.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest

import mojolite
from mojolite import cache

ROOT = Path(__file__).resolve().parent.parent

PROGRAM = """\
fn steps(start: Int) -> Int:
    var n = start
    var count = 0
    while n != 1:
        if n % 2 == 0:
            n //= 2
        else:
            n = 3 * n + 1
        count += 1
    return count

fn ratio(a: Int, b: Int) -> Int:
    return a // b

fn main(limit: Int = 1000):
    var best = 1
    var best_steps = 0
    for i in range(1, limit):
        var s = steps(i)
        if s > best_steps:
            best = i
            best_steps = s
    print("longest chain below", limit, "starts at", best, "with", best_steps, "steps")
"""

HELPERS = """\
import mojolite
from mojolite import Float64

SCALE = 3

@mojolite.fn
def sq(x: Float64) -> Float64:
    return x * x * SCALE
"""

MAIN = """\
import sys
import mojolite
from mojolite import Float64, Int, Param, Tensor, DType
from helpers import sq

@mojolite.fn
def total(x: Float64, n: Int) -> Float64:
    s = 0.0
    for i in range(n):
        s += sq(x + Float64(i))
    return s

@mojolite.fn
def scaled(x: Float64, k: Param[Int] = 2) -> Float64:
    return x * Float64(k)

@mojolite.fn
def first(a: Tensor[DType.float64], i: Int) -> Float64:
    return a[i]

import numpy as np
print(total(1.5, 4), type(total.module).__name__)
print(scaled[5](2.0), scaled[5].signature)
print(total.signature)
try:
    first(np.arange(3.0), 7)
except mojolite.RuntimeFault as e:
    print(str(e).replace(chr(10), "|"))
"""


def env_for(cache_dir, **extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("MOJOLITE_DEBUG", "MOJOLITE_EXPLAIN_CACHE", "MOJOLITE_REFERENCE")}
    env.update(PYTHONPATH=str(ROOT), MOJOLITE_CACHE="1", MOJOLITE_CACHE_DIR=str(cache_dir))
    env.update(extra)
    return env


def run_cli(cache_dir, *args, **extra):
    return subprocess.run([sys.executable, "-m", "mojolite", *map(str, args)],
                          capture_output=True, text=True, env=env_for(cache_dir, **extra),
                          timeout=300)


def run_script(cache_dir, folder, script="main.py", **extra):
    return subprocess.run([sys.executable, script], capture_output=True, text=True,
                          cwd=folder, env=env_for(cache_dir, **extra), timeout=300)


def entries(cache_dir) -> list[Path]:
    return sorted((Path(cache_dir) / "entries").glob("*.mlc"))


def entry_kinds(cache_dir) -> dict[str, int]:
    """How many entries of each kind: a program's signatures (no code), compiled
    code, a native caller."""
    import pickle
    kinds: dict[str, int] = {}
    for path in entries(cache_dir):
        entry = pickle.loads(path.read_bytes()[cache._HEADER:])
        kind = "native caller" if entry["meta"].get("code") else \
            "signatures" if entry["object"] is None else "code"
        kinds[kind] = kinds.get(kind, 0) + 1
    return kinds


def stray_files(cache_dir) -> list[Path]:
    return [p for p in Path(cache_dir).rglob("*") if p.name.endswith(".tmp")]


def kernels(tmp_path) -> Path:
    folder = tmp_path / "kernels"
    folder.mkdir()
    (folder / "helpers.py").write_text(HELPERS)
    (folder / "main.py").write_text(MAIN)
    return folder


def expected_total(scale: float, extra: float = 0.0) -> float:
    return sum((1.5 + i) ** 2 * scale + extra for i in range(4))


# ------------------------------------------------------------------ hits after a restart
def test_program_hit_in_a_new_process(tmp_path):
    prog = tmp_path / "collatz.ml"
    prog.write_text(PROGRAM)
    cold = run_cli(tmp_path / "c", "run", prog, "--timings")
    assert cold.returncode == 0, cold.stderr
    assert "parse" in cold.stderr and "cache store" in cold.stderr
    assert len(entries(tmp_path / "c")) == 1
    warm = run_cli(tmp_path / "c", "run", prog, "--timings", "--explain-cache")
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout == cold.stdout == \
        "longest chain below 1000 starts at 871 with 178 steps\n"
    assert "cache load" in warm.stderr
    for stage in ("parse", "check", "lower", "optimise", "machine code", "cache miss"):
        assert stage not in warm.stderr, warm.stderr
    assert not stray_files(tmp_path / "c")


def test_mojolite_timings_reports_each_compile_of_the_python_api(tmp_path):
    """MOJOLITE_TIMINGS=1: loading a file, each function's first call and each
    kernel's build write their stage times to stderr; a hit reports a cache load."""
    prog = tmp_path / "collatz.ml"
    prog.write_text(PROGRAM)
    (tmp_path / "load.py").write_text(LOADER)
    (tmp_path / "helpers.py").write_text(HELPERS)
    (tmp_path / "main.py").write_text(MAIN)

    def stages(report: str, what: str) -> set[str]:
        """The stage names of the report titled `what`."""
        block = report.split(f"mojolite: timings of {what}:\n", 1)[1].split("mojolite:")[0]
        return {line.split("  ")[1].strip() for line in block.splitlines()
                if line.startswith("  ") and "total" not in line}

    cold_args = [sys.executable, "load.py", str(prog)]
    cold = subprocess.run(cold_args, cwd=tmp_path, capture_output=True, text=True,
                          env=env_for(tmp_path / "c", MOJOLITE_TIMINGS="1"), timeout=300)
    assert cold.returncode == 0, cold.stderr
    assert {"parse", "check"} <= stages(cold.stderr, f"loading {prog}")
    assert {"lower", "verify", "optimise", "machine code", "python caller"} <= \
        stages(cold.stderr, f"steps ({prog})")
    warm = subprocess.run(cold_args, cwd=tmp_path, capture_output=True, text=True,
                          env=env_for(tmp_path / "c", MOJOLITE_TIMINGS="1"), timeout=300)
    assert warm.stdout == "CachedModule 111 3\n" and cold.stdout == "Module 111 3\n"
    assert "parse" not in warm.stderr
    assert "cache load" in stages(warm.stderr, f"steps ({prog})")
    quiet = subprocess.run(cold_args, cwd=tmp_path, capture_output=True, text=True,
                           env=env_for(tmp_path / "c"), timeout=300)
    assert quiet.stdout == warm.stdout and quiet.stderr == ""

    kernels = run_script(tmp_path / "k", tmp_path, MOJOLITE_TIMINGS="1")
    assert kernels.returncode == 0, kernels.stderr
    assert {"parse", "check", "optimise", "python caller"} <= \
        stages(kernels.stderr, f"total ({tmp_path / 'main.py'})")


LOADER = """\
import sys
import mojolite
m = mojolite.load(sys.argv[1])
print(type(m).__name__, m.steps(27), m.ratio(7, 2))
"""


def test_a_loaded_file_compiles_and_caches_each_called_function_on_its_own(tmp_path):
    prog = tmp_path / "collatz.ml"
    prog.write_text(PROGRAM)
    (tmp_path / "load.py").write_text(LOADER)
    env = env_for(tmp_path / "c", MOJOLITE_EXPLAIN_CACHE="1", MOJOLITE_NATIVE_AFTER="1")

    def run(target):
        r = subprocess.run([sys.executable, "load.py", str(target)], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        return r
    cold = run(prog)
    assert cold.stdout == "Module 111 3\n"
    # The program's signatures, then one entry per called function (and its native
    # caller): main is never built.
    assert entry_kinds(tmp_path / "c") == {"signatures": 1, "code": 2, "native caller": 2}
    assert "cache miss for function steps in" in cold.stderr
    assert "cache miss for function main" not in cold.stderr
    warm = run(prog)
    assert warm.stdout == "CachedModule 111 3\n" and "cache miss" not in warm.stderr
    prog.write_text(PROGRAM.replace("a // b", "a // b + 0"))
    edited = run(prog)
    assert edited.stdout == "Module 111 3\n"
    assert "cache miss for function ratio in" in edited.stderr
    assert "its source changed" in edited.stderr


RANKED = """\
import sys
import numpy as np
import mojolite
from mojolite import DType, Float64, Tensor

@mojolite.fn
def corner(a: Tensor[DType.float64]) -> Float64:
    return a[0, 0]

m = mojolite.load(sys.argv[1])
print(type(corner.module).__name__, type(m).__name__, corner(np.ones((2, 2))),
      m.first(np.ones(2)))
for call in (lambda: corner(np.ones(3)), lambda: m.first(np.ones((2, 2)))):
    for _ in range(3):          # the Python caller, then the native one
        try:
            call()
        except TypeError as e:
            print(e)
"""


def test_the_rank_a_function_needs_is_checked_after_a_hit(tmp_path):
    (tmp_path / "first.ml").write_text("fn first(a: Tensor[DType.float64]) -> Float64:\n"
                                       "    return a[0]\n")
    (tmp_path / "main.py").write_text(RANKED)
    env = env_for(tmp_path / "c", MOJOLITE_NATIVE_AFTER="2")

    def run():
        r = subprocess.run([sys.executable, "main.py", "first.ml"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        return r.stdout.splitlines()
    cold, warm = run(), run()
    assert cold[0] == "Module Module 1.0 1.0"
    assert warm[0] == "CachedModule CachedModule 1.0 1.0"
    assert cold[1:] == warm[1:] == \
        ["corner(): parameter 'a' expects Tensor[DType.float64] of rank 2 (corner indexes it "
         "as a[i, j]), got ndarray of float64 with shape (3,) (rank 1)"] * 3 + \
        ["first(): parameter 'a' expects Tensor[DType.float64] of rank 1 (first indexes it "
         "as a[i]), got ndarray of float64 with shape (2, 2) (rank 2)"] * 3


def test_keyword_only_parameters_stay_keyword_only_after_a_hit(tmp_path):
    (tmp_path / "kw.ml").write_text("fn f(x: Int, *, z: Int = 1) -> Int:\n"
                                    "    return 10 * x + z\n")
    (tmp_path / "main.py").write_text(
        "import mojolite\nm = mojolite.load('kw.ml')\nprint(type(m).__name__, m.f(1, z=2))\n"
        "try:\n    m.f(1, 2)\nexcept TypeError as e:\n    print(e)\n")
    cold, warm = (run_script(tmp_path / "c", tmp_path) for _ in range(2))
    assert cold.returncode == warm.returncode == 0, cold.stderr + warm.stderr
    assert cold.stdout.splitlines() == ["Module 12", "f() takes 1 positional argument but 2 "
                                        "were given"]
    assert warm.stdout.splitlines() == ["CachedModule 12"] + cold.stdout.splitlines()[1:]


def test_a_keyword_only_parameter_without_a_default_stays_required_after_a_hit(tmp_path):
    (tmp_path / "kw.ml").write_text("fn kw(a: Int = 1, *, b: Int) -> Int:\n"
                                    "    return a + b\n")
    (tmp_path / "main.py").write_text(
        "import inspect, mojolite\nm = mojolite.load('kw.ml')\n"
        "print(type(m).__name__, m.kw(b=3), inspect.signature(m.kw))\n"
        "try:\n    m.kw()\nexcept TypeError as e:\n    print(e)\n")
    cold, warm = (run_script(tmp_path / "c", tmp_path) for _ in range(2))
    assert cold.returncode == warm.returncode == 0, cold.stderr + warm.stderr
    assert cold.stdout.splitlines() == ["Module 4 (a: Int = 1, *, b: Int) -> Int",
                                        "kw() missing 1 required keyword-only argument: 'b'"]
    assert warm.stdout.splitlines() == ["CachedModule 4 (a: Int = 1, *, b: Int) -> Int"] + \
        cold.stdout.splitlines()[1:]


def test_positional_only_parameters_stay_positional_only_after_a_hit(tmp_path):
    (tmp_path / "po.ml").write_text("fn m(a: Int, b: Int, /, c: Int = 0) -> Int:\n"
                                    "    return 10 * a + b + c\n")
    (tmp_path / "main.py").write_text(
        "import inspect, mojolite\nm = mojolite.load('po.ml')\n"
        "print(type(m).__name__, m.m(1, 2, c=3), inspect.signature(m.m))\n"
        "try:\n    m.m(a=1, b=2)\nexcept TypeError as e:\n    print(e)\n")
    cold, warm = (run_script(tmp_path / "c", tmp_path) for _ in range(2))
    assert cold.returncode == warm.returncode == 0, cold.stderr + warm.stderr
    assert cold.stdout.splitlines() == ["Module 15 (a, b, /, c=0)",
                                        "m() got some positional-only arguments passed as "
                                        "keyword arguments: 'a, b'"]
    assert warm.stdout.splitlines() == ["CachedModule 15 (a, b, /, c=0)"] \
        + cold.stdout.splitlines()[1:]


def test_a_function_called_from_python_is_lowered_with_only_what_it_reaches():
    m = mojolite.compile(PROGRAM, "reach.ml")
    assert m.steps(27) == 111
    ir = str(m.unit("steps").lowered.module)
    assert "@\"ml.steps\"" in ir and "ml.main" not in ir and "ml.ratio" not in ir
    whole = str(m.lowered().module)              # `mojolite ir` shows the whole program
    assert "ml.main" in whole and "ml.ratio" in whole


def test_kernels_hit_in_a_new_process(tmp_path):
    folder = kernels(tmp_path)
    cold = run_script(tmp_path / "c", folder)
    assert cold.returncode == 0, cold.stderr
    warm = run_script(tmp_path / "c", folder, MOJOLITE_EXPLAIN_CACHE="1")
    assert warm.returncode == 0, warm.stderr
    cold_lines, warm_lines = cold.stdout.splitlines(), warm.stdout.splitlines()
    assert cold_lines[0] == f"{expected_total(3)} Module"
    assert warm_lines[0] == f"{expected_total(3)} CachedModule"
    # Signatures, generic instances and fault messages (file, line, caret) are the same.
    assert warm_lines[1:] == cold_lines[1:]
    assert cold_lines[1] == "10.0 fn scaled[5](x: Float64) raises -> Float64"
    assert cold_lines[2] == "fn total(x: Float64, n: Int) raises -> Float64"
    assert cold_lines[3].startswith("runtime error: index 7 is out of bounds for axis 0")
    assert "main.py:19:12|" in cold_lines[3] and "|            ^^^^" in cold_lines[3]
    assert "cache miss" not in warm.stderr, warm.stderr


def test_runtime_fault_from_a_hit_names_the_same_place(tmp_path):
    prog = tmp_path / "p.ml"
    prog.write_text("fn f(a: Int, b: Int) -> Int:\n    return a // b\n\n"
                    "fn main():\n    print(f(7, 0))\n")
    cold = run_cli(tmp_path / "c", "run", prog)
    warm = run_cli(tmp_path / "c", "run", prog, "--timings")
    assert cold.returncode == warm.returncode == 1
    assert "cache load" in warm.stderr
    assert f"{prog}:2:12" in cold.stderr and "^^^^^^" in cold.stderr
    assert cold.stderr in warm.stderr           # the same message, caret and all


def test_hit_in_process_matches_a_fresh_compile(tmp_path, monkeypatch):
    monkeypatch.setenv("MOJOLITE_CACHE", "1")
    monkeypatch.setenv("MOJOLITE_CACHE_DIR", str(tmp_path / "c"))
    first = mojolite.compile(PROGRAM, "p.ml")
    assert first.steps(27) == 111
    again = mojolite.compile(PROGRAM, "p.ml")
    assert type(again).__name__ == "CachedModule"
    for n in (1, 7, 27, 97, 871):
        assert again.steps(n) == first.steps(n)
    assert again.steps(start=27) == 111
    with pytest.raises(TypeError, match="steps"):
        again.steps("x")
    with pytest.raises(mojolite.RuntimeFault, match="division by zero") as e:
        again.ratio(1, 0)
    with pytest.raises(mojolite.RuntimeFault) as fresh:
        first.ratio(1, 0)
    assert "p.ml:13:12" in str(e.value) and str(e.value) == str(fresh.value)
    # A name the program lacks is answered without compiling it again.
    third = mojolite.compile(PROGRAM, "p.ml")
    assert not hasattr(third, "nope") and third._full is None
    # Trees and IR, asked of a cached module, come from compiling it again.
    assert "define" in again.full().jit().optimised_ir()
    from mojolite.api import dump_stage
    assert "fn steps" in dump_stage(again, "typed", "steps")


# ------------------------------------------------------------------ misses and their reasons
def test_editing_a_called_kernel_in_another_file_misses_and_says_why(tmp_path):
    folder = kernels(tmp_path)
    first = run_script(tmp_path / "c", folder, MOJOLITE_EXPLAIN_CACHE="1")
    assert first.returncode == 0, first.stderr
    assert "cache miss for kernel total: new kernel" in first.stderr
    helpers = folder / "helpers.py"
    helpers.write_text(HELPERS.replace("return x * x * SCALE", "return x * x * SCALE + 1.0"))
    second = run_script(tmp_path / "c", folder, MOJOLITE_EXPLAIN_CACHE="1")
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines()[0] == f"{expected_total(3, 1.0)} Module"
    assert "cache miss for kernel total: a dependency changed: kernel helpers.sq" \
        in second.stderr, second.stderr
    assert "its source changed" not in second.stderr
    # The other kernels did not call sq: they hit.
    assert "kernel scaled" not in second.stderr and "kernel first" not in second.stderr
    helpers.write_text(HELPERS.replace("SCALE = 3", "SCALE = 4")
                       .replace("return x * x * SCALE", "return x * x * SCALE + 1.0"))
    third = run_script(tmp_path / "c", folder, MOJOLITE_EXPLAIN_CACHE="1")
    assert third.stdout.splitlines()[0] == f"{expected_total(4, 1.0)} Module"
    assert "a dependency changed: global SCALE (used by helpers.sq)" in third.stderr
    fourth = run_script(tmp_path / "c", folder, MOJOLITE_EXPLAIN_CACHE="1")
    assert fourth.stdout.splitlines()[0] == f"{expected_total(4, 1.0)} CachedModule"
    assert "cache miss" not in fourth.stderr


def test_a_constant_read_through_a_module_is_part_of_the_key(tmp_path):
    folder = kernels(tmp_path)
    (folder / "main.py").write_text(textwrap.dedent("""\
        import mojolite
        from mojolite import Float64
        import helpers

        @mojolite.fn
        def scaled(x: Float64) -> Float64:
            return helpers.sq(x) + Float64(helpers.SCALE)

        print(scaled(2.0))
        """))
    first = run_script(tmp_path / "c", folder)
    assert first.returncode == 0, first.stderr
    assert first.stdout.split() == ["15.0"]
    helpers = folder / "helpers.py"
    helpers.write_text(HELPERS.replace("SCALE = 3", "SCALE = 4"))
    second = run_script(tmp_path / "c", folder, MOJOLITE_EXPLAIN_CACHE="1")
    assert second.stdout.split() == ["20.0"], second.stderr
    assert "a dependency changed: global helpers.SCALE (used by __main__.scaled)" \
        in second.stderr, second.stderr


def test_editing_an_imported_file_misses_and_says_why(tmp_path):
    (tmp_path / "geometry.ml").write_text("from units import unit\n\n"
                                          "fn norm(x: Float64) -> Float64:\n"
                                          "    return x * unit()\n")
    (tmp_path / "units.ml").write_text("fn unit() -> Float64:\n    return 2.0\n")
    prog = tmp_path / "main.ml"
    prog.write_text("from geometry import norm\n\nfn main():\n    print(norm(1.5))\n")
    cold = run_cli(tmp_path / "c", "run", prog, "--timings")
    assert cold.returncode == 0, cold.stderr
    assert cold.stdout == "3.0\n" and "cache store" in cold.stderr
    warm = run_cli(tmp_path / "c", "run", prog, "--timings", "--explain-cache")
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout == "3.0\n" and "cache load" in warm.stderr
    assert "parse" not in warm.stderr and "cache miss" not in warm.stderr, warm.stderr
    # An edit two imports deep misses, and names the file.
    (tmp_path / "units.ml").write_text("fn unit() -> Float64:\n    return 3.0\n")
    edited = run_cli(tmp_path / "c", "run", prog, MOJOLITE_EXPLAIN_CACHE="1")
    assert edited.stdout == "4.5\n", edited.stderr
    assert f"cache miss for program {prog}: a dependency changed: module units (units.ml)" \
        in edited.stderr, edited.stderr
    assert "its source changed" not in edited.stderr and "module geometry" not in edited.stderr
    (tmp_path / "geometry.ml").write_text("from units import unit\n\n"
                                          "fn norm(x: Float64) -> Float64:\n"
                                          "    return x * unit() + 1.0\n")
    edited = run_cli(tmp_path / "c", "run", prog, MOJOLITE_EXPLAIN_CACHE="1")
    assert edited.stdout == "5.5\n", edited.stderr
    assert "a dependency changed: module geometry (geometry.ml)" in edited.stderr
    again = run_cli(tmp_path / "c", "run", prog, MOJOLITE_EXPLAIN_CACHE="1")
    assert again.stdout == "5.5\n" and "cache miss" not in again.stderr, again.stderr


def test_editing_the_kernel_itself_says_its_source_changed(tmp_path):
    folder = kernels(tmp_path)
    assert run_script(tmp_path / "c", folder).returncode == 0
    main = folder / "main.py"
    main.write_text(MAIN.replace("s += sq(x + Float64(i))", "s += sq(x + Float64(i)) + 2.0"))
    r = run_script(tmp_path / "c", folder, MOJOLITE_EXPLAIN_CACHE="1")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == f"{expected_total(3, 2.0)} Module"
    assert "cache miss for kernel total: its source changed" in r.stderr


def test_lines_moved_above_a_kernel_miss(tmp_path):
    # Fault messages quote line numbers: a kernel that moved is compiled again.
    folder = kernels(tmp_path)
    assert run_script(tmp_path / "c", folder).returncode == 0
    main = folder / "main.py"
    main.write_text("# a new first line\n" + MAIN)
    r = run_script(tmp_path / "c", folder, MOJOLITE_EXPLAIN_CACHE="1")
    assert r.returncode == 0, r.stderr
    assert "main.py:20:12|" in r.stdout.splitlines()[3]
    assert "cache miss for kernel first: its source changed" in r.stderr


@pytest.mark.parametrize("change, reason", [
    (dict(opt=2), "opt 3 -> 2"),
    (dict(boundscheck=False), "boundscheck True -> False"),
    (dict(fastmath=True), "fastmath False -> True"),
])
def test_option_changes_miss(tmp_path, monkeypatch, capsys, change, reason):
    monkeypatch.setenv("MOJOLITE_CACHE", "1")
    monkeypatch.setenv("MOJOLITE_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("MOJOLITE_EXPLAIN_CACHE", "1")
    base = mojolite.compile(PROGRAM, "opts.ml")
    assert base.steps(27) == 111
    assert "new program" in capsys.readouterr().err
    other = mojolite.compile(PROGRAM, "opts.ml", **change)
    assert type(other).__name__ == "Module"
    assert other.steps(27) == 111
    err = capsys.readouterr().err
    assert "compile options changed" in err and reason in err, err
    assert type(mojolite.compile(PROGRAM, "opts.ml", **change)).__name__ == "CachedModule"
    assert type(mojolite.compile(PROGRAM, "opts.ml")).__name__ == "CachedModule"
    assert "cache miss" not in capsys.readouterr().err


def test_cpu_and_compiler_changes_are_explained(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MOJOLITE_CACHE", "1")
    monkeypatch.setenv("MOJOLITE_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("MOJOLITE_EXPLAIN_CACHE", "1")
    mojolite.compile(PROGRAM, "cpu.ml").steps(3)
    capsys.readouterr()
    fixed = cache._fixed()
    other = {**fixed, "target": {**fixed["target"], "cpu": "some-other-cpu"},
             "compiler": {**fixed["compiler"], "files": "0" * 64}}
    monkeypatch.setattr(cache, "_fixed_parts", other)
    m = mojolite.compile(PROGRAM, "cpu.ml")
    assert type(m).__name__ == "Module"
    err = capsys.readouterr().err
    assert "the target CPU or its features changed" in err
    assert "the mojolite compiler changed" in err


def test_reference_mode_and_disabled_cache_write_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("MOJOLITE_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("MOJOLITE_CACHE", "1")
    assert mojolite.compile(PROGRAM, reference=True).steps(27) == 111
    monkeypatch.setenv("MOJOLITE_CACHE", "0")
    assert mojolite.compile(PROGRAM).steps(27) == 111
    assert not (tmp_path / "c").exists()


# ------------------------------------------------------------------ damage and failures
@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage", "empty"])
def test_a_damaged_entry_is_discarded_with_one_warning(tmp_path, damage):
    prog = tmp_path / "p.ml"
    prog.write_text(PROGRAM)
    assert run_cli(tmp_path / "c", "run", prog).returncode == 0
    (entry,) = entries(tmp_path / "c")
    data = entry.read_bytes()
    if damage == "truncate":
        entry.write_bytes(data[:len(data) // 2])
    elif damage == "flip":
        mid = len(data) // 2
        entry.write_bytes(data[:mid] + bytes([data[mid] ^ 0x40]) + data[mid + 1:])
    elif damage == "garbage":
        entry.write_bytes(b"\x00" * len(data))
    else:
        entry.write_bytes(b"")
    r = run_cli(tmp_path / "c", "run", prog, "--timings")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "longest chain below 1000 starts at 871 with 178 steps\n"
    assert r.stderr.count("warning:") == 1, r.stderr
    assert f"mojolite: warning: the cache entry {entry} is damaged" in r.stderr
    assert "Traceback" not in r.stderr and "parse" in r.stderr      # compiled again
    again = run_cli(tmp_path / "c", "run", prog, "--timings")      # ... and stored again
    assert "warning" not in again.stderr and "cache load" in again.stderr
    assert again.stdout == r.stdout


def test_an_entry_for_another_key_is_damage(tmp_path, monkeypatch):
    monkeypatch.setenv("MOJOLITE_CACHE", "1")
    monkeypatch.setenv("MOJOLITE_CACHE_DIR", str(tmp_path / "c"))
    other = PROGRAM.replace("1000", "999")
    # No native caller: two entries, the program's signatures and the code of `steps`.
    mojolite.compile(PROGRAM, "a.ml").call("steps", [3])
    mine = sorted(entries(tmp_path / "c"), key=lambda p: p.stat().st_size)
    mojolite.compile(other, "a.ml").call("steps", [3])
    theirs = sorted(set(entries(tmp_path / "c")) - set(mine), key=lambda p: p.stat().st_size)
    assert len(mine) == len(theirs) == 2
    for m, t in zip(mine, theirs):
        m.write_bytes(t.read_bytes())              # whole and checksummed, another key
    with pytest.warns(cache.CacheWarning, match="damaged .it holds another key") as caught:
        m = mojolite.compile(PROGRAM, "a.ml")
        assert type(m).__name__ == "Module" and m.steps(27) == 111
    assert len(caught) == 2                        # the program's entry and the function's
    assert type(mojolite.compile(other, "a.ml")).__name__ == "CachedModule"
    assert type(mojolite.compile(PROGRAM, "a.ml")).__name__ == "CachedModule"


def test_a_cache_dir_that_cannot_be_created_warns_once(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    folder = kernels(tmp_path)
    r = run_script(blocker / "cache", folder)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == f"{expected_total(3)} Module"
    assert r.stderr.count("CacheWarning") == 1, r.stderr
    assert "cannot write to the cache directory" in r.stderr
    assert "Traceback" not in r.stderr


def test_an_unwritable_cache_dir_warns_once_and_still_serves_entries(tmp_path, monkeypatch):
    monkeypatch.setenv("MOJOLITE_CACHE", "1")
    monkeypatch.setenv("MOJOLITE_CACHE_DIR", str(tmp_path / "c"))
    mojolite.compile(PROGRAM, "ro.ml").steps(3)          # entries written normally
    written = entries(tmp_path / "c")
    monkeypatch.setattr(cache, "_unwritable", set())

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(cache.os, "replace", refuse)     # as a read-only directory would
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        hit = mojolite.compile(PROGRAM, "ro.ml")
        assert type(hit).__name__ == "CachedModule" and hit.steps(27) == 111
        for limit in ("10", "20", "30"):
            m = mojolite.compile(PROGRAM.replace("1000", limit), "ro.ml")
            assert m.steps(27) == 111
    messages = [str(w.message) for w in caught if w.category is cache.CacheWarning]
    assert len(messages) == 1, messages
    assert "cannot write to the cache directory" in messages[0]
    assert "Permission denied" in messages[0]
    assert not stray_files(tmp_path / "c")
    assert entries(tmp_path / "c") == written


def test_two_processes_compiling_the_same_kernels_both_succeed(tmp_path):
    folder = kernels(tmp_path)
    env = env_for(tmp_path / "c")
    procs = [subprocess.Popen([sys.executable, "main.py"], cwd=folder, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(2)]
    outs = [p.communicate(timeout=300) for p in procs]
    for p, (out, err) in zip(procs, outs):
        assert p.returncode == 0, err
        assert out.splitlines()[0] == f"{expected_total(3)} Module"
        assert "warning" not in err.lower(), err
    assert not stray_files(tmp_path / "c")
    r = run_script(tmp_path / "c", folder)
    assert r.stdout.splitlines()[0] == f"{expected_total(3)} CachedModule"
    assert "warning" not in r.stderr.lower()


WRITER = """
import sys
from pathlib import Path
from mojolite import cache
path, tag = Path(sys.argv[1]), sys.argv[2].encode()
for i in range(200):
    cache._write_atomic(path, tag * (20000 + i))
"""

READER = """
import sys
from pathlib import Path
path = Path(sys.argv[1])
seen = set()
for i in range(2000):
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        continue
    assert len(set(data)) == 1 and len(data) >= 20000, (len(data), set(data))
    seen.add(data[:1])
print(len(seen))
"""


def test_atomic_writes_never_show_half_an_entry(tmp_path):
    path = tmp_path / "entries" / "k.mlc"
    env = env_for(tmp_path)
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), tag], env=env,
                              stderr=subprocess.PIPE, text=True) for tag in ("a", "b")]
    reader = subprocess.run([sys.executable, "-c", READER, str(path)], env=env,
                            capture_output=True, text=True, timeout=300)
    for p in procs:
        assert p.wait(timeout=300) == 0, p.stderr.read()
    assert reader.returncode == 0, reader.stderr
    assert set(path.read_bytes()) in ({ord("a")}, {ord("b")})
    assert not stray_files(tmp_path)


# ------------------------------------------------------------------ what hits must restore
def test_a_parallel_program_hit_loads_the_thread_pool(tmp_path):
    prog = tmp_path / "par.ml"
    prog.write_text(textwrap.dedent("""\
        from algorithm import parallelize

        fn main():
            var out = Tensor[DType.int64](1000)
            @parameter
            fn body(i: Int):
                out[i] = Int64(i * i % 97)
            parallelize[body](1000)
            var s: Int64 = 0
            for i in range(1000):
                s += out[i]
            print(s)
        """))
    want = sum(i * i % 97 for i in range(1000))
    cold = run_cli(tmp_path / "c", "run", prog)
    assert cold.returncode == 0, cold.stderr
    assert cold.stdout == f"{want}\n"
    warm = run_cli(tmp_path / "c", "run", prog, "--timings")
    assert warm.returncode == 0, warm.stderr
    assert "cache load" in warm.stderr and warm.stdout == f"{want}\n"


def test_native_callers_are_cached_too(tmp_path, monkeypatch):
    monkeypatch.setenv("MOJOLITE_CACHE", "1")
    monkeypatch.setenv("MOJOLITE_CACHE_DIR", str(tmp_path / "c"))
    src = ("fn dot(a: Tensor[DType.float64], b: Tensor[DType.float64]) -> Float64:\n"
           "    var s = 0.0\n    for i in range(a.dim(0)):\n        s += a[i] * b[i]\n"
           "    return s\n")
    x = np.arange(5.0)
    assert mojolite.compile(src, "dot.ml").dot(x, x) == 30.0
    n = len(entries(tmp_path / "c"))
    hit = mojolite.compile(src, "dot.ml")
    assert type(hit).__name__ == "CachedModule"
    assert hit.dot(x, x) == 30.0 and hit.dot(x, x[::-1]) == float(x @ x[::-1])
    assert len(entries(tmp_path / "c")) == n               # nothing new was compiled
    with pytest.raises(TypeError, match="dot"):
        hit.dot(x, np.arange(5, dtype=np.int32))


# ------------------------------------------------------------------ the command line
def test_cache_info_and_clear(tmp_path):
    prog = tmp_path / "p.ml"
    prog.write_text(PROGRAM)
    assert run_cli(tmp_path / "c", "run", prog).returncode == 0
    info = run_cli(tmp_path / "c", "cache", "info")
    assert info.returncode == 0
    assert f"directory:  {tmp_path / 'c'}" in info.stdout
    assert "entries:    1 (" in info.stdout and "cache:      on" in info.stdout
    clear = run_cli(tmp_path / "c", "cache", "clear")
    assert clear.returncode == 0 and clear.stdout.startswith("removed 1 cache entry")
    assert entries(tmp_path / "c") == []
    assert not (tmp_path / "c" / "host.pickle").exists()     # LLVM's answers, asked again
    assert "entries:    0" in run_cli(tmp_path / "c", "cache", "info").stdout
    off = run_cli(tmp_path / "c", "cache", "info", MOJOLITE_CACHE="0")
    assert "cache:      off" in off.stdout
    bad = run_cli(tmp_path / "c", "cache", "purge")
    assert bad.returncode == 2 and "info, clear" in bad.stderr


def test_default_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("MOJOLITE_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.directory() == str(tmp_path / "xdg" / "mojolite")
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.directory() == str(tmp_path / "home" / ".cache" / "mojolite")


# ------------------------------------------------------------------ reading kernels fast
DEFINITIONS = '''\
def keep(f):
    return f


def plain(x):
    return x + 1


@keep
@keep
def decorated(a,
              b: "int" = (1 +
                          2)):
    """A docstring
spanning lines at column 0."""
    return a
    b = 2            # unreachable: Python compiles no code for it


# a comment between functions
def outer():
    def inner(y):
        return [y,
                y]
    return inner
    # a trailing comment


class Holder:
    def method(self):
        if True:
            pass
        # trailing comment in the class
    other = 1
'''


def test_definition_lines_cover_what_inspect_finds(tmp_path, monkeypatch):
    import importlib
    import inspect

    from mojolite.kernel import definition_lines
    (tmp_path / "defs_for_cache.py").write_text(DEFINITIONS)
    monkeypatch.syspath_prepend(str(tmp_path))
    mod = importlib.import_module("defs_for_cache")
    functions = [mod.plain, mod.decorated, mod.outer, mod.outer(), mod.Holder.method]
    for fn in functions:
        want, first = inspect.getsourcelines(fn)
        got, got_first = definition_lines(fn)
        assert got_first == first, fn
        assert got[:len(want)] == want, fn
        for extra in got[len(want):]:       # only blank, comment or deeper-indented lines
            body = extra.strip()
            assert not body or body.startswith("#") or \
                len(extra) - len(extra.lstrip()) > len(want[0]) - len(want[0].lstrip()), extra
    assert "b = 2" in "".join(definition_lines(mod.decorated)[0])
    exec_ns: dict = {}
    exec("def made():\n    return 1\n", exec_ns)
    assert definition_lines(exec_ns["made"]) is None


def test_an_entry_needing_a_symbol_this_process_lacks_is_compiled_again(tmp_path, monkeypatch,
                                                                        capsys):
    # MCJIT aborts the process on a symbol it cannot resolve: the entry lists the
    # symbols its code imports, and one that is missing is a miss, not a crash.
    monkeypatch.setenv("MOJOLITE_CACHE", "1")
    monkeypatch.setenv("MOJOLITE_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("MOJOLITE_EXPLAIN_CACHE", "1")
    prog = 'fn main():\n    print("hi", 2.5)\n'
    mojolite.compile(prog, "imp.ml").call("main", [])
    assert len(entries(tmp_path / "c")) == 2         # the program's signatures, main's code
    slot = cache.program_slot(mojolite.api.Source("imp.ml", prog),
                              mojolite.api.Options(entries=("main",)), function="main")
    entry = cache._read(slot)
    assert "mojolite_print_f64" in entry["meta"]["imports"]
    entry["meta"]["imports"].append("mojolite_no_such_runtime_symbol")
    cache._store_entry(slot, entry["meta"], entry["object"], index=False)
    capsys.readouterr()
    m = mojolite.compile(prog, "imp.ml")
    m.call("main", [])
    out, err = capsys.readouterr()
    assert "mojolite_no_such_runtime_symbol, which this process lacks" in err
    assert out == "hi 2.5\n"
    assert m.unit("main").optimised_ir() is not None       # compiled, not loaded


def test_python_lists_pass_to_list_and_variadic_parameters_after_a_hit(tmp_path):
    (tmp_path / "lists.ml").write_text(
        "fn total(l: List[Float64]) -> Float64:\n    var s = 0.0\n    for x in l:\n"
        "        s += x\n    return s\n\n"
        "fn vsum(*vals: Int) -> Int:\n    var s = 0\n    for v in vals:\n        s += v\n"
        "    return s\n\n"
        "fn grow(mut l: List[Int]):\n    l.append(len(l))\n")
    (tmp_path / "main.py").write_text(
        "import mojolite\nm = mojolite.load('lists.ml')\nl = [5]\nm.grow(l)\n"
        "print(type(m).__name__, m.total([1.0, 2.5]), m.vsum(1, 2, 3), l)\n"
        "try:\n    m.total([1, None])\nexcept TypeError as e:\n    print(e)\n")
    cold, warm = (run_script(tmp_path / "c", tmp_path) for _ in range(2))
    assert cold.returncode == warm.returncode == 0, cold.stderr + warm.stderr
    assert cold.stdout.splitlines() == [
        "Module 3.5 6 [5, 1]", "total(): parameter 'l' expects List[Float64]: element 1, "
        "got NoneType None"]
    assert warm.stdout.splitlines() == ["CachedModule 3.5 6 [5, 1]"] + cold.stdout.splitlines()[1:]

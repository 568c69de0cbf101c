"""Runaway programs and compiler limits.

- Unbounded recursion is a `recursion too deep` fault in the reference mode
  (Python's RecursionError turned into a user fault) and in the JIT, checked or
  `--release` (a stack-pointer guard at function entry, codegen/stackguard.py), run
  in a subprocess so that a crash would show as a failed test rather than kill pytest.
- A 5,000-line generated program compiles; nesting 100 levels deep (blocks and
  expressions) compiles and runs, and 2,000 levels give a clear error, never a
  Python RecursionError.
- No user-facing message (compile errors, runtime faults, CLI usage errors) shows
  a path inside the mojolite package.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import mojolite

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = str(ROOT / "mojolite")


def run_cli(args: list[str], tmp_path: Path, src: str | None = None, timeout: int = 120):
    if src is not None:
        (tmp_path / "p.ml").write_text(textwrap.dedent(src))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "mojolite", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=timeout)


# ------------------------------------------------------------------ runaway recursion
RUNAWAY = {
    "self": """\
        fn r(n: Int) -> Int:
            return r(n + 1) + 1

        fn main():
            print(r(0))
        """,
    "mutual": """\
        fn even(n: Int) -> Bool:
            if n == 0:
                return True
            return odd(n + 1)

        fn odd(n: Int) -> Bool:
            return even(n + 1)

        fn main():
            print(even(1))
        """,
    "after-caught-error": """\
        fn boom() raises:
            raise Error("boom")

        fn r(n: Int) raises -> Int:
            try:
                boom()
            except e:
                pass
            return r(n + 1) + 1

        fn main() raises:
            print(r(0))
        """,
    # a non-recursive function that catches an error (ctx.b, where the guard keeps
    # its limit, carries the error's length): found while writing these tests
    "caught-in-a-helper": """\
        fn boom() raises:
            raise Error("boom")

        fn safe() -> Int:
            try:
                boom()
            except e:
                return 1
            return 0

        fn r(n: Int) -> Int:
            return r(n + safe()) + 1

        fn main():
            print(r(0))
        """,
    "nested-fn": """\
        fn main():
            var k = 1
            fn g(n: Int) -> Int:
                return g(n + k) + 1
            print(g(0))
        """,
    "through-function-value": """\
        fn apply(h: fn(Int) -> Int, n: Int) -> Int:
            return h(n)

        fn r(n: Int) -> Int:
            return apply(r, n + 1) + 1

        fn main():
            print(r(0))
        """,
    # found by fuzzing: at the limit, ctypes turned the RecursionError of a libm call into
    # an ArgumentError (an internal error in the reference mode)
    "through-a-math-call": """\
        import math

        fn main():
            print(math.sqrt(2.0))
            main()
        """,
    "in-parallel-body": """\
        from algorithm import parallelize

        fn r(n: Int) -> Int:
            return r(n + 1) + 1

        fn main():
            var out = Tensor[DType.int64](4)
            @parameter
            fn body(i: Int):
                out[i] = Int64(r(i))
            parallelize[body](4)
            print(out[0])
        """,
}


# (name, mode) -> the finished `mojolite run`: the two tests below read the same runs.
_RUNAWAY_RUNS: dict[tuple[str, str], subprocess.CompletedProcess] = {}


def run_runaway(name: str, mode: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    key = (name, *mode)
    if key not in _RUNAWAY_RUNS:
        _RUNAWAY_RUNS[key] = run_cli(["run", "p.ml", *mode], tmp_path, RUNAWAY[name])
    return _RUNAWAY_RUNS[key]


@pytest.mark.parametrize("mode", [["-O0"], ["-O3"], ["--reference"]])
@pytest.mark.parametrize("name", RUNAWAY)
def test_runaway_recursion_is_a_fault_not_a_crash(name, mode, tmp_path):
    res = run_runaway(name, mode, tmp_path)
    assert res.returncode == 1, (res.returncode, res.stdout, res.stderr)
    assert "recursion too deep" in res.stderr
    assert "p.ml:" in res.stderr and "Traceback" not in res.stderr


@pytest.mark.parametrize("name", [n for n in RUNAWAY if n != "through-function-value"])
def test_runaway_recursion_is_blamed_on_the_same_function_in_every_mode(name, tmp_path):
    # The JIT's guard sits in the functions on a cycle of the call graph; the
    # reference mode blames the innermost such function whose call overflowed.
    # (Through a function value the cycle has two functions, r and apply, and
    # either may be the one entered when the limit is crossed.)
    where = set()
    for mode in (["-O0"], ["-O3"], ["--reference"]):
        res = run_runaway(name, mode, tmp_path)
        (line,) = [ln for ln in res.stderr.splitlines() if ln.lstrip().startswith("--> p.ml:")]
        where.add(line.strip())
    assert len(where) == 1, where


def test_runaway_recursion_in_the_python_api_leaves_the_process_alive(tmp_path):
    script = textwrap.dedent("""\
        import mojolite
        src = "fn r(n: Int) -> Int:\\n    return r(n + 1) + 1\\n"
        for opts in ({"opt": 0}, {"opt": 3}, {"reference": True}):
            m = mojolite.compile(src, "t.ml", **opts)
            for _ in range(2):
                try:
                    m.r(0)
                except mojolite.RuntimeFault as f:
                    assert "recursion too deep" in f.message, f.message
                else:
                    raise SystemExit("no fault")
        print("alive")
        """)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    res = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0 and res.stdout.strip() == "alive", (res.stdout, res.stderr)


def test_runaway_recursion_on_a_small_thread_stack_is_a_fault(tmp_path):
    # The guard's limit is the running thread's own stack (pthread_getattr_np),
    # not a fixed budget that a 256 KiB Python thread does not have.
    script = textwrap.dedent("""\
        import sys, threading
        import mojolite
        src = "fn r(n: Int) -> Int:\\n    print(n)\\n    return r(n + 1) + 1\\n"
        bounded = "fn b(n: Int) -> Int:\\n    if n == 0:\\n        return 0\\n    return b(n - 1) + 1\\n"
        seen = []
        def go(m, k):
            assert k.b(100) == 100
            for _ in range(2):
                try:
                    m.r(0)
                except mojolite.RuntimeFault as f:
                    seen.append(f.message)
        for opt in (0, 3):
            m = mojolite.compile(src, "t.ml", opt=opt)
            k = mojolite.compile(bounded, "b.ml", opt=opt)
            for kib in (128, 256, 1024):
                threading.stack_size(kib * 1024)
                t = threading.Thread(target=go, args=(m, k))
                t.start()
                t.join()
        assert len(seen) == 12 and all("recursion too deep" in s for s in seen), seen
        print("alive", file=sys.stderr)
        """)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    res = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, timeout=300)
    assert res.returncode == 0 and res.stderr.strip() == "alive", (res.returncode, res.stderr)


def test_a_call_from_another_thread_does_not_leave_its_stack_limit_behind():
    # The Python caller reuses its call frames (ctx included) across threads: a
    # limit left by a call on a small thread's stack once let the main thread
    # recurse past its own stack's end.
    script = textwrap.dedent("""\
        import threading
        import mojolite
        src = "fn f(n: Int) -> Int:\\n    if n == 0:\\n        return 0\\n    return f(n - 1) + 1\\n"
        m = mojolite.compile(src, "t.ml")
        def small():
            assert m.f(10) == 10
        threading.stack_size(256 * 1024)
        for _ in range(2):
            t = threading.Thread(target=small)
            t.start()
            t.join()
            try:
                m.f(10 ** 8)
            except mojolite.RuntimeFault as f:
                assert "recursion too deep" in f.message, f.message
            else:
                raise SystemExit("no fault")
        print("alive")
        """)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MOJOLITE_NATIVE_CALLS": "0"}
    res = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0 and res.stdout.strip() == "alive", (res.returncode, res.stderr)

@pytest.mark.parametrize("name", ["self", "in-parallel-body"])
def test_runaway_recursion_under_a_small_ulimit_is_a_fault(name, tmp_path):
    # `ulimit -s 900`: the main thread's stack, and the pool threads' default, is
    # smaller than the 1 MiB the guard once assumed.
    import resource

    def small_stack():
        resource.setrlimit(resource.RLIMIT_STACK, (900 * 1024, resource.RLIM_INFINITY))

    (tmp_path / "p.ml").write_text(textwrap.dedent(RUNAWAY[name]))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    res = subprocess.run([sys.executable, "-m", "mojolite", "run", "p.ml"], cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=120,
                         preexec_fn=small_stack)
    assert res.returncode == 1, (res.returncode, res.stdout, res.stderr)
    assert "recursion too deep" in res.stderr and "p.ml:" in res.stderr


@pytest.mark.parametrize("opts", [{"opt": 0}, {"opt": 3}, {"reference": True},
                                  {"opt": 3, "boundscheck": False}])
def test_deep_but_bounded_recursion_still_runs(opts):
    src = "fn r(n: Int) -> Int:\n    if n == 0:\n        return 0\n    return r(n - 1) + 1\n"
    assert mojolite.compile(src, "t.ml", **opts).r(1000) == 1000


# Not tail calls, and a base case that is missed: also faults in `--release`.
RUNAWAY_NOT_TAIL = {
    "two-calls": """\
        fn r(n: Int) -> Int:
            if n == 0:
                return 1
            return r(n - 1) + r(n - 2)

        fn main():
            print(r(5))
        """,
    "in-parallel-body": """\
        from algorithm import parallelize

        fn r(n: Int) -> Int:
            if n == 0:
                return 1
            return r(n - 1) * r(n - 2) + 1

        fn main():
            var out = Tensor[DType.int64](4)
            @parameter
            fn body(i: Int):
                out[i] = Int64(r(i + 3))
            parallelize[body](4)
            print(out[0])
        """,
}


@pytest.mark.parametrize("mode, src", [([o], s) for o in ("-O0", "-O3")
                                       for s in (*RUNAWAY.values(), *RUNAWAY_NOT_TAIL.values())],
                         ids=[f"{o}-{n}" for o in ("O0", "O3") for n in (*RUNAWAY, *RUNAWAY_NOT_TAIL)])
def test_runaway_recursion_in_release_mode_is_a_fault_too(mode, src, tmp_path):
    res = run_cli(["run", "p.ml", "--release", *mode], tmp_path, src)
    assert res.returncode == 1, (res.returncode, res.stdout, res.stderr)
    assert "recursion too deep" in res.stderr and "p.ml:" in res.stderr


def test_release_mode_keeps_the_stack_guard_and_the_calls():
    from mojolite.api import dump_stage
    src = "fn r(n: Int) -> Int:\n    return r(n + 1) + 1\n"
    checked = dump_stage(mojolite.compile(src, "t.ml", opt=0), "ll", "r")
    release = dump_stage(mojolite.compile(src, "t.ml", opt=0, boundscheck=False), "ll", "r")
    assert "llvm.frameaddress" in checked and "llvm.frameaddress" in release
    assert "disable-tail-calls" in checked and "disable-tail-calls" in release


def test_only_functions_on_a_call_cycle_get_the_guard():
    from mojolite.api import dump_stage
    src = ("fn leaf(x: Int) -> Int:\n    return x + 1\n\n"
           "fn r(n: Int) -> Int:\n    if n <= 0:\n        return leaf(n)\n    return r(n - 1)\n")
    module = mojolite.compile(src, "t.ml", opt=0)
    assert "llvm.frameaddress" not in dump_stage(module, "ll", "leaf")
    assert "llvm.frameaddress" in dump_stage(module, "ll", "r")


# ------------------------------------------------------------------ compiler limits
def _big_program(n_lines: int) -> tuple[str, int]:
    """About `n_lines` lines: k small functions, and a `main` that calls every one."""
    k = (n_lines - 4) // 7
    lines = []
    for i in range(k):
        lines += [f"fn g{i}(x: Int) -> Int:", f"    var y = x * {i % 7 + 1} + {i}",
                  "    if y % 3 == 0:", "        y += 1", "    return y % 1000003", ""]
    lines += ["fn main():", "    var s = 0"] + [f"    s = g{i}(s)" for i in range(k)]
    lines += ["    print(s)"]
    return "\n".join(lines) + "\n", k


def test_python_running_out_of_memory_in_the_reference_mode_is_a_fault(monkeypatch):
    """A List grown without end exhausts Python's memory in the reference mode:
    a located `out of memory` fault (was an "internal compiler error: MemoryError")."""
    from mojolite import reference

    def out_of_memory(*args):
        raise MemoryError
    monkeypatch.setitem(reference._BUILTINS, "list.append", out_of_memory)
    m = mojolite.compile("fn main():\n    var l = List[Int]()\n    while True:\n"
                         "        l.append(1)\n", "grow.ml", reference=True)
    with pytest.raises(mojolite.RuntimeFault) as info:
        m.main()
    assert (info.value.message, info.value.span.location()) == ("out of memory", "grow.ml:4:9")


def test_a_5000_line_program_compiles_and_runs(capsys):
    src, k = _big_program(5000)
    assert src.count("\n") >= 4990
    t0 = time.perf_counter()
    module = mojolite.compile(src, "big.ml", opt=3)
    module.main()
    elapsed = time.perf_counter() - t0
    s = 0
    for i in range(k):
        y = s * (i % 7 + 1) + i
        s = (y + 1 if y % 3 == 0 else y) % 1000003
    assert capsys.readouterr().out == f"{s}\n"
    print(f"5000-line compile+run at -O3: {elapsed:.2f} s")
    assert elapsed < 120


def _nested_ifs(depth: int) -> str:
    lines = ["fn f(x: Int) -> Int:", "    var s = 0"]
    for d in range(depth):
        lines.append("    " * (d + 1) + f"if x > {d}:")
        lines.append("    " * (d + 2) + "s += 1")
    lines.append("    return s")
    return "\n".join(lines) + "\n"


def _nested_expr(depth: int) -> str:
    return "fn f(x: Int) -> Int:\n    return " + "(x + " * depth + "1" + ")" * depth + "\n"


@pytest.mark.parametrize("make", [_nested_ifs, _nested_expr], ids=["blocks", "expressions"])
@pytest.mark.parametrize("opts", [{"opt": 0}, {"opt": 3}, {"reference": True}])
def test_100_levels_of_nesting_work(make, opts):
    module = mojolite.compile(make(100), "t.ml", **opts)
    assert module.f(200) == (100 if make is _nested_ifs else 100 * 200 + 1)
    assert module.f(37) == (37 if make is _nested_ifs else 100 * 37 + 1)


@pytest.mark.parametrize("make", [_nested_ifs, _nested_expr], ids=["blocks", "expressions"])
def test_very_deep_nesting_is_a_clear_error_or_works(make):
    """2,000 levels: either it compiles and is right, or a CompileError (never a
    Python RecursionError or an internal error)."""
    try:
        module = mojolite.compile(make(2000), "t.ml", opt=0)
    except mojolite.CompileError as e:
        assert "Traceback" not in str(e) and "t.ml" in str(e)
        return
    assert module.f(5000) == (2000 if make is _nested_ifs else 2000 * 5000 + 1)


@pytest.mark.parametrize("opts", [{"opt": 0}, {"reference": True}])
def test_nesting_beyond_the_compiler_is_a_user_error_at_the_deepest_point(opts):
    """10,000 nested parentheses: a CompileError with a span (at the innermost
    bracket), not a RecursionError nor an 'internal compiler error'."""
    with pytest.raises(mojolite.CompileError) as info:
        mojolite.compile(_nested_expr(10_000), "t.ml", **opts)
    text = str(info.value)
    assert "nests too deeply" in text and "internal" not in text
    err = info.value.errors[0]
    assert (err.span.line, err.span.column) == (2, 12 + 5 * 9_999)


def test_cli_reports_too_deep_nesting_with_status_1(tmp_path):
    deep = "(x + " * 7000 + "1" + ")" * 7000
    res = run_cli(["run", "p.ml"], tmp_path, f"fn main():\n    var x = 1\n    print({deep})\n")
    assert res.returncode == 1 and "nests too deeply" in res.stderr and "p.ml:3:" in res.stderr
    assert "Traceback" not in res.stderr


def _nested_lists(depth: int) -> str:
    return "fn main():\n    var x = " + "[" * depth + "1" + "]" * depth + "\n    print(len(x))\n"


def test_deep_nesting_on_a_small_thread_stack_compiles_or_is_an_error(tmp_path):
    # The compiler's recursion limits assume a main thread's 8 MiB of C stack: a
    # thread with 256 KiB once crashed the process (SIGSEGV in a nested List
    # type's __hash__) on lists nested 1,000 deep, and 2 MiB on the deepest
    # programs the checker accepts. Run in a subprocess: a crash fails the test.
    script = textwrap.dedent("""\
        import threading
        import mojolite
        from test_limits import _nested_ifs, _nested_lists
        seen = []
        def go():
            for make, depth, f in [(_nested_lists, 256, "main"), (_nested_lists, 3_990, "main"),
                                   (_nested_ifs, 2_990, "f"), (_nested_lists, 5_000, "main")]:
                for opts in ({"opt": 0}, {"reference": True}):
                    try:
                        m = mojolite.compile(make(depth), "t.ml", **opts)
                        getattr(m, f)(*([] if f == "main" else [10_000]))
                        seen.append("ran")
                    except mojolite.CompileError as e:
                        seen.append("too deep" if "nests too deeply" in str(e) else
                                    "257 Lists" if "Lists nested 257 deep" in str(e) else str(e))
        # (Lists nest at most 256 deep: the compiled code freeing one 3,990 deep took
        # more than 256 KiB of stack)
        for kib in (256, 2048):
            threading.stack_size(kib * 1024)
            t = threading.Thread(target=go)
            t.start()
            t.join()
        assert seen == 2 * (2 * ["ran"] + 2 * ["257 Lists"] + 2 * ["ran"] + 2 * ["too deep"]), seen
        print("alive")
        """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    res = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, timeout=600)
    assert res.returncode == 0 and res.stdout.endswith("alive\n"), (res.returncode, res.stderr)


@pytest.mark.parametrize("mode", [[], ["--reference"]], ids=["jit", "reference"])
def test_deep_nesting_under_a_small_ulimit_compiles(mode, tmp_path):
    # Lists 3,990 deep ran here until Lists were limited to 256 levels: the checker
    # still recurses through all of them, on a stack of its own, to the error.
    import resource

    def small_stack():
        resource.setrlimit(resource.RLIMIT_STACK, (1024 * 1024, resource.RLIM_INFINITY))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for depth in (256, 3_990):
        (tmp_path / "p.ml").write_text(_nested_lists(depth))
        res = subprocess.run([sys.executable, "-m", "mojolite", "run", "p.ml", *mode],
                             cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
                             preexec_fn=small_stack)
        if depth == 256:
            assert (res.returncode, res.stdout) == (0, "1\n"), (res.returncode, res.stderr)
        else:
            assert res.returncode == 1 and "Traceback" not in res.stderr, res.stderr
            assert "Lists nested 257 deep" in res.stderr and "p.ml:2:3746" in res.stderr


LISTS_ON_A_SMALL_THREAD = r"""
import threading
import mojolite
deep = "[" * 3_990 + "1" + "]" * 3_990
try:
    mojolite.compile("fn main():\n    var x = " + deep + "\n    print(len(x))\n", "t.ml",
                     opt=0)
except mojolite.CompileError as e:
    print(e.errors[0].message, e.errors[0].span.line, e.errors[0].span.column)
deepest = "[" * 256 + "1" + "]" * 256
m = mojolite.compile("fn main():\n    var x = " + deepest + "\n    var y = x\n"
                     "    y.append(x[0])\n    print(len(x), len(y))\n", "t.ml", opt=0)
threading.stack_size(256 * 1024)
t = threading.Thread(target=m.main)
t.start()
t.join()
"""


def test_lists_nest_at_most_256_deep_so_freeing_one_fits_a_small_thread(tmp_path):
    # A List 3,990 deep crashed the process (SIGSEGV) when JIT code on a thread of
    # 256 KiB freed it: one element-loop helper per level, each calling the next.
    # Run in a subprocess: a crash fails the test.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    res = subprocess.run([sys.executable, "-c", LISTS_ON_A_SMALL_THREAD], env=env,
                         capture_output=True, text=True, timeout=300)
    assert (res.returncode, res.stdout) == (
        0, "Lists nested 257 deep: a List type nests at most 256 deep 2 3746\n1 2\n"), res.stderr
    for src, at in [("fn f(x: " + "List[" * 257 + "Int" + "]" * 257 + "):\n    pass\n", (1, 9)),
                    ("fn f(*x: " + "List[" * 256 + "Int" + "]" * 256 + "):\n    pass\n", (1, 10)),
                    ("fn f() -> Int:\n    var l = [(1, " + "[" * 256 + "2" + "]" * 256 + ")]\n"
                     "    return len(l)\n", (2, 13))]:
        with pytest.raises(mojolite.CompileError) as info:
            mojolite.compile(src, "t.ml")
        err = info.value.errors[0]
        assert err.message == "Lists nested 257 deep: a List type nests at most 256 deep"
        assert (err.span.line, err.span.column) == at


def test_a_struct_holding_its_next_instance_is_an_error_not_a_hang(tmp_path):
    # found by fuzzing: each field walked the whole chain of 1,000 nested instances
    t0 = time.perf_counter()
    res = run_cli(["check", "p.ml"], tmp_path, "struct S[n: Int]:\n    var x: S[n + 1]\n\n"
                                              "fn main():\n    var s: S[0]\n", timeout=60)
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "'S' is instantiated more than 1,000 times" in res.stderr and "p.ml:2:12" in res.stderr
    assert time.perf_counter() - t0 < 30


def test_lists_nested_200_deep_compile_at_o3_in_seconds(tmp_path):
    # found by fuzzing: LLVM inlined the element loops of every level into one
    # function, and -O3 took minutes (40 s at 100 levels)
    deep = "[" * 200 + "1" + "]" * 200
    res = run_cli(["run", "p.ml"], tmp_path, f"fn main():\n    var l = {deep}\n    var m = l\n"
                                              "    m.append(l[0])\n    print(len(m), len(l))\n",
                  timeout=100)
    assert (res.returncode, res.stdout, res.stderr) == (0, "2 1\n", "")


def _finally_in_finally(depth: int) -> str:
    """`depth` try statements, each in the `finally:` block of the one before."""
    lines = ["def f(x: Int) -> Int:"]
    for i in range(depth):
        pad = "    " * (i + 1)
        lines += [f"{pad}try:", f"{pad}    if x == {i}:", f"{pad}        raise Error('e{i}')",
                  f"{pad}finally:", f"{pad}    print('fin{i}', end=' ')"]
    return "\n".join(lines) + "\n    return x\n\ndef main():\n    print(f(99))\n" \
        "    try:\n        _ = f(2)\n    except e:\n        print(e)\n"


def test_finally_blocks_nested_in_finally_blocks_grow_linearly(tmp_path):
    # found by fuzzing: a raising try's `finally:` was written twice (after the
    # rest and in the error's handler), so n nested ones were 2**n copies
    sizes = {}
    for depth in (6, 12):
        res = run_cli(["ir", "p.ml", "--stage", "ll", "--fn", "f"], tmp_path,
                      _finally_in_finally(depth))
        assert res.returncode == 0, res.stderr
        sizes[depth] = len(res.stdout.splitlines())
    assert sizes[12] < 3 * sizes[6], sizes
    res = run_cli(["run", "p.ml"], tmp_path, _finally_in_finally(12))
    fins = " ".join(f"fin{i}" for i in range(12))
    assert (res.returncode, res.stdout) == (0, f"{fins} 99\n{fins} e2\n"), res.stderr


# ------------------------------------------------------------------ no package paths
BAD_PROGRAMS = {
    "syntax": "fn main(:\n    pass\n",
    "type": "fn main():\n    var x: Int = 1.5\n",
    "undefined": "fn main():\n    print(y)\n",
    "indent": "fn main():\n  print(1)\n     print(2)\n",
    "bounds": "fn main():\n    var t = Tensor[DType.int64](3)\n    print(t[5])\n",
    "div": "fn main():\n    var z = 0\n    print(7 // z)\n",
    "alloc": "fn main():\n    var n = -1\n    var t = Tensor[DType.int64](n)\n    print(t[0])\n",
    "simd-load": "fn main():\n    var t = Tensor[DType.float32](3)\n"
                 "    print(t.load[width=4](1))\n",
    "raise": "fn main() raises:\n    raise Error(\"nope\")\n",
    "recursion": "fn r(n: Int) -> Int:\n    return r(n + 1) + 1\n\nfn main():\n    print(r(0))\n",
}
BAD_USAGE = [[], ["run"], ["run", "missing.ml"], ["frobnicate"], ["ir", "p.ml", "--stage", "x"],
             ["run", "p.ml", "--n"], ["run", "p.ml", "-O9"], ["check"], ["cache", "nope"]]


def _no_package_path(text: str):
    assert PACKAGE not in text and "mojolite/" not in text.replace("\\", "/"), text
    assert "Traceback" not in text, text


@pytest.mark.parametrize("mode", [[], ["--reference"], ["--release"]])
@pytest.mark.parametrize("name", BAD_PROGRAMS)
def test_no_error_message_names_a_path_inside_the_package(name, mode, tmp_path):
    res = run_cli(["run", "p.ml", *mode], tmp_path, BAD_PROGRAMS[name])
    if mode == ["--release"] and name in ("bounds", "simd-load"):
        return          # unchecked: undefined behaviour by design, not a message
    assert res.returncode != 0, (name, res.stdout, res.stderr)
    assert res.stderr.strip(), name
    _no_package_path(res.stdout + res.stderr)


@pytest.mark.parametrize("args", BAD_USAGE, ids=lambda a: " ".join(a) or "no-args")
def test_bad_cli_usage_is_a_message_without_package_paths(args, tmp_path):
    (tmp_path / "p.ml").write_text("fn main():\n    print(1)\n")
    res = run_cli(args, tmp_path)
    assert res.returncode != 0, (args, res.stdout, res.stderr)
    _no_package_path(res.stdout + res.stderr)


def test_api_error_messages_name_no_package_path():
    for name, src in BAD_PROGRAMS.items():
        for opts in ({"opt": 0}, {"reference": True}):
            try:
                mojolite.compile(src, "t.ml", **opts).main()
            except (mojolite.CompileError, mojolite.RuntimeFault, mojolite.RaisedError) as e:
                _no_package_path(str(e))


def test_kernel_messages_name_no_package_path(tmp_path):
    """@mojolite.fn: a kernel whose source cannot be found (made by exec), a kernel
    that does not type check, a bad argument and a runtime fault."""
    script = textwrap.dedent('''\
        import mojolite, numpy as np
        msgs = []
        ns = {"mojolite": mojolite}
        exec("@mojolite.fn\\ndef f(x: mojolite.Int) -> mojolite.Int:\\n    return x\\n", ns)
        @mojolite.fn
        def bad(x: mojolite.Int) -> mojolite.Int:
            return x + 1.5
        @mojolite.fn
        def div(x: mojolite.Int, y: mojolite.Int) -> mojolite.Int:
            return x // y
        for call in (lambda: ns["f"](1), lambda: bad(1), lambda: div("a", 1),
                     lambda: div(1, 0)):
            try:
                call()
            except Exception as e:
                msgs.append(type(e).__name__ + ": " + str(e))
            else:
                msgs.append("no error")
        print("\\n====\\n".join(msgs))
        ''')
    (tmp_path / "k.py").write_text(script)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    res = subprocess.run([sys.executable, "k.py"], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    msgs = res.stdout.split("\n====\n")
    assert len(msgs) == 4 and "no error" not in res.stdout, res.stdout
    assert "cannot read the source of kernel 'f'" in msgs[0]
    assert "k.py:7:" in msgs[1] and msgs[2].startswith("TypeError") and "k.py:10:" in msgs[3]
    _no_package_path(res.stdout + res.stderr)


# ------------------------------------------------------------------ found on the way
@pytest.mark.parametrize("stmt", ["return x + 1.5", 'raise x'])
def test_a_return_or_raise_with_an_error_does_not_also_report_a_missing_return(stmt):
    """Found while checking kernel messages: a wrong `return` (or `raise`) reported a
    second, cascading 'can reach its end without returning'."""
    src = f"fn g(x: Int) raises -> Int:\n    {stmt}\n"
    with pytest.raises(mojolite.CompileError) as info:
        mojolite.compile(src, "t.ml")
    assert len(info.value.errors) == 1, str(info.value)
    assert "can reach its end" not in str(info.value)


def test_a_missing_return_on_another_path_is_still_reported():
    src = "fn g(x: Int) -> Int:\n    if x > 0:\n        return x + 1.5\n"
    with pytest.raises(mojolite.CompileError) as info:
        mojolite.compile(src, "t.ml")
    assert len(info.value.errors) == 2 and "can reach its end" in str(info.value)


def _flat_chain(terms: int, kind: str) -> str:
    init, expr = {"and": ("True", " and ".join(["x"] * terms)),
                  "plus": ("1", " + ".join(["x"] * terms)),
                  "upper": ('"a"', "x" + ".upper()" * terms)}[kind]
    return f"fn main():\n    var x = {init}\n    print({expr})\n"


@pytest.mark.parametrize("kind, terms, out", [("and", 5_900, "True"), ("plus", 5_900, "5900"),
                                               ("upper", 3_000, "A")])
@pytest.mark.parametrize("opts", [{"opt": 0}, {"reference": True}])
def test_long_flat_chains_run_in_both_modes(kind, terms, out, opts, capfd):
    """A flat chain of thousands of terms nests as deep as it is long: the JIT
    runs what the reference mode runs (the lowering once refused and-chains of
    3,500 terms and .upper() chains of 2,400 that the checker let through)."""
    mojolite.compile(_flat_chain(terms, kind), "t.ml", **opts).main()
    assert capfd.readouterr().out == out + "\n"


@pytest.mark.parametrize("kind, terms, column", [("and", 6_100, 11), ("upper", 4_100, 18)])
@pytest.mark.parametrize("opts", [{"opt": 0}, {"reference": True}])
def test_a_flat_chain_past_the_limit_is_an_error_at_the_chain(kind, terms, column, opts):
    with pytest.raises(mojolite.CompileError) as info:
        mojolite.compile(_flat_chain(terms, kind), "t.ml", **opts)
    err = info.value.errors[0]
    assert "nests too deeply" in err.message
    # in the chain (its start; the first `.upper(`), not at main's `(`
    assert (err.span.line, err.span.column) == (3, column)


def _nested_calls(depth: int) -> str:
    return "fn g(a: Int) -> Int:\n    return a\n\nfn f(x: Int) -> Int:\n    return " + \
        "g(" * depth + "x" + ")" * depth + "\n"


@pytest.mark.parametrize("src, says", [
    (_flat_chain(6_100, "plus"), "this chain is too long (it handles about 6,000 operands "
                                 "joined by operators, or 4,000 chained method calls)"),
    (_flat_chain(4_100, "upper"), "this chain is too long"),
    (_nested_calls(3_100), "these brackets nest too deeply (it handles about 3,000 nested "
                           "calls, 4,000 nested list literals, 6,000 nested operators)"),
    (_nested_expr(6_100), "these brackets nest too deeply"),
    (_nested_ifs(3_100), "these blocks nest too deeply (it handles about 3,000 levels of "
                         "blocks)"),
], ids=["operators", "methods", "calls", "operators-in-brackets", "blocks"])
def test_too_deep_says_what_nests_and_how_deep_it_may(src, says):
    # (it once said "about 2,000 levels" for all, where a chain of operators may
    # have 6,000 terms)
    with pytest.raises(mojolite.CompileError) as info:
        mojolite.compile(src, "t.ml", reference=True)
    assert info.value.errors[0].message.startswith(
        f"the program nests too deeply for the compiler: {says}")

"""`parallelize[body](n)` end to end: checker errors, the reference mode (the
serial loop, the oracle) against the JIT on the thread pool, faults and raised
errors with their source location, nesting, many regions, Python threads,
thread counts, the Python surface and the IR.

Every JIT result is compared with an independent oracle: NumPy for the values
each item writes, and the reference mode for the same program where it is fast
enough. The bodies add to their element (`out[i] = out[i] + f(i) + 1`), so an
item that ran twice or not at all shows up as a wrong value.
"""
from __future__ import annotations

import importlib.util
import itertools
import os
import re
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

import mojolite
from mojolite import CompileError, RuntimeFault
from mojolite.api import dump_stage

ROOT = Path(__file__).resolve().parent.parent
CORES = os.cpu_count() or 1
MORE_THAN_CORES = 2 * CORES + 1

SRC = """\
from algorithm import parallelize

fn fill(out: Tensor[DType.int64], n: Int, workers: Int):
    @parameter
    fn body(i: Int):
        out[i] = out[i] + Int64(i * i % 1000003) + 1
    parallelize[body](n, workers)

fn fill_default(out: Tensor[DType.int64], n: Int):
    @parameter
    fn body(i: Int):
        out[i] = out[i] + Int64(i * i % 1000003) + 1
    parallelize[body](n)

fn fail_at(out: Tensor[DType.int64], n: Int, bad: Int, how: Int) raises:
    @parameter
    fn body(i: Int) raises:
        if i == bad:
            if how == 0:
                raise Error("item failed")
            out[i + n] = 1
        out[i] = out[i] + 1
    parallelize[body](n)

fn nested(out: Tensor[DType.int64], rows: Int, cols: Int):
    @parameter
    fn row(i: Int):
        @parameter
        fn col(j: Int):
            out[i, j] = out[i, j] + Int64(i * 1000 + j) + 1
        parallelize[col](cols)
    parallelize[row](rows)

fn many(out: Tensor[DType.int64], reps: Int, n: Int):
    @parameter
    fn body(i: Int):
        out[i] = out[i] + 1
    for r in range(reps):
        parallelize[body](n)

fn empty_regions(reps: Int):
    @parameter
    fn body(i: Int):
        pass
    for r in range(reps):
        parallelize[body](2)

fn last_writer(n: Int) -> Int:
    var seen = -1
    @parameter
    fn body(i: Int):
        if i == n - 1:
            seen = i
    parallelize[body](n)
    return seen

fn work(i: Int) raises:
    if i == 500:
        raise Error("top-level body")

fn top_level(n: Int) raises:
    parallelize[work](num_work_items=n, num_workers=2)
"""


def expected(n: int) -> np.ndarray:
    i = np.arange(n, dtype=np.int64)
    return i * i % 1000003 + 1


def line_col(needle: str, text: str = SRC) -> tuple[int, int]:
    for k, line in enumerate(text.splitlines()):
        if needle in line:
            return k + 1, line.index(needle) + 1
    raise AssertionError(needle)


@pytest.fixture(scope="module")
def jit():
    return mojolite.compile(SRC, "par.ml")


@pytest.fixture(scope="module")
def ref():
    return mojolite.compile(SRC, "par.ml", reference=True)


@pytest.fixture(params=[1, 2, MORE_THAN_CORES], ids=lambda t: f"{t}threads")
def threads(request):
    before = mojolite.get_num_threads()
    mojolite.set_num_threads(request.param)
    yield request.param
    mojolite.set_num_threads(before)


# ------------------------------------------------------------------ checker
ERRORS = [
    # (body of main, message, needle whose position the caret is at)
    ("    fn body(i: Int):\n        pass\n    parallelize[body](10)\n",
     "'body' is passed to parallelize, so it must be marked `@parameter`", "body(i"),
    ("    @parameter\n    fn body(i: Float64):\n        pass\n    parallelize[body](10)\n",
     "a parallel body takes one Int and returns nothing, but 'body' is `fn(i: Float64)`",
     "body]"),
    ("    @parameter\n    fn body(i: Int) -> Int:\n        return i\n    parallelize[body](10)\n",
     "but 'body' is `fn(i: Int) -> Int`", "body]"),
    ("    @parameter\n    fn body(i: Int, j: Int):\n        pass\n    parallelize[body](10)\n",
     "but 'body' is `fn(i: Int, j: Int)`", "body]"),
    ("    var x = 3\n    parallelize[x](10)\n",
     "the body of parallelize must be a function, and 'x' is a variable", "x]"),
    ("    @parameter\n    fn body(i: Int):\n        pass\n    parallelize[body](1.5)\n",
     "expected Int, found a float literal", "1.5"),
    ("    var w = 2.0\n    @parameter\n    fn body(i: Int):\n        pass\n"
     "    parallelize[body](10, w)\n",
     "expected Int for parallelize's 'num_workers', found Float64", "w)"),
    ("    @parameter\n    fn body(i: Int):\n        pass\n    parallelize(10)\n",
     "parallelize needs the body function in square brackets", "parallelize(10)"),
    ("    @parameter\n    fn body(i: Int):\n        pass\n    parallelize[body](10, 2, 3)\n",
     "but 3 arguments were given", "3)"),
    ("    @parameter\n    fn body(i: Int):\n        pass\n    parallelize[body](workers=2)\n",
     "parallelize has no argument named 'workers'", "workers=2"),
    ("    @parameter\n    fn body(i: Int):\n        pass\n    parallelize[body]()\n",
     "parallelize needs the number of items", "parallelize[body]()"),
    ("    @parameter\n    fn body(i: Int):\n        pass\n    var y = parallelize[body](10)\n",
     "returns nothing; it has no value to use", "parallelize[body](10)"),
    ("    @parameter\n    fn body[w: Int](i: Int):\n        pass\n    parallelize[body](10)\n",
     "'body' has compile-time parameters; a parallel body cannot", "body]"),
    ("    @parameter\n    fn body(i: Int) raises:\n        pass\n    parallelize[body](10)\n",
     "can raise, but 'main' is not marked `raises`", "parallelize[body](10)"),
    ("    parallelize[nope](10)\n", "unknown name 'nope'", "nope"),
    ("    @parameter\n    fn body(i: Int):\n        pass\n    parallelize[f=body](10)\n",
     "parallelize has no compile-time parameter named 'f'", "f=body"),
    ("    @parameter\n    fn body(i: Int):\n        pass\n    parallelize[body, func=body](10)\n",
     "parallelize takes one compile-time parameter, the body function, got 2", "parallelize["),
]


@pytest.mark.parametrize("body, message, needle", ERRORS,
                         ids=[f"error{k}" for k in range(len(ERRORS))])
def test_checker_errors_point_at_the_offending_span(body, message, needle):
    text = "from algorithm import parallelize\n\nfn main():\n" + body
    with pytest.raises(CompileError) as info:
        mojolite.compile(text, "bad.ml")
    err = info.value.errors[0]
    assert message in err.message
    line, col = line_col(needle, text)
    assert (err.span.line, err.span.column) == (line, col)
    assert f"bad.ml:{line}:{col}" in str(info.value)


def test_parallelize_must_be_imported():
    text = "fn main():\n    @parameter\n    fn body(i: Int):\n        pass\n" \
           "    parallelize[body](10)\n"
    with pytest.raises(CompileError) as info:
        mojolite.compile(text, "bad.ml")
    err = info.value.errors[0]
    assert err.message == "'parallelize' is not imported"
    assert "from algorithm import parallelize" in err.hint
    assert (err.span.line, err.span.column) == (5, 5)


def test_module_spelling_and_keywords():
    text = textwrap.dedent("""\
        import algorithm

        fn count(n: Int) -> Int:
            var last = 0
            @parameter
            fn body(i: Int):
                if i == 0:
                    last = n
            algorithm.parallelize[body](num_work_items=n, num_workers=2)
            return last
        """)
    for reference in (True, False):
        assert mojolite.compile(text, reference=reference).count(7) == 7


def test_body_named_by_its_mojo_keyword():
    text = ("from algorithm import parallelize\nfn count(n: Int) -> Int:\n    var last = 0\n"
            "    @parameter\n    fn body(i: Int):\n        if i == n - 1:\n            last = i\n"
            "    parallelize[func=body](n)\n    return last\n")
    for reference in (True, False):
        assert mojolite.compile(text, reference=reference).count(7) == 6


# ------------------------------------------------------------------ results
@pytest.mark.parametrize("n", [0, 1, 3, 1009, 10**6], ids=lambda n: f"n={n}")
def test_results_equal_the_serial_loop(jit, threads, n):
    out = np.zeros(max(n, 1), dtype=np.int64)
    jit.fill(out, n, 0)
    np.testing.assert_array_equal(out[:n], expected(n))
    assert n > 0 or out[0] == 0
    out2 = np.zeros(max(n, 1), dtype=np.int64)
    jit.fill_default(out2, n)
    np.testing.assert_array_equal(out2, out)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 97])
@pytest.mark.parametrize("workers", [-1, 0, 1, 2, 5])
def test_reference_equals_jit(jit, ref, n, workers):
    a, b = np.zeros(100, dtype=np.int64), np.zeros(100, dtype=np.int64)
    jit.fill(a, n, workers)
    ref.fill(b, n, workers)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a[:n], expected(n))
    assert not a[n:].any()


def test_negative_count_runs_nothing(jit, ref):
    for m in (jit, ref):
        out = np.zeros(4, dtype=np.int64)
        m.fill(out, -5, 0)
        assert not out.any()


def test_captured_scalars_are_shared_by_reference(jit, ref, threads):
    for n, want in ((0, -1), (1, 0), (5, 4), (1000, 999)):
        assert jit.last_writer(n) == ref.last_writer(n) == want


def test_nested_regions(jit, ref, threads):
    rows, cols = 37, 53
    want = (np.arange(rows)[:, None] * 1000 + np.arange(cols)[None, :] + 1).astype(np.int64)
    for m in (jit, ref):
        out = np.zeros((rows, cols), dtype=np.int64)
        m.nested(out, rows, cols)
        np.testing.assert_array_equal(out, want)


def _rss_kb() -> int:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def test_100000_regions_in_one_call_without_deadlock_or_leak(jit, threads):
    out = np.zeros(3, dtype=np.int64)
    jit.many(out, 100_000, 3)             # warm: the pool's threads exist now
    np.testing.assert_array_equal(out, [100_000] * 3)
    tasks, rss = len(os.listdir("/proc/self/task")), _rss_kb()
    jit.many(out, 100_000, 3)
    jit.empty_regions(100_000)
    np.testing.assert_array_equal(out, [200_000] * 3)
    assert len(os.listdir("/proc/self/task")) == tasks
    assert _rss_kb() - rss < 4096        # kB: regions allocate nothing


def test_two_python_threads_at_once(jit, threads):
    n, rounds = 20_000, 30
    want = expected(n)
    failures = []

    def worker():
        try:
            for _ in range(rounds):
                out = np.zeros(n, dtype=np.int64)
                jit.fill(out, n, 0)
                if not np.array_equal(out, want):
                    failures.append("wrong values")
        except Exception as exc:        # reported below, in the test's thread
            failures.append(repr(exc))

    ts = [threading.Thread(target=worker) for _ in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in ts), "deadlock"
    assert failures == []


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize("how, message, needle", [
    (0, "item failed", 'raise Error("item failed")'),
    (1, "index 1002 is out of bounds for axis 0 with size 1000", "out[i + n] = 1"),
], ids=["raise", "out-of-bounds"])
def test_error_in_the_third_of_1000_items(jit, ref, threads, how, message, needle):
    line, col = line_col(needle)
    for m in (jit, ref):
        out = np.zeros(1000, dtype=np.int64)
        with pytest.raises(RuntimeFault) as info:
            m.fail_at(out, 1000, 2, how)
        assert info.value.message == message
        assert (info.value.span.line, info.value.span.column) == (line, col)
        assert f"par.ml:{line}:{col}" in str(info.value)
        assert out[2] == 0 and out.max() <= 1       # no item ran twice
    out = np.zeros(1000, dtype=np.int64)            # the pool works afterwards
    jit.fail_at(out, 1000, -1, how)
    np.testing.assert_array_equal(out, np.ones(1000, dtype=np.int64))
    out = np.zeros(10**5, dtype=np.int64)
    jit.fill(out, 10**5, 0)
    np.testing.assert_array_equal(out, expected(10**5))


def test_try_around_a_region_in_the_same_function_catches_its_error(jit, ref):
    src = """\
from algorithm import parallelize

fn run(n: Int, bad: Int) raises -> Int:
    @parameter
    fn body(i: Int) raises:
        if i == bad:
            raise Error("item failed")
    try:
        parallelize[body](n, 2)
    except:
        return -1
    return n
"""
    for mode in (dict(), dict(opt=0), dict(reference=True)):
        m = mojolite.compile(src, "try.ml", **mode)
        assert (m.run(100, 3), m.run(100, 200)) == (-1, 100), mode


def test_top_level_function_as_body(jit, ref):
    for m in (jit, ref):
        m.top_level(500)                             # items 0..499: no error
        with pytest.raises(RuntimeFault) as info:
            m.top_level(1000)
        assert info.value.message == "top-level body"
        assert info.value.span.line == line_col('raise Error("top-level body")')[0]


# ------------------------------------------------------------------ captures copied in
WRITES = """\
from algorithm import parallelize

struct P:
    var x: Int
    var y: Int

    fn __init__(out self, x: Int, y: Int):
        self.x = x
        self.y = y

fn bump(mut v: Int):
    v += 20

fn writes(k: Int) -> Int:
    var a = 1
    var b = 2
    var v = SIMD[DType.int64, 4](0)
    var p = P(3, 4)
    var c = 5
    var seen = 100              # read only: copied in, and still seen as it is now
    var out = Tensor[DType.int64](1)

    @parameter
    fn inner(j: Int):
        c = c * 2 + j

    @parameter
    fn body(i: Int):
        if k == 0:
            a = seen + i
        elif k == 1:
            bump(b)
        elif k == 2:
            v[1] = Int64(seen)
        elif k == 3:
            p.y = seen
        else:
            inner(seen)
        out[0] = Int64(seen)    # an element store: no write to `out` itself

    seen += 1
    parallelize[body](1, 1)
    return a + b * 10 + Int(v.reduce_add()) * 100 + p.y * 1000 + c * 100000 + Int(out[0])
"""


def test_a_region_sees_every_write_to_a_capture_and_copies_only_the_rest():
    """Each way a body can change a captured variable (assignment, `mut` argument,
    SIMD lane, struct field, a closure it calls) reaches the enclosing function;
    the captures it only reads are copied in (`parallel.in.*`, `*.copy`)."""
    jit, ref = mojolite.compile(WRITES, "w.ml"), mojolite.compile(WRITES, "w.ml", reference=True)
    def total(a=1, b=2, v=0, py=4, c=5):       # the enclosing function's result
        return a + b * 10 + v * 100 + py * 1000 + c * 100000 + 101
    want = [total(a=101), total(b=22), total(v=101), total(py=101), total(c=5 * 2 + 101)]
    for k, expected in enumerate(want):
        assert jit.writes(k) == ref.writes(k) == expected, k
    ll = dump_stage(jit, "ll")
    copied = set(re.findall(r'%"parallel\.in\.(\w+)" = alloca', ll))
    assert copied == {"seen", "out", "k"}
    chunk = ll[ll.index('define internal i1 @"ml.writes.body.parallel_body"'):]
    chunk = chunk[:chunk.index("\n}")]
    assert set(re.findall(r'%"(\w+)\.copy" = alloca', chunk)) == copied


# ------------------------------------------------------------------ IR
def test_ir_shows_the_outlined_body_and_the_runtime_call(jit):
    ll = dump_stage(jit, "ll")
    assert 'define internal i1 @"ml.fill.body.parallel_body"(ptr %"env", i64 %"start", ' \
           'i64 %"end", ptr %"ctx")' in ll
    assert re.search(r'call i1 @"mojolite_parallel_for"\(ptr @"ml.fill.body.parallel_body", '
                     r'ptr %"parallel.env", i64 %"n[.0-9]*", i64 %"workers[.0-9]*", ptr %"ctx"\)',
                     ll)
    assert re.search(r'call i1 @"mojolite_parallel_for"\(ptr @"ml.work.parallel_body", ptr null, '
                     r'i64 %"n[.0-9]*", i64 2, ptr %"ctx"\)', ll)     # no captures: no env
    assert 'declare i1 @"mojolite_parallel_for"(ptr' in ll
    # the closure is inlined into its chunk function once optimised
    opt = dump_stage(jit, "opt")
    body = opt[opt.index("@ml.fill.body.parallel_body("):]
    body = body[:body.index("\n}")]
    calls = set(re.findall(r'call \S+ @"?([\w.]+)', body))
    assert calls <= {"mojolite.fault"}      # only the cold bounds-check fault, if any


def test_cli_ir_shows_the_region(tmp_path):
    path = tmp_path / "p.ml"
    path.write_text("from algorithm import parallelize\n\nfn main():\n    var s = 0\n"
                    "    @parameter\n    fn body(i: Int):\n        s = i\n"
                    "    parallelize[body](4, 1)\n    print(s)\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-m", "mojolite", "ir", str(path), "--stage", "ll"],
                         capture_output=True, text=True, env=env, cwd=str(tmp_path))
    assert out.returncode == 0, out.stderr
    assert '@"ml.main.body.parallel_body"' in out.stdout
    assert 'call i1 @"mojolite_parallel_for"' in out.stdout
    one = subprocess.run([sys.executable, "-m", "mojolite", "ir", str(path), "--stage", "opt",
                          "--fn", "main"], capture_output=True, text=True, env=env,
                         cwd=str(tmp_path))
    assert one.returncode == 0, one.stderr
    defines = [line.split("@")[1].split("(")[0] for line in one.stdout.splitlines()
               if line.startswith("define")]
    assert defines == ["__entry_ml.main", "ml.main.body.parallel_body"]
    assert "call i1 @mojolite_parallel_for(ptr nonnull @ml.main.body.parallel_body" in one.stdout
    run = subprocess.run([sys.executable, "-m", "mojolite", "run", str(path)],
                         capture_output=True, text=True, env=env, cwd=str(tmp_path))
    assert (run.returncode, run.stdout) == (0, "3\n"), run.stderr


# ------------------------------------------------------------------ Python surface
_counter = itertools.count()

KERNELS = """\
import mojolite
from mojolite import DType, Float64, Int, Tensor, parallelize, parameter


@mojolite.fn
def squares(out: Tensor[DType.float64], n: Int):
    @parameter
    def body(i: Int):
        out[i] = out[i] + Float64(i) * Float64(i)
    parallelize[body](n)


@mojolite.fn
def squares_attr(out: Tensor[DType.float64], n: Int, workers: Int):
    @mojolite.parameter
    def body(i: Int):
        out[i] = out[i] + Float64(i) * Float64(i)
    mojolite.parallelize[body](n, workers)


@mojolite.fn
def third_fails(out: Tensor[DType.float64]):
    @parameter
    def body(i: Int):
        j: Int = i
        if i == 2:
            j = i + 5000
        out[j] = 1.0
    parallelize[body](out.dim(0))
"""


def _load_kernels(tmp_path):
    name = f"par_kernels_{next(_counter)}"
    path = tmp_path / f"{name}.py"
    path.write_text(KERNELS)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_python_kernels(tmp_path, threads):
    k = _load_kernels(tmp_path)
    for n in (0, 1, 7, 10**5):
        want = np.arange(max(n, 1), dtype=np.float64) ** 2 * (n > 0)
        a = np.zeros(max(n, 1))
        k.squares(a, n)
        np.testing.assert_array_equal(a, want)
        b = np.zeros(max(n, 1))
        k.squares_attr(b, n, 2)
        np.testing.assert_array_equal(b, want)
    frozen = np.zeros(10)
    frozen.setflags(write=False)
    with pytest.raises(TypeError, match="expects a writable array"):
        k.squares(frozen, 10)                   # the body writes the captured `out`
    with pytest.raises(RuntimeFault) as info:
        k.third_fails(np.zeros(1000))
    lines = KERNELS.splitlines()
    line = next(i + 1 for i, text in enumerate(lines) if "out[j] = 1.0" in text)
    col = lines[line - 1].index("out[j]") + 1
    assert info.value.message == "index 5002 is out of bounds for axis 0 with size 1000"
    assert f"{k.__file__}:{line}:{col}" in str(info.value)


def test_thread_count_api_and_light_import():
    before = mojolite.get_num_threads()
    try:
        mojolite.set_num_threads(3)
        assert mojolite.get_num_threads() == 3
        with pytest.raises(ValueError):
            mojolite.set_num_threads(0)
        with pytest.raises(TypeError):
            mojolite.set_num_threads(2.5)
    finally:
        mojolite.set_num_threads(before)
    code = ("import sys, mojolite; assert callable(mojolite.set_num_threads); "
            "print([m for m in ('lark', 'llvmlite', 'numpy') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=str(ROOT)))
    assert (out.returncode, out.stdout.strip()) == (0, "[]"), out.stderr


def test_environment_variable_sets_the_thread_count():
    code = ("import mojolite, numpy as np; print(mojolite.get_num_threads()); "
            "m = mojolite.compile('from algorithm import parallelize\\n"
            "fn f(out: Tensor[DType.int64], n: Int):\\n"
            "    @parameter\\n    fn body(i: Int):\\n        out[i] = Int64(i)\\n"
            "    parallelize[body](n)\\n'); a = np.zeros(1000, dtype=np.int64); "
            "m.f(a, 1000); print(int(a.sum()))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=dict(os.environ, PYTHONPATH=str(ROOT), MOJOLITE_NUM_THREADS="3"))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["3", str(sum(range(1000)))]


# ------------------------------------------------------------------ more program shapes
SHAPES = """\
from algorithm import parallelize

struct Acc:
    var data: UnsafePointer[Int]
    var n: Int

    fn __init__(out self, n: Int):
        self.data = UnsafePointer[Int].alloc(n)
        self.n = n

    fn fill(mut self, k: Int):
        @parameter
        fn body(i: Int):
            self.data[i] = i * k
        parallelize[body](self.n)

    fn total(self) -> Int:
        var s = 0
        for i in range(self.n):
            s += self.data[i]
        return s

fn scaled[k: Int](n: Int) -> Int:
    var a = Acc(n)
    a.fill(k)
    var t = a.total()
    a.data.free()
    return t

fn both(n: Int) -> Int:
    return scaled[3](n) + scaled[5](n)

fn inner_fails(bad_row: Int, bad_col: Int) raises:
    @parameter
    fn row(i: Int) raises:
        @parameter
        fn col(j: Int) raises:
            if i == bad_row and j == bad_col:
                raise Error("inner region")
        parallelize[col](10)
    parallelize[row](10)

fn say(n: Int):
    @parameter
    fn body(i: Int):
        print(i)
    parallelize[body](n)
"""


@pytest.mark.parametrize("reference", [False, True], ids=["jit", "reference"])
def test_methods_generics_nested_errors_and_print(reference, threads, capsys):
    m = mojolite.compile(SHAPES, "shapes.ml", reference=reference)
    for n in (0, 1, 100, 1001):
        assert m.both(n) == 8 * n * (n - 1) // 2
    m.inner_fails(-1, -1)
    with pytest.raises(RuntimeFault) as info:
        m.inner_fails(3, 7)
    assert info.value.message == "inner region"
    assert (info.value.span.line, info.value.span.column) == \
        line_col('raise Error("inner region")', SHAPES)
    capsys.readouterr()
    m.say(500)
    # print(i) writes i, then "\n": other threads' output may come in between,
    # so compare the digits written, not the lines.
    printed = capsys.readouterr().out
    assert printed.count("\n") == 500
    assert sorted(printed.replace("\n", "")) == sorted("".join(map(str, range(500))))


def test_lowering_and_runtime_agree_on_the_abi():
    from mojolite.codegen import parallel, threadpool
    assert parallel.PARALLEL_FOR in threadpool.EXPORTS
    assert str(parallel.BODY_TYPE) == str(threadpool.BODY_TYPE)
    decl = next(line for line in threadpool.runtime_ir().splitlines()
                if line.startswith("define") and f'@"{parallel.PARALLEL_FOR}"(' in line)
    types = [arg.split()[0] for arg in decl[decl.index("(") + 1:decl.index(")")].split(", ")]
    assert types == [str(t) for t in parallel.PARALLEL_FOR_TYPE.args]
    assert decl.split()[1] == str(parallel.PARALLEL_FOR_TYPE.return_type)


PRINTS = """\
from algorithm import parallelize

fn main(n: Int):
    @parameter
    fn body(i: Int):
        print("item", i, "of", n, "half", Float64(i) * 0.5, end="!\\n")
    parallelize[body](n, 4)
"""


def test_prints_from_parallel_threads_come_out_whole(capsys):
    # Each print gathers its pieces in its own thread and writes them at once:
    # no line is cut by another thread's print, and none is lost.
    n = 3000
    mojolite.compile(PRINTS, "prints.ml").main(n)
    lines = capsys.readouterr().out.splitlines()
    assert sorted(lines) == sorted(f"item {i} of {n} half {i * 0.5}!" for i in range(n))

"""NumPy arrays through `@mojolite.fn`: Tensor arguments (any rank 1–4, any
strides), writes seen by NumPy, returned arrays, the argument checks, the
reference mode, memory and threads.

Every layout is compared with a plain-Python oracle computed from the array
itself, so a wrong stride, offset or rank shows up as a wrong number.
"""
from __future__ import annotations

import sys
import threading
import time

import numpy as np
import pytest

import mojolite
from mojolite import CompileError, RuntimeFault
from test_python_api import line_col, load_py

DTYPES = ["float32", "float64", "int32", "int64"]

# One kernel per dtype: a position-weighted sum that depends on every index,
# for ranks 1 to 3 (the branch taken is the array's rank).
WEIGHTED = """
@mojolite.fn
def wsum_{dt}(a: Tensor[DType.{dt}]) -> Float64:
    s = 0.0
    if a.rank() == 1:
        for i in range(a.dim(0)):
            s += Float64(a[i]) * Float64(i + 1)
    elif a.rank() == 2:
        for i in range(a.dim(0)):
            for j in range(a.dim(1)):
                s += Float64(a[i, j]) * Float64(i * 7 + j + 1)
    else:
        for i in range(a.dim(0)):
            for j in range(a.dim(1)):
                for k in range(a.dim(2)):
                    s += Float64(a[i, j, k]) * Float64(i * 49 + j * 7 + k + 1)
    return s

@mojolite.fn
def fill_{dt}(a: Tensor[DType.{dt}], v: Scalar[DType.{dt}]):
    if a.rank() == 1:
        for i in range(a.dim(0)):
            a[i] = v * Scalar[DType.{dt}](i + 1)
    elif a.rank() == 2:
        for i in range(a.dim(0)):
            for j in range(a.dim(1)):
                a[i, j] = v * Scalar[DType.{dt}](i * 7 + j + 1)
    else:
        for i in range(a.dim(0)):
            for j in range(a.dim(1)):
                for k in range(a.dim(2)):
                    a[i, j, k] = v * Scalar[DType.{dt}](i * 49 + j * 7 + k + 1)
"""

KERNELS = "from mojolite import Scalar\n" + "".join(WEIGHTED.format(dt=dt) for dt in DTYPES) + """
@mojolite.fn
def make(n: Int, m: Int) -> Tensor[DType.float64]:
    t = Tensor[DType.float64](n, m)
    for i in range(n):
        for j in range(m):
            t[i, j] = Float64(i * 10 + j)
    return t

@mojolite.fn
def same(a: Tensor[DType.float64]) -> Tensor[DType.float64]:
    return a

@mojolite.fn
def pick(a: Tensor[DType.float64], b: Tensor[DType.float64], first: Bool) -> Tensor[DType.float64]:
    if first:
        return a
    return b

@mojolite.fn
def get(a: Tensor[DType.float64], i: Int) -> Float64:
    return a[i]

@mojolite.fn
def dims(a: Tensor[DType.int64]) -> Int:
    return a.rank() * 1000 + a.num_elements()
"""


def weights(shape):
    if len(shape) == 1:
        return lambda i: i + 1
    if len(shape) == 2:
        return lambda i, j: i * 7 + j + 1
    return lambda i, j, k: i * 49 + j * 7 + k + 1


def oracle_wsum(a) -> float:
    w = weights(a.shape)
    s = 0.0
    for idx in np.ndindex(*a.shape):
        s += float(a[idx]) * float(w(*idx))
    return s


def layouts(dt):
    """(name, array) for contiguous, transposed, stepped, negative-stride views, ranks 1-3."""
    rng = np.random.default_rng(7)
    base1 = (rng.standard_normal(40) * 100).astype(dt)
    base2 = (rng.standard_normal((9, 8)) * 100).astype(dt)
    base3 = (rng.standard_normal((5, 6, 7)) * 100).astype(dt)
    return [
        ("1d", base1), ("1d-step", base1[3:31:4]), ("1d-reversed", base1[::-1]),
        ("1d-reversed-step", base1[30:2:-3]), ("1d-empty", base1[:0]),
        ("2d", base2), ("2d-T", base2.T), ("2d-slices", base2[1:8:2, ::3]),
        ("2d-negative", base2[::-2, ::-1]), ("2d-column", base2[:, 2:3]),
        ("3d", base3), ("3d-transposed", base3.transpose(2, 0, 1)),
        ("3d-mixed", base3[::-1, 1::2, ::-3]),
    ]


@pytest.fixture(scope="module")
def kernels(tmp_path_factory):
    return load_py(tmp_path_factory.mktemp("tensors"), KERNELS)


@pytest.fixture(scope="module")
def reference_kernels(tmp_path_factory):
    text = KERNELS.replace("@mojolite.fn\n", "@mojolite.fn(reference=True)\n")
    return load_py(tmp_path_factory.mktemp("tensors_ref"), text)


@pytest.mark.parametrize("dt", DTYPES)
def test_arrays_of_every_layout_are_read_in_place(kernels, dt):
    f = getattr(kernels, f"wsum_{dt}")
    for name, a in layouts(dt):
        assert f(a) == oracle_wsum(a), name


@pytest.mark.parametrize("dt", DTYPES)
def test_writes_are_visible_in_the_array_and_only_in_the_view(kernels, dt):
    f = getattr(kernels, f"fill_{dt}")
    for name, view in layouts(dt):
        base = view.base if view.base is not None else view
        before = base.copy()
        f(view, 3)
        w = weights(view.shape)
        want = np.empty(view.shape, dt)
        for idx in np.ndindex(*view.shape):
            want[idx] = 3 * w(*idx)
        assert np.array_equal(view, want), name
        outside = np.ones_like(base)
        _same_view(outside, base, view)[...] = 0
        mask = outside != 0
        assert np.array_equal(base[mask], before[mask]), name   # nothing else changed


def _same_view(target, base, view):
    """The view of `target` that `view` is of `base` (same offset and strides)."""
    offset = view.__array_interface__["data"][0] - base.__array_interface__["data"][0]
    return _as_view(target, target.__array_interface__["data"][0] + offset, view)


def _as_view(target, start, view):
    class Holder:
        pass
    h = Holder()
    h.__array_interface__ = {"data": (start, False), "shape": view.shape,
                             "strides": view.strides, "typestr": target.dtype.str,
                             "version": 3}
    h.keep = target
    return np.asarray(h)


def test_rank_four_and_rank_queries(kernels):
    a = np.arange(2 * 3 * 4 * 5, dtype=np.int64).reshape(2, 3, 4, 5)
    assert kernels.dims(a) == 4000 + a.size
    assert kernels.dims(a[:, ::2, 1:, ::-1]) == 4000 + a[:, ::2, 1:, ::-1].size
    assert kernels.dims(np.zeros(7, np.int64)) == 1007


def test_returned_tensors_become_arrays(kernels):
    t = kernels.make(3, 4)
    assert isinstance(t, np.ndarray) and t.dtype == np.float64 and t.shape == (3, 4)
    assert np.array_equal(t, np.arange(3)[:, None] * 10.0 + np.arange(4)[None, :])
    assert t.flags.writeable and t.flags.c_contiguous
    t[0, 0] = 5.0                         # the memory is the array's to use
    assert t[0, 0] == 5.0
    a = np.arange(10.0)
    v = kernels.same(a[2:9:3])
    assert np.array_equal(v, a[2:9:3]) and np.shares_memory(v, a)
    v[0] = -1.0
    assert a[2] == -1.0
    b = np.arange(4.0)[::-1]
    assert np.shares_memory(kernels.pick(a, b, False), b)
    assert np.array_equal(kernels.pick(a, b, False), b)
    a.flags.writeable = False
    if "a" in kernels.same.module.program.get("same").writes:
        # Returning a parameter lets the caller write through the result.
        with pytest.raises(TypeError, match="expects a writable array"):
            kernels.same(a)
    else:
        r = kernels.same(a)
        assert not r.flags.writeable and np.array_equal(r, a)


def test_returned_array_outlives_the_call_and_its_inputs(kernels):
    arrays = [kernels.make(50, 50) for _ in range(20)]
    views = [x[::2, 1] for x in arrays]
    del arrays
    for v in views:
        assert np.array_equal(v, np.arange(0, 50, 2) * 10.0 + 1.0)


def test_argument_errors_name_function_parameter_expected_and_given(kernels):
    wsum = kernels.wsum_float64
    fill = kernels.fill_float64
    cases = [
        (lambda: wsum(np.zeros(3, np.float32)),
         r"wsum_float64\(\): parameter 'a' expects Tensor\[DType.float64\] \(a NumPy array of "
         r"float64\), got ndarray of float32 with shape \(3,\)"),
        (lambda: wsum([1.0, 2.0]),
         r"parameter 'a' expects Tensor\[DType.float64\] .*got list \[1.0, 2.0\]"),
        (lambda: wsum(1.0), r"parameter 'a' expects Tensor\[DType.float64\] .*got float 1.0"),
        (lambda: wsum(np.float64(1.0)), r"parameter 'a' expects Tensor.*got float64"),
        (lambda: wsum(np.zeros(())),
         r"parameter 'a' expects Tensor\[DType.float64\] of rank 1 to 4, got ndarray of "
         r"float64 with shape \(\) \(rank 0\)"),
        (lambda: wsum(np.zeros((1,) * 5)), r"of rank 1 to 4, .*\(rank 5\)"),
        (lambda: wsum(np.zeros(3, ">f8")),
         r"parameter 'a' expects Tensor\[DType.float64\] in native byte order, got ndarray "
         r"of >f8 .* swapped byte order"),
        (lambda: wsum(np.zeros(4, [("x", "f8"), ("y", "u1")])["x"]),
         r"parameter 'a' expects Tensor\[DType.float64\] with strides that are multiples of "
         r"its item size \(8\), got ndarray of float64 with shape \(4,\) and strides \(9,\)"),
        (lambda: fill(_read_only(np.zeros(3)), 1.0),
         r"fill_float64\(\): parameter 'a' expects a writable array \(fill_float64 writes "
         r"to it\), got read-only ndarray of float64 with shape \(3,\)"),
        (lambda: fill(np.zeros(3), "x"), r"parameter 'v' expects Float64, got str 'x'"),
    ]
    for call, message in cases:
        with pytest.raises(TypeError, match=message):
            call()
    assert wsum(_read_only(np.ones(3))) == 6.0        # reading a read-only array is fine


def _read_only(a):
    a.flags.writeable = False
    return a


CAPTURING = """\
from algorithm import parallelize

fn total(a: Tensor[DType.float64], out: Tensor[DType.float64]):
    @parameter
    fn body(i: Int):
        out[i] = a[i] * 2.0
    parallelize[body](a.dim(0))

fn scale(a: Tensor[DType.float64], k: Float64):
    @parameter
    fn body(i: Int):
        a[i] = a[i] * k
    parallelize[body](a.dim(0))
"""


def test_a_closure_that_only_reads_a_captured_array_accepts_a_read_only_one():
    m = mojolite.compile(CAPTURING, "capturing.ml")
    out = np.zeros(4)
    m.total(_read_only(np.arange(4.0)), out)
    assert out.tolist() == [0.0, 2.0, 4.0, 6.0]
    with pytest.raises(TypeError, match=r"parameter 'out' expects a writable array"):
        m.total(np.arange(4.0), _read_only(np.zeros(4)))
    with pytest.raises(TypeError, match=r"parameter 'a' expects a writable array \(scale "
                                        r"writes to it\)"):
        m.scale(_read_only(np.arange(4.0)), 2.0)


def test_vector_loads_read_and_vector_stores_write():
    """`t.load[width=w](i)` only reads: a read-only array is fine; `store` writes."""
    m = mojolite.compile("fn first4(a: Tensor[DType.float64]) -> Float64:\n"
                         "    return a.load[width=4](0).reduce_add()\n\n"
                         "fn put4(a: Tensor[DType.float64]):\n"
                         "    a.store[width=4](0, SIMD[DType.float64, 4](1.0))\n", "v.ml")
    assert m.first4(_read_only(np.arange(4.0))) == 6.0
    with pytest.raises(TypeError, match=r"parameter 'a' expects a writable array"):
        m.put4(_read_only(np.zeros(4)))
    assert (m.program.get("first4").writes, m.program.get("put4").writes) == \
        (frozenset(), frozenset({"a"}))


UNALIGNED = """\
import sys
import numpy as np
import mojolite
m = mojolite.compile(\"\"\"
fn vsum(t: Tensor[DType.float64]) -> Float64:
    var acc = SIMD[DType.float64, 8](0)
    var i = 0
    while i + 8 <= t.dim(0):
        acc += t.load[width=8](i)
        i += 8
    return acc.reduce_add()

fn vset(t: Tensor[DType.float64]):
    for i in range(0, t.dim(0) - 7, 8):
        t.store[width=8](i, SIMD[DType.float64, 8](Float64(i)))
\"\"\", "u.ml", reference=sys.argv[1] == "1")
for offset in (1, 3, 4):
    a = np.frombuffer(bytearray(8 * 1024 + 8), np.float64, count=1024, offset=offset)
    assert not a.flags.aligned
    a[:] = np.arange(1024.0)
    assert m.vsum(a) == a.sum(), (offset, m.vsum(a))
    m.vset(a)
    assert (a == np.repeat(np.arange(0.0, 1024, 8), 8)).all()
    assert m.vsum(a[1::3]) == a[1::3][:336].sum()
print("alive")
"""


@pytest.mark.parametrize("reference", ["0", "1"])
def test_unaligned_arrays_are_read_and_written_as_they_are(reference):
    # A view at an odd byte offset (np.frombuffer(..., offset=1)): vector loads
    # and stores read and write it right; run in a subprocess, where a fault
    # (an aligned vector move) would fail the test rather than end pytest.
    import os
    import subprocess
    from pathlib import Path
    root = str(Path(__file__).resolve().parent.parent)
    res = subprocess.run([sys.executable, "-c", UNALIGNED, reference], capture_output=True,
                         text=True, timeout=300, env={**os.environ, "PYTHONPATH": root})
    assert (res.returncode, res.stdout) == (0, "alive\n"), res.stderr


BOOL_BYTES = """
fn count(a: Tensor[DType.bool]) -> Int:
    var n = 0
    for i in range(a.dim(0)):
        if a[i]:
            n += 1
    return n

fn count8(a: Tensor[DType.bool]) -> Int:
    var v = a.load[width=8](0)
    var n = 0
    for k in range(8):
        if v[k]:
            n += 1
    return n
"""


@pytest.mark.parametrize("reference", [False, True])
def test_any_nonzero_byte_of_a_bool_array_is_true(reference):
    # NumPy reads a bool array's bytes as != 0; a view of other bytes (here 2, 4, 254)
    # holds them as they are. The JIT read the low bit, and disagreed with the reference mode.
    m = mojolite.compile(BOOL_BYTES, "bools.ml", reference=reference)
    a = np.array([2, 0, 1, 4, 254, 0, 255, 0], np.uint8).view(bool)
    assert m.count(a) == m.count8(a) == np.count_nonzero(a) == 5


def test_index_out_of_bounds_is_a_runtime_fault_in_the_file(kernels):
    a = np.arange(5.0)
    assert kernels.get(a, 4) == 4.0
    with pytest.raises(RuntimeFault) as info:
        kernels.get(a, 5)
    line, col = line_col(kernels, "return a[i]")
    assert (info.value.span.line, info.value.span.column) == (line, col + 7)
    assert "out of bounds" in info.value.message and "5" in info.value.message


@pytest.mark.parametrize("dt", DTYPES)
def test_reference_mode_agrees_with_the_jit(kernels, reference_kernels, dt):
    for name, a in layouts(dt):
        assert getattr(kernels, f"wsum_{dt}")(a) == getattr(reference_kernels, f"wsum_{dt}")(a)
        x, y = a.copy(), a.copy()
        getattr(kernels, f"fill_{dt}")(x, 2)
        getattr(reference_kernels, f"fill_{dt}")(y, 2)
        assert np.array_equal(x, y), name
    r, j = reference_kernels.make(2, 3), kernels.make(2, 3)
    assert isinstance(r, np.ndarray) and np.array_equal(r, j)
    with pytest.raises(RuntimeFault) as ri:
        reference_kernels.get(np.zeros(2), 2)
    with pytest.raises(RuntimeFault) as ji:
        kernels.get(np.zeros(2), 2)
    assert ri.value.message == ji.value.message and \
        (ri.value.span.line, ri.value.span.column) == (ji.value.span.line, ji.value.span.column)
    with pytest.raises(TypeError, match="expects a writable array"):
        reference_kernels.fill_float64(_read_only(np.zeros(2)), 1.0)


@pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")
def test_array_subclasses_are_arrays_in_both_modes(kernels, reference_kernels, tmp_path):
    # np.memmap and np.matrix are ndarrays: read and written in place by the JIT
    # and the reference mode alike (the reference mode refused them, internally).
    for k in (kernels, reference_kernels):
        mapped = np.memmap(tmp_path / "m.bin", dtype=np.float64, mode="w+", shape=(3, 4))
        k.fill_float64(mapped, 2.0)
        mapped.flush()
        assert np.fromfile(tmp_path / "m.bin").tolist() == \
            [2.0 * weights((3, 4))(i, j) for i in range(3) for j in range(4)]
        assert k.wsum_float64(np.matrix(np.ones((2, 3)))) == \
            oracle_wsum(np.ones((2, 3)))
        del mapped


def test_a_masked_array_is_refused_in_both_modes(kernels, reference_kernels):
    # Its mask is not part of the memory a kernel reads: the masked 100.0 was summed.
    a = np.ma.masked_array([1.0, 100.0, 3.0], mask=[False, True, False])
    for k in (kernels, reference_kernels):
        with pytest.raises(TypeError, match=r"wsum_float64\(\): parameter 'a' expects "
                                            r"Tensor\[DType.float64\] .*got a masked array of "
                                            r"float64 with shape \(3,\), .*a.filled\(value\)"):
            k.wsum_float64(a)
        assert k.wsum_float64(a.filled(0.0)) == 1.0 + 3.0 * 3


# ------------------------------------------------------------------ memory
def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


needs_proc = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@needs_proc
def test_temporary_tensors_in_a_loop_do_not_grow_the_process(tmp_path):
    m = load_py(tmp_path, """
        @mojolite.fn
        def churn(n: Int) -> Float64:
            s = 0.0
            for i in range(n):
                t = Tensor[DType.float64](16)
                t[0] = Float64(i)
                s += t[0]
            return s
        """)
    m.churn(10)
    before = rss_bytes()
    assert m.churn(1_000_000) == float(sum(range(1_000_000)))
    assert rss_bytes() - before < 10 * 2**20


@needs_proc
def test_returned_arrays_give_their_memory_back(kernels):
    for _ in range(50):
        kernels.make(100, 100)
    before = rss_bytes()
    for _ in range(3000):                   # 80 kB each: 240 MB if nothing were freed
        kernels.make(100, 100)
    assert rss_bytes() - before < 20 * 2**20


# ------------------------------------------------------------------ threads
SPIN = """
@mojolite.fn
def spin(n: Int) -> Float64:
    s = 0.0
    x = 1.0
    for i in range(n):
        x = x * 1.0000001 + 1e-9
        s += x
    return s
"""


def _spin_iterations(m, seconds: float) -> int:
    m.spin(1)                   # compile first
    n = 100_000
    while True:
        t0 = time.perf_counter()
        m.spin(n)
        dt = time.perf_counter() - t0
        if dt > 0.02:
            return int(n * seconds / dt)
        n *= 4


def test_the_gil_is_released_while_a_kernel_runs(tmp_path):
    m = load_py(tmp_path, SPIN)
    n = _spin_iterations(m, 0.3)
    done = threading.Event()
    t = threading.Thread(target=lambda: (m.spin(n), done.set()))
    count = 0
    t.start()
    while not done.is_set():
        count += 1                  # only runs if the kernel's thread let go of the GIL
    t.join()
    assert count > 10_000


@pytest.mark.slow
def test_two_threads_run_kernels_in_parallel(tmp_path):
    """Two threads, each a ~0.2 s kernel: on two idle cores they finish in about
    0.2 s. On a busy machine wall time is noisy, so this also accepts CPU time
    at least 1.3x wall time (the threads' work overlapped)."""
    import os
    if (os.cpu_count() or 1) < 2:
        pytest.skip("needs two cores")
    m = load_py(tmp_path, SPIN)
    n = _spin_iterations(m, 0.2)
    seen = []
    for _ in range(3):
        t0 = time.perf_counter()
        m.spin(n)
        one = time.perf_counter() - t0
        threads = [threading.Thread(target=m.spin, args=(n,)) for _ in range(2)]
        t0, c0 = time.perf_counter(), time.process_time()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        seen.append((round(wall / one, 2), round(cpu / wall, 2)))
        if wall / one < 1.5 or cpu / wall > 1.3:
            return
    pytest.fail(f"no overlap: (two-thread wall / one-thread wall, cpu / wall) = {seen}")


def test_compile_error_for_a_tensor_kernel_points_into_the_file(tmp_path):
    m = load_py(tmp_path, """
        @mojolite.fn
        def bad(a: Tensor[DType.float32]) -> Float64:
            return a[0] + 1.5
        """)
    with pytest.raises(CompileError) as info:
        m.bad(np.zeros(1, np.float32))
    line, _ = line_col(m, "return a[0] + 1.5")
    assert f"{m.__file__}:{line}:" in str(info.value)


def test_values_python_cannot_hold_yet_are_type_errors(tmp_path):
    m = load_py(tmp_path, """
        from mojolite import List, UnsafePointer

        @mojolite.fn
        def make_list(n: Int) -> List[Int]:
            items = List[Int]()
            for i in range(n):
                items.append(i)
            return items

        @mojolite.fn
        def count(n: Int) -> Int:
            return len(make_list(n))

        @mojolite.fn
        def first(p: UnsafePointer[Float64]) -> Float64:
            return p[0]
        """)
    assert m.count(5) == 5                      # kernels pass them among themselves
    assert m.make_list(3) == [0, 1, 2]          # and a List comes back as a Python list
    with pytest.raises(TypeError, match=r"first\(\): parameter 'p' expects "
                                        r"UnsafePointer\[Float64\], which cannot be passed"):
        m.first(np.zeros(1))


def test_boundscheck_false_leaves_out_the_index_checks(tmp_path):
    m = load_py(tmp_path, """
        @mojolite.fn
        def checked(a: Tensor[DType.float64], i: Int) -> Float64:
            return a[i]

        @mojolite.fn(boundscheck=False)
        def unchecked(a: Tensor[DType.float64], i: Int) -> Float64:
            return a[i]
        """)
    a = np.arange(4.0)
    assert m.checked(a, 3) == m.unchecked(a, 3) == 3.0

    def index_sites(k):
        return [msg for _, msg in k.module.lowered().sites if "out of bounds" in msg]
    assert index_sites(m.checked) and not index_sites(m.unchecked)


# ------------------------------------------------------------------ the rank the uses need
RANKED = """
from mojolite import List

@mojolite.fn
def sum1(a: Tensor[DType.float64]) -> Float64:
    s = 0.0
    for i in range(a.dim(0)):
        s += a[i]
    return s

@mojolite.fn
def set2(a: Tensor[DType.float64], v: Float64):
    for i in range(a.dim(0)):
        for j in range(a.dim(1)):
            a[i, j] = v

@mojolite.fn
def corner3(a: Tensor[DType.float32]) -> Float64:
    return Float64(a.load[4](0, 0, 0).reduce_add() + a[0, 0, 0])

@mojolite.fn
def store2(a: Tensor[DType.float32]):
    a.store[4](1, 0, SIMD[DType.float32, 4](1.0))

@mojolite.fn
def any_rank(a: Tensor[DType.float64]) -> Float64:
    if a.rank() == 1:
        return a[0]
    return a[0, 0]

@mojolite.fn
def mixed(a: Tensor[DType.float64], two: Bool) -> Float64:
    if two:
        return a[0, 0]
    return a[0]

@mojolite.fn
def size(a: Tensor[DType.float64]) -> Int:
    return a.num_elements() + a.dim(0)

@mojolite.fn
def row_sum(a: Tensor[DType.float64], i: Int) -> Float64:
    s = 0.0
    for j in range(a.dim(1)):
        s += a[i, j]
    return s

@mojolite.fn
def total2(m: Tensor[DType.float64]) -> Float64:
    s = 0.0
    for i in range(m.dim(0)):
        s += row_sum(m, i)
    return s

@mojolite.fn
def kept(a: Tensor[DType.float64]) -> Float64:
    items = List[Tensor[DType.float64]]()
    items.append(a)
    return a[0]
"""


@pytest.fixture(scope="module", params=[False, True], ids=["jit", "reference"])
def ranked(request, tmp_path_factory):
    text = RANKED if not request.param else \
        RANKED.replace("@mojolite.fn\n", "@mojolite.fn(reference=True)\n")
    return load_py(tmp_path_factory.mktemp("ranked"), text)


def test_an_array_of_the_rank_the_kernel_indexes_with_is_required(ranked, monkeypatch):
    monkeypatch.setenv("MOJOLITE_NATIVE_AFTER", "2")
    a1, a2 = np.arange(4.0), np.arange(6.0).reshape(2, 3)
    a3 = np.ones((2, 2, 4), np.float32)
    for _ in range(3):                  # the Python caller, then the native one
        assert ranked.sum1(a1) == 6.0 and ranked.corner3(a3) == 5.0
        ranked.set2(a2, 2.0)
        assert a2.sum() == 12.0
        b = np.zeros((2, 4), np.float32)
        ranked.store2(b)
        assert b.tolist() == [[0.0] * 4, [1.0] * 4]
    cases = [
        (lambda: ranked.sum1(a2),
         r"^sum1\(\): parameter 'a' expects Tensor\[DType.float64\] of rank 1 \(sum1 indexes "
         r"it as a\[i\]\), got ndarray of float64 with shape \(2, 3\) \(rank 2\)$"),
        (lambda: ranked.set2(a1, 1.0),
         r"^set2\(\): parameter 'a' expects Tensor\[DType.float64\] of rank 2 \(set2 indexes "
         r"it as a\[i, j\]\), got ndarray of float64 with shape \(4,\) \(rank 1\)$"),
        (lambda: ranked.corner3(np.ones((2, 4), np.float32)),
         r"parameter 'a' expects Tensor\[DType.float32\] of rank 3 \(corner3 indexes it as "
         r"a\[i, j, k\]\), got .* \(rank 2\)$"),
        (lambda: ranked.store2(np.zeros(8, np.float32)), r"of rank 2 .*\(rank 1\)$"),
        (lambda: ranked.sum1(np.zeros((1,) * 5)), r"of rank 1 \(sum1 .*\(rank 5\)$"),
        (lambda: ranked.sum1(a=a2), r"parameter 'a' expects .* of rank 1"),
        # Through a helper: total2 passes m to row_sum, which indexes it with two.
        (lambda: ranked.total2(a1),
         r"total2\(\): parameter 'm' expects .* of rank 2 \(total2 indexes it as m\[i, j\]\)"),
    ]
    for call, message in cases:
        for _ in range(3):
            with pytest.raises(TypeError, match=message):
                call()
    assert a1.tolist() == [0.0, 1.0, 2.0, 3.0]
    assert ranked.total2(np.ones((3, 2))) == 6.0
    if not ranked.sum1.module.options.reference:
        assert isinstance(type(ranked.sum1).__dict__["__call__"], type(len))   # native


def test_a_kernel_that_may_take_several_ranks_takes_any(ranked):
    """A branch on `a.rank()`, indexing with two counts, only `dim` and
    `num_elements`, or `a` stored away: no rank is required (a wrong one
    is the located fault of the element read, as before)."""
    assert ranked.any_rank(np.arange(3.0) + 1) == 1.0
    assert ranked.any_rank(np.full((2, 2), 5.0)) == 5.0
    assert ranked.mixed(np.full((2, 2), 5.0), True) == 5.0
    assert ranked.mixed(np.arange(3.0) + 1, False) == 1.0
    with pytest.raises(RuntimeFault, match="a Tensor of rank 1 indexed with 2 indices"):
        ranked.mixed(np.arange(3.0), True)
    assert ranked.size(np.zeros((2, 3, 4))) == 26 and ranked.size(np.zeros(5)) == 10
    with pytest.raises(RuntimeFault, match="a Tensor of rank 2 indexed with 1 index"):
        ranked.kept(np.zeros((2, 2)))


def test_ranks_found_per_parameter():
    m = mojolite.compile(RANK_PROGRAM, "ranks.ml")
    ranks = {f.name: f.ranks for f in m.program.functions}
    assert ranks == {"helper": {"t": 2}, "via": {"t": 2}, "capture": {"t": 1},
                     "assigns": {}, "rec": {"t": 3}, "reads_rank": {},
                     "escapes": {}, "capture.body": {}, "assigns.body": {},
                     "pointer": {}, "fieldy": {}, "Box.__init__": {}, "main": {}}


RANK_PROGRAM = """\
from algorithm import parallelize

struct Box:
    var t: Tensor[DType.float64]
    fn __init__(out self, t: Tensor[DType.float64]):
        self.t = t

fn helper(t: Tensor[DType.float64]) -> Float64:
    return t[0, 1]

fn via(t: Tensor[DType.float64], u: Tensor[DType.float64]) -> Float64:
    return helper(t) + Float64(u.rank())

fn capture(t: Tensor[DType.float64]):
    @parameter
    fn body(i: Int):
        t[i] = 1.0
    parallelize[body](t.dim(0))

fn assigns(owned t: Tensor[DType.float64]):
    @parameter
    fn body(i: Int):
        t = Tensor[DType.float64](2, 2)
    body(0)
    t[0] = 1.0

fn rec(t: Tensor[DType.float64], n: Int) -> Float64:
    if n == 0:
        return t[0, 0, 0]
    return rec(t, n - 1)

fn reads_rank(t: Tensor[DType.float64]) -> Float64:
    print(t.rank())
    return t[0]

fn escapes(t: Tensor[DType.float64]) -> Tensor[DType.float64]:
    var x = t[0]
    return t

fn pointer(t: Tensor[DType.float64]) -> Float64:
    return t.unsafe_ptr()[0]

fn fieldy(t: Tensor[DType.float64]) -> Float64:
    var b = Box(t)
    return b.t[0] + t[0]

fn main():
    pass
"""


def test_the_native_caller_compares_ndim_with_the_rank():
    """One comparison, `nd == 2`, where the rank is known; `nd - 1 < 4` where not."""
    from mojolite import pynative
    m = mojolite.compile("fn f(a: Tensor[DType.float64], b: Tensor[DType.float64]) -> Float64:"
                         "\n    return a[0, 1] + Float64(b.rank())\n", "f.ml")
    f = m.program.get("f")
    assert f.ranks == {"a": 2}
    kinds, ret, layout, dtypes, spec = pynative.native_plan(f)
    assert "False, 2)" in spec and "False, None)" in spec
    ir, _ = pynative._emit(pynative.NAME, f, kinds, ret, dtypes, f.writes, layout)
    guards = [line.split("=")[1].split() for line in ir.splitlines()
              if "icmp" in line and ("eq i32" in line or "ult i32" in line)]
    assert [(g[1], g[-1]) for g in guards] == [("eq", "2"), ("ult", "4")]


def test_module_functions_check_the_rank_too(tmp_path):
    path = tmp_path / "m.ml"
    path.write_text("fn norm2(m: Tensor[DType.float64]) -> Float64:\n"
                    "    return m[0, 0] * m[0, 0]\n")
    for reference in (False, True):
        m = mojolite.load(path, reference=reference)
        assert m.norm2(np.full((1, 1), 3.0)) == 9.0
        with pytest.raises(TypeError, match=r"norm2\(\): parameter 'm' expects "
                                            r"Tensor\[DType.float64\] of rank 2 \(norm2 "
                                            r"indexes it as m\[i, j\]\), .*\(rank 1\)"):
            m.norm2(np.zeros(3))


@pytest.mark.parametrize("reference", [False, True])
def test_int_of_a_pointer_is_its_address(reference):
    """`Int(p)` is the address: a NumPy array's own in both modes. The reference
    mode makes one up for storage of its own (deterministic, 4 GiB apart), with
    the element size between neighbours as in the JIT; null is 0."""
    m = mojolite.compile("fn at(t: Tensor[DType.float32], k: Int) -> Int:\n"
                         "    return Int(t.unsafe_ptr() + k)\n\n"
                         "fn own() -> Int:\n"
                         "    var p = UnsafePointer[SIMD[DType.int8, 2]].alloc(2)\n"
                         "    var a = Int(p + 1) - Int(p)\n"
                         "    var b = Int(p)\n"
                         "    p.free()\n"
                         "    return b if a == 2 else -1\n\n"
                         "fn null() -> Int:\n"
                         "    return Int(UnsafePointer[Int]())\n", "addr.ml", reference=reference)
    x = np.zeros(8, dtype=np.float32)
    assert m.at(x, 0) == x.ctypes.data and m.at(x[2:], 1) == x.ctypes.data + 12
    assert m.own() > 0 and m.null() == 0
    if reference:
        assert m.own() % (1 << 32) == 0 and m.own() >= 1 << 40

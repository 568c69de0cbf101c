"""The native thread pool (`codegen/threadpool.py`) through its C ABI.

The bodies here are built by hand with llvmlite's IRBuilder (independent of
the compiler's outlining, which tests/test_parallel.py covers), JIT-compiled
next to a driver that calls `mojolite_parallel_for` `reps` times in one native
call, and run through ctypes (which releases the GIL). The oracle is the serial
loop, written in numpy.
"""
from __future__ import annotations

import contextlib
import ctypes
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import llvmlite.binding as llvm
import numpy as np
import pytest
from llvmlite import ir

from mojolite import jit
from mojolite.codegen import threadpool
from mojolite.codegen.threadpool import ensure_runtime, get_num_threads, set_num_threads

I1, I32, I64 = ir.IntType(1), ir.IntType(32), ir.IntType(64)
PTR = ir.PointerType()
BODY = ir.FunctionType(I1, [PTR, I64, I64, PTR])
CTX = ir.LiteralStructType([I32, I32, I64, I64])
ENV_PTRS = ir.LiteralStructType([PTR])                  # {ptr out}
ENV_FAIL = ir.LiteralStructType([PTR, I64, I64])        # {ptr counts, i64 from, i64 to}
ENV_NEST = ir.LiteralStructType([PTR, I64, I64])        # {ptr out, i64 m, i64 max_workers}
ENV_ROW = ir.LiteralStructType([PTR, I64])              # {ptr row, i64 base}
ENV_MEET = ir.LiteralStructType([PTR, PTR])             # {ptr flags, ptr who}
MEET_POLLS = 1 << 28                                    # about a second of polling
FAIL_CODE, FAIL_SITE = 1, 7

ROOT = Path(__file__).resolve().parent.parent


# ------------------------------------------------------------------ IR builders
@contextlib.contextmanager
def _for(b: ir.IRBuilder, lo, hi, name: str):
    """`for i in range(lo, hi)`: <name>.cond → <name>.body → <name>.cond | <name>.end."""
    fn, before = b.function, b.block
    cond, body, end = (fn.append_basic_block(f"{name}.{s}") for s in ("cond", "body", "end"))
    b.branch(cond)
    b.position_at_end(cond)
    i = b.phi(I64, name=name)
    i.add_incoming(lo, before)
    b.cbranch(b.icmp_signed("<", i, hi), body, end)
    b.position_at_end(body)
    yield i
    i.add_incoming(b.add(i, I64(1), name=f"{name}.next"), b.block)
    b.branch(cond)
    b.position_at_end(end)


def _field(b, ptr, ty, index, name=""):
    # llvmlite: an alloca's own (typed) type says what it points to
    etype = ty if ptr.type.is_opaque else None
    return b.gep(ptr, [I32(0), I32(index)], inbounds=True, source_etype=etype, name=name)


def _load_field(b, ptr, ty, index, name=""):
    return b.load(_field(b, ptr, ty, index, name + ".addr"), typ=ty.elements[index], name=name)


def _body(m: ir.Module, name: str):
    fn = ir.Function(m, BODY, name)
    for arg, n in zip(fn.args, ("env", "lo", "hi", "ctx")):
        arg.name = n
    return fn, ir.IRBuilder(fn.append_basic_block("entry"))


def _build_module() -> ir.Module:
    m = ir.Module(name="threadpool_tests")
    parallel_for = ir.Function(m, ir.FunctionType(I1, [PTR, PTR, I64, I64, PTR]),
                               "mojolite_parallel_for")
    pthread_self = ir.Function(m, ir.FunctionType(I64, []), "pthread_self")

    fn, b = _body(m, "empty")                      # nothing: measures the pool itself
    b.ret(I1(0))

    fn, b = _body(m, "square")                     # out[i] = i * i
    env, lo, hi, _ = fn.args
    out = _load_field(b, env, ENV_PTRS, 0, "out")
    with _for(b, lo, hi, "i") as i:
        b.store(b.mul(i, i), b.gep(out, [i], source_etype=I64))
    b.ret(I1(0))

    fn, b = _body(m, "hits")                       # counts[i] += 1, atomically
    env, lo, hi, _ = fn.args
    counts = _load_field(b, env, ENV_PTRS, 0, "counts")
    with _for(b, lo, hi, "i") as i:
        b.atomic_rmw("add", b.gep(counts, [i], source_etype=I32), I32(1), "monotonic")
    b.ret(I1(0))

    fn, b = _body(m, "who")                        # out[i] = pthread_self()
    env, lo, hi, _ = fn.args
    out = _load_field(b, env, ENV_PTRS, 0, "out")
    with _for(b, lo, hi, "i") as i:
        b.store(b.call(pthread_self, []), b.gep(out, [i], source_etype=I64))
    b.ret(I1(0))

    fn, b = _body(m, "total")                      # *acc += sum(range(lo, hi)), one atomicrmw
    env, lo, hi, _ = fn.args
    acc = _load_field(b, env, ENV_PTRS, 0, "acc")
    s = b.alloca(I64, name="s")
    b.store(I64(0), s)
    with _for(b, lo, hi, "i") as i:
        b.store(b.add(b.load(s, typ=I64), i), s)
    b.atomic_rmw("add", acc, b.load(s, typ=I64), "monotonic")
    b.ret(I1(0))

    # counts[i] += 1, except that items in [from, to) fail:
    # ctx = {code 1, site 7, a = i, b = lo}.
    fn, b = _body(m, "fail_range")
    env, lo, hi, ctx = fn.args
    counts = _load_field(b, env, ENV_FAIL, 0, "counts")
    bad_from = _load_field(b, env, ENV_FAIL, 1, "from")
    bad_to = _load_field(b, env, ENV_FAIL, 2, "to")
    with _for(b, lo, hi, "i") as i:
        bad = b.and_(b.icmp_signed(">=", i, bad_from), b.icmp_signed("<", i, bad_to))
        with b.if_then(bad):
            for index, value in ((1, I32(FAIL_SITE)), (2, i), (3, lo), (0, I32(FAIL_CODE))):
                b.store(value, _field(b, ctx, CTX, index))
            b.ret(I1(1))
        b.atomic_rmw("add", b.gep(counts, [i], source_etype=I32), I32(1), "monotonic")
    b.ret(I1(0))

    # Item i raises flags[i], then polls (at most MEET_POLLS times) for the other
    # item's flag: who[i] = its thread if it saw it, else 0. Two items meet only
    # if two threads run them at the same time.
    fn, b = _body(m, "meet")
    env, lo, hi, _ = fn.args
    flags = _load_field(b, env, ENV_MEET, 0, "flags")
    who = _load_field(b, env, ENV_MEET, 1, "who")
    with _for(b, lo, hi, "i") as i:
        b.atomic_rmw("xchg", b.gep(flags, [i], source_etype=I64), I64(1), "seq_cst")
        other = b.gep(flags, [b.sub(I64(1), i)], source_etype=I64)
        f = b.function
        cond, body, step, met, missed, done = (f.append_basic_block(f"poll.{n}") for n in (
            "cond", "body", "next", "met", "missed", "done"))
        before = b.block
        b.branch(cond)
        b.position_at_end(cond)
        k = b.phi(I64, name="k")
        k.add_incoming(I64(0), before)
        b.cbranch(b.icmp_signed("<", k, I64(MEET_POLLS)), body, missed)
        b.position_at_end(body)
        seen = b.load_atomic(other, "seq_cst", 8, typ=I64)
        b.cbranch(b.icmp_signed("!=", seen, I64(0)), met, step)
        b.position_at_end(step)
        k.add_incoming(b.add(k, I64(1)), step)
        b.branch(cond)
        b.position_at_end(met)
        b.store(b.call(pthread_self, []), b.gep(who, [i], source_etype=I64))
        b.branch(done)
        b.position_at_end(missed)
        b.store(I64(0), b.gep(who, [i], source_etype=I64))
        b.branch(done)
        b.position_at_end(done)
    b.ret(I1(0))

    row_fn, b = _body(m, "row")                    # row[j] = base + j
    env, lo, hi, _ = row_fn.args
    row = _load_field(b, env, ENV_ROW, 0, "row")
    base = _load_field(b, env, ENV_ROW, 1, "base")
    with _for(b, lo, hi, "j") as j:
        b.store(b.add(base, j), b.gep(row, [j], source_etype=I64))
    b.ret(I1(0))

    # for i in [lo, hi): parallelize[row](m, max_workers) over out[i*m : (i+1)*m]
    fn, b = _body(m, "nested")
    env, lo, hi, ctx = fn.args
    inner = b.alloca(ENV_ROW, name="inner")
    out = _load_field(b, env, ENV_NEST, 0, "out")
    width = _load_field(b, env, ENV_NEST, 1, "m")
    max_workers = _load_field(b, env, ENV_NEST, 2, "max_workers")
    with _for(b, lo, hi, "i") as i:
        base = b.mul(i, width, name="base")
        b.store(b.gep(out, [base], source_etype=I64), _field(b, inner, ENV_ROW, 0))
        b.store(base, _field(b, inner, ENV_ROW, 1))
        failed = b.call(parallel_for, [row_fn, inner, width, max_workers, ctx], name="failed")
        with b.if_then(failed):
            b.ret(I1(1))
    b.ret(I1(0))

    # i1 drive(body, env, n, max_workers, ctx, reps): `reps` regions, stop at a failure
    fn = ir.Function(m, ir.FunctionType(I1, [PTR, PTR, I64, I64, PTR, I64]), "drive")
    body, env, n, max_workers, ctx, reps = fn.args
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    with _for(b, I64(0), reps, "rep"):
        failed = b.call(parallel_for, [body, env, n, max_workers, ctx], name="failed")
        with b.if_then(failed):
            b.ret(I1(1))
    b.ret(I1(0))
    return m


class Kernels:
    """The test bodies, compiled; `run` calls `drive` through ctypes."""

    BODIES = ("empty", "square", "hits", "who", "total", "fail_range", "nested", "meet")

    def __init__(self):
        ensure_runtime()
        tm = jit.target_machine(2)
        mod = llvm.parse_assembly(str(_build_module()))
        mod.verify()
        mod.triple = llvm.get_process_triple()
        mod.data_layout = str(tm.target_data)
        pb = llvm.create_pass_builder(tm, llvm.create_pipeline_tuning_options(speed_level=2))
        pb.getModulePassManager().run(mod, pb)
        self._engine = llvm.create_mcjit_compiler(mod, tm)
        self._engine.finalize_object()
        self.addr = {name: self._engine.get_function_address(name) for name in self.BODIES}
        c = ctypes
        self._drive = c.CFUNCTYPE(c.c_bool, c.c_void_p, c.c_void_p, c.c_int64, c.c_int64,
                                  c.c_void_p, c.c_int64)(self._engine.get_function_address("drive"))

    def run(self, body: str, env, n: int, max_workers: int = 0, reps: int = 1):
        """(failed, ctx) after `reps` regions of `body` over range(n)."""
        ctx = jit.Ctx()
        failed = self._drive(self.addr[body], ctypes.addressof(env) if env is not None else None,
                             n, max_workers, ctypes.addressof(ctx), reps)
        return bool(failed), ctx


class EnvPtrs(ctypes.Structure):
    _fields_ = [("p", ctypes.c_void_p)]


class EnvFail(ctypes.Structure):
    _fields_ = [("counts", ctypes.c_void_p), ("bad_from", ctypes.c_int64),
                ("bad_to", ctypes.c_int64)]


class EnvMeet(ctypes.Structure):
    _fields_ = [("flags", ctypes.c_void_p), ("who", ctypes.c_void_p)]


class EnvNest(ctypes.Structure):
    _fields_ = [("out", ctypes.c_void_p), ("m", ctypes.c_int64), ("max_workers", ctypes.c_int64)]


def env_of(array: np.ndarray) -> EnvPtrs:
    return EnvPtrs(array.ctypes.data)


def os_threads() -> int:
    with open("/proc/self/status") as f:
        return int(re.search(r"^Threads:\s+(\d+)", f.read(), re.M).group(1))


@pytest.fixture(scope="module")
def k() -> Kernels:
    return Kernels()


@pytest.fixture(autouse=True)
def _keep_thread_count():
    saved = get_num_threads()
    yield
    set_num_threads(saved)


THREADS = [1, 2, 8]      # 8: more threads than this machine's cores (in CI: 2)
SIZES = [0, 1, 3, 1009, 10**6]


# ------------------------------------------------------------------ the module
def test_runtime_ir_verifies_and_keeps_the_abi():
    mod = llvm.parse_assembly(threadpool.runtime_ir())
    mod.verify()
    text = str(mod)         # LLVM's own spelling, whatever llvmlite's printing mode
    checks = ["define i1 @mojolite_parallel_for(ptr %body, ptr %env, i64 %n, "
              "i64 %max_workers, ptr %ctx)",
              "define void @mojolite_set_num_threads(i64 %n)",
              "define i64 @mojolite_get_num_threads()",
              "call i32 @pthread_create(",
              "call i64 (i64, ...) @syscall(i64 202, ptr %word, i64 128",     # FUTEX_WAIT
              "call void @llvm.x86.sse2.pause()"]
    if os.uname().machine != "x86_64":
        checks = checks[:4]
    for check in checks:
        assert check in text, check
    assert "thread_local" not in text      # MCJIT cannot allocate TLS


def test_ensure_runtime_is_idempotent_and_registers_the_symbols():
    ensure_runtime()
    addresses = {name: llvm.address_of_symbol(name) for name in threadpool.EXPORTS}
    ensure_runtime()
    assert all(addresses.values())
    assert addresses == {name: llvm.address_of_symbol(name) for name in threadpool.EXPORTS}


def test_thread_count_api():
    set_num_threads(3)
    assert get_num_threads() == 3
    set_num_threads(threadpool.MAX_THREADS)
    assert get_num_threads() == threadpool.MAX_THREADS
    for bad in (2.0, "2", True, None):
        with pytest.raises(TypeError, match="expected an int"):
            set_num_threads(bad)
    for bad in (0, -1, threadpool.MAX_THREADS + 1):
        with pytest.raises(ValueError, match=f"between 1 and {threadpool.MAX_THREADS}, got {bad}"):
            set_num_threads(bad)
    assert get_num_threads() == threadpool.MAX_THREADS


@pytest.mark.parametrize("raw, expected, warns", [
    ("3", 3, False), (" 8 ", 8, False), ("", None, False), ("0", None, True),
    ("-2", None, True), ("four", None, True), ("100000", threadpool.MAX_THREADS, True)])
def test_env_variable(monkeypatch, raw, expected, warns):
    monkeypatch.setenv("MOJOLITE_NUM_THREADS", raw)
    default = min(len(os.sched_getaffinity(0)), threadpool.MAX_THREADS)
    with warnings_recorded() as caught:
        n = threadpool._initial_num_threads()
    assert n == (default if expected is None else expected)
    assert bool(caught) == warns
    if warns:
        assert "MOJOLITE_NUM_THREADS" in str(caught[0].message)


@contextlib.contextmanager
def warnings_recorded():
    import warnings
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield caught


# ------------------------------------------------------------------ results
@pytest.mark.parametrize("threads", THREADS)
@pytest.mark.parametrize("n", SIZES)
def test_every_item_runs_exactly_once(k, threads, n):
    set_num_threads(threads)
    counts = np.zeros(n, dtype=np.int32)
    failed, ctx = k.run("hits", env_of(counts), n)
    assert not failed and ctx.code == 0
    assert (counts == 1).all()
    assert not k.run("hits", env_of(counts), n, reps=2)[0]
    assert (counts == 3).all()


@pytest.mark.parametrize("threads", THREADS)
@pytest.mark.parametrize("n", SIZES)
def test_results_equal_the_serial_loop(k, threads, n):
    set_num_threads(threads)
    out = np.full(n, -1, dtype=np.int64)
    failed, _ = k.run("square", env_of(out), n)
    assert not failed
    np.testing.assert_array_equal(out, np.arange(n, dtype=np.int64) ** 2)


@pytest.mark.parametrize("threads", THREADS)
def test_atomic_sum(k, threads):
    set_num_threads(threads)
    acc = np.zeros(1, dtype=np.int64)
    n = 10**6
    assert not k.run("total", env_of(acc), n, reps=3)[0]
    assert acc[0] == 3 * n * (n - 1) // 2


def test_num_workers_caps_one_region(k):
    set_num_threads(8)
    self_id = ctypes.CDLL(None).pthread_self
    self_id.restype = ctypes.c_uint64
    who = np.zeros(10**5, dtype=np.uint64)
    for cap, most in ((1, 1), (2, 2), (0, 8), (100, 8)):
        who[:] = 0
        assert not k.run("who", env_of(who), len(who), max_workers=cap)[0]
        assert 1 <= len(set(who.tolist())) <= most
        if cap == 1:        # a single worker is the calling thread
            assert set(who.tolist()) == {self_id()}


@pytest.mark.parametrize("threads", [2, 8])
def test_pool_threads_join_a_region_that_has_work_for_them(k, threads):
    """The caller withdraws offers that no thread took up once it runs out of
    chunks; a region whose two items wait for each other must still get two
    threads (a pool that never joined would leave who == [0, 0])."""
    set_num_threads(threads)
    self_id = ctypes.CDLL(None).pthread_self
    self_id.restype = ctypes.c_uint64
    for _ in range(20):
        flags, who = np.zeros(2, dtype=np.int64), np.zeros(2, dtype=np.uint64)
        assert not k.run("meet", EnvMeet(flags.ctypes.data, who.ctypes.data), 2)[0]
        assert flags.tolist() == [1, 1]
        assert who[0] != 0 and who[1] != 0 and who[0] != who[1]
        assert self_id() in who.tolist()


@pytest.mark.parametrize("threads", [2, 8])
@pytest.mark.parametrize("inner_workers", [0, 2])
def test_nested_regions_run_serially_inside(k, threads, inner_workers):
    set_num_threads(threads)
    n, m = 37, 101
    out = np.full(n * m, -1, dtype=np.int64)
    env = EnvNest(out.ctypes.data, m, inner_workers)
    failed, _ = k.run("nested", env, n, reps=20)
    assert not failed
    np.testing.assert_array_equal(out, np.arange(n * m))


def test_100000_regions_in_one_native_call(k):
    set_num_threads(2)
    counts = np.zeros(64, dtype=np.int32)
    k.run("hits", env_of(counts), len(counts))         # the pool threads exist from here
    before = os_threads()
    counts[:] = 0
    failed, _ = k.run("hits", env_of(counts), len(counts), reps=100_000)
    assert not failed
    assert (counts == 100_000).all()
    assert os_threads() == before                      # no thread per region


@pytest.mark.parametrize("threads", [2, 8])
def test_two_python_threads_at_once(k, threads):
    set_num_threads(threads)
    n, reps = 10_000, 300
    results, errors = {}, []
    start = threading.Barrier(2)

    def worker(name, body):
        try:
            buf = np.zeros(n, dtype=np.int32 if body == "hits" else np.int64)
            start.wait()
            results[name] = (k.run(body, env_of(buf), n, reps=reps)[0], buf)
        except BaseException as exc:       # re-raised in the main thread
            errors.append(exc)

    ts = [threading.Thread(target=worker, args=("a", "hits")),
          threading.Thread(target=worker, args=("b", "square"))]
    for t in ts:
        t.start()
    for t in ts:
        t.join(timeout=60)
        assert not t.is_alive(), "deadlock"
    assert not errors, errors
    assert not results["a"][0] and (results["a"][1] == reps).all()
    assert not results["b"][0]
    np.testing.assert_array_equal(results["b"][1], np.arange(n, dtype=np.int64) ** 2)


# ------------------------------------------------------------------ failures
@pytest.mark.parametrize("threads", THREADS)
def test_error_in_the_third_item(k, threads):
    set_num_threads(threads)
    counts = np.zeros(1000, dtype=np.int32)
    failed, ctx = k.run("fail_range", EnvFail(counts.ctypes.data, 3, 4), 1000)
    assert failed
    assert (ctx.code, ctx.site, ctx.a) == (FAIL_CODE, FAIL_SITE, 3)
    assert counts[3] == 0 and counts.max() <= 1 and counts[:3].sum() == 3
    # the pool is still usable
    out = np.zeros(1009, dtype=np.int64)
    assert not k.run("square", env_of(out), 1009)[0]
    np.testing.assert_array_equal(out, np.arange(1009) ** 2)


@pytest.mark.parametrize("threads", [2, 8])
def test_error_stops_the_region_and_reports_one_failing_chunk(k, threads):
    set_num_threads(threads)
    n, bad = 100_000, 50_000
    for _ in range(200):
        counts = np.zeros(n, dtype=np.int32)
        failed, ctx = k.run("fail_range", EnvFail(counts.ctypes.data, bad, n), n)
        assert failed and (ctx.code, ctx.site) == (FAIL_CODE, FAIL_SITE)
        # the first failing item of the chunk [ctx.b, ...) that claimed the failure
        assert bad <= ctx.a < n and ctx.a == max(ctx.b, bad)
        assert counts.max() <= 1 and counts[bad:].sum() == 0
    # many failing regions in one native call, then a clean one
    counts = np.zeros(n, dtype=np.int32)
    failed, ctx = k.run("fail_range", EnvFail(counts.ctypes.data, n - 1, n), n, reps=1)
    assert failed and ctx.a == n - 1
    counts[:] = 0
    assert not k.run("hits", env_of(counts), n, reps=1000)[0]
    assert (counts == 1000).all()


def test_error_in_a_serial_region_fills_ctx(k):
    set_num_threads(1)
    counts = np.zeros(10, dtype=np.int32)
    failed, ctx = k.run("fail_range", EnvFail(counts.ctypes.data, 3, 4), 10)
    assert failed and (ctx.code, ctx.site, ctx.a, ctx.b) == (FAIL_CODE, FAIL_SITE, 3, 0)
    assert counts.tolist() == [1, 1, 1] + [0] * 7


# ------------------------------------------------------------------ the process
@pytest.mark.parametrize("threads", [2, 8])
def test_idle_process_uses_no_cpu(k, threads):
    set_num_threads(threads)
    out = np.zeros(10**5, dtype=np.int64)
    assert not k.run("square", env_of(out), len(out), reps=100)[0]
    cpu, wall = time.process_time(), time.perf_counter()
    time.sleep(0.2)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    assert cpu < 0.05, f"{cpu:.3f} s of CPU in {wall:.3f} s of idle time"


def _scenario(mode: str) -> None:
    """Run in a fresh interpreter by `test_process_exits_cleanly`."""
    k = Kernels()
    print(f"threads={get_num_threads()}", flush=True)
    out = np.zeros(10**5, dtype=np.int64)
    assert not k.run("square", env_of(out), len(out), reps=10)[0]
    assert (out == np.arange(len(out)) ** 2).all()
    if mode == "asleep":
        time.sleep(0.05)        # the pool threads are in FUTEX_WAIT now
    elif mode == "fork":
        pid = os.fork()
        if pid == 0:            # only this thread exists in the child
            counts = np.zeros(1009, dtype=np.int32)
            failed, _ = k.run("hits", env_of(counts), len(counts), reps=100)
            os._exit(0 if not failed and (counts == 100).all() else 3)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, status
        assert not k.run("square", env_of(out), len(out), reps=10)[0]
    # "spinning": exit while the pool threads still spin after the last region
    print("done", flush=True)


@pytest.mark.parametrize("mode", ["spinning", "asleep", "fork"])
def test_process_exits_cleanly(mode):
    code = (f"import sys; sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'tests')!r}]\n"
            f"import test_threadpool; test_threadpool._scenario({mode!r})\n")
    env = dict(os.environ, MOJOLITE_NUM_THREADS="4")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=60)
    elapsed = time.perf_counter() - t0
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["threads=4", "done"]
    assert elapsed < 15


# ------------------------------------------------------------------ stress (slow)
@pytest.mark.slow
@pytest.mark.parametrize("threads", [2, 3, 8, 32])
def test_stress_many_regions(k, threads):
    set_num_threads(threads)
    for n in (1, 2, 7, 100, 4096):
        counts = np.zeros(n, dtype=np.int32)
        assert not k.run("hits", env_of(counts), n, reps=200_000 // threads)[0]
        assert (counts == 200_000 // threads).all()


@pytest.mark.slow
@pytest.mark.parametrize("threads", [2, 8])
def test_stress_four_python_threads(k, threads):
    set_num_threads(threads)
    errors = []

    def worker(seed):
        try:
            rng = np.random.default_rng(seed)
            for _ in range(200):
                n = int(rng.integers(0, 5000))
                counts = np.zeros(n, dtype=np.int32)
                bad = int(rng.integers(0, 2 * n + 1))
                failed, ctx = k.run("fail_range", EnvFail(counts.ctypes.data, bad, bad + 1), n,
                                    reps=int(rng.integers(1, 50)))
                assert failed == (bad < n)
                if failed:
                    assert ctx.a == bad
        except BaseException as exc:
            errors.append(exc)

    ts = [threading.Thread(target=worker, args=(seed,)) for seed in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(timeout=300)
        assert not t.is_alive()
    assert not errors, errors


@pytest.mark.slow
def test_region_overhead(k, capsys):
    """Not a unit test of speed: prints the cost of an empty region."""
    for threads in (1, 2, 8):
        set_num_threads(threads)
        k.run("empty", None, 1000, reps=1000)
        t0 = time.perf_counter()
        k.run("empty", None, 1000, reps=100_000)
        per = (time.perf_counter() - t0) / 100_000
        with capsys.disabled():
            print(f"\n{threads} threads: {per * 1e6:.2f} us per empty region of 1000 items")


# ------------------------------------------------------------------ compiled beside the front end
PARALLEL_FILL = '''
from algorithm import parallelize

fn fill(t: Tensor[DType.float64]):
    @parameter
    fn body(i: Int):
        t[i] = Float64(i)
    parallelize[body](t.dim(0))
'''


def _in_fresh_process(code: str) -> list[str]:
    """Run `code` in a new process with no disk cache (so the pool is compiled);
    its printed lines. Nothing may reach stderr (no thread's traceback)."""
    prelude = (f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
               f"import numpy as np, mojolite\nfrom mojolite.codegen import pool, threadpool\n"
               f"SRC = {PARALLEL_FILL!r}\n")
    proc = subprocess.run([sys.executable, "-c", prelude + code], capture_output=True,
                          text=True, env=dict(os.environ, MOJOLITE_CACHE="0"), timeout=120)
    assert proc.returncode == 0 and not proc.stderr, proc.stderr
    return proc.stdout.split()


def test_pool_is_compiled_beside_the_front_end():
    """Loading a program that uses parallelize (and only such a program) starts the
    pool's compile on a thread of its own; the switch interval it shortens meanwhile
    is put back."""
    out = _in_fresh_process(
        "before = sys.getswitchinterval()\n"
        "mojolite.compile('fn f() -> Int:\\n    return 1\\n').f()\n"
        "print(pool._preparing is None)\n"
        "m = mojolite.compile(SRC)\n"
        "print(pool._preparing is not None)\n"
        "pool._preparing.join()\n"
        "print(pool._code is not None, sys.getswitchinterval() == before)\n"
        "t = np.zeros(4); m.fill(t); print(*t.astype(int))\n")
    assert out == ["True", "True", "True", "True", "0", "1", "2", "3"]


def test_pool_compile_failing_beside_the_front_end_is_made_again_where_used():
    """A failure on the compile thread is silent: the first parallel call builds the
    pool again (and would report a failure there, in the caller's thread)."""
    out = _in_fresh_process(
        "real, calls = threadpool.compile_runtime, []\n"
        "def flaky():\n"
        "    calls.append(1)\n"
        "    if len(calls) == 1:\n"
        "        raise RuntimeError('no pool this time')\n"
        "    return real()\n"
        "threadpool.compile_runtime = flaky\n"
        "m = mojolite.compile(SRC)\n"
        "pool._preparing.join()\n"
        "print(pool._code is None)\n"
        "t = np.zeros(3); m.fill(t); print(len(calls), *t.astype(int))\n")
    assert out == ["True", "2", "0", "1", "2"]


def test_a_fork_while_the_pool_compiles_waits_for_it():
    """A child forked right after loading (while the pool's compile thread holds
    its locks) can still run parallel code: fork waits for the thread."""
    out = _in_fresh_process(
        "m = mojolite.compile(SRC)\n"
        "import os\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    t = np.zeros(3); m.fill(t); print('child', *t.astype(int), flush=True)\n"
        "    os._exit(0)\n"
        "os.waitpid(pid, 0)\n"
        "print('parent', pool._preparing.is_alive())\n")
    assert out == ["child", "0", "1", "2", "parent", "False"]

"""The native thread pool behind `parallelize[body](n)`, written in LLVM IR.

In: nothing but the process's C library (pthread_create, syscall(SYS_futex),
clock_gettime, sched_yield, sigfillset, pthread_sigmask): no C compiler, no
Python on the per-task path. Out: `compile_runtime()`, which builds the IR
below, verifies it, optimises it (O3, new pass builder) and compiles it with
MCJIT (storing the object code in the disk cache); `pool.ensure_runtime()`
(re-exported here) calls it once per process when the cache has no code that
`objload` can map, and publishes these symbols, so any later JIT module that
declares them links against them:

    i1   @mojolite_parallel_for(ptr %body, ptr %env, i64 %n, i64 %max_workers, ptr %ctx)
    void @mojolite_set_num_threads(i64 %n)      ; clamped to [1, MAX_THREADS]
    i64  @mojolite_get_num_threads()

`%body` is `i1 (ptr %env, i64 %start, i64 %end, ptr %ctx)`: it runs items
[start, end) and returns 1 on a failure after filling its ctx (`lower.py`'s
`{i32 code, i32 site, i64 a, i64 b}`). Every chunk gets a zeroed ctx of the
worker's own; when a chunk fails, the ctx of the first failing chunk (the first
to claim the failure) is copied to the caller's `%ctx` after every worker has
stopped, and the call returns 1; another failing chunk's ctx is dropped (the
reference it holds to a raised message's block released). Otherwise it returns 0
and `%ctx` is untouched.
`%env` is passed unchanged to every chunk; `%max_workers <= 0` means the pool's
current count. Python: `set_num_threads`, `get_num_threads`, `runtime_ir`.

Scheduling. A region uses w = min(max_workers or T, T, n) workers: the calling
thread and w - 1 pool threads. T, the thread count, is `MOJOLITE_NUM_THREADS`
as read at first use (an invalid value is ignored with a warning), else the
number of usable cores; `set_num_threads` changes it. Chunks are contiguous
ranges of `chunk = max(1, n // (4 w))` items handed out by an atomic counter,
so a slow worker takes fewer of them. Example: n = 1009, w = 2: chunk = 126, 9
chunks (8 x 126 items from 0, 126, ... 882, then 1 item at 1008). Body calls
cover [0, n) exactly once, unless a failure stops the region: then no worker
claims a new chunk once it sees the failure flag, and chunks already running
finish. n <= 0 returns 0 without calling body; w == 1 calls body(env, 0, n) once
in the calling thread. The region is offered to each of the w - 1 pool threads
(its slot's `offer` word goes IDLE → OFFERED); a thread takes part only if it
turns OFFERED into JOINED before the caller, out of chunks, turns it back to
IDLE. The caller then waits for the threads that joined, and no longer: a pool
thread that the OS has not scheduled yet never delays a region it took no part
in (on a loaded machine, small regions then cost about what the caller's own
work does).

Waiting. A waiting thread (a pool thread between regions, the caller waiting for
the pool threads to finish) polls its word with `pause` between polls, yields
the CPU (sched_yield) every SPIN_BATCH polls, and after SPIN_NS (200 us) of
spinning sleeps in FUTEX_WAIT. A waker does FUTEX_WAKE only when the sleeper has
announced itself, so back-to-back regions never enter the futex calls. An idle
process therefore uses no CPU about 0.2 ms after its last region.

Threads. Pool threads are created on demand, the first time a region needs
them, never more than MAX_THREADS - 1, and never exit; a thread count lowered
later leaves the extra threads asleep. They are detached and block asynchronous
signals (Python handles those in its own threads). At interpreter exit they are
asleep in the kernel or spinning in code that is never unmapped (`pool.py`
keeps what holds it in a module global; neither llvmlite nor `objload` frees
code during interpreter shutdown), and the process's exit ends them. After
`os.fork` the child starts with no pool threads (a fork hook resets the state).

Nesting and concurrency. The pool serves one region at a time; the region's
caller holds a try-lock for its whole duration. A `mojolite_parallel_for` that
finds the lock taken runs its whole range serially in the calling thread:
that is what happens to a region nested in a parallel body (in any worker), and
to a region started by a second thread while the pool is busy. Neither waits on
the other, so neither can deadlock. (MCJIT cannot allocate `thread_local`
globals, "LLVM ERROR: allocation of TLS not implemented", and the lock makes a
thread-local "inside a region" flag unnecessary.)

Linux only (futex, glibc's sigset_t); x86-64, and AArch64 (written for, not tested).
"""
from __future__ import annotations

import contextlib
import platform

from llvmlite import ir

from .irtypes import CODE_RAISED, CTX_FIELDS
from .pool import (  # noqa: F401 (the process state lives in pool.py, without llvmlite)
    CACHE_NAME, ENV_VAR, EXPORTS, MAX_THREADS, _initial_num_threads, ensure_runtime,
    get_num_threads, set_num_threads)

SPIN_NS = 200_000             # spin this long before sleeping in the kernel
SPIN_BATCH = 64               # polls between clock reads (and sched_yield calls)
CHUNKS_PER_WORKER = 4

VOID = ir.VoidType()
I1, I8, I32, I64 = (ir.IntType(n) for n in (1, 8, 32, 64))
PTR = ir.PointerType()
BODY_TYPE = ir.FunctionType(I1, [PTR, I64, I64, PTR])
# Typed only so that llvmlite knows the callee's type at an indirect call; it
# prints as `ptr` (mojolite turns llvmlite's typed-pointer printing off).
BODY_PTR = ir.PointerType(BODY_TYPE)
CTX_TYPE = ir.LiteralStructType(CTX_FIELDS)
# {ptr body, ptr env, i64 n, i64 chunk, i64 nchunks}: written by the caller
# before it wakes the pool threads, read-only during the region.
JOB_TYPE = ir.LiteralStructType([BODY_PTR, PTR, I64, I64, I64])
JOB_BODY, JOB_ENV, JOB_N, JOB_CHUNK, JOB_NCHUNKS = range(5)
# One per pool thread, a cache line each: {i32 gen, i32 sleeping, i32 offer, padding}.
# The caller bumps `gen` to start a region on that thread; `sleeping` says the
# thread is (about to be) in FUTEX_WAIT on `gen`; `offer` is OFFERED while the
# region is open to the thread, JOINED once it took it up, IDLE otherwise.
SLOT_TYPE = ir.LiteralStructType([I32, I32, I32, ir.ArrayType(I8, 52)])
SLOT_GEN, SLOT_SLEEPING, SLOT_OFFER = range(3)
IDLE, OFFERED, JOINED = 0, 1, 2
SIGSET_TYPE = ir.ArrayType(I64, 16)     # glibc's sigset_t: 128 bytes of unsigned long

FUTEX_WAIT_PRIVATE, FUTEX_WAKE_PRIVATE = 128, 129
CLOCK_MONOTONIC = 1
SIG_SETMASK = 2
# Synchronous signals stay unblocked so that a crash in a body is reported.
_SYNC_SIGNALS = (4, 5, 6, 7, 8, 11)     # SIGILL SIGTRAP SIGABRT SIGBUS SIGFPE SIGSEGV
_ARCH = {   # machine → (SYS_futex, spin-wait hint intrinsic, its arguments)
    "x86_64": (202, "llvm.x86.sse2.pause", ()),
    "aarch64": (98, "llvm.aarch64.hint", (1,)),    # hint #1 = yield
}


# ------------------------------------------------------------------ IR
class _Emitter:
    """Builds the runtime module; one method per function, globals in __init__."""

    def __init__(self, machine: str):
        if machine not in _ARCH:
            raise RuntimeError(f"mojolite's thread pool does not support {machine!r}")
        self.sys_futex, pause_name, pause_args = _ARCH[machine]
        m = self.module = ir.Module(name="mojolite.threadpool")

        def global_(name, ty, init=None, align=64):
            gv = ir.GlobalVariable(m, ty, name)
            gv.linkage = "internal"
            gv.initializer = ir.Constant(ty, init)
            gv.align = align
            return gv

        # Each word that several threads write gets its own cache line.
        self.busy = global_("pool.busy", I32, 0)                  # the try-lock
        self.job = global_("pool.job", JOB_TYPE)
        self.next = global_("pool.next", I64, 0)                  # next chunk index
        self.failed = global_("pool.failed", I32, 0)              # also "stop"
        self.fail_ctx = global_("pool.fail_ctx", CTX_TYPE, align=8)
        self.pending = global_("pool.pending", I32, 0)            # pool threads still running
        self.caller_sleeping = global_("pool.caller_sleeping", I32, 0)
        self.slots = global_("pool.slots", ir.ArrayType(SLOT_TYPE, MAX_THREADS - 1))
        self.started = global_("pool.started", I32, 0, align=4)   # pool threads created
        self.num_threads = global_("pool.num_threads", I64, 1, align=8)

        def extern(name, ret, args, var_arg=False):
            fn = ir.Function(m, ir.FunctionType(ret, args, var_arg=var_arg), name)
            fn.attributes.add("nounwind")
            return fn

        self.syscall = extern("syscall", I64, [I64], var_arg=True)
        self.clock_gettime = extern("clock_gettime", I32, [I32, PTR])
        self.sched_yield = extern("sched_yield", I32, [])
        self.pthread_create = extern("pthread_create", I32, [PTR, PTR, PTR, PTR])
        self.pthread_detach = extern("pthread_detach", I32, [I64])
        self.pthread_sigmask = extern("pthread_sigmask", I32, [I32, PTR, PTR])
        self.sigfillset = extern("sigfillset", I32, [PTR])
        self.sigdelset = extern("sigdelset", I32, [PTR, I32])
        self.memset = extern("llvm.memset.p0.i64", VOID, [PTR, I8, I64, I1])
        self.free = extern("free", VOID, [PTR])
        self.pause_fn = extern(pause_name, VOID, [I32] * len(pause_args))
        self.pause_args = [I32(a) for a in pause_args]

        self.now_ns = self.emit_now_ns()
        self.futex_wait, self.futex_wake = self.emit_futex()
        self.wait_change = self.emit_wait_change()
        self.run_chunks = self.emit_run_chunks()
        self.worker_main = self.emit_worker_main()
        self.grow = self.emit_grow()
        self.emit_parallel_for()
        self.emit_thread_count()
        self.emit_after_fork()

    # -- small helpers
    def function(self, name, ret, args, arg_names, exported=False):
        """A function, its `entry` block (allocas only) and a builder at `start`."""
        fn = ir.Function(self.module, ir.FunctionType(ret, args), name)
        if not exported:
            fn.linkage = "internal"
        fn.attributes.add("nounwind")
        for a, n in zip(fn.args, arg_names):
            a.name = n
        entry = fn.append_basic_block("entry")
        start = fn.append_basic_block("start")
        allocas = ir.IRBuilder(entry)
        allocas.branch(start)
        allocas.position_at_start(entry)
        return fn, allocas, ir.IRBuilder(start)

    @staticmethod
    def field(b, ptr, ty, index, name):
        """&ptr-><index>; a global's or alloca's own type says what it points to
        (llvmlite's typed-pointer bookkeeping; the IR is the same)."""
        etype = ty if ptr.type.is_opaque else None
        return b.gep(ptr, [I32(0), I32(index)], inbounds=True, source_etype=etype, name=name)

    def slot_field(self, b, k, index, name):
        """&pool.slots[k].<index>"""
        return b.gep(self.slots, [I32(0), k, I32(index)], inbounds=True, name=name)

    @staticmethod
    def min_(b, x, y, name):
        return b.select(b.icmp_signed("<", x, y), x, y, name=name)

    @staticmethod
    def call_body_serially(b, allocas, body, env, n, ctx):
        """body(env, 0, n, <fresh ctx>); copy that ctx to `ctx` on failure; return the flag."""
        lctx = allocas.alloca(CTX_TYPE, name="serial.ctx")
        b.store(ir.Constant(CTX_TYPE, None), lctx)
        failed = b.call(body, [env, I64(0), n, lctx], name="serial.failed")
        with b.if_then(failed):
            b.store(b.load(lctx, typ=CTX_TYPE), ctx)
        b.ret(failed)

    # -- functions
    def emit_now_ns(self):
        fn, allocas, b = self.function("pool.now_ns", I64, [], [])
        ts = allocas.alloca(ir.LiteralStructType([I64, I64]), name="ts")
        b.call(self.clock_gettime, [I32(CLOCK_MONOTONIC), ts])
        sec = b.load(self.field(b, ts, ts.allocated_type, 0, "ts.sec"), typ=I64)
        nsec = b.load(self.field(b, ts, ts.allocated_type, 1, "ts.nsec"), typ=I64)
        b.ret(b.add(b.mul(sec, I64(1_000_000_000)), nsec, name="ns"))
        return fn

    def emit_futex(self):
        wait, _, b = self.function("pool.futex_wait", VOID, [PTR, I32], ["word", "seen"])
        word, seen = wait.args
        # Returns at once if *word != seen (EAGAIN); wakes up on FUTEX_WAKE or spuriously.
        b.call(self.syscall, [I64(self.sys_futex), word, I64(FUTEX_WAIT_PRIVATE),
                              b.zext(seen, I64), ir.Constant(PTR, None)])
        b.ret_void()
        wake, _, b = self.function("pool.futex_wake", VOID, [PTR], ["word"])
        b.call(self.syscall, [I64(self.sys_futex), wake.args[0], I64(FUTEX_WAKE_PRIVATE),
                              I64(2**31 - 1)])
        b.ret_void()
        return wait, wake

    def emit_wait_change(self):
        """`i32 wait_change(ptr word, i32 seen, ptr sleeping)`: a value of *word != seen.

            start → spin ⟲ (poll; pause) ─ changed ─────────────────→ ret v
                    spin.check: time left? ─ yes: sched_yield → spin
                                └─ no → sleep: sleeping = 1; v = *word
                                        ├─ v != seen → sleeping = 0; ret v
                                        └─ FUTEX_WAIT(word, seen) → sleep

        Storing `sleeping` then loading the word, against the waker's store to
        the word then load of `sleeping` (all seq_cst), guarantees that one of
        the two sees the other: no wake-up is lost.
        """
        fn, allocas, b = self.function("pool.wait_change", I32, [PTR, I32, PTR],
                                       ["word", "seen", "sleeping"])
        word, seen, sleeping = fn.args
        polls = allocas.alloca(I32, name="polls")
        deadline = b.add(b.call(self.now_ns, []), I64(SPIN_NS), name="deadline")
        b.store(I32(0), polls)
        spin, spin_next, check, yield_, sleep, woke, changed = (
            fn.append_basic_block(n) for n in ("spin", "spin.next", "spin.check", "spin.yield",
                                               "sleep", "sleep.woke", "changed"))
        b.branch(spin)

        b.position_at_end(spin)
        v = b.load_atomic(word, "acquire", 4, name="v", typ=I32)
        b.cbranch(b.icmp_unsigned("!=", v, seen), changed, spin_next)

        b.position_at_end(spin_next)
        b.call(self.pause_fn, self.pause_args)
        n = b.add(b.load(polls, typ=I32), I32(1), name="polls.next")
        b.store(n, polls)
        b.cbranch(b.icmp_unsigned("<", n, I32(SPIN_BATCH)), spin, check)

        b.position_at_end(check)
        b.store(I32(0), polls)
        time_left = b.icmp_signed("<", b.call(self.now_ns, []), deadline, name="time.left")
        b.cbranch(time_left, yield_, sleep)

        b.position_at_end(yield_)
        b.call(self.sched_yield, [])
        b.branch(spin)

        b.position_at_end(sleep)
        atomic_store(b, I32(1), sleeping, "seq_cst")
        v2 = b.load_atomic(word, "seq_cst", 4, name="v.sleep", typ=I32)
        wait = fn.append_basic_block("sleep.wait")
        b.cbranch(b.icmp_unsigned("!=", v2, seen), woke, wait)
        b.position_at_end(wait)
        b.call(self.futex_wait, [word, seen])
        b.branch(sleep)

        b.position_at_end(woke)
        atomic_store(b, I32(0), sleeping, "monotonic")
        b.ret(v2)

        b.position_at_end(changed)
        b.ret(v)
        return fn

    def emit_run_chunks(self):
        """`void run_chunks()`: the chunk loop every worker of a region runs.

            start → claim: failed? ─ yes ─────────────────────────→ done
                           idx = next++; idx >= nchunks? ─ yes ───→ done
                    run:   body(env, idx*chunk, min(.. + chunk, n), ctx)
                           ├─ ok → claim
                           └─ failed → failed = 1 (first? copy ctx) → done
                                       not first: release its message's block, if any
        """
        fn, allocas, b = self.function("pool.run_chunks", VOID, [], [])
        lctx = allocas.alloca(CTX_TYPE, name="ctx")
        body_ptr = self.field(b, self.job, JOB_TYPE, JOB_BODY, "job.body")
        body = b.load(body_ptr, typ=BODY_PTR, name="body")
        env = b.load(self.field(b, self.job, JOB_TYPE, JOB_ENV, "job.env"), typ=PTR, name="env")
        n = b.load(self.field(b, self.job, JOB_TYPE, JOB_N, "job.n"), typ=I64, name="n")
        chunk = b.load(self.field(b, self.job, JOB_TYPE, JOB_CHUNK, "job.chunk"), typ=I64,
                       name="chunk")
        nchunks = b.load(self.field(b, self.job, JOB_TYPE, JOB_NCHUNKS, "job.nchunks"),
                         typ=I64, name="nchunks")
        claim, claim2, run, fail, copy, drop, done = (
            fn.append_basic_block(n) for n in ("claim", "claim.index", "run", "run.failed",
                                               "run.first_failure", "run.later_failure",
                                               "done"))
        b.branch(claim)

        b.position_at_end(claim)
        stopped = b.load_atomic(self.failed, "monotonic", 4, name="stopped", typ=I32)
        b.cbranch(b.icmp_unsigned("!=", stopped, I32(0)), done, claim2)

        b.position_at_end(claim2)
        idx = b.atomic_rmw("add", self.next, I64(1), "monotonic", name="idx")
        b.cbranch(b.icmp_signed(">=", idx, nchunks), done, run)

        b.position_at_end(run)
        lo = b.mul(idx, chunk, name="lo")
        hi = self.min_(b, b.add(lo, chunk), n, "hi")
        b.store(ir.Constant(CTX_TYPE, None), lctx)
        failed = b.call(body, [env, lo, hi, lctx], name="failed")
        b.cbranch(failed, fail, claim)

        b.position_at_end(fail)
        first = b.extract_value(b.cmpxchg(self.failed, I32(0), I32(1), "acq_rel", "monotonic"),
                                1, name="first")
        b.cbranch(first, copy, drop)

        b.position_at_end(copy)
        b.store(b.load(lctx, typ=CTX_TYPE), self.fail_ctx)
        b.branch(done)

        b.position_at_end(drop)
        self.release_message(fn, b, b.load(lctx, typ=CTX_TYPE))
        b.branch(done)

        b.position_at_end(done)
        b.ret_void()
        return fn

    def release_message(self, fn, b, ctx):
        """A failure record that no one reads: the reference it holds to a raised
        Error's message on the heap (code RAISED, b < 0, a = the String block,
        refcount first) is released (`memory._tensor_release`'s steps)."""
        code = b.extract_value(ctx, 0, name="code")
        length = b.extract_value(ctx, 3, name="length")
        owned = b.and_(b.icmp_unsigned("==", code, I32(CODE_RAISED)),
                       b.icmp_signed("<", length, I64(0)), name="owned")
        counted = fn.append_basic_block("message.counted")
        last = fn.append_basic_block("message.last")
        after = fn.append_basic_block("message.done")
        b.cbranch(owned, counted, after)
        b.position_at_end(counted)
        block = b.inttoptr(b.extract_value(ctx, 2), PTR, name="block")
        old = b.atomic_rmw("sub", block, I64(1), "acq_rel", "old")
        b.cbranch(b.icmp_signed("==", old, I64(1)), last, after)
        b.position_at_end(last)
        b.call(self.free, [block])
        b.branch(after)
        b.position_at_end(after)

    def emit_worker_main(self):
        """`ptr worker_main(ptr slot)`: a pool thread; never returns.

            start → loop: gen = wait_change(slot.gen, seen)
                          offer OFFERED → JOINED? ─ no (withdrawn) → loop
                          run_chunks()
                          if --pending == 0 and the caller sleeps: FUTEX_WAKE → loop
        """
        fn, allocas, b = self.function("pool.worker_main", PTR, [PTR], ["slot"])
        slot = fn.args[0]
        seen = allocas.alloca(I32, name="seen")
        # A slot's gen is 0 until its thread exists, and only the region's caller,
        # after creating the thread, bumps it.
        b.store(I32(0), seen)
        gen = self.field(b, slot, SLOT_TYPE, SLOT_GEN, "slot.gen")
        sleeping = self.field(b, slot, SLOT_TYPE, SLOT_SLEEPING, "slot.sleeping")
        offer = self.field(b, slot, SLOT_TYPE, SLOT_OFFER, "slot.offer")
        loop, join, wake = (fn.append_basic_block(n) for n in ("loop", "join", "wake.caller"))
        b.branch(loop)

        b.position_at_end(loop)
        b.store(b.call(self.wait_change, [gen, b.load(seen, typ=I32), sleeping]), seen)
        # Take the offer up, unless the caller withdrew it (it found no chunk left
        # for us): then the region is over as far as this thread is concerned.
        joined = b.extract_value(b.cmpxchg(offer, I32(OFFERED), I32(JOINED), "acq_rel",
                                           "monotonic"), 1, name="joined")
        b.cbranch(joined, join, loop)

        b.position_at_end(join)
        b.call(self.run_chunks, [])
        # seq_cst: publishes this thread's writes (the body's, fail_ctx) to the
        # caller, and orders the decrement before the load of caller_sleeping.
        left = b.atomic_rmw("sub", self.pending, I32(1), "seq_cst", name="pending.before")
        last = b.icmp_unsigned("==", left, I32(1), name="last")
        caller_sleeps = b.load_atomic(self.caller_sleeping, "seq_cst", 4, typ=I32)
        b.cbranch(b.and_(last, b.icmp_unsigned("!=", caller_sleeps, I32(0))), wake, loop)

        b.position_at_end(wake)
        b.call(self.futex_wake, [self.pending])
        b.branch(loop)
        return fn

    def emit_grow(self):
        """`i32 grow(i32 want)`: create pool threads until `want` exist; the number
        usable (less than `want` if pthread_create failed). Called under the lock."""
        fn, allocas, b = self.function("pool.grow", I32, [I32], ["want"])
        want = fn.args[0]
        all_ = allocas.alloca(SIGSET_TYPE, name="sigs.all")
        old = allocas.alloca(SIGSET_TYPE, name="sigs.old")
        tid = allocas.alloca(I64, name="tid")
        enough = b.icmp_signed(">=", b.load(self.started, typ=I32), want)
        quick, mask, loop, make, made, unmask = (fn.append_basic_block(n) for n in (
            "enough", "mask", "create", "create.thread", "create.made", "unmask"))
        b.cbranch(enough, quick, mask)

        b.position_at_end(quick)
        b.ret(want)

        b.position_at_end(mask)
        # New threads inherit the creator's mask: block all but synchronous signals.
        b.call(self.sigfillset, [all_])
        for sig in _SYNC_SIGNALS:
            b.call(self.sigdelset, [all_, I32(sig)])
        b.call(self.pthread_sigmask, [I32(SIG_SETMASK), all_, old])
        b.branch(loop)

        b.position_at_end(loop)
        k = b.load(self.started, typ=I32, name="k")
        b.cbranch(b.icmp_signed(">=", k, want), unmask, make)

        b.position_at_end(make)
        slot = b.gep(self.slots, [I32(0), k], inbounds=True, name="slot")
        rc = b.call(self.pthread_create, [tid, ir.Constant(PTR, None), self.worker_main, slot],
                    name="rc")
        b.cbranch(b.icmp_unsigned("==", rc, I32(0)), made, unmask)

        b.position_at_end(made)
        b.call(self.pthread_detach, [b.load(tid, typ=I64)])
        b.store(b.add(k, I32(1)), self.started)
        b.branch(loop)

        b.position_at_end(unmask)
        b.call(self.pthread_sigmask, [I32(SIG_SETMASK), old, ir.Constant(PTR, None)])
        b.ret(self.min_(b, b.load(self.started, typ=I32), want, "usable"))
        return fn

    def emit_parallel_for(self):
        """The exported entry point.

            start: n <= 0 → ret 0
                   w = min(max_workers > 0 ? max_workers : T, T, n); w <= 1 → serial
                   lock taken, or not won → serial
            locked: helpers = grow(w - 1); none → unlock; serial
                   job = {body, env, n, chunk, nchunks}; next = failed = 0;
                   pending = helpers; for k < helpers: slots[k].offer = OFFERED,
                                      ++slots[k].gen (wake if asleep)
                   run_chunks(); for k < helpers: offer OFFERED → IDLE? pending -= 1
                   wait until pending == 0
                   failed? copy fail_ctx → ctx; unlock; ret failed
            serial: body(env, 0, n, fresh ctx)
        """
        fn, allocas, b = self.function(
            "mojolite_parallel_for", I1, [BODY_PTR, PTR, I64, I64, PTR],
            ["body", "env", "n", "max_workers", "ctx"], exported=True)
        body, env, n, max_workers, ctx = fn.args
        empty, try_lock, lock, locked, has_helpers, unlock_serial, serial = (
            fn.append_basic_block(name) for name in (
                "empty", "try_lock", "lock", "locked", "region", "unlock.serial", "serial"))

        b.cbranch(b.icmp_signed("<=", n, I64(0)), empty, try_lock)
        b.position_at_end(empty)
        b.ret(I1(0))

        b.position_at_end(try_lock)
        t = b.load_atomic(self.num_threads, "monotonic", 8, name="threads", typ=I64)
        capped = b.and_(b.icmp_signed(">", max_workers, I64(0)),
                        b.icmp_signed("<", max_workers, t))
        w = self.min_(b, b.select(capped, max_workers, t), n, "workers")
        # Test before the cmpxchg: a nested region then only reads the lock's line.
        taken = b.load_atomic(self.busy, "monotonic", 4, name="busy", typ=I32)
        b.cbranch(b.or_(b.icmp_signed("<=", w, I64(1)), b.icmp_unsigned("!=", taken, I32(0))),
                  serial, lock)

        b.position_at_end(lock)
        won = b.extract_value(b.cmpxchg(self.busy, I32(0), I32(1), "acquire", "monotonic"), 1,
                              name="won")
        b.cbranch(won, locked, serial)

        b.position_at_end(locked)
        helpers = b.call(self.grow, [b.trunc(b.sub(w, I64(1)), I32)], name="helpers")
        b.cbranch(b.icmp_signed(">", helpers, I32(0)), has_helpers, unlock_serial)

        b.position_at_end(unlock_serial)
        atomic_store(b, I32(0), self.busy, "release")
        b.branch(serial)

        b.position_at_end(has_helpers)
        workers = b.add(b.zext(helpers, I64), I64(1), name="workers.used")
        per = b.udiv(n, b.mul(workers, I64(CHUNKS_PER_WORKER)))
        chunk = b.select(b.icmp_unsigned("<", per, I64(1)), I64(1), per, name="chunk")
        partial = b.zext(b.icmp_unsigned("!=", b.urem(n, chunk), I64(0)), I64)
        nchunks = b.add(b.udiv(n, chunk), partial, name="nchunks")
        for index, value in ((JOB_BODY, body), (JOB_ENV, env), (JOB_N, n),
                             (JOB_CHUNK, chunk), (JOB_NCHUNKS, nchunks)):
            b.store(value, self.field(b, self.job, JOB_TYPE, index, "job.field"))
        b.store(I64(0), self.next)
        b.store(I32(0), self.failed)
        b.store(helpers, self.pending)
        # The seq_cst offer publishes the stores above to the pool thread (its
        # cmpxchg acquires them); the bump of gen wakes it.
        with _counted_loop(b, allocas, helpers, "wake") as k:
            atomic_store(b, I32(OFFERED), self.slot_field(b, k, SLOT_OFFER, "slot.offer"),
                         "seq_cst")
            b.atomic_rmw("add", self.slot_field(b, k, SLOT_GEN, "slot.gen"), I32(1), "seq_cst")
            asleep = b.load_atomic(self.slot_field(b, k, SLOT_SLEEPING, "slot.sleeping"),
                                   "seq_cst", 4, typ=I32, name="asleep")
            with b.if_then(b.icmp_unsigned("!=", asleep, I32(0))):
                b.call(self.futex_wake, [self.slot_field(b, k, SLOT_GEN, "slot.gen")])
        b.call(self.run_chunks, [])

        # No chunk is left: withdraw every offer not taken up yet, and wait only
        # for the threads that joined (a descheduled thread delays nothing).
        withdrawn = allocas.alloca(I32, name="withdrawn")
        b.store(I32(0), withdrawn)
        with _counted_loop(b, allocas, helpers, "withdraw") as k:
            ok = b.extract_value(b.cmpxchg(self.slot_field(b, k, SLOT_OFFER, "slot.offer"),
                                           I32(OFFERED), I32(IDLE), "acq_rel", "monotonic"),
                                 1, name="withdrew")
            b.store(b.add(b.load(withdrawn, typ=I32), b.zext(ok, I32)), withdrawn)
        gone = b.load(withdrawn, typ=I32, name="withdrawn.n")
        before = b.atomic_rmw("sub", self.pending, gone, "acq_rel", name="pending.before")
        left = allocas.alloca(I32, name="left")
        b.store(b.sub(before, gone), left)
        wait, waited = fn.append_basic_block("join"), fn.append_basic_block("joined")
        b.branch(wait)
        b.position_at_end(wait)
        cur = b.load(left, typ=I32)
        again = fn.append_basic_block("join.wait")
        b.cbranch(b.icmp_unsigned("==", cur, I32(0)), waited, again)
        b.position_at_end(again)
        b.store(b.call(self.wait_change, [self.pending, cur, self.caller_sleeping]), left)
        b.branch(wait)

        b.position_at_end(waited)
        failed = b.icmp_unsigned("!=", b.load_atomic(self.failed, "monotonic", 4, typ=I32),
                                 I32(0), name="failed")
        with b.if_then(failed):
            b.store(b.load(self.fail_ctx, typ=CTX_TYPE), ctx)
        atomic_store(b, I32(0), self.busy, "release")
        b.ret(failed)

        b.position_at_end(serial)
        self.call_body_serially(b, allocas, body, env, n, ctx)
        for block in [blk for blk in fn.blocks
                      if blk.name.startswith(("empty", "unlock.serial", "serial"))]:
            fn.blocks.remove(block)     # the region first, the short cuts after it
            fn.blocks.append(block)

    def emit_thread_count(self):
        fn, _, b = self.function("mojolite_set_num_threads", VOID, [I64], ["n"], exported=True)
        n = fn.args[0]
        n = self.min_(b, b.select(b.icmp_signed("<", n, I64(1)), I64(1), n), I64(MAX_THREADS),
                      "n.clamped")
        atomic_store(b, n, self.num_threads, "monotonic")
        b.ret_void()
        fn, _, b = self.function("mojolite_get_num_threads", I64, [], [], exported=True)
        b.ret(b.load_atomic(self.num_threads, "monotonic", 8, typ=I64))

    def emit_after_fork(self):
        """In a forked child only the forking thread exists: forget the pool threads."""
        fn, _, b = self.function("mojolite_pool_after_fork", VOID, [], [], exported=True)
        for gv in (self.busy, self.pending, self.caller_sleeping, self.failed, self.started):
            b.store(I32(0), gv)
        size = (MAX_THREADS - 1) * 64
        b.call(self.memset, [self.slots, I8(0), I64(size), I1(0)])
        b.ret_void()


def atomic_store(b: ir.IRBuilder, value, ptr, ordering: str):
    """An atomic store, as an `xchg`: llvmlite's `store_atomic` rejects opaque pointers."""
    b.atomic_rmw("xchg", ptr, value, ordering)


@contextlib.contextmanager
def _counted_loop(b: ir.IRBuilder, allocas: ir.IRBuilder, count, name: str):
    """`for k in range(count)` (i32): <name>.cond → <name>.body → <name>.cond | <name>.end."""
    fn = b.function
    k_slot = allocas.alloca(I32, name=f"{name}.k")
    b.store(I32(0), k_slot)
    cond, body, end = (fn.append_basic_block(f"{name}.{s}") for s in ("cond", "body", "end"))
    b.branch(cond)
    b.position_at_end(cond)
    k = b.load(k_slot, typ=I32, name="k")
    b.cbranch(b.icmp_signed("<", k, count), body, end)
    b.position_at_end(body)
    yield k
    b.store(b.add(b.load(k_slot, typ=I32), I32(1)), k_slot)
    b.branch(cond)
    b.position_at_end(end)


def runtime_ir() -> str:
    """The runtime module's textual IR (unoptimised), for inspection."""
    return str(_Emitter(platform.machine()).module)


# ------------------------------------------------------------------ machine code
def compile_runtime():
    """The pool compiled with MCJIT (its object code from the disk cache when
    `objload` declined it, else compiled and stored): the engine, which
    `pool.ensure_runtime` keeps for the life of the process."""
    from ..jit import cached_engine, target_machine
    # The object code, once per machine: the disk cache keys it by mojolite's own
    # files (this one included), the host CPU and LLVM (see cache.py).
    return cached_engine(runtime_ir(), target_machine(3), 3, CACHE_NAME)

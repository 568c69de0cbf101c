"""The guard against runaway recursion in JIT code (every mode, `--release` too:
no program may crash the process).

In: a `_FunctionLowering` positioned at the start of a function body. Out: its
entry code,

    sp    = ptrtoint llvm.frameaddress(0)
    limit = ctx.b                      ; 0: the first function of this call chain
    limit == 0 → limit = @mojolite.stack_limit(sp); ctx.b = limit
    sp <u limit → fault "recursion too deep ..."

The limit travels in the failure record's `b` word (ctx is passed to every
function; `b` is only read once `code` is set). Each call from Python and each
`parallelize` chunk starts with a zeroed ctx, so the first guarded function of
each asks `@mojolite.stack_limit` (a private helper in each module) for its
limit: STACK_BUDGET bytes below its `sp`, where the thread's stack has that
much room, else the room there is: down to STACK_RESERVE bytes above the low
end of the thread's stack, as `pthread_getattr_np` reports it (the main
thread's follows `ulimit -s`; a Python thread's, `threading.stack_size`; a
pool thread's, the default), rounded to ROUNDING. The fixed budget keeps where
a runaway stops, and which function of a mutual recursion is blamed, the same
from run to run, wherever the stack happens to start (address randomisation,
the environment's size). The reserve is room for what runs below the last
guarded frame: functions off the cycle, a `print` calling back into Python.
Asking the C library is slow for the main thread (it reads /proc/self/maps),
so the answer is cached per thread under a pthread key made once per process
(`runtime.STACK_KEY_SYMBOL`; MCJIT has no thread-local storage of its own). Where
the C library cannot tell, the limit is FALLBACK_BUDGET below `sp`.

A `try` (in any function) saves `b` on entry and its handler, which reads a
raised error's length out of `b`, puts the limit back.

Only functions that can take part in a recursion get the guard: those on a cycle
of the call graph (`callgraph.recursive_symbols`), where a call through a function value
may reach any function used as a value. The rest of the code, kernels and
`@parameter` closures included, pays nothing.
"""
from __future__ import annotations

import sys

from llvmlite import ir

from .irtypes import I32, I64, PTR

STACK_BUDGET = 1 << 20          # bytes of stack one call chain may use, at most
STACK_RESERVE = 48 << 10        # bytes kept free below the deepest guarded frame
ROUNDING = 64 << 10             # a smaller budget is rounded down to a multiple of this
FALLBACK_BUDGET = 256 << 10     # where the thread's stack bounds are unknown
TOO_DEEP = (f"recursion too deep (compiled code allows about {STACK_BUDGET >> 20} MiB of "
            "stack, less where the thread's stack is smaller)")
_HELPER = "mojolite.stack_limit"
_FLOOR = "mojolite.stack_floor"
TOO_DEEP_DATA = ("a value nested too deep to copy or free (each level of a struct holding a "
                 "List of its own kind takes stack, and this thread's stack ran out)")
_ATTR_BYTES = 128               # >= sizeof(pthread_attr_t) on every Linux ABI


def emit_guard(fx, ctx_b_index: int, span) -> None:
    # Tail-recursion elimination would turn a runaway recursion (`return r(n + 1) + 1`
    # too, with an accumulator) into an endless loop at a constant stack pointer:
    # guarded functions keep their calls, so that it faults, `--release` included.
    set.add(fx.llfn.attributes, '"disable-tail-calls"="true"')
    b = fx.builder
    frameaddress = fx.ml.intrinsic("llvm.frameaddress", PTR, [I32], [PTR])
    sp = b.ptrtoint(b.call(frameaddress, [I32(0)], name="sp.frame"), I64, name="sp")
    slot = b.gep(fx.ctx, [I32(0), I32(ctx_b_index)], inbounds=True,
                 source_etype=fx.ml.ctx_type, name="ctx.stack_limit")
    old = b.load(slot, typ=I64, name="stack.limit.in")
    here = b.block
    fresh, join = fx.new_block("stack.first"), fx.new_block("stack.limit")
    b.cbranch(b.icmp_unsigned("==", old, I64(0)), fresh, join).set_weights([1, 1 << 20])
    b.position_at_end(fresh)
    new = b.call(_helper(fx.ml), [sp], name="stack.limit.new")
    b.store(new, slot)
    b.branch(join)
    b.position_at_end(join)
    limit = b.phi(I64, name="stack.limit")
    limit.add_incoming(old, here)
    limit.add_incoming(new, fresh)
    fx.fault_if(b.icmp_unsigned("<", sp, limit), span, TOO_DEEP, "stack")


def _helper(ml) -> ir.Function:
    """`i64 @mojolite.stack_limit(i64 sp)`, defined once per module (see above)."""
    existing = ml.module.globals.get(_HELPER)
    if existing is not None:
        return existing
    fn = ir.Function(ml.module, ir.FunctionType(I64, [I64]), _HELPER)
    fn.linkage = "private"
    for a in ("noinline", "cold", "nounwind"):
        fn.attributes.add(a)
    (sp,) = fn.args
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    thread = b.call(stack_floor(ml), [sp], name="thread")
    room = b.select(b.icmp_unsigned(">", sp, thread), b.sub(sp, thread), I64(0), name="room")
    budget = b.and_(room, I64(-ROUNDING), name="budget")
    budget = b.select(b.icmp_unsigned(">", budget, I64(STACK_BUDGET)), I64(STACK_BUDGET), budget)
    b.ret(b.sub(sp, budget))
    return fn


def emit_data_guard(ml, b: ir.IRBuilder, ctx, site) -> None:
    """In a helper that copies or drops one level of a tree (`memory._element_loop`):
    below the thread's floor (`stack_floor`), fault at `site` and return true."""
    frameaddress = ml.intrinsic("llvm.frameaddress", PTR, [I32], [PTR])
    sp = b.ptrtoint(b.call(frameaddress, [I32(0)], name="sp.frame"), I64, name="sp")
    low = b.icmp_unsigned("<", sp, b.call(stack_floor(ml), [sp], name="floor"))
    with b.if_then(low, likely=False):
        b.call(ml.fault_helper(), [ctx, site, I64(0), I64(0)])
        b.ret(ir.Constant(ir.IntType(1), 1))


def stack_floor(ml) -> ir.Function:
    """`i64 @mojolite.stack_floor(i64 sp)`: STACK_RESERVE bytes above the low end
    of the running thread's stack (cached per thread), else FALLBACK_BUDGET below
    `sp`; defined once per module."""
    existing = ml.module.globals.get(_FLOOR)
    if existing is not None:
        return existing
    fn = ir.Function(ml.module, ir.FunctionType(I64, [I64]), _FLOOR)
    fn.linkage = "private"
    for a in ("noinline", "nounwind"):
        fn.attributes.add(a)
    (sp,) = fn.args
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    fallback = b.sub(sp, I64(FALLBACK_BUDGET))
    if not sys.platform.startswith("linux"):
        b.ret(fallback)
        return fn

    def extern(name, ret, args):
        return ml._get_or_declare(name, ir.FunctionType(ret, args), ("nounwind",))

    from .runtime import STACK_KEY_SYMBOL
    key_var = ml.module.globals.get(STACK_KEY_SYMBOL)
    if key_var is None:
        key_var = ir.GlobalVariable(ml.module, I32, STACK_KEY_SYMBOL)
    key = b.load(key_var, typ=I32, name="key")
    cached = b.ptrtoint(b.call(extern("pthread_getspecific", PTR, [I32]), [key]), I64,
                        name="cached")
    ask, known, done = (fn.append_basic_block(n) for n in ("ask", "known", "done"))
    b.cbranch(b.icmp_unsigned("==", cached, I64(0)), ask, done)

    b.position_at_end(ask)
    attr = b.alloca(ir.ArrayType(ir.IntType(8), _ATTR_BYTES), name="attr")
    attr.align = 16
    low_slot, size_slot = b.alloca(PTR, name="low"), b.alloca(I64, name="size")
    me = b.call(extern("pthread_self", I64, []), [])
    rc = b.call(extern("pthread_getattr_np", I32, [I64, PTR]), [me, attr])
    b.cbranch(b.icmp_signed("==", rc, I32(0)), known, done)

    b.position_at_end(known)
    b.call(extern("pthread_attr_getstack", I32, [PTR, PTR, PTR]), [attr, low_slot, size_slot])
    b.call(extern("pthread_attr_destroy", I32, [PTR]), [attr])
    low = b.ptrtoint(b.load(low_slot, typ=PTR), I64)
    found = b.add(low, I64(STACK_RESERVE), name="found")
    b.call(extern("pthread_setspecific", I32, [I32, PTR]), [key, b.inttoptr(found, PTR)])
    b.branch(done)

    b.position_at_end(done)
    thread = b.phi(I64, name="thread")
    thread.add_incoming(cached, b.function.blocks[0])
    thread.add_incoming(fallback, ask)
    thread.add_incoming(found, known)
    b.ret(thread)
    return fn

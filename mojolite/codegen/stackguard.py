"""The guard against runaway recursion in JIT code (every mode, `--release` too:
no program may crash the process).

In: a `_FunctionLowering` positioned at the start of a function body. Out: its
entry code,

    sp    = ptrtoint llvm.frameaddress(0)
    limit = ctx.b                      ; 0: the first function of this call chain
    limit == 0 → limit = sp - STACK_BUDGET; ctx.b = limit
    sp <u limit → fault "recursion too deep ..."

The limit travels in the failure record's `b` word (ctx is passed to every
function; `b` is only read once `code` is set). Each call from Python and each
`parallelize` chunk starts with a zeroed ctx, so each gets its own budget measured
from the stack pointer of its first function: STACK_BUDGET bytes, well inside the
8 MiB main-thread and default pthread stacks. A `try` (in any function)
saves `b` on entry and its handler, which reads a raised error's length out of `b`,
puts the limit back. MCJIT has no thread-local
storage, hence the ctx word rather than a per-thread depth counter.

Only functions that can take part in a recursion get the guard: those on a cycle
of the call graph (`callgraph.recursive_symbols`), where a call through a function value
may reach any function used as a value. The rest of the code, kernels and
`@parameter` closures included, pays nothing.
"""
from __future__ import annotations

from .irtypes import I32, I64, PTR

STACK_BUDGET = 1 << 20          # bytes of stack one call chain may use
TOO_DEEP = f"recursion too deep (compiled code allows about {STACK_BUDGET >> 20} MiB of stack)"


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
    first = b.icmp_unsigned("==", old, I64(0))
    fresh = b.sub(sp, I64(STACK_BUDGET), name="stack.limit.new")
    limit = b.select(first, fresh, old, name="stack.limit")
    b.store(limit, slot)
    fx.fault_if(b.icmp_unsigned("<", sp, limit), span, TOO_DEEP, "stack")

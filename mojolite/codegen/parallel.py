"""Lowering of `parallelize[body](n, workers)`: an outlined chunk function and one runtime call.

In: a `typed.Parallelize`, met by `lower._FunctionLowering` (passed here as
`fx`, with its builder positioned where the region goes). Out: the IR below;
the thread pool itself is `threadpool.py`, linked in by `jit.compile_ir`.

Once per body closure `@B` (symbol `ml.main.body`, `i1 (ptr ctx, i64 i, ptr
capture...)`), the chunk function the pool threads call:

    define internal i1 @"ml.main.body.parallel_body"(ptr %env, i64 %start, i64 %end, ptr %ctx)
    entry:        %cap.k = load ptr, ptr (getelementptr [K x ptr], %env, 0, k)  ; each capture
                  br chunk.cond
    chunk.cond:   %i = phi [%start, entry], [%i.next, chunk.next]
                  %i < %end ? chunk.body : chunk.end
    chunk.body:   %failed = call i1 @B(ptr %ctx, i64 %i, ptr %cap.0, ...)
                  %failed ? chunk.fail : chunk.next
    chunk.next:   %i.next = %i + 1; br chunk.cond
    chunk.fail:   ret i1 1                       ; @B filled ctx (site, code, a, b)
    chunk.end:    ret i1 0

At the call site, in the enclosing function (`%env` is an entry-block alloca
holding the address of every captured variable, so the closure shares them
with the enclosing function by reference, as a direct call does):

    store ptr %x.slot, ptr %parallel.env[k]      ; for each capture x the body writes
    store T %x, ptr %parallel.in.y; store ptr %parallel.in.y, ptr %parallel.env[k]
                                                 ; for each capture y it only reads

A capture that neither the body nor any closure it calls writes (`copied_in`)
is passed as the address of a copy made just before the region, and the chunk
function copies it once more into an alloca of its own before its loop (the
`%cap.k` it passes to `@B` is then that alloca). Nothing can change such a
variable while the region runs (the enclosing function waits in the runtime
call), so the copies are the same value; but the variable's own slot no longer
escapes, so it stays in a register in the enclosing function, and inside the
chunk the inlined body reads a private alloca that LLVM promotes to a value
hoisted out of the loops (it cannot hoist a load through a pointer that a store
to a Tensor element might alias).
    %failed = call i1 @mojolite_parallel_for(ptr @"<B>.parallel_body", ptr %parallel.env,
                                             i64 %n, i64 %workers, ptr %ctx)
    %failed ? fail : parallel.ok                 ; the function's own failure path

The pool copies the failing chunk's ctx into the caller's `%ctx` once every
worker has stopped, so the enclosing function leaves through `fail` exactly as
after a failed call, and the fault reaches Python with its source location.
`workers` absent is 0: the pool's thread count.
"""
from __future__ import annotations

from llvmlite import ir

from .. import typed
from ..typesys import ListType, Pointer, Tensor
from .irtypes import I1, I64, PTR, llvm_type

PARALLEL_FOR = "mojolite_parallel_for"
PARALLEL_FOR_TYPE = ir.FunctionType(I1, [PTR, PTR, I64, I64, PTR])
BODY_TYPE = ir.FunctionType(I1, [PTR, I64, I64, PTR])
BODY_SUFFIX = ".parallel_body"


def lower_parallelize(fx, e: typed.Parallelize) -> None:
    """Emit the region at fx's builder; a failure goes where a failed call's does."""
    b = fx.builder
    count = fx.visit(e.count)
    workers = I64(0) if e.workers is None else fx.visit(e.workers)
    copied = copied_in(e.fn)
    body = chunk_function(fx.ml, e.fn, copied)
    captures = e.fn.captures
    if captures:
        env = fx.entry_alloca(ir.ArrayType(PTR, len(captures)), "parallel.env")
        for k, (var, copy) in enumerate(zip(captures, copied)):
            address = fx.slot(var)
            if copy:
                ty = llvm_type(var.type)
                value = b.load(address, typ=ty, name=var.name)
                address = fx.entry_alloca(ty, f"parallel.in.{var.name}")
                b.store(value, address)
            # (no source_etype: llvmlite then types the address by the alloca's
            # element type, `ptr`, which accepts any pointer)
            b.store(address, b.gep(env, [I64(0), I64(k)], inbounds=True,
                                   name=f"parallel.env.{var.name}"))
    else:
        env = ir.Constant(PTR, None)
    failed = b.call(runtime_function(fx.ml.module), [body, env, count, workers, fx.ctx],
                    name="parallel.failed")
    fx.check_call(failed)       # to the innermost `try`'s handler, else out through `fail`


def runtime_function(module: ir.Module) -> ir.Function:
    fn = module.globals.get(PARALLEL_FOR)
    if fn is None:
        fn = ir.Function(module, PARALLEL_FOR_TYPE, PARALLEL_FOR)
        fn.attributes.add("nounwind")
    return fn


def chunk_function(ml, closure: typed.Function, copied: list[bool]) -> ir.Function:
    """`i1 @"<closure>.parallel_body"(env, start, end, ctx)`, emitted once per closure
    (`copied`: `copied_in(closure)`)."""
    name = closure.symbol + BODY_SUFFIX
    existing = ml.module.globals.get(name)
    if existing is not None:
        return existing
    callee = ml.functions[closure.symbol]
    fn = ir.Function(ml.module, BODY_TYPE, name)
    fn.linkage = "internal"
    fn.attributes.add("nounwind")
    env, start, end, ctx = fn.args
    for arg, arg_name in zip(fn.args, ("env", "start", "end", "ctx")):
        arg.name = arg_name
    scope = ml.debug.subprogram(fn, closure.name + BODY_SUFFIX, name, closure.span.line,
                                local=True)
    entry = fn.append_basic_block("entry")
    cond, body, step, failed, done = (fn.append_basic_block(f"chunk.{s}")
                                      for s in ("cond", "body", "next", "fail", "end"))
    b = ir.IRBuilder(entry)
    b.debug_metadata = ml.debug.location(closure.span, scope)
    env_type = ir.ArrayType(PTR, max(1, len(closure.captures)))
    captures = []
    for k, (var, copy) in enumerate(zip(closure.captures, copied)):
        address = b.load(b.gep(env, [I64(0), I64(k)], inbounds=True, source_etype=env_type),
                         typ=PTR, name=f"{var.name}.addr")
        if copy:
            ty = llvm_type(var.type)
            value = b.load(address, typ=ty, name=var.name)
            address = b.alloca(ty, name=f"{var.name}.copy")
            b.store(value, address)
        captures.append(address)
    b.branch(cond)
    b.position_at_end(cond)
    i = b.phi(I64, name=closure.params[0].name)
    i.add_incoming(start, entry)
    b.cbranch(b.icmp_signed("<", i, end), body, done)
    b.position_at_end(body)
    res = b.call(callee, [ctx, i, *captures], name="failed")
    b.cbranch(res, failed, step).set_weights([1, 1 << 20])
    b.position_at_end(step)
    nxt = b.add(i, I64(1), name="i.next")
    i.add_incoming(nxt, step)
    b.branch(cond)
    b.position_at_end(failed)
    b.ret(I1(1))
    b.position_at_end(done)
    b.ret(I1(0))
    return fn


def copied_in(closure: typed.Function) -> list[bool]:
    """For each capture of a parallel body: whether it is copied in, because
    neither the body nor a closure it calls writes it (see the module docstring)."""
    written = _written(closure, set())
    return [var not in written for var in closure.captures]


def _written(fn: typed.Function, seen: set[int]) -> set[typed.Var]:
    """The variables `fn`'s body, or a closure it calls, may change: assigned,
    passed as a place (`Ref`), or stored into (a field, a SIMD lane). A Tensor,
    List or pointer variable is not changed by a store to its elements."""
    out: set[typed.Var] = set()
    if id(fn) in seen:
        return out
    seen.add(id(fn))

    def walk(node):
        if isinstance(node, typed.Assign):
            out.update(v for v in node.targets if v is not None)
        elif isinstance(node, typed.Ref):
            out.add(node.var)
        elif isinstance(node, (typed.Store, typed.VStore, typed.StoreField)):
            root = _root(node.base)
            if root is not None and not (isinstance(node, (typed.Store, typed.VStore))
                                         and isinstance(node.base, typed.Load) and
                                         isinstance(root.type, (Tensor, ListType, Pointer))):
                out.add(root)
        callee = (node.init if isinstance(node, typed.Construct) else
                  node.fn if isinstance(node, (typed.Call, typed.Parallelize)) else None)
        if callee is not None and callee.captures:
            out.update(_written(callee, seen))
        for child in typed.children(node):
            walk(child)

    for st in fn.body:
        walk(st)
    return out


def _root(place: typed.Expr) -> typed.Var | None:
    while isinstance(place, (typed.Field, typed.Index)):
        place = place.base
    return place.var if isinstance(place, typed.Load) else None

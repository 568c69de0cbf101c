"""Lower the typed tree to LLVM IR.

In: a checked `typed.Program` (every expression typed, every conversion an
explicit `Cast`). Out: `Lowered`: an `llvmlite.ir.Module` (textual IR, neither
verified nor optimised: `jit.compile_ir` does both), the fault sites (index =
site id) and each function's entry symbol.

ABI (the API and the JIT depend on it):
- a user function `f` becomes `define internal {T, i1} @<symbol>(ptr %ctx, <params>)`,
  or `i1 @<symbol>(ptr %ctx, ...)` without a result. The i1 is the failure flag.
  A fault stores its site id at ctx+4, 1 at ctx+0 and returns flag 1; after
  every call the caller tests the flag and returns flag 1 at once. Once inlined,
  LLVM folds these tests away wherever it can prove no fault.
- ctx is `struct { i32 code; i32 site; i64 a; i64 b; }` (a, b reserved).
- `i32 @__entry_<symbol>(ptr ctx, ptr args, ptr ret)` is the exported C entry:
  argument i is the 8-byte slot i of `args` (int64 for integers and Bool, double
  for floats); the result goes to `ret` the same way. Returns 0, or 1 on a fault.
  A SIMD vector (width > 1) crosses by address: its slot points to its lanes
  (Bool lanes as bytes, no alignment assumed), and a SIMD result is written
  lane after lane at `ret`, whose buffer the caller makes large enough.
  A `mut` parameter (`Var.by_ref`) is a `ptr` in the inner function (`Ref` passes
  the caller's variable); the wrapper passes a local copy and writes its final
  value back to the argument's slot.
- a lazily linked call (`callgraph.split_unit`) loads the callee's address from
  the slot `@"lazy.<symbol>"`, which first holds a stub that asks the runtime
  (`mojolite_lazy_link`, `codegen/lazylink.py`) to compile the callee's own unit
  and calls it. That unit (`root`) exports the callee under its symbol, and its
  fault sites count from `site_base` so that a fault names the right unit.

Invariants:
- results agree bit for bit with `semantics.py`; each rule table below has one
  entry per key of its `semantics` table (a test checks the key sets);
- with `debug_info` (the IR and assembly dumps), every instruction carries a
  `!dbg` location from the node being lowered, so `annotate.py`
  can show source lines even after optimisation; code compiled only to run has none;
- locals are entry-block allocas named after the source variable; mem2reg
  promotes them. Loops are emitted by one context manager (`for.cond`,
  `for.body`, `for.inc`, `for.end`).
- libm functions are called `nobuiltin`: LLVM would otherwise fold or rewrite
  them (`pow(2, x)` → `exp2(x)`, `sinf(c)` folded in double) and disagree with
  the C library that the reference interpreter calls in the last bit.
"""
from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass

from llvmlite import ir

from .. import callgraph, semantics, typed
from ..errors import CALLBACK_RAISED, InternalError, RuntimeFault, site_fault
from ..source import Source, Span
from ..syntax import BinOp, CmpOp, LogicOp, UnOp
from ..typesys import (ERROR, SIMD, STRING, DType, FnType, ListType, Pointer, Struct, Type,
                       drop_may_fail, is_tuple, owns_memory, ret_is_none)
from . import lists, memory, parallel, stackguard, stdlib, strings, tensors
from .irtypes import (CODE_RAISED, ERROR_IR, ERROR_OWNER, ERROR_SITE, I1, I8, I32, I64, PTR,
                      STRING_BYTES, STRING_HEADER, STRING_IR, STRING_LEN, int_const, llvm_type,
                      result_type)
from .module import (CTX_A, CTX_B, CTX_CODE, CTX_SITE, ENTRY_PREFIX, ModuleLowering, file_name,
                     scalar_dtype)
from .simd import SimdLowering, apply_fastmath

# The memory built-ins (`typed.Builtin`): pointer, String and Error operations
# (codegen/memory.py), Tensors (tensors.py), Lists (lists.py) and the String operations of
# codegen/strings.py; the reference mode's `memory.BUILTINS` has the same keys. random and
# time are `stdlib.RULES`.
BUILTIN_RULES = {**memory.BUILTIN_RULES, **tensors.RULES, **lists.RULES, **strings.RULES}


# Fault sites of a lazily linked unit count from (its root's position in the program + 1)
# << SITE_BITS; the entry units' sites from 0 (ctx.site is an i32).
SITE_BITS = 20
MAX_LAZY_ROOTS = (1 << (31 - SITE_BITS)) - 1


# ------------------------------------------------------------------ result
@dataclass
class Lowered:
    """What `lower_module` produces."""
    module: ir.Module
    sites: list[tuple[Span, str]]          # site id → (span, message)
    functions: dict[str, typed.Function]   # symbol → function
    source: Source | None
    cpu_name: str | None = None
    lower_ms: float = 0.0
    templates: frozenset[int] = frozenset()   # sites whose message has {a}/{b} fields
    raised: frozenset[int] = frozenset()      # sites of `raise` statements
    debug_info: bool = True                   # instructions carry `!dbg` source locations
    lazy: dict[str, str] | None = None        # lazily linked slot symbol → callee symbol
    site_base: int = 0                        # site ids count from here (see SITE_BITS)

    def fault(self, site: int, a: int = 0, b: int = 0) -> RuntimeFault:
        """The runtime error of a fault at `site`, its message filled with the
        values the code stored in ctx.a and ctx.b (signed); a `RaisedError`
        for an error that a `raise` made and nothing caught."""
        return site_fault(self.sites, self.templates, self.raised, site - self.site_base, a, b)

    def entry_symbol(self, fn: typed.Function | str) -> str:
        """The exported C-ABI wrapper of `fn` (a Function or its symbol)."""
        return ENTRY_PREFIX + (fn if isinstance(fn, str) else fn.symbol)

    def function(self, fn: typed.Function | str) -> typed.Function:
        return self.functions[fn if isinstance(fn, str) else fn.symbol]


def lower_module(program: typed.Program, *, cpu_name: str | None = None,
                 entries=None, boundscheck: bool = True, fastmath: bool = False,
                 debug_info: bool = True, lazy: bool = False, root: str | None = None
                 ) -> Lowered:
    """Lower `program` to one module, with an `__entry_` wrapper for each
    function named in `entries` (by name or symbol; all when None); with
    `entries` given, only the functions they reach are lowered, so a program run
    from `main` costs only what `main` reaches. Functions without a wrapper are
    internal. `boundscheck` False leaves out the index checks (`--release`);
    `fastmath` sets LLVM's fast-math flags on float instructions
    (`simd.apply_fastmath`); `debug_info` False leaves out the source locations
    (code compiled only to run).
    `lazy` (with `entries` or `root`): calls that `callgraph.split_unit` defers
    go through lazily linked slots, and what only they reach is left out.
    `root` (a function's symbol): the unit such a slot compiles, which exports
    that function and has no entry wrappers."""
    t0 = time.perf_counter()
    source = next((f.span.source for f in program.functions if f.span is not None), None)
    ml = ModuleLowering(program.source_name, source, debug_info)
    ml.checks = boundscheck
    functions = program.functions
    position = {f.symbol: i for i, f in enumerate(functions)}
    if root is not None:
        entries, roots = (), [functions[position[root]]]
        ml.site_base = (position[root] + 1) << SITE_BITS
    else:
        roots = None if entries is None else [f for f in functions
                                              if f.name in entries or f.symbol in entries]
    graph = callgraph.call_graph(program, roots)
    if roots is not None:           # only what the entries reach is lowered
        held = graph.callees
        if lazy:
            held, deferred = callgraph.split_unit(
                program, roots, graph, lambda f: position[f.symbol] < MAX_LAZY_ROOTS)
            ml.deferred = {f.symbol: f for f in functions if f.symbol in deferred}
        functions = [f for f in functions if f.symbol in held]
    ml.recursive = callgraph.recursive_symbols(program, graph)
    for fn in functions:
        ml.declare(fn)
    if root is not None:
        ml.functions[root].linkage = ""          # external: the slot's stub looks it up
    for fn in functions:
        _FunctionLowering(ml, fn).lower()
        if (entries is None or fn.name in entries or fn.symbol in entries) and \
                _has_entry_abi(fn):
            ml.emit_entry(fn)
    if fastmath:
        apply_fastmath(ml.module)
    lowered = Lowered(ml.module, ml.sites, {f.symbol: f for f in program.functions}, source,
                      cpu_name, templates=frozenset(ml.templates), raised=frozenset(ml.raised),
                      debug_info=debug_info, lazy=ml.lazy_slots, site_base=ml.site_base)
    lowered.lower_ms = (time.perf_counter() - t0) * 1e3
    return lowered


# ------------------------------------------------------------------ functions
@dataclass
class _Loop:
    cont: ir.Block     # `continue` target
    end: ir.Block      # `break` target
    body: ir.Block


class _Visitor:
    """`visit(node)` dispatches to `visit_<NodeClass>`; a missing rule is a compiler bug."""

    def visit(self, node):
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise InternalError(f"{type(self).__name__}: no rule for {type(node).__name__}")
        return method(node)


class _FunctionLowering(_Visitor, SimdLowering):
    """Lowers one function body. Statements return nothing; expressions their value."""

    def __init__(self, ml: ModuleLowering, fn: typed.Function):
        self.ml, self.fn = ml, fn
        self.llfn = ml.functions[fn.symbol]
        self.where = fn.span      # the statement being lowered (`located`)
        self.scope = ml.debug.subprogram(self.llfn, fn.name, fn.symbol, fn.span.line,
                                         local=True, filename=file_name(fn.span))
        # `entry` holds only the allocas and a branch to `body.start`, where code
        # begins: allocas can then be added at any time without moving the builder.
        # (A dotted name cannot clash with a source variable's.)
        self.entry = self.llfn.append_basic_block("entry")
        start = self.llfn.append_basic_block("body.start")
        self._alloca_builder = ir.IRBuilder(self.entry)
        self._alloca_builder.debug_metadata = ml.debug.location(fn.span, self.scope)
        self._alloca_builder.branch(start)
        self.builder = ir.IRBuilder(start)
        self.ctx = self.llfn.args[0]
        self.slots: dict[typed.Var, ir.AllocaInstr] = {}
        self.loops: list[_Loop] = []
        self._fail: ir.Block | None = None
        # Ownership (see codegen/memory.py): the slots whose Tensor/List this
        # function releases on every way out, and the new values of the current
        # statement that nothing stored, released when it ends.
        self.owned_slots: list[tuple[ir.AllocaInstr, Type]] = []
        # Drop flags: the i1 saying whether a slot whose type runs a `__del__` or
        # `__copyinit__` holds a value (none before its first store, or after `x^`);
        # `__del__`'s own `self`, whose fields alone are released on the way out.
        self.live: dict[ir.AllocaInstr, ir.AllocaInstr] = {}
        self.shallow: set[ir.AllocaInstr] = set()
        self._scratch_ctx: ir.AllocaInstr | None = None     # see `unwind_release`
        self.temps: list[tuple[object, Type]] = []
        self.exit: ir.Block | None = None
        self.ret_slot = None
        # Enclosing `try`s of the point being lowered, innermost last: where a
        # failed call goes (`try.raised`, which tells an error from a fault)
        # and where a `raise` goes (`try.except`).
        self.handlers: list[tuple[ir.Block, ir.Block]] = []

    # -- driver
    def lower(self):
        """With owned slots, every `return` goes through one `return` block (and
        faults through `fail`) that releases them; otherwise returns are direct."""
        with self.located(self.fn.span):
            if self.fn.symbol in getattr(self.ml, "recursive", (self.fn.symbol,)):
                # runaway recursion faults instead of crashing, in every mode
                # (codegen/stackguard.py)
                stackguard.emit_guard(self, CTX_B, self.fn.span)
            n = len(self.fn.params)
            for var, arg in zip(self.fn.captures, self.llfn.args[1 + n:]):
                self.slots[var] = arg          # shared with the enclosing function
            for p, arg in zip(self.fn.params, self.llfn.args[1:]):
                if p.by_ref:        # `mut`: reads and writes go to the caller's variable
                    self.slots[p] = arg
                    continue
                slot = self.slot(p, suffix=".addr")
                if owns_memory(p.type) and p.mutable:   # `owned`: the caller handed over
                    if drop_may_fail(p.type):               # a value of its own
                        self.live[slot] = self.drop_flag(p, 1)
                        if self.fn.lifecycle == "del":
                            self.shallow.add(slot)
                    self.owned_slots.append((slot, p.type))
                self.builder.store(arg, slot)
            for var in _managed_locals(self.fn):
                slot = self.slot(var)
                self._alloca_builder.store(ir.Constant(slot.allocated_type, None), slot)
                self.owned_slots.append((slot, var.type))
                if drop_may_fail(var.type):
                    self.live[slot] = self.drop_flag(var, 0)
            if self.owned_slots:
                self.exit = self.new_block("return")
                if not ret_is_none(self.fn.ret):
                    self.ret_slot = self.entry_alloca(llvm_type(self.fn.ret), "retval")
        self.lower_body(self.fn.body)
        if not self.builder.block.is_terminated:
            with self.located(self.fn.span):
                # Falling off the end: no result, or a path the checker proved unreachable.
                if self.exit is not None:
                    self.builder.branch(self.exit)
                elif ret_is_none(self.fn.ret):
                    self.builder.ret(I1(0))
                else:
                    zero = ir.Constant(llvm_type(self.fn.ret), None)
                    self.builder.ret(self.result(zero, I1(0)))
        if self.exit is not None:
            self.finish_exit(self.exit, False)
        if self._fail is not None:      # (after `return`, which may fail in a `__del__`)
            self.finish_exit(self._fail, True)

    def finish_exit(self, block: ir.Block, failed: bool):
        """Fill `return` or `fail`: release the owned slots, return (value, flag).
        `return` drops the slots whose drop runs a user's `__del__` first: a fault
        in one leaves through `fail`, which releases what `return` has not yet
        (`release_slot`); `fail` drops every slot although one faults."""
        self.move_to_end(block)
        self.builder.position_at_end(block)
        with self.located(self.fn.span):
            slots = self.owned_slots if failed else \
                [st for st in self.owned_slots if st[0] in self.live] + \
                [st for st in self.owned_slots if st[0] not in self.live]
            for slot, t in slots:
                self.release_slot(slot, t, unwinding=failed)
            if ret_is_none(self.fn.ret):
                self.builder.ret(I1(int(failed)))
            elif failed:
                ty = result_type(self.fn.ret)
                self.builder.ret(self.builder.insert_value(ir.Constant(ty, ir.Undefined),
                                                           I1(1), 1))
            else:
                value = self.builder.load(self.ret_slot, typ=llvm_type(self.fn.ret))
                self.builder.ret(self.result(value, I1(0)))

    def visit(self, node):
        with self.located(node.span):
            return super().visit(node)

    def lower_body(self, stmts):
        for s in stmts:
            if self.builder.block.is_terminated:
                break       # after return/break/continue/raise: unreachable
            self.visit(s)
            if self.temps and not self.builder.block.is_terminated:
                self.flush_temps()
            self.temps.clear()

    # -- ownership
    def owned(self, e: typed.Expr):
        """`e`'s value for a variable to keep (retained unless it is new)."""
        v = self.visit(e)
        if owns_memory(e.type) and not typed.produces_owned(e):
            v = memory.retain(self, v, e.type)
        return v

    def borrowed(self, e: typed.Expr):
        """`e`'s value for a use that keeps nothing; a new value is released later."""
        v = self.visit(e)
        if owns_memory(e.type) and typed.produces_owned(e):
            self.temps.append((v, e.type))
        return v

    def kept(self, e: typed.Expr, v):
        """A borrowed value that something now keeps, once every argument is made
        (a call failing before then releases it with the statement's temporaries):
        a new one taken over from them, another retained."""
        if isinstance(e, typed.Ref) or not owns_memory(e.type):
            return v
        if typed.produces_owned(e):
            k = next(k for k in range(len(self.temps) - 1, -1, -1) if self.temps[k][0] is v)
            del self.temps[k]
            return v
        return memory.retain(self, v, e.type)

    def flush_temps(self, keep: int = 0):
        """Release the statement's new values made since `temps` had `keep` entries."""
        while len(self.temps) > keep:
            v, t = self.temps.pop()
            memory.release(self, v, t)

    @contextlib.contextmanager
    def branch_temps(self):
        """Values made on one branch (an if-expression's arm, an `and`'s right
        side) are released on that branch: they exist only there."""
        keep = len(self.temps)
        yield
        self.flush_temps(keep)

    def store_owned(self, value, slot, t: Type):
        """Store into a variable, releasing what it held."""
        if owns_memory(t):
            old = self.builder.load(slot, typ=llvm_type(t))     # slot may be a `mut` arg
            self.builder.store(value, slot)
            flag = self.live.get(slot)
            if flag is None:
                memory.release(self, old, t)
                return
            held = self.builder.load(flag, typ=I1)
            self.builder.store(I1(1), flag)
            with self.builder.if_then(held):
                memory.release(self, old, t)
        else:
            self.builder.store(value, slot)

    def drop_flag(self, var: typed.Var, initial: int) -> ir.AllocaInstr:
        flag = self.entry_alloca(I1, var.name + ".live")
        self._alloca_builder.store(I1(initial), flag)
        return flag

    def release_slot(self, slot, t: Type, unwinding: bool = False):
        """Release what a variable holds (if it holds a value: see `live`), on the
        way out through `return`, or through `fail` (`unwinding`). The variable no
        longer holds it: a fault in its `__del__` goes to `fail`, which must not
        drop it again."""
        flag = self.live.get(slot)
        if flag is None:
            memory.release(self, self.builder.load(slot, typ=slot.allocated_type), t)
            return
        with self.builder.if_then(self.builder.load(flag, typ=I1)):
            value = self.builder.load(slot, typ=slot.allocated_type)
            if unwinding:
                self.unwind_release(value, t, fields_only=slot in self.shallow)
            else:
                self.builder.store(I1(0), flag)
                memory.release(self, value, t, fields_only=slot in self.shallow)

    def unwind_release(self, value, t: Type, fields_only: bool = False):
        """Release a value on the way out after a failure (`fail`, a failed call's
        temporaries), whatever the `__del__`s it runs do: they get a zeroed
        context of their own (ctx holds the failure under way, and its `b` is no
        stack limit), the first to fault stops this value's drop, and its fault
        replaces a raised error in ctx, not an earlier fault
        (`memory.keep_first_fault`; the reference mode's `unwinding`)."""
        if not drop_may_fail(t):
            memory.release(self, value, t, fields_only=fields_only)
            return
        b = self.builder
        if self._scratch_ctx is None:
            self._scratch_ctx = self.entry_alloca(self.ml.ctx_type, "unwind.ctx")
        scratch = self._scratch_ctx
        b.store(ir.Constant(self.ml.ctx_type, None), scratch)
        done = self.new_block("unwind.next")

        def stop(flag):
            ok = self.new_block("unwind.ok")
            b.cbranch(flag, done, ok)
            b.position_at_end(ok)
        memory.release(self, value, t, ctx=scratch, fields_only=fields_only, check=stop)
        b.branch(done)
        b.position_at_end(done)
        b.call(memory.keep_first_fault(self), [self.ctx, scratch])

    # -- small utilities
    @contextlib.contextmanager
    def located(self, span: Span | None):
        """Code emitted inside is `span`'s (its debug location, and `where`: the
        site of a fault that no node names, a tree too deep to copy or free)."""
        saved, where = self.builder.debug_metadata, self.where
        if span is not None:
            self.builder.debug_metadata = self.ml.debug.location(span, self.scope)
            self.where = span
        try:
            yield
        finally:
            self.builder.debug_metadata, self.where = saved, where

    def new_block(self, name: str) -> ir.Block:
        return self.llfn.append_basic_block(name)

    def move_to_end(self, block: ir.Block):
        """Keep blocks in reading order: a block made early (a loop's end) goes last."""
        self.llfn.blocks.remove(block)
        self.llfn.blocks.append(block)

    def entry_alloca(self, ty: ir.Type, name: str) -> ir.AllocaInstr:
        self._alloca_builder.position_before(self.entry.terminator)
        return self._alloca_builder.alloca(ty, name=name)

    def slot(self, var: typed.Var, suffix: str = "") -> ir.AllocaInstr:
        s = self.slots.get(var)
        if s is None:
            s = self.slots[var] = self.entry_alloca(llvm_type(var.type), var.name + suffix)
        return s

    def result(self, value, flag):
        ty = result_type(self.fn.ret)
        return self.builder.insert_value(
            self.builder.insert_value(ir.Constant(ty, ir.Undefined), value, 0), flag, 1)

    # -- faults
    @property
    def fail_block(self) -> ir.Block:
        """The shared `fail` block: release, return the failure flag (ctx is filled).
        Its code is emitted last, by `finish_exit`."""
        if self._fail is None:
            self._fail = self.new_block("fail")
        return self._fail

    def raise_site(self, span: Span, message: str, a=None, b=None):
        """Record the site, fill ctx through `mojolite.fault` (with the values `a`,
        `b` that the message's {a} and {b} show, if given), leave through `fail`.
        Terminates the block."""
        site = self.ml.add_site(span, message, template=a is not None)
        values = [I64(0) if v is None else v if v.type == I64 else self.builder.sext(v, I64)
                  for v in (a, b)]
        self.builder.call(self.ml.fault_helper(), [self.ctx, I32(site), *values])
        self.builder.branch(self.fail_block)

    def fault_if(self, cond, span: Span, message: str, what: str, a=None, b=None):
        """`cond` → fault.<what> (records the site); otherwise continue in <what>.ok."""
        fault, ok = self.new_block(f"fault.{what}"), self.new_block(f"{what}.ok")
        self.builder.cbranch(cond, fault, ok).set_weights([1, 1 << 20])
        self.builder.position_at_end(fault)
        self.raise_site(span, message, a, b)
        self.builder.position_at_end(ok)

    def check_call(self, flag):
        """After a call: its failure goes to the innermost `try`, else out through
        `fail`, releasing first the new values the statement made before the call
        (a `try` may catch the error and go on, a Python loop may call again)."""
        ok = self.new_block("call.ok")
        failed = self.handlers[-1][0] if self.handlers else self.fail_block
        if self.temps:
            cleanup = self.new_block("call.failed")
            self.builder.cbranch(flag, cleanup, ok).set_weights([1, 1 << 20])
            self.builder.position_at_end(cleanup)
            for v, t in reversed(self.temps):
                self.unwind_release(v, t)
            self.builder.branch(failed)
        else:
            self.builder.cbranch(flag, failed, ok).set_weights([1, 1 << 20])
        self.builder.position_at_end(ok)

    # -- loops
    @contextlib.contextmanager
    def loop(self, kind: str, latch=None):
        """Blocks of a loop; the caller emits the test in `<kind>.cond` (branching to
        `loop.body` or `loop.end`) and then the body.

            → <kind>.cond ─→ <kind>.body ─→ [<kind>.inc: latch()] ─→ <kind>.cond
                         └─→ <kind>.end
        `continue` goes to .inc (or .cond), `break` to .end.
        """
        cond, body = self.new_block(f"{kind}.cond"), self.new_block(f"{kind}.body")
        inc = self.new_block(f"{kind}.inc") if latch else None
        end = self.new_block(f"{kind}.end")
        self.builder.branch(cond)
        self.builder.position_at_end(cond)
        lp = _Loop(cont=inc or cond, end=end, body=body)
        self.loops.append(lp)
        try:
            yield lp
        finally:
            self.loops.pop()
        if not self.builder.block.is_terminated:
            self.builder.branch(lp.cont)
        if inc is not None:
            self.move_to_end(inc)
            self.builder.position_at_end(inc)
            latch()
            self.builder.branch(cond)
        self.move_to_end(end)
        self.builder.position_at_end(end)

    # ================================================================ statements
    def visit_Declare(self, s: typed.Declare):
        slot = self.slot(s.var)
        if s.var.borrowed:          # `for x in l`'s element: read, neither copied nor dropped
            self.builder.store(self.visit(s.value), slot)
        elif s.value is not None:
            self.store_owned(self.owned(s.value), slot, s.var.type)

    def visit_Assign(self, s: typed.Assign):
        values = [self.borrowed(v) if t is None else self.owned(v)
                  for t, v in zip(s.targets, s.values)]
        for target, value in zip(s.targets, values):
            if target is not None:
                self.store_owned(value, self.slot(target), target.type)

    def visit_ExprStmt(self, s: typed.ExprStmt):
        if not isinstance(s.expr, typed.Const):     # a constant does nothing
            self.borrowed(s.expr)

    def visit_Store(self, s: typed.Store):
        """The value first, then the base and the indices (Python's order): the
        value may grow the List, whose elements then move. An element that owns
        memory (of a List) takes its own copy or reference and releases what it held."""
        managed = owns_memory(s.value.type)
        value = self.owned(s.value) if managed else self.visit(s.value)
        base = self.borrowed(s.base)
        indices = [self.visit(i) for i in s.indices]
        address = memory.element_address(self, s, s.base.type, base, indices)
        if managed:
            self.store_owned(value, address, s.value.type)
        else:
            memory.store_element(self, value, address)

    def visit_Print(self, s: typed.Print):
        """Every value is evaluated before anything prints (a fault prints nothing);
        the runtime gathers the pieces and writes them in one go at `print_done`,
        so prints from parallel threads never interleave within a line."""
        nodes = s.values + (s.sep, s.end)
        values = [None if isinstance(v, typed.Const) and v.type == STRING else self.borrowed(v)
                  for v in nodes]
        *values, sep, end = values
        for i, (node, value) in enumerate(zip(s.values, values)):
            if i:
                self.print_text(s.sep, sep)
            if node.type in (STRING, ERROR):
                self.print_text(node, value)
            else:
                self.print_value(value, node.type)
        self.print_text(s.end, end)
        raised = self.builder.call(self.ml.runtime("mojolite_print_done"), [], "raised")
        self.fault_if(self.builder.icmp_signed("!=", raised, I32(0)), s.span, CALLBACK_RAISED,
                      "print")

    def print_text(self, node: typed.Expr, value):
        """A String (or an Error's message): its constant text, or its value."""
        if value is None:
            text = self.string_const(node)
            if text:
                self.print_str(text)
        else:
            self.builder.call(self.ml.runtime("mojolite_print_str"),
                              [self.builder.extract_value(value, 0),
                               self.builder.extract_value(value, 1)])

    def print_str(self, text: str):
        gv, n = self.ml.string(text)
        self.builder.call(self.ml.runtime("mojolite_print_str"), [gv, I64(n)])

    def print_value(self, value, t: Type):
        if isinstance(t, ListType):
            return lists.print_list(self, value, t)
        if is_tuple(t):
            return self.print_tuple(value, t)
        b, dt = self.builder, scalar_dtype(t)
        if isinstance(t, SIMD) and t.width != 1:
            return self.print_vector(value, t)
        if dt is DType.bool:
            name, value = "mojolite_print_bool", b.zext(value, I32)
        elif dt is DType.float64:
            name = "mojolite_print_f64"
        elif dt is DType.float32:
            name = "mojolite_print_f32"
        else:
            name = "mojolite_print_i64" if dt.is_signed else "mojolite_print_u64"
            if dt.bits < 64:
                value = (b.sext if dt.is_signed else b.zext)(value, I64)
        b.call(self.ml.runtime(name), [value])

    def print_element(self, value, t: Type):
        """A List's or a tuple's element, as Python prints it inside one (a String
        as its repr)."""
        if t == STRING:
            self.builder.call(self.ml.runtime("mojolite_print_repr"),
                              [self.builder.extract_value(value, STRING_BYTES),
                               self.builder.extract_value(value, STRING_LEN)])
        else:
            self.print_value(value, t)

    def print_tuple(self, value, t: Type):
        """`(1, 'a')`, and `(1,)` for one element, as Python prints a tuple."""
        self.print_str("(")
        for k, (_, e) in enumerate(t.fields):
            if k:
                self.print_str(", ")
            self.print_element(self.builder.extract_value(value, k), e)
        self.print_str(",)" if len(t.fields) == 1 else ")")

    def string_const(self, node: typed.Expr) -> str:
        if not (isinstance(node, typed.Const) and isinstance(node.value, str)):
            raise InternalError(f"codegen: expected a String constant, got {node!r}")
        return node.value

    def visit_If(self, s: typed.If):
        """    cond → if.then → if.end
                    → if.else → if.end      (if.else only with an else part)

        A condition known while compiling (`if nd > 1:` with `nd` a parameter)
        lowers only the branch it takes."""
        known = callgraph.known_truth(s.cond)
        if known is not None:
            self.lower_body(s.body if known else s.orelse)
            return
        cond = self.visit(s.cond)
        self.flush_temps()
        then = self.new_block("if.then")
        orelse = self.new_block("if.else") if s.orelse else None
        end = self.new_block("if.end")
        self.builder.cbranch(cond, then, orelse or end)
        for block, body in ((then, s.body), (orelse, s.orelse)):
            if block is None:
                continue
            self.move_to_end(block)
            self.builder.position_at_end(block)
            self.lower_body(body)
            if not self.builder.block.is_terminated:
                self.builder.branch(end)
        self.move_to_end(end)
        self.builder.position_at_end(end)

    def visit_While(self, s: typed.While):
        with self.loop("while") as lp:
            cond = self.visit(s.cond)
            self.flush_temps()
            self.builder.cbranch(cond, lp.body, lp.end)
            self.builder.position_at_end(lp.body)
            self.lower_body(s.body)

    def visit_ForRange(self, s: typed.ForRange):
        """Bounds once, then a hidden counter k over a precomputed trip count, so
        neither overflow near the type's limits nor assignments to `var` can change
        the iteration:

            zero step → fault;  count = trip_count(start, stop, step)
            for.cond: k < count (unsigned) ─→ for.body: var = start + k*step; body
            for.inc:  k += 1                   └→ for.end
        Example: range(10, 0, -3): count = (10-0-1) udiv 3 + 1 = 4 → 10, 7, 4, 1.
        """
        b = self.builder
        start, stop, step = self.visit(s.start), self.visit(s.stop), self.visit(s.step)
        self.flush_temps()
        dt, ty = scalar_dtype(s.var.type), llvm_type(s.var.type)
        if not (isinstance(step, ir.Constant) and step.constant):
            self.fault_if(b.icmp_unsigned("==", step, ty(0)), s.span, semantics.ZERO_STEP,
                          "zerostep")
        count = self.trip_count(start, stop, step, dt)
        k = self.entry_alloca(I64, f"{s.var.name}.iter")
        b.store(I64(0), k)
        var_slot = self.slot(s.var)

        def latch():
            b.store(b.add(b.load(k, "k", typ=I64), I64(1), "k.next"), k)

        with self.loop("for", latch) as lp:
            b.cbranch(b.icmp_unsigned("<", b.load(k, "k", typ=I64), count), lp.body, lp.end)
            b.position_at_end(lp.body)
            kk = b.load(k, "k", typ=I64)
            if ty.width < 64:
                kk = b.trunc(kk, ty)
            b.store(b.add(start, b.mul(kk, step), s.var.name), var_slot)
            self.lower_body(s.body)

    def trip_count(self, start, stop, step, dt: DType):
        """Iterations of range(start, stop, step) as an unsigned i64 (step != 0):
        step > 0: start < stop ? (stop - start - 1) udiv step + 1 : 0
        step < 0: start > stop ? (start - stop - 1) udiv -step + 1 : 0
        In i64 after extending by the bounds' signedness, the differences are exact
        as unsigned numbers: range(INT_MIN, INT_MAX) has 2**64 - 1 iterations."""
        b = self.builder
        # A constant step (range(n), range(a, b), range(a, b, -2)) needs one arm.
        known = step.constant if isinstance(step, ir.Constant) else None
        if start.type.width < 64:
            ext = b.sext if dt.is_signed else b.zext
            start, stop, step = ext(start, I64), ext(stop, I64), ext(step, I64)
        icmp = b.icmp_signed if dt.is_signed else b.icmp_unsigned
        one = I64(1)
        if known is None or known > 0 or not dt.is_signed:
            diff = b.sub(stop, start)
            up = diff if known == 1 else b.add(b.udiv(b.sub(diff, one), step), one)
            up = b.select(icmp("<", start, stop), up, I64(0), "count.up")
            if not dt.is_signed or known is not None:
                return up
        neg_step = b.sub(I64(0), step)
        down = b.add(b.udiv(b.sub(b.sub(start, stop), one), neg_step), one)
        down = b.select(icmp(">", start, stop), down, I64(0), "count.down")
        if known is not None:
            return down
        return b.select(icmp(">", step, I64(0)), up, down, "count")

    def visit_Break(self, s: typed.Break):
        if not self.loops:
            raise InternalError("codegen: break outside a loop")
        self.builder.branch(self.loops[-1].end)

    def visit_Continue(self, s: typed.Continue):
        if not self.loops:
            raise InternalError("codegen: continue outside a loop")
        self.builder.branch(self.loops[-1].cont)

    def visit_Return(self, s: typed.Return):
        value = None if s.value is None else self.owned(s.value)
        self.flush_temps()
        if self.exit is not None:
            if value is not None:
                self.builder.store(value, self.ret_slot)
            self.builder.branch(self.exit)
        elif value is None:
            self.builder.ret(I1(0))
        else:
            self.builder.ret(self.result(value, I1(0)))

    def visit_Raise(self, s: typed.Raise):
        """ctx = {CODE_RAISED, site, a, b}; then to the innermost `try`'s handler,
        or out through `fail`. A constant message: a = its bytes, b = its length.
        A message on the heap: a = its block, b = ~length (negative), and ctx
        holds a reference to the block, which a handler takes over (or the
        Python side, `errors.site_fault`, reads and releases). A computed
        message is always copied to a block of its own. `raise e` keeps e's site
        (this one's if e was made by `Error(...)` and not raised yet)."""
        b, ctx_ty = self.builder, self.ml.ctx_type
        if isinstance(s.message, typed.Const) and s.message.type == ERROR:   # `raise E`, an alias
            s = typed.Raise(typed.Const(STRING, s.message.value.message, span=s.message.span),
                            span=s.span)
        if isinstance(s.message, typed.Const):
            site = self.ml.add_site(s.span, self.string_const(s.message), raised=True)
            gv, n = self.ml.string(s.message.value)
            text, length, site = gv, I64(n), I32(site)
        elif s.message.type == STRING:
            site = I32(self.ml.add_site(s.span, "", raised=True))
            message = self.borrowed(s.message)
            text = memory.string_copy(self, s, message)
            length = b.not_(b.extract_value(message, STRING_LEN))
        else:
            err = self.owned(s.message)         # `raise e`: ctx takes a reference
            owner, n = b.extract_value(err, ERROR_OWNER), b.extract_value(err, 1)
            site, text = b.extract_value(err, ERROR_SITE), b.extract_value(err, 0)
            fresh = b.icmp_signed("<", site, I32(0))        # not raised before
            # constant text not raised before (a folded `Error("...")`): no site holds
            # it, so it is copied to a block, as a computed message is
            null = ir.Constant(PTR, None)
            entry = b.block
            with b.if_then(b.and_(fresh, b.icmp_unsigned("==", owner, null))):
                loose = ir.Constant(STRING_IR, None)
                loose = b.insert_value(b.insert_value(loose, text, STRING_BYTES), n, STRING_LEN)
                copied, copy_block = memory.string_copy(self, s, loose), b.block
            merged = b.phi(PTR, "owner")
            merged.add_incoming(owner, entry)
            merged.add_incoming(copied, copy_block)
            heap = b.icmp_unsigned("!=", merged, null)
            text = b.select(heap, merged, text)
            length = b.select(heap, b.not_(n), n)
            here = I32(self.ml.add_site(s.span, "", raised=True))
            site = b.select(fresh, here, site)              # located where first raised
        self.flush_temps()
        for value, field in ((I32(CODE_RAISED), CTX_CODE), (site, CTX_SITE), (text, CTX_A),
                             (length, CTX_B)):
            b.store(value, b.gep(self.ctx, [I32(0), I32(field)], inbounds=True,
                                 source_etype=ctx_ty))
        b.branch(self.handlers[-1][1] if self.handlers else self.fail_block)

    def visit_Try(self, s: typed.Try):
        """    try.body ─(a call failed)→ try.raised: ctx.code == RAISED ? ─→ try.except
                  │                                         └─ fault → fail
                  ├─(raise)→ try.except: e = {ctx.a, ctx.b, ctx.site}; ctx.code = 0;
                  │                      handler → try.end
                  └→ try.end
        The new values of the statement whose call failed are released on the
        way (`check_call`)."""
        b, ctx_ty = self.builder, self.ml.ctx_type
        raised, handler, end = (self.new_block(n) for n in ("try.raised", "try.except",
                                                              "try.end"))
        # ctx.b is the stack guard's limit (stackguard.py)
        saved_b = b.load(b.gep(self.ctx, [I32(0), I32(CTX_B)], inbounds=True,
                               source_etype=ctx_ty), name="try.stack_limit", typ=I64)
        self.handlers.append((raised, handler))
        try:
            self.lower_body(s.body)
        finally:
            self.handlers.pop()
        if not b.block.is_terminated:
            b.branch(end)

        def field(k, ty):
            return b.gep(self.ctx, [I32(0), I32(k)], inbounds=True, source_etype=ctx_ty), ty

        self.move_to_end(raised)
        b.position_at_end(raised)
        code = b.load(field(CTX_CODE, I32)[0], "code", typ=I32)
        b.cbranch(b.icmp_signed("==", code, I32(CODE_RAISED)), handler,
                  self.handlers[-1][0] if self.handlers else self.fail_block)
        self.move_to_end(handler)
        b.position_at_end(handler)
        # the error from ctx (see visit_Raise): a negative length means a heap message
        a = b.load(field(CTX_A, PTR)[0], typ=PTR)
        n = b.load(field(CTX_B, I64)[0], typ=I64)
        heap = b.icmp_signed("<", n, I64(0))
        text = b.select(heap, b.gep(a, [I64(STRING_HEADER)], source_etype=I8), a)
        err = ir.Constant(ERROR_IR, None)
        for k, value in ((0, text), (1, b.select(heap, b.not_(n), n)),
                         (ERROR_SITE, b.load(field(CTX_SITE, I32)[0], typ=I32)),
                         (ERROR_OWNER, b.select(heap, a, ir.Constant(PTR, None)))):
            err = b.insert_value(err, value, k)
        if s.var is not None:
            self.store_owned(err, self.slot(s.var), ERROR)
        else:
            memory.release(self, err, ERROR)
        b.store(I32(0), field(CTX_CODE, I32)[0])
        b.store(saved_b, field(CTX_B, I64)[0])     # `b` held the error's length
        self.lower_body(s.handler)
        if not b.block.is_terminated:
            b.branch(end)
        self.move_to_end(end)
        b.position_at_end(end)

    # ================================================================ expressions
    def visit_Const(self, e: typed.Const):
        if e.type == STRING:        # borrowed text: no owner
            gv, n = self.ml.string(e.value)
            return ir.Constant.literal_struct([gv, I64(n), ir.Constant(PTR, None)])
        if e.type == ERROR:         # `Error("...")` folded (an alias, a default): borrowed
            gv, n = self.ml.string(e.value.message)
            return ir.Constant.literal_struct([gv, I64(n), I32(-1), ir.Constant(PTR, None)])
        ty, dt = llvm_type(e.type), scalar_dtype(e.type)
        if isinstance(e.value, tuple):          # a folded vector
            return self.simd_const(e)
        if dt is DType.bool:
            return I1(1 if e.value else 0)
        if dt.is_float:
            return ir.Constant(ty, float(e.value))
        return int_const(ty, int(e.value))

    def visit_Load(self, e: typed.Load):
        return self.builder.load(self.slot(e.var), e.var.name, typ=llvm_type(e.var.type))

    def visit_Move(self, e: typed.Move):
        """`x^`: x's value, which x no longer holds (its drop flag cleared)."""
        slot = self.slot(e.var)
        value = self.builder.load(slot, e.var.name, typ=llvm_type(e.var.type))
        if slot in self.live:
            self.builder.store(I1(0), self.live[slot])
        else:           # an empty value, which its drop releases nothing of
            self.builder.store(ir.Constant(slot.allocated_type, None), slot)
        return value

    def visit_Ref(self, e: typed.Ref):
        """The address of the place, for a `mut` parameter."""
        return self.address_of(e.place)

    def arguments(self, args) -> list:
        """A call's argument values, left to right; a `Ref`'s indices are evaluated
        in their turn, its address once every argument is made: an argument may
        grow the List that holds the place (`f(l[0], grow(l))`), moving it."""
        values, refs = [], []
        for a in args:
            if isinstance(a, typed.Ref):
                refs.append((len(values), a.place, self.place_indices(a.place)))
                values.append(None)
            else:
                values.append(self.borrowed(a))
        for k, place, indices in refs:
            values[k] = self.address_of(place, indices)
        return values

    def handed_over(self, params, args, values) -> list:
        """An `owned` argument that owns memory is the callee's own (a copy, or a
        new value such as `x^`: no longer a temporary here), once every argument is
        made; the callee drops it."""
        return [self.kept(a, v) if p.mutable and not p.by_ref and owns_memory(p.type)
                else v for p, a, v in zip(params, args, values)]

    def place_indices(self, place: typed.Expr) -> dict:
        """The values of the indices in `place`, evaluated now (the outermost
        container's first), by `id` of their Index, for `address_of`."""
        chain = []
        while not isinstance(place, typed.Load):
            chain.append(place)
            place = place.base
        return {id(p): [self.visit(i) for i in p.indices]
                for p in reversed(chain) if isinstance(p, typed.Index)}

    def address_of(self, place: typed.Expr, indices: dict | None = None):
        """The address of a variable, of a field of a place, or of an element (with
        the index values `place_indices` gave, or evaluated now)."""
        if isinstance(place, typed.Load):
            return self.slot(place.var)
        if isinstance(place, typed.Field):
            return self.field_address(self.address_of(place.base, indices), place.base.type,
                                      place.index, place.name)
        if isinstance(place, typed.Index):
            if indices is None:
                base = self.borrowed(place.base)
                at = [self.visit(i) for i in place.indices]
            else:
                base = memory.load_element(self, self.address_of(place.base, indices),
                                           place.base.type)
                at = indices[id(place)]
            return memory.element_address(self, place, place.base.type, base, at)
        raise InternalError(f"codegen: {type(place).__name__} is not a place")

    def visit_Field(self, e: typed.Field):
        # A new struct (a call's result) is released after the statement.
        return self.builder.extract_value(self.borrowed(e.base), e.index, e.name)

    def visit_Construct(self, e: typed.Construct):
        """A zeroed temporary, `__init__(ctx, &tmp, args...)`, then its value."""
        tmp = self.entry_alloca(llvm_type(e.type), f"{e.type.name.split('[')[0]}.new")
        self.builder.store(ir.Constant(tmp.allocated_type, None), tmp)
        args = self.handed_over(e.init.params[1:], e.args,
                                [self.borrowed(a) for a in e.args])
        callee = self.ml.functions[e.init.symbol]
        self.check_call(self.builder.call(callee, [self.ctx, tmp, *args]))
        return self.builder.load(tmp, typ=tmp.allocated_type)

    def field_address(self, base, struct: Type, index: int, name: str = ""):
        address = self.builder.gep(base, [I32(0), I32(index)], inbounds=True,
                                   source_etype=llvm_type(struct), name=name)
        address.type = PTR      # llvmlite gives a GEP its base's (alloca's typed) pointer type
        return address

    def visit_StoreField(self, s: typed.StoreField):
        """A Tensor/List field (or a struct holding one) takes its own reference
        and releases what it held. The value first: it may move the place (grow
        the List that holds it)."""
        value = self.owned(s.value)
        address = self.field_address(self.address_of(s.base), s.base.type, s.index)
        if s.init:          # the field's first value: nothing to drop
            self.builder.store(value, address)
        elif s.held is not None:        # in a loop of `__init__`: dropped if it holds one
            old = self.builder.load(address, typ=llvm_type(s.value.type))
            self.builder.store(value, address)
            with self.builder.if_then(self.builder.load(self.slot(s.held), typ=I1)):
                memory.release(self, old, s.value.type)
        else:
            self.store_owned(value, address, s.value.type)
        for flag in s.flags:
            self.builder.store(I1(1), self.slot(flag))

    def visit_Unary(self, e: typed.Unary):
        return UNARY_RULES[e.op](self, e, self.visit(e.operand))

    def visit_Binary(self, e: typed.Binary):
        dt = scalar_dtype(e.type)
        a, b = self.visit(e.lhs), self.visit(e.rhs)
        table = BOOL_BINARY_RULES if dt is DType.bool else (
            FLOAT_BINARY_RULES if dt.is_float else INT_BINARY_RULES)
        rule = table.get(e.op)
        if rule is None:
            raise InternalError(f"codegen: no rule for {e.op.value} on {e.type}")
        if e.type.width > 1:
            return self.simd_binary(e, a, b, table)
        return rule(self, e, a, b)

    def compare(self, op: CmpOp, a, b, dt: DType | None):
        if dt is None:          # String: == and != by length first, the others bytewise
            if op in (CmpOp.EQ, CmpOp.NE):
                equal = memory.string_equal(self, a, b)
                return equal if op is CmpOp.EQ else self.builder.not_(equal)
            order = strings.string_order(self, a, b)
            return self.builder.icmp_signed(COMPARE_RULES[op], order, I32(0))
        sym = COMPARE_RULES[op]
        if dt.is_float:     # ordered, except != which is true for NaN
            return (self.builder.fcmp_unordered if op is CmpOp.NE
                    else self.builder.fcmp_ordered)(sym, a, b)
        return (self.builder.icmp_signed if dt.is_signed
                else self.builder.icmp_unsigned)(sym, a, b)

    def visit_Compare(self, e: typed.Compare):
        """a < b < c: each operand once, left to right, stopping at the first False.

            a < b ─false→ cmp.end (False)
                  └true→ cmp.next: b < c ─→ cmp.end (its value)
        """
        t = e.operands[0].type
        # a pointer compares as its address, a signed Int (Mojo's `Int(p) < Int(q)`):
        # icmp on the two ptr values
        dt = None if t == STRING else DType.int64 if isinstance(t, Pointer) else scalar_dtype(t)
        left = self.borrowed(e.operands[0])
        if len(e.ops) == 1:
            return self.compare(e.ops[0], left, self.borrowed(e.operands[1]), dt)
        end = self.new_block("cmp.end")
        incoming = []
        for i, op in enumerate(e.ops):
            # operands after the first are conditional; a String one is held
            # (owned) until the comparison after it is made
            with self.branch_temps():
                right = self.owned(e.operands[i + 1]) if dt is None \
                    else self.visit(e.operands[i + 1])
            c = self.compare(op, left, right, dt)
            if dt is None and i:
                memory.release(self, left, t)
            if i == len(e.ops) - 1:
                if dt is None:
                    memory.release(self, right, t)
                incoming.append((c, self.builder.block))
                self.builder.branch(end)
            else:
                nxt = self.new_block("cmp.next")
                stop = self.new_block("cmp.drop") if dt is None else end
                self.builder.cbranch(c, nxt, stop)
                if dt is None:          # False: the held String is dropped on the way out
                    self.builder.position_at_end(stop)
                    memory.release(self, right, t)
                    self.builder.branch(end)
                incoming.append((I1(0), self.builder.block))
                self.builder.position_at_end(nxt)
            left = right
        self.move_to_end(end)
        self.builder.position_at_end(end)
        phi = self.builder.phi(I1, "cmp")
        for v, blk in incoming:
            phi.add_incoming(v, blk)
        return phi

    def visit_Logic(self, e: typed.Logic):
        """`a and b`: a ─true→ and.rhs: b ─→ and.end;  a ─false→ and.end (False).
        `or` mirrors it."""
        is_and = e.op is LogicOp.AND
        kind = "and" if is_and else "or"
        lhs = self.visit(e.lhs)
        lhs_block = self.builder.block
        rhs_block, end = self.new_block(f"{kind}.rhs"), self.new_block(f"{kind}.end")
        if is_and:
            self.builder.cbranch(lhs, rhs_block, end)
        else:
            self.builder.cbranch(lhs, end, rhs_block)
        self.builder.position_at_end(rhs_block)
        with self.branch_temps():
            rhs = self.visit(e.rhs)
        rhs_end = self.builder.block
        self.builder.branch(end)
        self.move_to_end(end)
        self.builder.position_at_end(end)
        phi = self.builder.phi(I1, kind)
        phi.add_incoming(I1(0 if is_and else 1), lhs_block)
        phi.add_incoming(rhs, rhs_end)
        return phi

    def visit_IfExp(self, e: typed.IfExp):
        """cond → ifexp.then | ifexp.else → ifexp.end (phi); only the taken arm runs
        (and only it is lowered when the condition is known while compiling)."""
        known = callgraph.known_truth(e.cond)
        if known is not None:
            with self.branch_temps():
                return self.owned(e.then if known else e.orelse)
        cond = self.visit(e.cond)
        then, orelse, end = (self.new_block(n) for n in ("ifexp.then", "ifexp.else", "ifexp.end"))
        self.builder.cbranch(cond, then, orelse)
        incoming = []
        for block, arm in ((then, e.then), (orelse, e.orelse)):
            self.move_to_end(block)
            self.builder.position_at_end(block)
            with self.branch_temps():
                value = self.owned(arm)
            incoming.append((value, self.builder.block))
            self.builder.branch(end)
        self.move_to_end(end)
        self.builder.position_at_end(end)
        phi = self.builder.phi(llvm_type(e.type), "ifexp")
        for v, blk in incoming:
            phi.add_incoming(v, blk)
        return phi

    def visit_Format(self, e: typed.Format):
        """`String(x)`: x printed into a capture (runtime.py), then copied to a
        new String block: the text `print(x)` shows, by the same code."""
        value = self.visit(e.value)
        self.builder.call(self.ml.runtime("mojolite_str_begin"), [])
        self.print_value(value, e.value.type)
        n = self.builder.call(self.ml.runtime("mojolite_str_end"), [], "len")
        self.fault_if(self.builder.icmp_signed("<", n, I64(0)), e.span, CALLBACK_RAISED,
                      "format")
        text = memory.new_string(self, e, n)
        self.builder.call(self.ml.runtime("mojolite_str_take"),
                          [self.builder.extract_value(text, STRING_BYTES)])
        return text

    def visit_Seq(self, e: typed.Seq):
        self.borrowed(e.first)          # evaluated for its effects; a new value is released
        return self.visit(e.value)

    def visit_Let(self, e: typed.Let):
        """`var`'s slot holds `value`'s result without owning it: a new value is
        released once, with the statement's (or the branch's) temporaries."""
        self.builder.store(self.borrowed(e.value), self.slot(e.var))
        return self.visit(e.body)

    def visit_Cast(self, e: typed.Cast):
        value = self.visit(e.value)
        if isinstance(e.type, FnType):      # to a `raises` function type: the same address
            return value
        return self.cast(value, scalar_dtype(e.value.type), scalar_dtype(e.type), llvm_type(e.type))

    def cast(self, v, src: DType, dst: DType, ty: ir.Type):
        """`semantics.cast`: see typed.Cast."""
        b = self.builder
        if src is dst:
            return v
        if dst is DType.bool:
            if src.is_float:
                return b.fcmp_unordered("!=", v, ir.Constant(v.type, 0.0))
            return b.icmp_unsigned("!=", v, ir.Constant(v.type, 0))
        if src is DType.bool:
            return b.uitofp(v, ty) if dst.is_float else b.zext(v, ty)
        if dst.is_float:
            if src.is_float:
                return b.fpext(v, ty) if dst.bits > src.bits else b.fptrunc(v, ty)
            return (b.sitofp if src.is_signed else b.uitofp)(v, ty)   # one rounding
        if src.is_float:    # truncate toward zero, saturate, NaN → 0
            name = "llvm.fptosi.sat" if dst.is_signed else "llvm.fptoui.sat"
            return b.call(self.ml.intrinsic(name, ty, [v.type], [ty, v.type]), [v])
        if dst.bits < src.bits:
            return b.trunc(v, ty)
        if dst.bits > src.bits:
            return (b.sext if src.is_signed else b.zext)(v, ty)
        return v

    def visit_Call(self, e: typed.Call):
        # An `owned` argument that owns memory is handed over (`handed_over`).
        args = self.handed_over(e.fn.params, e.args, self.arguments(e.args))
        args += [self.slot(var) for var in e.fn.captures]
        callee = self.ml.functions.get(e.fn.symbol)
        if callee is None:          # a lazily linked call (or an internal error)
            callee = self.ml.lazy_callee(self.builder, e.fn)
        res = self.builder.call(callee, [self.ctx, *args])
        if ret_is_none(e.fn.ret):
            self.check_call(res)
            return None
        flag = self.builder.extract_value(res, 1, f"{e.fn.name}.failed")
        value = self.builder.extract_value(res, 0, e.fn.name)
        self.check_call(flag)
        return value

    def visit_Parallelize(self, e: typed.Parallelize):
        parallel.lower_parallelize(self, e)        # see codegen/parallel.py

    def visit_FnRef(self, e: typed.FnRef):
        fn = self.ml.functions[e.fn.symbol]
        owned = [p.mutable and not p.by_ref and owns_memory(p.type) for p in e.fn.params]
        return self.by_value(fn, e.fn) if any(owned) else fn

    def by_value(self, fn: ir.Function, f: typed.Function) -> ir.Function:
        """The function a call through a function value reaches for `f`, whose
        `owned` parameters take over what they are given (`handed_over`): a thunk
        that copies those arguments first, as a direct call's caller does, and
        fails as the function would where a copy faults (a tree too deep for the
        stack; one whose copy runs a user's `__copyinit__` cannot be a value)."""
        name = fn.name + ".value"
        thunk = self.ml.module.globals.get(name)
        if thunk is not None:
            return thunk
        thunk = ir.Function(self.ml.module, fn.function_type, name)
        thunk.linkage = "internal"
        b = ir.IRBuilder(thunk.append_basic_block("entry"))
        ctx, args = thunk.args[0], list(thunk.args[1:])
        ret = thunk.function_type.return_type

        def check(flag):
            bad, ok = thunk.append_basic_block("copy.failed"), thunk.append_basic_block("ok")
            b.cbranch(flag, bad, ok)
            b.position_at_end(bad)
            b.ret(I1(1) if ret == I1 else b.insert_value(ir.Constant(ret, ir.Undefined), I1(1), 1))
            b.position_at_end(ok)
        for k, p in enumerate(f.params):
            if p.mutable and not p.by_ref and owns_memory(p.type):
                args[k] = memory.retain(self, args[k], p.type, b, ctx, check=check)
        b.ret(b.call(fn, [ctx, *args]))
        return thunk

    def visit_CallValue(self, e: typed.CallValue):
        """An indirect call with the ABI of a direct one (ctx first, {T, i1} or i1);
        a null function (never assigned) faults."""
        b = self.builder
        callee = self.borrowed(e.callee)
        args = [self.borrowed(a) for a in e.args]
        self.fault_if(b.icmp_unsigned("==", callee, ir.Constant(PTR, None)), e.span,
                      memory.M.NULL_FUNCTION_FAULT, "nullfn")
        fnty = ir.FunctionType(result_type(e.type), [PTR, *(llvm_type(p) for p in
                                                            e.callee.type.params)])
        # Reloaded as a pointer that knows its function type (llvmlite takes the
        # call's type from it); mem2reg removes the slot.
        slot = self.entry_alloca(PTR, "fn.addr")
        b.store(callee, slot)
        callee = b.load(slot, "fn", typ=ir.PointerType(fnty))
        res = b.call(callee, [self.ctx, *args])
        if ret_is_none(e.type):
            self.check_call(res)
            return None
        flag = b.extract_value(res, 1, "failed")
        value = b.extract_value(res, 0)
        self.check_call(flag)
        return value

    def visit_Index(self, e: typed.Index):
        base = self.borrowed(e.base)
        indices = [self.visit(i) for i in e.indices]
        return memory.load_element(self, memory.element_address(self, e, e.base.type, base,
                                                                indices), e.type)

    def visit_Builtin(self, e: typed.Builtin):
        args = self.arguments(e.args)
        if e.name in lists.TAKES_ELEMENTS:     # the List keeps its element arguments
            args = [self.kept(a, v) for a, v in zip(e.args, args)]
        rule = BUILTIN_RULES.get(e.name) or stdlib.RULES[e.name]   # random, time
        return rule(self, e, *args)

    def visit_MathCall(self, e: typed.MathCall):
        args = [self.visit(a) for a in e.args]
        dt = scalar_dtype(e.args[0].type)
        table = FLOAT_MATH_RULES if dt.is_float else INT_MATH_RULES
        rule = table.get(e.name)
        if rule is None:
            raise InternalError(f"codegen: no rule for math.{e.name} on {e.args[0].type}")
        if e.args[0].type.width > 1:
            return self.simd_math(e, args, table)
        return rule(self, e, *args)

    # -- shared by rules
    def call_intrinsic(self, base: str, *args, ret=None):
        ty = args[0].type
        fn = self.ml.intrinsic(base, ret or ty, [a.type for a in args], [ty])
        return self.builder.call(fn, list(args))

    def int_divmod(self, e: typed.Expr, a, b, message: str):
        """Python's floor division and modulo; by zero → fault.

        Signed: b == -1 is done as a negation (sdiv INT_MIN, -1 traps on x86; the
        oracle's INT_MIN // -1 wraps to INT_MIN, % gives 0). Otherwise truncating
        sdiv/srem, then one step toward -inf where the remainder's sign differs
        from b's: -7 // 2: q -3, r -1 → -4, 1.
        """
        bld, dt, ty = self.builder, scalar_dtype(e.type), a.type
        rhs = getattr(e, "rhs", None)
        if dt.is_signed and isinstance(rhs, typed.Const) and rhs.value > 0 \
                and rhs.value & (rhs.value - 1) == 0:
            # Floor division by 2**k is an arithmetic shift, the modulo a mask:
            # -7 // 4 = -7 >> 2 = -2, -7 % 4 = -7 & 3 = 1.
            k = int(rhs.value).bit_length() - 1
            return bld.ashr(a, ty(k)), bld.and_(a, ty(int(rhs.value) - 1))
        self.fault_if(bld.icmp_unsigned("==", b, ty(0)), e.span, message, "divzero")
        if not dt.is_signed:
            return bld.udiv(a, b), bld.urem(a, b)
        minus_one = bld.icmp_signed("==", b, ty(-1))
        safe = bld.select(minus_one, ty(1), b)
        q, r = bld.sdiv(a, safe), bld.srem(a, safe)
        adjust = bld.and_(bld.icmp_signed("!=", r, ty(0)),
                          bld.icmp_signed("<", bld.xor(r, b), ty(0)))
        q = bld.sub(q, bld.zext(adjust, ty))
        r = bld.select(adjust, bld.add(r, b), r)
        q = bld.select(minus_one, bld.neg(a), q)
        return q, r

    def int_pow(self, e: typed.Expr, a, b, rhs: typed.Expr | None):
        """Wrapping power; a negative exponent (signed types) faults."""
        bld, dt = self.builder, scalar_dtype(e.type)
        n = _const_exponent(rhs)
        if n is not None:
            sq = bld.mul(a, a)
            return bld.mul(sq, a) if n == 3 else sq
        if dt.is_signed:
            self.fault_if(bld.icmp_signed("<", b, a.type(0)), e.span, semantics.NEG_EXPONENT,
                          "negexp")
        return bld.call(self.ml.ipow_helper(a.type), [a, b])

    def libm(self, name: str, *args):
        return self.builder.call(self.ml.libm(name, args[0].type, len(args)), list(args))


def _has_entry_abi(fn: typed.Function) -> bool:
    """Whether Python can call `fn` through an entry wrapper: no captures, and
    parameters and result that fit the slot ABI (not structs or functions; a
    tuple of numbers, vectors and Tensors as the result)."""
    types = [p.type for p in fn.params]
    if is_tuple(fn.ret):
        from ..pycall import result_kind
        if result_kind(fn.ret) is None:
            return False
    elif not ret_is_none(fn.ret):
        types.append(fn.ret)
    return not fn.captures and not any(isinstance(t, (Struct, FnType)) for t in types)


_managed_locals = typed.managed_locals


def _const_exponent(rhs) -> int | None:
    """2 or 3 when `rhs` is that constant (then `**` is multiplies, see
    semantics.pow_by_multiplies), else None."""
    if isinstance(rhs, typed.Const) and not isinstance(rhs.value, (bool, str)) \
            and rhs.value in (2, 3):
        return int(rhs.value)
    return None


# ------------------------------------------------------------------ rule tables
# Each maps a key of the matching `semantics` table to an emitter
# (fx: _FunctionLowering, node, *operand values) → value.

def _shl(fx, e, a, b):
    bld, bits = fx.builder, a.type.width
    in_range = bld.icmp_unsigned("<", b, a.type(bits))
    return bld.select(in_range, bld.shl(a, bld.and_(b, a.type(bits - 1))), a.type(0))


def _shr(fx, e, a, b):
    """Count outside [0, bits): 0, or -1 for a negative signed value. For signed
    types that is `ashr a, bits-1`, so the count is clamped instead."""
    bld, bits = fx.builder, a.type.width
    in_range = bld.icmp_unsigned("<", b, a.type(bits))
    if scalar_dtype(e.type).is_signed:
        return bld.ashr(a, bld.select(in_range, b, a.type(bits - 1)))
    return bld.select(in_range, bld.lshr(a, bld.and_(b, a.type(bits - 1))), a.type(0))


INT_BINARY_RULES = {
    BinOp.ADD: lambda fx, e, a, b: fx.builder.add(a, b),
    BinOp.SUB: lambda fx, e, a, b: fx.builder.sub(a, b),
    BinOp.MUL: lambda fx, e, a, b: fx.builder.mul(a, b),
    BinOp.FLOORDIV: lambda fx, e, a, b: fx.int_divmod(e, a, b, semantics.DIV_BY_ZERO)[0],
    BinOp.MOD: lambda fx, e, a, b: fx.int_divmod(e, a, b, semantics.MOD_BY_ZERO)[1],
    BinOp.POW: lambda fx, e, a, b: fx.int_pow(e, a, b, e.rhs),
    BinOp.AND: lambda fx, e, a, b: fx.builder.and_(a, b),
    BinOp.OR: lambda fx, e, a, b: fx.builder.or_(a, b),
    BinOp.XOR: lambda fx, e, a, b: fx.builder.xor(a, b),
    BinOp.SHL: _shl,
    BinOp.SHR: _shr,
}

BOOL_BINARY_RULES = {
    BinOp.AND: lambda fx, e, a, b: fx.builder.and_(a, b),
    BinOp.OR: lambda fx, e, a, b: fx.builder.or_(a, b),
    BinOp.XOR: lambda fx, e, a, b: fx.builder.xor(a, b),
}


def _fdivmod(fx, e, a, b, index):
    pair = fx.builder.call(fx.ml.fdivmod_helper(a.type), [a, b])
    return fx.builder.extract_value(pair, index)


def _fpow(fx, e, a, b):
    n = _const_exponent(e.rhs)
    if n is None:
        return fx.libm("pow", a, b)
    sq = fx.builder.fmul(a, a)
    return fx.builder.fmul(sq, a) if n == 3 else sq


FLOAT_BINARY_RULES = {
    BinOp.ADD: lambda fx, e, a, b: fx.builder.fadd(a, b),
    BinOp.SUB: lambda fx, e, a, b: fx.builder.fsub(a, b),
    BinOp.MUL: lambda fx, e, a, b: fx.builder.fmul(a, b),
    BinOp.DIV: lambda fx, e, a, b: fx.builder.fdiv(a, b),
    BinOp.FLOORDIV: lambda fx, e, a, b: _fdivmod(fx, e, a, b, 0),
    BinOp.MOD: lambda fx, e, a, b: _fdivmod(fx, e, a, b, 1),
    BinOp.POW: _fpow,
}


def _neg(fx, e, x):
    return fx.builder.fneg(x) if scalar_dtype(e.type).is_float else fx.builder.neg(x)


UNARY_RULES = {
    UnOp.NEG: _neg,
    UnOp.INVERT: lambda fx, e, x: fx.builder.not_(x),     # xor -1; on i1 that is `not`
    UnOp.NOT: lambda fx, e, x: fx.builder.not_(x),
}

COMPARE_RULES = {CmpOp.LT: "<", CmpOp.LE: "<=", CmpOp.GT: ">", CmpOp.GE: ">=",
                 CmpOp.EQ: "==", CmpOp.NE: "!="}


def _libm_rule(name):
    return lambda fx, e, *args: fx.libm(name, *args)


def _intrinsic_rule(base):
    return lambda fx, e, *args: fx.call_intrinsic(base, *args)


def _fclamp(fx, e, x, lo, hi):
    return fx.call_intrinsic("llvm.minimum", fx.call_intrinsic("llvm.maximum", x, lo), hi)


def _isinf(fx, e, x):
    fabs = fx.call_intrinsic("llvm.fabs", x)
    return fx.builder.fcmp_ordered("==", fabs, ir.Constant(x.type, float("inf")))


def _isfinite(fx, e, x):
    fabs = fx.call_intrinsic("llvm.fabs", x)
    return fx.builder.fcmp_ordered("!=", fabs, ir.Constant(x.type, float("inf")))


def _isclose(fx, e, a, b, atol=None, rtol=None, equal_nan=None):
    """As `semantics._isclose`: a == b, or both finite and |a - b| <=
    max(atol, rtol * max(|a|, |b|)) (no NaN reaches the max where it counts), or
    with equal_nan both NaN. No atol: the default tolerances, as constants."""
    bl, dt = fx.builder, scalar_dtype(e.args[0].type)
    if atol is None:
        atol, rtol = (ir.Constant(a.type, semantics.round_to(v, dt)) for v in (1e-8, 1e-5))
    elif a.type != atol.type:                       # the Float64 tolerances, to Float32
        atol, rtol = bl.fptrunc(atol, a.type), bl.fptrunc(rtol, a.type)
    scale = bl.fmul(rtol, fx.call_intrinsic("llvm.maximum", fx.call_intrinsic("llvm.fabs", a),
                                            fx.call_intrinsic("llvm.fabs", b)))
    diff = fx.call_intrinsic("llvm.fabs", bl.fsub(a, b))
    within = bl.fcmp_ordered("<=", diff, fx.call_intrinsic("llvm.maximum", atol, scale))
    finite = bl.and_(_isfinite(fx, e, a), _isfinite(fx, e, b))
    close = bl.or_(bl.fcmp_ordered("==", a, b), bl.and_(finite, within), "isclose")
    if equal_nan is None:
        return close
    both_nan = bl.and_(bl.fcmp_unordered("uno", a, a), bl.fcmp_unordered("uno", b, b))
    return bl.or_(close, bl.and_(equal_nan, both_nan))


_LIBM_NAMES = ("exp", "exp2", "log", "log2", "log10", "log1p", "expm1", "sin", "cos", "tan",
               "asin", "acos", "atan", "sinh", "cosh", "tanh", "atan2", "pow")

FLOAT_MATH_RULES = {
    **{name: _libm_rule(name) for name in _LIBM_NAMES},
    "sqrt": _intrinsic_rule("llvm.sqrt"),
    "rsqrt": lambda fx, e, x: fx.builder.fdiv(ir.Constant(x.type, 1.0),
                                              fx.call_intrinsic("llvm.sqrt", x)),
    "floor": _intrinsic_rule("llvm.floor"),
    "ceil": _intrinsic_rule("llvm.ceil"),
    "trunc": _intrinsic_rule("llvm.trunc"),
    "round": _intrinsic_rule("llvm.roundeven"),
    "abs": _intrinsic_rule("llvm.fabs"),
    "fma": _intrinsic_rule("llvm.fma"),
    "min": _intrinsic_rule("llvm.minimum"),     # NaN-propagating, -0 < +0
    "max": _intrinsic_rule("llvm.maximum"),
    "clamp": _fclamp,
    "isnan": lambda fx, e, x: fx.builder.fcmp_unordered("uno", x, x),
    "isinf": _isinf,
    "isfinite": _isfinite,
    "isclose": _isclose,
}


def _iminmax(kind):
    def rule(fx, e, a, b):
        prefix = "s" if scalar_dtype(e.args[0].type).is_signed else "u"
        return fx.call_intrinsic(f"llvm.{prefix}{kind}", a, b)
    return rule


def _iabs(fx, e, x):
    if not scalar_dtype(e.type).is_signed:
        return x
    # is_int_min_poison = false: abs(INT_MIN) wraps to INT_MIN, like the oracle.
    fn = fx.ml.intrinsic("llvm.abs", x.type, [x.type, I1], [x.type])
    return fx.builder.call(fn, [x, I1(0)])


def _iclamp(fx, e, x, lo, hi):
    return _iminmax("min")(fx, e, _iminmax("max")(fx, e, x, lo), hi)


def _iceildiv(fx, e, a, b):
    """`ceildiv` of integers: the floor quotient, plus one for a remainder."""
    q, r = fx.int_divmod(e, a, b, semantics.DIV_BY_ZERO)
    return fx.builder.add(q, fx.builder.zext(fx.builder.icmp_unsigned("!=", r, r.type(0)),
                                             q.type))


INT_MATH_RULES = {
    "abs": _iabs,
    **{name: (lambda fx, e, x: x) for name in ("floor", "ceil", "trunc", "round")},
    "min": _iminmax("min"),
    "max": _iminmax("max"),
    "clamp": _iclamp,
    "pow": lambda fx, e, a, b: fx.int_pow(e, a, b, None),
    "ceildiv": _iceildiv,
}

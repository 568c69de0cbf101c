"""Control-flow checks: `if`, `while`, `for`, `break`, `continue`.

In: statements handed over by the checker (`typecheck._Checker` inherits these
methods). Out: `T.If`, `T.While`, `T.ForRange` (a `for` over `range`, or over
`reversed(range(...))` as a counting loop), the unrolled copies of a
`@parameter for`, and `T.Break`/`T.Continue`. Along the way it keeps the
definite-assignment state (`self.assigned`) across branches and loops: a
variable is assigned after an `if` when both branches assign it, and after a
loop only where every `break` leaves it assigned. A `for` over a List is
`check_memory.for_each`'s.
"""
from __future__ import annotations

import dataclasses

from . import syntax as S
from . import typed as T
from .scopes import BuiltinEntity, ConstEntity, Scope
from .typesys import BOOL, INT, INT_LITERAL, SIMD, UINT, is_float, is_int


class ControlChecks:
    def compile_time_arg(self, e: S.Expr) -> S.Expr | None:
        """x of `parameter(x)`, the Python-valid spelling of `@parameter if x:` and
        `@parameter for i in x:` in kernels (`parameter` not being a variable)."""
        if isinstance(e, S.Call) and isinstance(e.func, S.Name) and e.func.id == "parameter" \
                and len(e.args) == 1 and not e.kwargs \
                and not isinstance(self.scope.lookup("parameter"), T.Var):
            return e.args[0]
        return None

    def visit_If(self, node: S.If):
        cond = self.compile_time_arg(node.cond)
        if node.compile_time or cond is not None:   # only the branch taken is checked
            taken = self.fold(self.condition(cond or node.cond)).value
            return list(self.block(node.body if taken else node.orelse))
        cond = self.condition(node.cond)
        before, lets_before = set(self.assigned), set(self.fs.let_maybe)
        body = self.block(node.body)
        after_body = self.assigned if not always_exits(body) else None
        self.assigned = set(before)
        lets_body, self.fs.let_maybe = self.fs.let_maybe, lets_before
        orelse = self.block(node.orelse)
        self.fs.let_maybe |= lets_body
        after_else = self.assigned if not always_exits(orelse) else None
        if after_body is None and after_else is None:
            self.assigned = before | (after_body or set()) | (after_else or set())
        elif after_body is None:
            self.assigned = after_else
        elif after_else is None:
            self.assigned = after_body
        else:
            self.assigned = after_body & after_else
        return T.If(cond, body, orelse, span=node.span)

    def visit_While(self, node: S.While):
        if node.orelse:
            return self.loop_else(node, lambda: self.visit_While(
                S.While(node.cond, node.body, span=node.span)))
        cond = self.condition(node.cond)
        before = set(self.assigned)
        self.enter_loop()
        try:
            body = self.block(node.body)
            self.check_loop_transfers(before, body)
        finally:
            self.leave_loop()
            self.assigned = self.after_loop(before)
        if isinstance(cond, T.Const) and cond.value is True and self.fs.loop_breaks:
            # `while True:` ends only at a `break`: what all its `break`s assigned
            self.assigned = set.intersection(*self.fs.loop_breaks)
        return T.While(cond, body, span=node.span)

    def enter_loop(self):
        self.fs.loop_depth += 1
        self.fs.exits.append(([], []))
        self.fs.else_flags.append(self.fs.next_else_flag)
        self.fs.next_else_flag = None

    def leave_loop(self):
        self.fs.loop_depth -= 1
        self.fs.else_flags.pop()

    def loop_else(self, node: S.While | S.For, check_loop) -> list[T.Stmt]:
        """A loop's `else:`, run when the loop ends other than by a `break`: each
        `break` of the loop first sets a hidden Bool, declared false before the loop,
        and the `else` runs if it is still false. With no `break`, the `else` just
        follows the loop. A variable is assigned after it when every `break`
        assigned it and so did the `else`."""
        flag = T.Var("loop.broke", BOOL, True, node.span)
        before = set(self.assigned)
        self.fs.next_else_flag = flag
        loop = check_loop()
        self.fs.next_else_flag = None
        loop = list(loop) if isinstance(loop, list) else [loop]
        if flag not in self.fs.broke:
            return loop + list(self.block(node.orelse))
        breaks = self.fs.loop_breaks    # the loop's, as it has a `break`
        self.assigned = before          # the `else` follows a loop run to its end
        orelse = self.block(node.orelse)
        ends = breaks if always_exits(orelse) else [*breaks, self.assigned]
        self.assigned = set.intersection(*ends)
        sp = node.span
        run_else = T.If(T.Unary(BOOL, S.UnOp.NOT, T.Load(BOOL, flag, span=sp), span=sp),
                        orelse, (), span=sp)
        return [T.Declare(flag, T.Const(BOOL, False, span=sp), span=sp), *loop, run_else]

    def visit_For(self, node: S.For):
        if node.orelse:
            return self.loop_else(node, lambda: self.visit_For(dataclasses.replace(
                node, orelse=())))
        if len(node.targets) != 1 or not isinstance(node.targets[0], S.Name):
            raise self.error("a for loop binds exactly one name", node.targets[0].span)
        if node.ref:
            return self.ref_for_each(node)
        inner = self.compile_time_arg(node.iter)
        if node.compile_time or inner is not None:
            return self.unrolled_for(node, inner or node.iter)
        it = node.iter
        if self.is_builtin_call(it, "reversed") and len(it.args) == 1 and not it.kwargs \
                and self.is_builtin_call(it.args[0], "range"):
            return self.reversed_range(node, it.args[0])
        if not self.is_builtin_call(it, "range"):
            return self.for_each(node)
        start, stop, step = self.range_bounds(it)
        var = T.Var(node.targets[0].id, start.type, True, node.targets[0].span)
        return T.ForRange(var, start, stop, step, self.loop_body(var, node.body),
                          span=node.span)

    def is_builtin_call(self, node: S.Expr, name: str) -> bool:
        return isinstance(node, S.Call) and isinstance(node.func, S.Name) and \
            node.func.id == name and isinstance(self.scope.lookup(name), BuiltinEntity)

    def range_bounds(self, it: S.Call) -> tuple[T.Expr, T.Expr, T.Expr]:
        """start, stop, step of `range(...)`, of one integer type (Int for literals)."""
        if it.kwargs or not 1 <= len(it.args) <= 3:
            raise self.error(f"range() takes 1 to 3 positional arguments, got {len(it.args)}",
                             it.span)
        bounds = [self.expr(a) for a in it.args]
        for b, a in zip(bounds, it.args):
            if not (is_int(b.type) or b.type == INT_LITERAL) or \
                    (isinstance(b.type, SIMD) and b.type.width != 1):
                raise self.error(f"range() needs integers, found {b.type}", a.span,
                                 hint="convert with Int(x)" if is_float(b.type) else "")
        rtype = self.unify(bounds, it.span)
        if rtype.is_literal:
            rtype = INT
        bounds = [self.coerce(b, rtype, a.span) for b, a in zip(bounds, it.args)]
        if len(bounds) == 1:
            start, stop, step = T.Const(rtype, 0, span=it.span), bounds[0], \
                T.Const(rtype, 1, span=it.span)
        elif len(bounds) == 2:
            start, stop, step = bounds[0], bounds[1], T.Const(rtype, 1, span=it.span)
        else:
            start, stop, step = bounds
        if isinstance(step, T.Const) and step.value == 0:
            raise self.error("range() step must not be zero", it.args[2].span)
        return start, stop, step

    def reversed_range(self, node: S.For, it: S.Call) -> list[T.Stmt]:
        """`for i in reversed(range(a, b, s))`, the values of the range last to
        first, as Python gives them: a hidden Int k counts from the range's last
        position down to 0 and i = a + k * s (computed in Int, so `a - 1` never
        wraps a narrow type). `reversed(range(2, 10, 3))`: k = 2, 1, 0; i = 8, 5, 2.
        The step must be a compile-time constant (it divides the length)."""
        start, stop, step = self.range_bounds(it)
        if not isinstance(step, T.Const):
            raise self.error("reversed(range(...)) needs a constant step", it.args[2].span)
        out: list[T.Stmt] = []
        sp = it.span

        def as_int(e: T.Expr) -> T.Expr:
            return e if e.type == INT else T.Cast(INT, e, span=e.span)

        def op(o, a, b):
            return T.Binary(INT, o, a, b, span=sp)

        def once(e: T.Expr, name: str) -> T.Expr:
            if isinstance(e, T.Const):
                return e
            hidden = T.Var(name, INT, False, sp)
            out.append(T.Declare(hidden, e, span=sp))
            return T.Load(INT, hidden, span=sp)

        a = once(as_int(start), "range.start")  # read in every iteration: evaluate once
        b = once(as_int(stop), "range.stop")
        s = step.value
        lo, hi = (a, b) if s > 0 else (b, a)
        # the last position, (hi - lo - 1) // |s|, in UInt: hi - lo may pass Int.MAX
        span_ = T.Cast(UINT, op(S.BinOp.SUB, hi, lo), span=sp)
        last_u = T.Binary(UINT, S.BinOp.FLOORDIV,
                          T.Binary(UINT, S.BinOp.SUB, span_, T.Const(UINT, 1, span=sp), span=sp),
                          T.Const(UINT, abs(s), span=sp), span=sp)
        last = T.IfExp(INT, T.Compare(BOOL, (hi, lo), (S.CmpOp.GT,), span=sp),
                       T.Cast(INT, last_u, span=sp), T.Const(INT, -1, span=sp), span=sp)
        k = T.Var("for.index", INT, True, node.span)
        target = node.targets[0]
        var = T.Var(target.id, start.type, True, target.span)
        value = op(S.BinOp.ADD, a, op(S.BinOp.MUL, T.Load(INT, k, span=sp),
                                      T.Const(INT, s, span=sp)))
        read = T.Declare(var, value if var.type == INT else T.Cast(var.type, value, span=sp),
                         span=target.span)
        body = self.loop_body(var, node.body)
        minus_one = T.Const(INT, -1, span=sp)
        out.append(T.ForRange(k, last, minus_one, minus_one, (read, *body), span=node.span))
        return out

    def loop_body(self, var: T.Var, stmts) -> tuple[T.Stmt, ...]:
        """A loop's body, in a scope where the loop variable `var` is bound."""
        saved = self.scope
        self.scope = Scope(self.scope)
        self.scope.names[var.name] = var
        before = set(self.assigned)
        self.assigned.add(var)
        self.enter_loop()
        try:
            body = self.block(stmts)
            self.check_loop_transfers(before, body)
            return body
        finally:
            self.leave_loop()
            self.scope = saved
            self.assigned = self.after_loop(before)

    def after_loop(self, before: set[T.Var]) -> set[T.Var]:
        """The variables assigned after a loop: those assigned before it, less any a
        `break` leaves transferred out (`x^` then `break`)."""
        breaks, _ = self.fs.exits.pop()
        self.fs.loop_breaks = breaks        # for `while True:` and a loop's `else:`
        for state in breaks:
            before = before & state
        return before

    def check_loop_transfers(self, before: set[T.Var], body):
        """A variable from before a loop that the body transfers out (`x^`) and does
        not assign again by the body's end, or by a `continue`, has no value in the
        next pass, where the body reads it again: an error at the transfer, as in Mojo."""
        continues = self.fs.exits[-1][1]
        ends = [] if always_exits(body) else [self.assigned]
        for var in sorted(before, key=lambda v: v.name):
            if var not in self.transferred:
                continue
            at_continue = any(var not in state for state in continues)
            if at_continue or any(var not in state for state in ends):
                moved = self.transferred[var]
                where = "the `continue`" if at_continue else "the end of the loop's body"
                raise self.error(f"'{var.name}' is transferred out with `{moved.text}` in a "
                                 f"loop and has no value when the loop goes round again",
                                 moved, hint=f"assign '{var.name}' a new value before "
                                             f"{where}, or pass a copy instead of "
                                             f"`{moved.text}`")

    MAX_UNROLL = 1024       # iterations of one `@parameter for`

    def unrolled_for(self, node: S.For, it: S.Expr) -> list[T.Stmt]:
        """`@parameter for i in range(...)` over compile-time bounds: the body once
        per value, each copy checked with `i` an alias of that value."""
        if not (isinstance(it, S.Call) and isinstance(it.func, S.Name) and it.func.id == "range"
                and isinstance(self.scope.lookup(it.func.id), BuiltinEntity)
                and not it.kwargs and 1 <= len(it.args) <= 3):
            raise self.error("`@parameter for` needs `range(...)` with compile-time bounds",
                             it.span)
        bounds = [self.fold(self.coerce(self.expr(a), INT, a.span)).value for a in it.args]
        if len(bounds) == 3 and bounds[2] == 0:
            raise self.error("range() step must not be zero", it.args[2].span)
        values = range(*bounds)
        if len(values) > self.MAX_UNROLL:
            raise self.error(f"`@parameter for` would unroll {len(values)} copies of its body "
                             f"(at most {self.MAX_UNROLL})", it.span,
                             hint="use a plain `for` loop")
        name, fs, out = node.targets[0].id, self.fs, []
        fs.next_else_flag = None        # no `break` leaves it: an `else` just follows it
        saved_scope, saved_depth = self.scope, fs.loop_depth
        fs.loop_depth, fs.unrolling = 0, fs.unrolling + 1
        try:
            for v in values:
                self.scope = Scope(saved_scope)
                self.scope.names[name] = ConstEntity(T.Const(INT, v, span=node.targets[0].span))
                out.extend(self.block(node.body, new_scope=False))
        finally:
            self.scope, fs.loop_depth = saved_scope, saved_depth
            fs.unrolling -= 1
        return out

    def visit_Break(self, node):
        if self.crosses_finally():
            return self.pending_exit("break", None, node.span)
        self.loop_exit(node, "break")
        flag = self.fs.else_flags[-1]
        if flag is None:
            return T.Break(span=node.span)
        self.fs.broke.add(flag)         # the loop's `else` now needs its flag
        return [T.Assign((flag,), (T.Const(BOOL, True, span=node.span),), span=node.span),
                T.Break(span=node.span)]

    def visit_Continue(self, node):
        if self.crosses_finally():
            return self.pending_exit("continue", None, node.span)
        self.loop_exit(node, "continue")
        return T.Continue(span=node.span)

    def loop_exit(self, node, what: str):
        if self.fs.loop_depth == 0:
            if self.fs.unrolling:
                raise self.error(f"'{what}' cannot leave a `@parameter for` (it is unrolled: "
                                 "there is no loop at run time)", node.span)
            raise self.error(f"'{what}' outside a loop", node.span)
        breaks, continues = self.fs.exits[-1]
        (breaks if what == "break" else continues).append(set(self.assigned))


def always_exits(stmts) -> bool:
    """True when control never falls off the end of `stmts` (conservative)."""
    for st in stmts:
        if isinstance(st, (T.Return, T.Raise, T.Break, T.Continue)):
            return True
        if isinstance(st, T.If) and always_exits(st.body) and always_exits(st.orelse):
            return True
        if isinstance(st, T.Try) and always_exits(st.body) and always_exits(st.handler):
            return True
        if isinstance(st, T.While) and isinstance(st.cond, T.Const) and st.cond.value is True \
                and not _has_break(st.body):
            return True
    return False


PENDING_EXIT = "finally.exit"      # the hidden Int of a `try` with `finally:` (check_errors.py)


def _has_break(stmts) -> bool:
    """Whether a `break` in `stmts` leaves the loop around them; one that takes a
    pending exit out of a `try` that has a `finally:` (after it sets the hidden
    Int, or in `if exit != 0: break` after an inner loop) leaves only towards the
    `finally:`."""
    for k, st in enumerate(stmts):
        if isinstance(st, T.Break) and not (k and _sets_pending(stmts[k - 1])):
            return True
        if isinstance(st, T.If) and isinstance(st.cond, T.Compare) \
                and st.cond.ops == (S.CmpOp.NE,) and isinstance(st.cond.operands[0], T.Load) \
                and st.cond.operands[0].var.name == PENDING_EXIT:
            continue
        if isinstance(st, T.If) and (_has_break(st.body) or _has_break(st.orelse)):
            return True
        if isinstance(st, T.Try) and (_has_break(st.body) or _has_break(st.handler)):
            return True
    return False


def _sets_pending(st) -> bool:
    return isinstance(st, T.Assign) and st.targets[0] is not None \
        and st.targets[0].name == PENDING_EXIT

"""Type rules of raising and handling errors.

In: `raise` and `try`/`except` syntax nodes and `String(e)` calls, handed over
by the checker (`typecheck._Checker` inherits these methods). Out: `typed.Raise`,
`typed.Try`, `typed.Format` and the `error.message` and `string.concat` built-ins. Rules:
- `raise Error(message)` (any String: a literal, `"n = " + String(n)`) needs
  a `raises` function or an enclosing `try`; inside a handler `raise e`, or
  `raise` alone, raises the caught error again (with the place it was first
  raised);
- a call of a `raises` function needs the same (`check_raises`), and so does
  a made helper whose body can raise (a tuple's `==` or `<`, a List's `in`
  over structs whose `__eq__` raises): its body is checked as if it could
  (`raising_allowed`), each call as a call of the function it raises from;
- `try:` ... `except e:` / `except Error as e:` / `except:` ... : `e` is an
  `Error`, read-only, visible in the handler only; it prints as its message
  and `String(e)` is that message;
- `Error(...)` is a value too (`construct_error`; a String converts to one
  implicitly, `coerce`): stored, passed, returned like a String, and `raise x`
  raises any Error value (located at its first `raise`);
- `String(x)` (also `str(x)`) is the text `print(x)` shows for a number, Bool
  or SIMD value (folded when x is a constant); `String(s)` is s, `String()` "";
- a variable is assigned after the statement if both the body and the
  handler assign it (or one of them always leaves); the handler starts with
  the variables assigned at every point of the body that may raise (a call of a
  `raises` function, a `raise`, a `finally:` block raising again), a
  `finally:` block with those assigned at every way the rest ends;
- a `return`, `break` or `continue` leaving a `try` that has a `finally:` runs
  the `finally:` block first (`try_finally`); the return value is taken before.
"""
from __future__ import annotations

import dataclasses
from contextlib import contextmanager

from . import syntax as S
from . import typed as T
from .check_control import PENDING_EXIT, always_exits
from .fmt import format_value
from .raising_defs import def_key
from .typesys import (BOOL, DTYPE, ERROR, FLOAT64, FLOAT_LITERAL, INT, SIMD, STRING, Struct,
                      has_lifecycle)


class ErrorChecks:
    """Mixin of `_Checker` (uses its scopes, `block`, `expr`, `assigned` ...)."""

    def may_raise_here(self) -> bool:
        """Whether an error can leave the current point: the function `raises`
        or a `try` body encloses it."""
        return self.fs is not None and (self.fs.fn.raises or self.fs.try_depth > 0)

    def unmarked_raise(self):
        """The current function raises where it may not: if it is a `def` (which
        raises without saying so), it is to be checked again as `raises`."""
        if self.fs.node.is_def:
            self.raising_defs.add(def_key(self.fs.node))

    @contextmanager
    def raising_allowed(self):
        """Checks a made helper's body, which may call `raises` functions: each
        call of the helper is checked instead (`raised_by`, `check_raises`)."""
        fs = self.fs
        if fs is None:
            yield
            return
        fs.try_depth += 1
        try:
            yield
        finally:
            fs.try_depth -= 1

    def raised_by(self, *nodes: T.Node) -> T.Function | None:
        """The first `raises` function a call in `nodes` calls (for a helper's
        call, the function the helper raises from), or None."""
        for node in nodes:
            if isinstance(node, T.Call) and node.fn.raises:
                return self.helper_raises.get(node.fn, node.fn)
            found = self.raised_by(*T.children(node))
            if found is not None:
                return found
        return None

    def note_raise(self):
        """Here an error may be raised: the variables assigned now are among those
        the innermost enclosing `try`'s handler (or `finally:`) may start with."""
        if self.fs is not None and self.fs.raise_states:
            self.fs.raise_states[-1].append(set(self.assigned))

    @contextmanager
    def raise_points(self):
        """Collects the assigned variables at each point that may raise in the `try`
        body checked inside (`note_raise`): a list, filled when the body is checked."""
        states: list[set] = []
        self.fs.raise_states.append(states)
        try:
            yield states
        finally:
            self.fs.raise_states.pop()

    def visit_Raise(self, node: S.Raise):
        stmt = self.raise_stmt(node)
        self.note_raise()
        return stmt

    def raise_stmt(self, node: S.Raise) -> T.Raise:
        if not self.may_raise_here():
            self.unmarked_raise()
            raise self.error(f"'{self.fs.fn.name}' raises an error but is not marked `raises`",
                             node.span, hint=f"declare it `fn {self.fs.fn.name}(...) raises:` "
                                             "or put the `raise` in a `try`")
        v = node.value
        if v is None:                       # `raise` alone: the error being handled, again
            handling = self.fs.handling
            if not handling:
                raise self.error("a bare `raise` raises again the error an `except` block "
                                 "is handling, and there is none here", node.span,
                                 hint="write `raise Error(\"message\")`")
            if handling[-1] is None:        # `except:` / `except Error:`: name it now
                handling[-1] = T.Var("caught.error", ERROR, False, node.span)
            return T.Raise(T.Load(ERROR, handling[-1], span=node.span), span=node.span)
        if isinstance(v, S.Call) and isinstance(v.func, S.Name) and v.func.id == "Error" \
                and not v.kwargs:
            if not v.args:                  # Mojo's `Error()`: an empty message
                return T.Raise(T.Const(STRING, "", span=v.span), span=node.span)
            if len(v.args) == 1 and isinstance(v.args[0], S.StrLit):
                v = v.args[0]
        if isinstance(v, S.StrLit):
            return T.Raise(T.Const(STRING, v.value, span=v.span), span=node.span)
        x = self.expr(v)
        if isinstance(x, T.Builtin) and x.name == "error.new":
            x = x.args[0]                   # its message, located at this `raise`
        if x.type in (STRING, ERROR):
            return T.Raise(x, span=node.span)
        raise self.error(f"raise needs `Error(message)` with a String message, or the "
                         f"error an `except e:` caught, not {self.materialize(x).type}",
                         node.span, hint="make the message a String: `Error(\"n = \" + "
                                         "String(n))`")

    def visit_Try(self, node: S.Try):
        if node.finalbody:
            return self.try_finally(node)
        if node.exc_type is not None and not (isinstance(node.exc_type, S.Name)
                                              and node.exc_type.id == "Error"):
            # Reported, and the rest checked as `except Error`: no knock-on errors
            # (such as the function's end being reachable when the handler returns).
            self.report(self.error("only `Error` can be caught", node.exc_type.span,
                                   hint="write `except e:` or `except Error as e:`"))
        fs = self.fs
        before, lets_before = set(self.assigned), set(fs.let_maybe)
        fs.try_depth += 1
        try:
            with self.raise_points() as raised:
                body = self.block(node.body)
        finally:
            fs.try_depth -= 1
        after_body = None if _leaves(body) else self.assigned
        ok = None                       # of an `else:`: set once the body has ended
        if node.orelse and after_body is not None:
            ok = T.Var("try.ok", BOOL, True, node.span)
            body += (T.Assign((ok,), (T.Const(BOOL, True, span=node.span),),
                              span=node.span),)
        # the handler starts with what is assigned wherever the body may raise
        self.assigned = set.intersection(*raised) if raised else set(before)
        # `try: x = f()` / `except: x = 0` assigns a `let x` once: as for if/else
        lets_body, fs.let_maybe = fs.let_maybe, lets_before
        saved = self.scope
        self.scope = self.new_scope_under(saved)
        var = None
        try:
            if node.exc_name is not None:
                var = T.Var(node.exc_name, ERROR, False, node.span)
                self.scope.names[var.name] = var
                self.assigned.add(var)
            fs.handling.append(var)
            handler = self.block(node.handler, new_scope=False)
            var = fs.handling[-1]           # a bare `raise` may have named it
        finally:
            fs.handling.pop()
            self.scope = saved
        after_handler = None if _leaves(handler) else self.assigned
        orelse = ()
        if ok is not None:              # not caught by the handler: checked outside it
            self.assigned = set(after_body)
            orelse = self.block(node.orelse)
            after_body = None if _leaves(orelse) else self.assigned
        fs.let_maybe |= lets_body
        if after_body is None and after_handler is None:
            self.assigned = before
        elif after_body is None or after_handler is None:
            self.assigned = after_handler if after_body is None else after_body
        else:
            self.assigned = after_body & after_handler
        if ok is not None and after_handler is None:    # the `else` follows the body
            return [T.Try(body[:-1], var, handler, span=node.span), *orelse]
        stmt = T.Try(body, var, handler, span=node.span)
        if ok is None:
            return stmt
        sp = node.span
        return [T.Declare(ok, T.Const(BOOL, False, span=sp), span=sp), stmt,
                T.If(T.Load(BOOL, ok, span=sp), orelse, (), span=sp)]

    def try_finally(self, node: S.Try) -> list[T.Stmt]:
        """`try:` ... [`except` ... [`else:` ...]] `finally: F`: F once, after the
        rest however it ends. A `return`, `break` or `continue` leaving the rest is a
        pending exit (`pending_exit`): it sets a hidden Int (1, 2, 3) and the return
        value, and leaves a one-pass loop around the rest; an error leaving it is
        caught, kept, and sets the Int to 4. After F, the exit it set is taken (the
        error raised again); F written once keeps nested `finally:` blocks linear in
        size. A jump out of F itself is refused, and the statement checked on (as if
        the jump were F's own): no second error about the path it ends."""
        fs, sp = self.fs, node.span
        before = set(self.assigned)
        rest = S.Try(node.body, node.exc_type, node.exc_name, node.handler, node.orelse,
                     span=sp)            # the statement without its `finally:`
        raising = self.may_raise_here()  # else no error can leave `rest`: F follows it
        pending = _Pending(fs.loop_depth, T.Var(PENDING_EXIT, INT, True, sp))
        fs.pending.append(pending)
        fs.try_depth += raising
        try:
            with self.raise_points() as raised:
                first = self.block(node.body) if node.handler is None else self.visit_Try(rest)
            first = list(first) if isinstance(first, (list, tuple)) else [first]
        finally:
            fs.try_depth -= raising
            fs.pending.pop()
        leaving = _leaving_jump(node.finalbody)
        if leaving is not None:
            word = type(leaving).__name__.lower()
            self.report(self.error(f"a `{word}` cannot leave a `finally:` block (not supported)",
                                   leaving.span, hint=f"`{word}` before the `finally:` or "
                                                      "after the `try` statement"))
        after_first = self.assigned
        first_leaves = always_exits(first)
        if pending.states:              # the rest in a one-pass loop its exits break
            first = [T.While(T.Const(BOOL, True, span=sp),
                             (*_propagate(first, pending.exit, sp), T.Break(span=sp)), span=sp)]
        declare, reraise = [], ()
        if raising:     # an error is a pending exit too: one F for all the ways out
            err = T.Var("finally.error", ERROR, False, sp)
            caught = T.Var("finally.caught", ERROR, True, sp)
            code = T.Const(INT, _ERROR_EXIT, span=sp)
            first = [T.Try(tuple(first), err, (
                T.Assign((caught,), (T.Load(ERROR, err, span=sp),), span=sp),
                T.Assign((pending.exit,), (code,), span=sp)), span=sp)]
            declare.append(T.Declare(caught, None, span=sp))
            reraise = (T.If(T.Compare(BOOL, (T.Load(INT, pending.exit, span=sp), code),
                                      (S.CmpOp.EQ,), span=sp),
                            (T.Raise(T.Load(ERROR, caught, span=sp), span=sp),), (), span=sp),)
        # F starts with what is assigned however the rest ends: at its end, at each
        # exit it takes, and wherever it may raise
        entries = [s for states in pending.states.values() for s in states] + raised
        if not first_leaves:
            entries.append(after_first)
        self.assigned = set.intersection(*entries) if entries else set(before)
        start = set(self.assigned)
        final = self.block(node.finalbody)
        final_assigns = self.assigned - start
        moved = start - self.assigned               # by F's transfers (`x^`)
        after = (after_first - moved) | final_assigns
        if raising and not _leaves(final):
            self.note_raise()                       # the error F raises again
        if not pending.states and not raising:
            self.assigned = after
            return [*first, *final]
        declare.insert(0, T.Declare(pending.exit, T.Const(INT, 0, span=sp), span=sp))
        if pending.value is not None:
            declare.append(T.Declare(pending.value, None, span=sp))
        dispatch = () if _leaves(final) else (*reraise, *(
            self.take_pending_exits(pending, final_assigns, moved, first_leaves)
            if pending.states else ()))
        self.assigned = after
        return [*declare, *first, *final, *dispatch]

    def crosses_finally(self) -> bool:
        """Whether a `break`/`continue` here leaves a `try` that has a `finally:`
        (the loop it leaves encloses that `try`)."""
        pending = self.fs.pending
        return bool(pending) and pending[-1].loop_depth == self.fs.loop_depth > 0

    def function_exit(self, ret: T.Return):
        """`ret`, or its pending exit where it leaves a `try` that has a `finally:`.
        `return x` of the function's own variable whose type has a `__del__` or
        `__copyinit__` moves it out (`return x^`), as Mojo does: nothing reads it after."""
        v = ret.value
        if v.__class__ is T.Load and has_lifecycle(v.type) and not v.var.by_ref and \
                not v.var.borrowed and (v.var.mutable or not v.var.is_param) and \
                self.declared_here(v.var):
            ret = T.Return(T.Move(v.type, v.var, span=v.span), span=ret.span)
        if self.fs.pending:
            return self.pending_exit("return", ret.value, ret.span)
        return ret

    def pending_exit(self, kind: str, value: T.Expr | None, span) -> list[T.Stmt]:
        """`return value` / `break` / `continue` out of the innermost `try` that has a
        `finally:`: the exit's code (and the value) in hidden variables, then out of
        the loop around the `try`'s body (`_propagate` passes it through loops)."""
        pending = self.fs.pending[-1]
        pending.states.setdefault(kind, []).append(set(self.assigned))
        pending.spans.setdefault(kind, span)
        out: list[T.Stmt] = []
        if value is not None:
            if pending.value is None:
                pending.value = T.Var("finally.value", value.type, True, span)
            out.append(T.Assign((pending.value,), (value,), span=span))
        code = T.Const(INT, _EXIT_CODES[kind], span=span)
        return [*out, T.Assign((pending.exit,), (code,), span=span), T.Break(span=span)]

    def take_pending_exits(self, pending: "_Pending", final_assigns: set, moved: set,
                           always: bool):
        """After the `finally:` block: `if exit == 1: return value`, `elif exit == 2:
        break` ..., each checked with the variables assigned at all its exits (plus
        those the `finally:` block assigns, less those it transfers out), so it may
        cross an enclosing `finally:` in turn.
        When the rest never ends normally, the last exit needs no test."""
        kinds = [k for k in _EXIT_CODES if k in pending.states]
        out: tuple[T.Stmt, ...] = ()
        for n, kind in reversed(list(enumerate(kinds))):
            self.assigned = (set.intersection(*pending.states[kind]) - moved) | final_assigns
            sp = pending.spans[kind]
            if kind == "return":
                value = None if pending.value is None else \
                    T.Load(pending.value.type, pending.value, span=sp)
                taken = self.function_exit(T.Return(value, span=sp))
            else:
                taken = self.stmt(S.Break(span=sp) if kind == "break" else S.Continue(span=sp))
            taken = tuple(taken) if isinstance(taken, list) else (taken,)
            if always and n == len(kinds) - 1:
                out = taken
                continue
            test = T.Compare(BOOL, (T.Load(INT, pending.exit, span=sp),
                                    T.Const(INT, _EXIT_CODES[kind], span=sp)),
                             (S.CmpOp.EQ,), span=sp)
            out = (T.If(test, taken, out, span=sp),)
        return out

    def construct_error(self, node: S.Call) -> T.Expr:
        """`Error(...)` as a value: its message is what `String(...)` makes of the
        same arguments (`Error()` an empty one); it is located where first raised."""
        text = self.construct_string(S.Call(S.Name("String", span=node.func.span), node.args,
                                            node.kwargs, span=node.span))
        if text.type == ERROR:          # `Error(e)`: a copy of e
            return text.args[0]
        return T.Builtin(ERROR, "error.new", (text,), span=node.span)

    def construct_string(self, node: S.Call, name: str = "String") -> T.Expr:
        """`String(x)` / `str(x)`: see the module docstring."""
        if not node.args and not node.kwargs and name == "String":
            return T.Const(STRING, "", span=node.span)
        if name == "String" and (len(node.args) > 1 or node.kwargs):
            return self.write_string(node)
        if len(node.args) != 1 or node.kwargs:
            raise self.error(f"{name}(...) takes one value", node.span)
        x = self.expr(node.args[0])
        if x.type == STRING:
            return x
        if x.type == ERROR:
            return T.Builtin(STRING, "error.message", (x,), span=node.span)
        if x.type == DTYPE:         # a compile-time value: its name, as print shows it
            return T.Const(STRING, self.fold(x).value.value, span=node.span)
        if x.type.is_literal:
            x = self.coerce(x, FLOAT64 if x.type == FLOAT_LITERAL else INT, x.span)
        if isinstance(x.type, SIMD):
            if isinstance(x, T.Const):
                return T.Const(STRING, format_value(x.value, x.type), span=node.span)
            return T.Format(STRING, x, span=node.span)
        text = self.struct_str(x, node.span, f"{name}(...)")
        if text is not None:
            return text
        raise self.error(f"cannot convert {x.type} to String", node.span,
                         hint=f"{name}(...) takes a number, a Bool, a SIMD value, a String, "
                              "a DType, an Error or a struct with `fn __str__(self) -> String`")

    def write_string(self, node: S.Call) -> T.Expr:
        """Mojo's `String(a, b, ..., sep="", end="")`: the text of each value, as
        `String(x)` makes it, joined by `sep` (a constant), then `end`."""
        texts = {"sep": "", "end": ""}
        for kw in node.kwargs:
            if kw.name not in texts:
                raise self.error(f"String(...) has no keyword '{kw.name}'", kw.span,
                                 hint="it takes the values, then `sep=` and `end=`")
            value = self.expr(kw.value)
            if not (isinstance(value, T.Const) and value.type == STRING):
                raise self.error(f"String(...)'s `{kw.name}` must be a string literal",
                                 kw.value.span)
            texts[kw.name] = value.value
        out = None
        for a in node.args:
            text = self.construct_string(S.Call(node.func, (a,), (), span=a.span))
            if out is None:
                out = text
                continue
            if texts["sep"]:
                out = self.string_binary(S.BinOp.ADD, out,
                                         T.Const(STRING, texts["sep"], span=node.span), node.span)
            out = self.string_binary(S.BinOp.ADD, out, text, node.span)
        end = T.Const(STRING, texts["end"], span=node.span)
        return end if out is None else \
            self.string_binary(S.BinOp.ADD, out, end, node.span) if texts["end"] else out

    def struct_str(self, x: T.Expr, span, what: str) -> T.Expr | None:
        """`x.__str__()` for a struct that defines it (Mojo's `Stringable`), else None."""
        if not isinstance(x.type, Struct):
            return None
        text = self.call_operator(x.type, "__str__", [x], span, what)
        if text is not None and text.type != STRING:
            raise self.error(f"'{text.fn.name}' must return String", span)
        return text

    def string_binary(self, op, lhs: T.Expr, rhs: T.Expr, span) -> T.Expr:
        """`a + b` on Strings: a new String (folded for two constants); `s * n`:
        check_strings.py."""
        if op is S.BinOp.MUL:
            return self.string_repeat(lhs, rhs, span)
        if op is not S.BinOp.ADD:
            raise self.error(f"'{op.value}' is not defined for String", span)
        for e, other in ((lhs, rhs), (rhs, lhs)):
            if e.type != STRING:
                t = self.materialize(e).type
                a, b = (other, e) if e is rhs else (e, other)
                wrapped = [f"String({x.span.text})" if x is e else x.span.text for x in (a, b)]
                raise self.error(f"cannot add {self.materialize(a).type} and "
                                 f"{self.materialize(b).type}", span,
                                 hint=f"convert the {t} to a String first: "
                                      f"`{wrapped[0]} + {wrapped[1]}`")
        if isinstance(lhs, T.Const) and isinstance(rhs, T.Const):
            return T.Const(STRING, lhs.value + rhs.value, span=span)
        return T.Builtin(STRING, "string.concat", (lhs, rhs), span=span)


_EXIT_CODES = {"return": 1, "break": 2, "continue": 3}
_ERROR_EXIT = 4         # an error left the rest: F, then raise it again


class _Pending:
    """The exits leaving a `try` that has a `finally:` while it is checked: the
    hidden Int that says which one was taken, the hidden return value, and per
    kind the assigned variables at each exit and the first exit's span."""

    def __init__(self, loop_depth: int, exit_var: T.Var):
        self.loop_depth, self.exit, self.value = loop_depth, exit_var, None
        self.states: dict[str, list[set]] = {}
        self.spans: dict[str, object] = {}


def _propagate(stmts, exit_var: T.Var, sp) -> list[T.Stmt]:
    """`stmts` with `if exit != 0: break` after each loop in them whose body
    takes a pending exit (whose `break` leaves only that loop)."""
    out: list[T.Stmt] = []
    for st in stmts:
        if isinstance(st, (T.While, T.ForRange)):
            st = dataclasses.replace(st, body=tuple(_propagate(st.body, exit_var, sp)))
            out.append(st)
            if _sets(st.body, exit_var):
                test = T.Compare(BOOL, (T.Load(INT, exit_var, span=sp), T.Const(INT, 0, span=sp)),
                                 (S.CmpOp.NE,), span=sp)
                out.append(T.If(test, (T.Break(span=sp),), (), span=sp))
        elif isinstance(st, T.If):
            out.append(dataclasses.replace(st, body=tuple(_propagate(st.body, exit_var, sp)),
                                           orelse=tuple(_propagate(st.orelse, exit_var, sp))))
        elif isinstance(st, T.Try):
            out.append(dataclasses.replace(st, body=tuple(_propagate(st.body, exit_var, sp)),
                                           handler=tuple(_propagate(st.handler, exit_var, sp))))
        else:
            out.append(st)
    return out


def _sets(stmts, var: T.Var) -> bool:
    """Whether `stmts` (at any depth) assign `var`."""
    for st in stmts:
        if isinstance(st, T.Assign) and var in st.targets:
            return True
        for part in ("body", "orelse", "handler"):
            inner = getattr(st, part, None)
            if isinstance(inner, tuple) and _sets(inner, var):
                return True
    return False


def _leaving_jump(stmts, in_loop: bool = False):
    """The first `return` in `stmts`, or `break`/`continue` not inside a loop of
    theirs (nested functions aside), else None."""
    for st in stmts:
        if isinstance(st, S.Return) or isinstance(st, (S.Break, S.Continue)) and not in_loop:
            return st
        if isinstance(st, S.FnDef):
            continue
        loop = in_loop or isinstance(st, (S.While, S.For))
        for part in ("body", "orelse", "handler", "finalbody"):
            inner = getattr(st, part, None)
            if isinstance(inner, tuple):
                found = _leaving_jump(inner, loop if part == "body" else in_loop)
                if found is not None:
                    return found
    return None


def _leaves(stmts) -> bool:
    return always_exits(stmts)

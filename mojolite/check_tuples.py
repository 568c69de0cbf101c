"""Type rules of tuples.

In: syntax nodes handed over by the checker (`typecheck._Checker` inherits
these methods). Out: tuple values as structs (`typesys.tuple_type`): a tuple
expression is a `Construct` of its type with a field-wise `__init__`, `t[k]`
a `Field`, unpacking a hidden variable holding the tuple whose elements are
then assigned. Rules:
- `(A, B)` and `Tuple[A, B]` are the same type; its elements are values a
  variable may hold;
- `(x, y)` and `return x, y` make a tuple; a literal element takes the type
  the tuple converts to (`return 1, 2` from `-> (Float64, Int)`), else its
  default type; nothing else converts element by element;
- `t[k]` needs a constant index in [-n, n); `len(t)` is the constant n;
- `a, b = t` and `var a, b = t` need a tuple of exactly as many elements as
  names (`var` declares them all, new in this scope); `a, = t` and `var a, = t`
  a one-element tuple;
- `t == u` and `t != u` compare tuples of as many elements, element by element
  from the first, stopping at the first unequal pair; each element pair must
  compare to a Bool (a tuple literal takes the other side's element types);
- `t < u`, `<=`, `>`, `>=` order them as Python does: the first pair that is
  not `==` (a NaN equals nothing) decides with the same operator, and tuples
  whose pairs are all equal are equal (`<=`, `>=` true). One pair at a time.
  A comparison that calls an element's raising `__eq__` (or `__lt__` ...)
  can raise: it needs a `raises` function or a `try`, as a direct call does.
"""
from __future__ import annotations

from . import syntax as S
from . import typed as T
from .check_structs import StructInfo
from .errors import UserError
from .scopes import Poison
from .typesys import BOOL, INT, NONE, Struct, Type, is_tuple, owns_memory, tuple_type


class TupleChecks:
    """Mixin of `_Checker` (uses its `expr`, `coerce`, `materialize`, `storable` ...)."""

    def tuple_of(self, elements: list[Type], spans: list) -> Struct:
        """The tuple type of `elements` (each checked where it was written), its
        field-wise `__init__` made once per program."""
        for e, span in zip(elements, spans):
            if e == NONE:
                raise self.error("a tuple element cannot be None", span)
            self.storable(e, span, "a tuple element")
        t = tuple_type(tuple(elements))
        if t not in self.struct_infos:
            info = self.struct_infos[t] = StructInfo(t, None, self.globals)
            span = spans[0] if spans else None
            this = T.Var("self", t, True, span, is_param=True, by_ref=True)
            # (an element that owns memory is taken over: `(a^, b)` copies nothing)
            params = [this] + [T.Var(f"e{n}", ft, owns_memory(ft), span, is_param=True)
                               for n, ft in t.fields]
            body = tuple(T.StoreField(T.Load(t, this, span=span), k,
                                      (T.Move if p.mutable else T.Load)(p.type, p, span=span),
                                      span=span, init=p.mutable)
                         for k, p in enumerate(params[1:]))
            fn = T.Function(f"{t}.__init__", self.new_symbol(f"Tuple.{len(elements)}.__init__"),
                            params, NONE, False, span, body=body)
            self.functions.append(fn)
            info.methods["__init__"] = self.func_entity(fn, None, self.globals)
        return self.struct_infos[t].type

    def resolve_tuple_type(self, items, span) -> Struct:
        """`(A, B)` or `Tuple[A, B]` in a type position."""
        if not items:
            raise self.error("a tuple type needs at least one element", span)
        return self.tuple_of([self.resolve_type(i) for i in items], [i.span for i in items])

    def tuple_value(self, node: S.TupleExpr) -> T.Expr:
        """`(x, y)`: its elements evaluated left to right into a new tuple."""
        if not node.items:
            raise self.error("an empty tuple is not a value", node.span)
        raw = [self.expr(item, allow_none=True) for item in node.items]
        values = [self.materialize(v) for v in raw]
        t = self.tuple_of([v.type for v in values], [i.span for i in node.items])
        e = self.make_tuple(t, values, node.span)
        self.tuple_literals[id(e)] = (e, raw, [i.span for i in node.items])
        return e

    def make_tuple(self, t: Struct, values: list[T.Expr], span) -> T.Construct:
        return T.Construct(t, self.struct_infos[t].methods["__init__"].fn, tuple(values),
                           span=span)

    def tuple_coerce(self, e: T.Expr, t: Type, span, what: str) -> T.Expr | None:
        """A tuple expression converted to the tuple type `t` element by element
        (its literals take their element's type); None when `e` is not one."""
        rec = self.tuple_literals.get(id(e))
        if rec is None or rec[0] is not e or not is_tuple(t):
            return None
        _, raw, spans = rec
        if len(raw) != len(t.fields):
            dest = f" for {what}" if what else ""
            raise self.error(f"expected {t}{dest}, found a tuple of {len(raw)} "
                             f"element{'s' * (len(raw) != 1)}", span,
                             label=f"{t} has {len(t.fields)} elements")
        outer = f" of {what}" if what else " of the tuple"
        values = [self.coerce(r, ft, sp, what=f"element {k}{outer}")
                  for k, (r, (_, ft), sp) in enumerate(zip(raw, t.fields, spans))]
        return self.make_tuple(t, values, e.span)

    def tuple_index(self, base: T.Expr, node: S.Subscript) -> T.Field:
        """`t[k]`: element k (a constant; negative counts from the end)."""
        t = base.type
        n = len(t.fields)
        if len(node.args) != 1 or node.kwargs:
            raise self.error("a tuple takes one index", node.span)
        arg = node.args[0]
        index = self.coerce(self.expr(arg), INT, arg.span)
        k = self.fold(index, self.error("a tuple index must be a compile-time constant",
                                        arg.span, hint="write a number: `t[0]`")).value
        if not -n <= k < n:
            raise self.error(f"tuple index {k} is out of range for {t}", arg.span,
                             label=f"{n} element{'s' * (n != 1)}: indices 0 to {n - 1}")
        k %= n
        return T.Field(t.fields[k][1], base, k, str(k), span=node.span)

    def tuple_store(self, tgt: S.Subscript, value_node: S.Expr) -> T.StoreField:
        """`t[k] = v` on a mutable tuple variable (or field of one)."""
        base = self.place(tgt.value, "assign to an element of")
        field = self.tuple_index(base, tgt)
        value = self.coerce_node(value_node, field.type, value_node.span)
        return T.StoreField(base, field.index, value, span=tgt.span)

    def unpack_tuple(self, node: S.Assign):
        """`a, b = f()`: the tuple into a hidden variable, then `a, b = t[0], t[1]`
        (`a, = f()`: `a = t[0]`)."""
        value = self.unpacked_value(node.value, len(node.targets), node.span)
        n = len(value.type.fields)
        out: list[T.Stmt] = []
        with self.hidden_scope():
            tmp = T.Var("tuple.value", value.type, False, node.value.span)
            self.scope.names[tmp.name] = tmp
            self.assigned.add(tmp)
            out.append(T.Declare(tmp, value, span=node.value.span))
            sp = node.value.span
            items = tuple(S.Subscript(S.Name(tmp.name, span=sp), (S.IntLit(k, span=sp),), (),
                                      span=sp) for k in range(n))
            r = self.visit_Assign(S.Assign(node.targets, S.TupleExpr(items, span=sp)
                                           if n > 1 else items[0], span=node.span))
        out.extend(r if isinstance(r, list) else [r])
        return out

    def unpacked_value(self, node: S.Expr, want: int, span) -> T.Expr:
        """The right side of `a, b = e` / `var a, b = e`: a tuple of exactly `want`
        elements (`span`: the whole statement's, for a count that differs)."""
        value = self.materialize(self.expr(node, allow_none=True))
        if not is_tuple(value.type):
            raise self.error("tuple unpacking needs a tuple of values on the right",
                             node.span, label=f"this is {value.type}"
                             if value.type != NONE else "this returns nothing")
        n = len(value.type.fields)
        if n != want:
            raise self.error(f"cannot unpack a tuple of {n} values into {want} "
                             f"name{'s' * (want != 1)}",
                             span, label=f"the right is {value.type}")
        return value

    def visit_VarUnpack(self, node: S.VarUnpack) -> list[T.Stmt]:
        """`var a, b = e` (Mojo): `e` into a hidden variable, then `var a = t[0]`,
        `var b = t[1]`. After an error each name is declared all the same, as
        already wrong."""
        try:
            return self.declare_unpacked(node)
        except (UserError, Poison):
            for name, span in zip(node.names, node.name_spans):
                if not isinstance(self.scope.names.get(name), T.Var):
                    self.declare_wrong(self.scope, name, True, span)
            raise

    def declare_unpacked(self, node: S.VarUnpack) -> list[T.Stmt]:
        for k, (name, span) in enumerate(zip(node.names, node.name_spans)):
            if isinstance(self.scope.names.get(name), T.Var) or name in node.names[:k]:
                raise self.error(f"'{name}' is already declared in this scope", span,
                                 hint=f"assign with `{name} = ...`, or pick another name")
        value = self.unpacked_value(node.value, len(node.names), node.span)
        sp = node.value.span
        tmp = T.Var("tuple.value", value.type, False, sp)
        self.assigned.add(tmp)
        out: list[T.Stmt] = [T.Declare(tmp, value, span=sp)]
        for k, ((_, et), name, span) in enumerate(zip(value.type.fields, node.names,
                                                      node.name_spans)):
            var = T.Var(name, et, True, span)
            self.scope.names[name] = var
            self.assigned.add(var)
            element = T.Field(et, T.Load(value.type, tmp, span=sp), k, str(k), span=sp)
            out.append(T.Declare(var, element, span=node.span))
        return out

    def tuple_compare(self, node: S.Compare, operands: list[T.Expr]) -> T.Expr:
        """`t == u` / `t != u`: a call of `Tuple[...].__eq__(t, u)` (made once per
        pair of types), whose body is `t[0] == u[0] and t[1] == u[1] ...`; `!=`
        is its negation. `t < u` (and `<=`, `>`, `>=`): a call of a helper made
        once per pair of types and operator (`tuple_order_fn`). Each operand is
        evaluated once, as an argument."""
        op = node.ops[0]
        if len(node.ops) != 1:
            raise self.error("tuples can only be compared one pair at a time", node.span,
                             hint="split the chain: `t < u and u < v`")
        a, b = operands
        if not (is_tuple(a.type) and is_tuple(b.type)):
            raise self.error(f"cannot compare {self.materialize(a).type} and "
                             f"{self.materialize(b).type}", node.span)
        if len(a.type.fields) != len(b.type.fields):
            raise self.error(f"cannot compare {a.type} and {b.type}: they have "
                             f"{len(a.type.fields)} and {len(b.type.fields)} elements",
                             node.span)
        if a.type != b.type:                # a tuple literal takes the other's types
            a, b = self.tuple_as(a, b.type), self.tuple_as(b, a.type)
        if op in (S.CmpOp.EQ, S.CmpOp.NE):
            fn = self.tuple_equal_fn(a.type, b.type, node)
        else:
            fn = self.tuple_order_fn(a.type, b.type, op, node)
        if fn.raises:
            self.check_raises(self.helper_raises[fn], node.span)
        if op not in (S.CmpOp.EQ, S.CmpOp.NE):
            return T.Call(BOOL, fn, (a, b), span=node.span)
        equal = T.Call(BOOL, fn, (a, b), span=node.span)
        return equal if op is S.CmpOp.EQ else T.Unary(BOOL, S.UnOp.NOT, equal, span=node.span)

    def tuple_as(self, e: T.Expr, t: Struct) -> T.Expr:
        """`e`, a tuple literal whose elements convert to `t`'s, as a `t`; else `e`."""
        try:
            return self.tuple_coerce(e, t, e.span, "") or e
        except UserError:
            return e

    def tuple_equal_fn(self, ta: Struct, tb: Struct, node: S.Compare) -> T.Function:
        key = (ta, tb)
        if key not in self.tuple_equals:
            span = node.span
            a, b = self.tuple_params(ta, tb, span)
            result = None
            with self.raising_allowed():                    # checked at each call
                for k in range(len(ta.fields)):
                    same = self.element_compare(S.CmpOp.EQ, a, b, k, node)
                    result = same if result is None else \
                        T.Logic(BOOL, S.LogicOp.AND, result, same, span=span)
            raising = self.raised_by(result)
            fn = T.Function(f"{ta}.__eq__", self.new_symbol(f"Tuple.{len(ta.fields)}.__eq__"),
                            [a, b], BOOL, raising is not None, span,
                            body=(T.Return(result, span=span),))
            self.functions.append(fn)
            if raising is not None:
                self.helper_raises[fn] = raising
            self.tuple_equals[key] = fn
        return self.tuple_equals[key]

    def tuple_order_fn(self, ta: Struct, tb: Struct, op: S.CmpOp,
                       node: S.Compare) -> T.Function:
        """`t < u` (or `<=`, `>`, `>=`) as Python orders tuples: for each k in
        turn, `if not t[k] == u[k]: return t[k] < u[k]`; then `return` whether
        `op` holds for equal values (`<=` and `>=` do)."""
        key = (ta, tb, op)
        if key not in self.tuple_equals:
            span = node.span
            a, b = self.tuple_params(ta, tb, span)
            body: list[T.Stmt] = []
            with self.raising_allowed():                    # checked at each call
                for k in range(len(ta.fields)):
                    same = self.element_compare(S.CmpOp.EQ, a, b, k, node)
                    decide = self.element_compare(op, a, b, k, node)
                    body.append(T.If(T.Unary(BOOL, S.UnOp.NOT, same, span=span),
                                     (T.Return(decide, span=span),), (), span=span))
            body.append(T.Return(T.Const(BOOL, op in (S.CmpOp.LE, S.CmpOp.GE), span=span),
                                 span=span))
            raising = self.raised_by(*body)
            fn = T.Function(f"{ta}.{_ORDER[op]}",
                            self.new_symbol(f"Tuple.{len(ta.fields)}.{_ORDER[op]}"),
                            [a, b], BOOL, raising is not None, span, body=tuple(body))
            self.functions.append(fn)
            if raising is not None:
                self.helper_raises[fn] = raising
            self.tuple_equals[key] = fn
        return self.tuple_equals[key]

    def tuple_params(self, ta: Struct, tb: Struct, span) -> tuple[T.Var, T.Var]:
        return tuple(T.Var(name, t, False, span, is_param=True)
                     for name, t in (("t", ta), ("u", tb)))

    def element_compare(self, op: S.CmpOp, a: T.Var, b: T.Var, k: int,
                        node: S.Compare) -> T.Expr:
        """`a[k] op b[k]`, a Bool, inside a tuple comparison's helper."""
        ta, tb, span = a.type, b.type, node.span
        ea, eb = ta.fields[k][1], tb.fields[k][1]
        x = T.Field(ea, T.Load(ta, a, span=span), k, str(k), span=span)
        y = T.Field(eb, T.Load(tb, b, span=span), k, str(k), span=span)
        try:
            r = self.compare(S.Compare(node.operands, (op,), span=span), [x, y])
        except UserError as err:
            raise self.error(f"cannot compare {ta} and {tb}: element {k}: "
                             f"{err.message}", span, hint=err.hint) from None
        if r.type != BOOL:
            raise self.error(f"cannot compare {ta} and {tb}: element {k} is "
                             f"{ea}, whose `{op.value}` is lane by lane", span,
                             hint="compare the tuples' elements, reducing the "
                                  "vectors: `(t[0] == u[0]).reduce_and()`")
        return r


_ORDER = {S.CmpOp.LT: "__lt__", S.CmpOp.LE: "__le__", S.CmpOp.GT: "__gt__",
          S.CmpOp.GE: "__ge__"}

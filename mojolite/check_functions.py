"""Type rules of function values and of overloaded functions.

In: a name that denotes a function used as a value, calls whose callee is
a value of a function type (a variable, a struct field, a List element), and
calls of a name that several functions (or methods) share, handed over by the
checker (`typecheck._Checker` inherits these methods).
Out: `typed.FnRef`, `typed.CallValue`, and the one function an overloaded call
resolves to. Rules:
- `fn (Int, Float64) raises -> Float64` is a type like any other (parameters,
  variables, struct fields, List elements); two function types are equal when
  their parameter types, result type and `raises` are; a value of a type without
  `raises` converts implicitly to the `raises` type of its signature (a `Cast` the
  back ends pass through: every function returns its failure flag alike);
- a function is a value of type `fn (<its parameter types>) -> <its result>`
  if it captures nothing (a top-level function, or a nested one that uses no
  enclosing variable), has no compile-time parameters (or was given them)
  and no `mut` parameter;
- calling a value checks the arguments against the type's parameters; calling
  a `raises` function type needs a `raises` function or a `try`;
- a compile-time parameter of a `capturing` type (`[body: fn (Int) capturing [_]
  -> None]`, the origin list ignored) takes a `@parameter` closure or a top-level
  fn of that signature (a non-raising one fits a `raises` type), by entity: the
  generic's instance for a closure is a closure too (check_structs.py), sharing
  its captures; the parameter may be called and passed on as a compile-time
  argument, not used as a value. With compile-time parameters in the type
  (`fn [w: Int](Int) capturing -> None`) it takes a nested generic fn (their
  count is checked; the signature where an instance is called). A closure given
  to a type without `capturing` is refused, saying so;
- functions (and methods) may share a name when their parameter types differ
  (overloads; not with compile-time parameters). A call takes the candidates
  whose parameters its arguments fit (count, keywords, implicit conversions);
  each argument costs 0 when its type is the parameter's, 1 when a literal
  becomes its default type (Int, Float64), 2 for any other implicit conversion
  (a literal to another type, a scalar splat to a SIMD vector); the cheapest
  candidate wins, and a tie is an "ambiguous call" error.
"""
from __future__ import annotations

from . import syntax as S
from . import typed as T
from .errors import UserError
from .scopes import POISON, Poison
from .typesys import FLOAT64, FLOAT_LITERAL, INT, INT_LITERAL, NONE, FnType


class Overloads:
    """The functions (or methods) of one name whose parameter types differ;
    `entities` are FuncEntities, in declaration order."""

    def __init__(self, name: str, entities: list):
        self.name, self.entities = name, entities


def parameter_types(fn: T.Function) -> tuple:
    """The types that tell `fn` from its overloads (a method's `self` left out)."""
    params = fn.params[1:] if fn.params and fn.params[0].name == "self" else fn.params
    return tuple(p.type for p in params)


def signature(fn: T.Function, skip: int = 0) -> str:
    """`f(x: Int, y: Float64) -> Float64`, as a candidate is listed."""
    shown = [("mut " if p.by_ref else "") + f"{p.name}: {p.type}" +
             (f" = {T.default_of(fn, k)!r}" if T.default_of(fn, k) is not T.REQUIRED else "")
             for k, p in enumerate(fn.params) if k >= skip]
    if fn.posonly > skip:       # those before a `/` are passed by position only
        shown.insert(fn.posonly - skip, "/")
    params = ", ".join(shown)
    ret = "" if fn.ret == NONE else f" -> {fn.ret}"
    return f"{fn.name}({params}){ret}"


def self_count(fn: T.Function) -> int:
    """How many leading parameters a method call binds before its arguments."""
    return 1 if fn.params and fn.params[0].name == "self" else 0


class FunctionValueChecks:
    """Mixin of `_Checker` (uses `expr`, `coerce`, `may_raise_here` ...)."""

    def function_value(self, fn: T.Function, span) -> T.FnRef:
        if fn.captures:
            names = ", ".join(f"'{v.name}'" for v in fn.captures)
            written = span.text
            if written != fn.name.rsplit(".", 1)[-1]:       # a capturing parameter's name
                raise self.error(f"'{written}' is the closure '{fn.name}', which captures "
                                 f"{names}: it cannot be stored or used as a value", span,
                                 hint=f"call it, `{written}(...)`, or pass it on as a "
                                      f"compile-time parameter, `g[{written}](...)`")
            raise self.error(f"'{fn.name}' captures {names}: a closure cannot be a function "
                             "value", span,
                             hint="pass a top-level function (give it the values as "
                                  "parameters)")
        for p in fn.params:
            if p.by_ref:
                raise self.error(f"'{fn.name}' takes `mut {p.name}`: a function value takes "
                                 "its arguments by value", span)
        if fn.variadic is not None:
            raise self.error(f"'{fn.name}' has a variadic parameter "
                             f"'*{fn.params[fn.variadic].name}': it cannot be a function value "
                             "yet", span, hint="call it, or take a List instead")
        return T.FnRef(FnType(tuple(p.type for p in fn.params), fn.ret, fn.raises), fn,
                       span=span)

    # ------------------------------------------------------------ closures
    def closure_argument(self, p: S.CtParam, kind: FnType, node: S.Expr):
        """The function given to compile-time parameter `p` of a capturing function
        type (`[body: fn (Int) capturing -> None]`): its entity, a FuncEntity (a
        `@parameter` closure or a top-level fn) or, for a type with compile-time
        parameters (`fn [w: Int](Int) capturing -> None`), a FuncTemplate. Instances
        are made per entity, so each closure gets its own."""
        from .check_structs import FuncTemplate
        ent = self.entity_of(node) if isinstance(node, (S.Name, S.Attribute)) else None
        if isinstance(node, S.Subscript):                   # `body[4]`: an instance
            template = self.entity_of(node.value)
            if isinstance(template, FuncTemplate):
                values = self.ct_values(template, list(node.args), node.kwargs, node.span)
                if any(v is None for v in values):
                    self.generic_function_value(template.node.name, node.span)
                ent = self.instantiate_function(template, tuple(values), node.span)
        name = node.span.text
        if isinstance(ent, Overloads):
            self.overloaded_value(ent, node.span, name)
        if ent is None or not hasattr(ent, "node"):
            if ent is None and isinstance(node, S.Name):
                raise self.unknown_name(node)
            raise self.error(f"compile-time parameter '{p.name}' needs a function", node.span,
                             hint="name a `@parameter` nested fn or a top-level fn")
        if kind.ct_params:
            n = len(kind.ct_params)
            if not isinstance(ent, FuncTemplate) or len(ent.node.ct_params) != n:
                raise self.error(f"compile-time parameter '{p.name}' is `{kind}`, so '{name}' "
                                 f"must take {n} compile-time parameter{'s' * (n != 1)}",
                                 node.span, hint=f"declare `fn {name}[width: Int](i: Int)`"
                                                 if n == 1 else "")
        elif isinstance(ent, FuncTemplate):
            self.generic_function_value(name, node.span)
        if self.nested_unmarked(ent):
            raise self.error(f"'{ent.node.name}' is passed as a compile-time parameter, so "
                             "it must be marked `@parameter`", ent.node.name_span,
                             label="a nested fn used as a closure parameter",
                             hint=f"write `@parameter` on the line above "
                                  f"`fn {ent.node.name}(...)`")
        if not kind.ct_params:
            self.check_closure_signature(p, kind, ent.fn, node)
        if getattr(ent, "fn", None) in self.open_closures:
            # its captures are known once its body is checked, after this instance's
            raise self.error(f"'{name}' is passed as a compile-time parameter inside its own "
                             "body", node.span, label="a closure cannot pass itself on",
                             hint="loop in the closure instead, or call it directly")
        return ent

    def nested_unmarked(self, ent) -> bool:
        """Whether `ent` is a function nested in another, without `@parameter`."""
        nested = getattr(ent, "nested", False)      # check_structs.nested_function
        return nested and not any(d.name == "parameter" for d in ent.node.decorators)

    def check_closure_signature(self, p: S.CtParam, kind: FnType, fn: T.Function, node):
        got = FnType(tuple(q.type for q in fn.params), fn.ret, fn.raises)
        by_ref = next((q for q in fn.params if q.by_ref), None)
        if got.params != kind.params or got.ret != kind.ret or \
                (fn.raises and not kind.raises) or by_ref is not None:
            why = f"; it takes `mut {by_ref.name}`" if by_ref is not None and \
                got.params == kind.params else ""
            raise self.error(f"compile-time parameter '{p.name}' is `{kind}`, but "
                             f"'{node.span.text}' is `{got}`{why}", node.span,
                             hint=f"declare '{fn.name.rsplit('.', 1)[-1]}' to take "
                                  f"({', '.join(map(str, kind.params))})" +
                                  ("" if kind.ret == NONE else f" and return {kind.ret}") +
                                  (", without `raises`" if fn.raises and not kind.raises
                                   else ""))

    def refuse_closure_argument(self, p: S.CtParam, kind: FnType, node: S.Expr):
        """A closure given to `[f: fn (Int) -> Int]`, which takes no closure: say why."""
        ent = self.entity_of(node) if isinstance(node, (S.Name, S.Attribute)) else None
        fn = getattr(ent, "fn", None)
        if isinstance(fn, T.Function) and fn.captures:
            names = ", ".join(f"'{v.name}'" for v in fn.captures)
            capturing = str(FnType(kind.params, kind.ret, kind.raises, True))
            raise self.error(f"'{node.span.text}' captures {names}, but compile-time "
                             f"parameter '{p.name}' is `{kind}`, which takes no closure",
                             node.span, hint=f"declare it `{p.name}: {capturing}` to take "
                                             "closures (Mojo's spelling)")

    def generic_function_value(self, name: str, span):
        raise self.error(f"'{name}' has compile-time parameters: a function value needs "
                         "them given", span,
                         hint=f"e.g. `{name}[DType.float64]`, or a non-generic wrapper")

    def instance_value(self, template, node: S.Subscript) -> T.FnRef:
        """`f[DType.float64]` as a value: the instance for those parameters."""
        values = self.ct_values(template, list(node.args), node.kwargs, node.span)
        if any(v is None for v in values):
            self.generic_function_value(template.node.name, node.span)
        ent = self.instantiate_function(template, tuple(values), node.span)
        return self.function_value(ent.fn, node.span)

    def call_value(self, callee: T.Expr, node: S.Call) -> T.CallValue:
        t: FnType = callee.type
        if node.kwargs:
            raise self.error("a function value takes no keyword arguments", node.kwargs[0].span)
        if len(node.args) != len(t.params):
            n = len(t.params)
            raise self.error(f"'{node.func.span.text}' takes {n} argument{'s' * (n != 1)}, "
                             f"but {len(node.args)} {'was' if len(node.args) == 1 else 'were'} "
                             "given", node.span, label=f"its type is {t}")
        args = tuple(self.coerce(self.expr(a), p, a.span) for a, p in zip(node.args, t.params))
        if t.raises and not self.may_raise_here():
            self.unmarked_raise()
            raise self.error(f"'{node.func.span.text}' can raise, but '{self.fs.fn.name}' is "
                             "not marked `raises`", node.span,
                             hint=f"declare `fn {self.fs.fn.name}(...) raises:` or call it in "
                                  "a `try`")
        if t.raises:
            self.note_raise()
        return T.CallValue(t.ret, callee, args, span=node.span)

    # ------------------------------------------------------------ overloads
    def add_overload(self, existing, ent, what: str):
        """`ent` declared under the name that `existing` (a FuncEntity or
        Overloads) holds: the Overloads of both, or "defined twice"."""
        ents = existing.entities if isinstance(existing, Overloads) else [existing]
        node = ent.node
        if any(e.fn.variadic is not None for e in ents + [ent]):
            raise self.error(f"{what} '{node.name}' is defined twice: a function with a "
                             "variadic parameter cannot be overloaded yet", node.name_span)
        for other in ents:      # (a static method and an instance one may share them)
            if parameter_types(other.fn) == parameter_types(ent.fn) and \
                    self_count(other.fn) == self_count(ent.fn):
                raise self.error(f"{what} '{node.name}' is defined twice", node.name_span,
                                 hint="overloads must differ in their parameter types")
        ents = ents + [ent]
        for other in ents:          # each overload's symbol says its parameter types
            fn = other.fn
            self.symbols.discard(fn.symbol)
            types = ", ".join(str(t) for t in parameter_types(fn))
            fn.symbol = self.new_symbol(f"{fn.name}({types})")
        return Overloads(ent.fn.name, ents)

    def resolve_overload(self, ovl: Overloads, node: S.Call, skip=lambda fn: 0):
        """The entity of `ovl` that `node`'s arguments fit best, and the typed
        arguments (by id of their syntax node) for `call_user`. `skip(fn)`: how
        many leading parameters are bound already (a method's `self`)."""
        typed = {}
        for a in list(node.args) + [kw.value for kw in node.kwargs]:
            e = typed[id(a)] = self.expr(a)
            if e.type == POISON:
                raise Poison()
        args = [typed[id(a)] for a in node.args]
        kwargs = [(kw.name, typed[id(kw.value)]) for kw in node.kwargs]
        ent = self.best_overload(ovl, args, kwargs, skip, node.span)
        if ent is None:
            shown = ", ".join([str(a.type) for a in args] +
                              [f"{name}={a.type}" for name, a in kwargs])
            raise self.error(f"no overload of '{ovl.name}' fits the arguments ({shown})",
                             node.span, hint=self.candidates(ovl.entities, skip))
        return ent, typed

    def best_overload(self, ovl: Overloads, args, kwargs, skip, span):
        """The cheapest entity of `ovl` for these typed arguments; None if none
        fits; an "ambiguous call" error if several are cheapest."""
        fits = []
        for ent in ovl.entities:
            cost = self.overload_cost(ent.fn, skip(ent.fn), args, kwargs)
            if cost is not None:
                fits.append((cost, ent))
        if not fits:
            return None
        best = min(c for c, _ in fits)
        winners = [ent for c, ent in fits if c == best]
        on_instance = [ent for ent in winners if skip(ent.fn)]
        if on_instance and len(winners) > 1:    # `s.foo()`: the method, not a static one
            winners = on_instance
        if len(winners) > 1:
            shown = ", ".join([str(a.type) for a in args] +
                              [f"{name}={a.type}" for name, a in kwargs])
            raise self.error(f"ambiguous call of '{ovl.name}' with the arguments ({shown})",
                             span, label=f"{len(winners)} overloads fit equally well",
                             hint=self.candidates(winners, skip))
        return winners[0]

    def candidates(self, ents, skip) -> str:
        return "the candidates are " + "; ".join(f"`{signature(e.fn, skip(e.fn))}`"
                                                 for e in ents)

    def overload_cost(self, fn: T.Function, skip: int, args: list, kwargs: list):
        """What fitting the typed arguments to `fn` costs (see the module's
        rules), or None when they do not fit."""
        params = fn.params[skip:]
        if len(args) > len(params):
            return None
        slots = list(args) + [None] * (len(params) - len(args))
        for name, e in kwargs:
            idx = next((i for i, p in enumerate(params) if p.name == name), None)
            if idx is None or slots[idx] is not None or idx < fn.posonly - skip:
                return None
            slots[idx] = e
        if any(e is None and T.default_of(fn, i + skip) is T.REQUIRED
               for i, e in enumerate(slots)):
            return None
        cost = 0
        for p, e in zip(params, slots):
            if e is None or e.type == p.type:
                continue
            if p.by_ref:
                return None
            try:
                self.coerce(e, p.type, e.span)
            except UserError:
                return None
            default = {INT_LITERAL: INT, FLOAT_LITERAL: FLOAT64}.get(e.type)
            cost += 1 if p.type == default else 2
        return cost

    def call_overloaded(self, ovl: Overloads, node: S.Call, bound=None, skip=lambda fn: 0):
        """A call of an overloaded function: `call_user` of the one that fits.
        `bound(fn)`: the arguments bound before `node`'s (see `call_user`)."""
        ent, typed = self.resolve_overload(ovl, node, skip)
        return self.call_user(ent.fn, node, bound=bound(ent.fn) if bound else None,
                              typed=typed)

    def overloaded_value(self, ovl: Overloads, span, name: str):
        """`name` (`f`, `lib.f`, as the program spells it) taken as a value."""
        raise self.error(f"'{name}' is overloaded: a function value needs one function",
                         span, hint="wrap the overload you mean in a function of its own "
                                    "name")

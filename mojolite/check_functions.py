"""Type rules of function values.

In: a name that denotes a function used as a value, and calls whose callee is
a value of a function type (a variable, a struct field, a List element),
handed over by the checker (`typecheck._Checker` inherits these methods).
Out: `typed.FnRef` and `typed.CallValue`. Rules:
- `fn (Int, Float64) raises -> Float64` is a type like any other (parameters,
  variables, struct fields, List elements); two function types are equal when
  their parameter types, result type and `raises` are;
- a function is a value of type `fn (<its parameter types>) -> <its result>`
  if it captures nothing (a top-level function, or a nested one that uses no
  enclosing variable), has no compile-time parameters (or was given them)
  and no `mut` parameter;
- calling a value checks the arguments against the type's parameters; calling
  a `raises` function type needs a `raises` function or a `try`.
"""
from __future__ import annotations

from . import syntax as S
from . import typed as T
from .typesys import FnType


class FunctionValueChecks:
    """Mixin of `_Checker` (uses `expr`, `coerce`, `may_raise_here` ...)."""

    def function_value(self, fn: T.Function, span) -> T.FnRef:
        if fn.captures:
            names = ", ".join(f"'{v.name}'" for v in fn.captures)
            raise self.error(f"'{fn.name}' captures {names}: a closure cannot be a function "
                             "value", span,
                             hint="pass a top-level function (give it the values as "
                                  "parameters)")
        for p in fn.params:
            if p.by_ref:
                raise self.error(f"'{fn.name}' takes `mut {p.name}`: a function value takes "
                                 "its arguments by value", span)
        return T.FnRef(FnType(tuple(p.type for p in fn.params), fn.ret, fn.raises), fn,
                       span=span)

    def generic_function_value(self, name: str, span):
        raise self.error(f"'{name}' has compile-time parameters: a function value needs "
                         "them given", span,
                         hint=f"e.g. `{name}[DType.float64]`, or a non-generic wrapper")

    def instance_value(self, template, node: S.Subscript) -> T.FnRef:
        """`f[DType.float64]` as a value: the instance for those parameters."""
        values = self.ct_values(template.node.ct_params, list(node.args), node.kwargs,
                                node.span)
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
            raise self.error(f"'{node.func.span.text}' can raise, but '{self.fs.fn.name}' is "
                             "not marked `raises`", node.span,
                             hint=f"declare `fn {self.fs.fn.name}(...) raises:` or call it in "
                                  "a `try`")
        return T.CallValue(t.ret, callee, args, span=node.span)

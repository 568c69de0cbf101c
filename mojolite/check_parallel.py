"""Type rules of `parallelize` (spec section 5).

In: a call whose callee is the standard `parallelize` (`from algorithm import
parallelize`, or `algorithm.parallelize`), handed over by the checker
(`typecheck._Checker` inherits these methods). Out: a `typed.Parallelize`, or a
user error at the offending span. Rules:
- the spelling is `parallelize[body](n)` or `parallelize[body](n, num_workers)`
  (also `num_work_items=` and `num_workers=` by keyword); `n` and
  `num_workers` are Int;
- `body` names a function taking one Int (read, not `mut`) and returning
  nothing; a nested function must be marked `@parameter` (Mojo's closures);
  one with compile-time parameters is refused;
- a `body` that `raises` makes the call raise: the enclosing function must be
  marked `raises`, as for a direct call.
"""
from __future__ import annotations

from . import syntax as S
from . import typed as T
from .check_functions import Overloads
from .check_structs import FuncTemplate
from .typesys import INT, NONE

SPELLING = "parallelize[body](n)"
ARG_NAMES = ("num_work_items", "num_workers")


class ParallelChecks:
    def parallelize_call(self, node: S.Call) -> T.Parallelize:
        """`node` calls `parallelize` (with or without `[...]`): check it."""
        func = node.func
        if not isinstance(func, S.Subscript):
            raise self.error("parallelize needs the body function in square brackets",
                             node.span, hint=f"write `{SPELLING}` with a `@parameter` "
                                             f"nested `{_body(node.span, 'body')}`")
        for kw in func.kwargs:
            if kw.name != "func":
                raise self.error(f"parallelize has no compile-time parameter named "
                                 f"'{kw.name}'", kw.span, hint=f"write `{SPELLING}`")
        params = list(func.args) + [kw.value for kw in func.kwargs]    # Mojo names it `func`
        if len(params) != 1:
            raise self.error(f"parallelize takes one compile-time parameter, the body "
                             f"function, got {len(params)}", func.span,
                             hint=f"write `{SPELLING}`")
        fn = self.parallel_body(params[0])
        count, workers = self.parallel_arguments(node)
        self.check_raises(fn, node.span)
        return T.Parallelize(NONE, fn, count, workers, span=node.span)

    def parallel_body(self, arg: S.Expr) -> T.Function:
        """The function `arg` names, if it can be a parallel body."""
        ent = self.entity_of(arg) if isinstance(arg, (S.Name, S.Attribute)) else None
        if isinstance(ent, FuncTemplate):
            raise self.error(f"'{arg.span.text}' has compile-time parameters; a parallel "
                             "body cannot", arg.span,
                             hint="the body is called as `body(i)` for each index")
        if isinstance(ent, Overloads):
            raise self.error(f"'{arg.span.text}' is overloaded; a parallel body must be one "
                             "function", arg.span,
                             hint="give the body `fn body(i: Int)` a name of its own")
        fn = getattr(ent, "fn", None)
        if not isinstance(fn, T.Function):
            if ent is None and isinstance(arg, S.Name):
                raise self.unknown_name(arg)
            what = "a variable" if isinstance(ent, T.Var) else "not a function"
            raise self.error(f"the body of parallelize must be a function, and "
                             f"'{arg.span.text}' is {what}", arg.span,
                             hint=f"define `@parameter {_body(arg.span, 'body')}:` in this "
                                  "function "
                                  f"and write `{SPELLING}`")
        node = ent.node         # None: a function given to `[f: fn (Int) -> None]`
        # not a top-level fn of the program or of a file it imports
        nested = node is not None and getattr(ent.scope, "parent", None) is not self.builtins
        if nested and not any(d.name == "parameter" for d in node.decorators):
            raise self.error(f"'{node.name}' is passed to parallelize, so it must be marked "
                             "`@parameter`", node.name_span, label="a nested fn used as a "
                             "parallel body", hint=f"write `@parameter` on the line above "
                                                   f"`{_body(node.name_span, node.name)}`")
        if len(fn.params) != 1 or fn.params[0].type != INT or fn.params[0].by_ref \
                or fn.ret != NONE:
            params = ", ".join(f"{p.name}: {p.type}" for p in fn.params)
            name = arg.span.text if node is None else node.name
            ret = "" if fn.ret == NONE else f" -> {fn.ret}"
            raise self.error(f"a parallel body takes one Int and returns nothing, but "
                             f"'{name}' is `fn({params}){ret}`", arg.span,
                             hint=f"declare it `{_body(arg.span, name)}:`")
        return fn

    def parallel_arguments(self, node: S.Call) -> tuple[T.Expr, T.Expr | None]:
        """(n, num_workers or None), each an Int."""
        given: list[S.Expr | None] = [None, None]
        if len(node.args) > 2:
            raise self.error(f"parallelize takes the item count and optionally the worker "
                             f"count, but {len(node.args)} arguments were given",
                             node.args[2].span.to(node.args[-1].span),
                             hint="`parallelize[body](n)` or `parallelize[body](n, workers)`")
        for k, a in enumerate(node.args):
            given[k] = a
        for kw in node.kwargs:
            if kw.name not in ARG_NAMES:
                raise self.error(f"parallelize has no argument named '{kw.name}'", kw.span,
                                 hint="its arguments are `num_work_items` and `num_workers`")
            k = ARG_NAMES.index(kw.name)
            if given[k] is not None:
                raise self.error(f"argument '{kw.name}' given twice", kw.span)
            given[k] = kw.value
        if given[0] is None:
            raise self.error("parallelize needs the number of items", node.span,
                             label="missing `n`", hint=f"write `{SPELLING}`")
        count, workers = (None if a is None else
                          self.coerce(self.expr(a), INT, a.span, what=f"parallelize's '{name}'")
                          for a, name in zip(given, ARG_NAMES))
        return count, workers


def _body(span, name: str) -> str:
    """A parallel body's header, spelt for the surface `span` is written in."""
    return f"{'def' if span.source.python else 'fn'} {name}(i: Int)"

"""Type rules of the List methods that compare elements: `l.count(x)`,
`l.index(x, start, stop)` and the builtin `sort(l)`.

In: syntax nodes handed over by the checker (`typecheck._Checker` inherits
these methods). Out: a `Call` of a helper `Function` written here in typed
nodes, so the reference mode and the JIT run the same loop. Rules:
- `l.count(x)` (Mojo's `List.count`): how many elements are `==` to x;
- `l.index(x, start=0, stop=None)` (Mojo's `List.index`): the first position
  in [start, stop) whose element is `==` to x (a negative bound counts from the
  end, then both are clipped to [0, len(l)]); where there is none it raises
  "ValueError: Given element is not in list", located at the call (one helper
  per call), so it needs `raises` where it is called, as in Mojo;
- `sort(l)` (Mojo's builtin `sort`): sorts a List variable in place by `<`,
  stably (a bottom-up merge sort: an element moves before an earlier one only
  when it is `<` it), one helper per List type.
`==` and `<` are the element type's own: numbers, Bool, Strings, pointers (their
addresses), tuples, and structs with `__eq__` / `__lt__` (the helper raises where
that method does).
"""
from __future__ import annotations

from . import syntax as S
from . import typed as T
from .typesys import BOOL, INT, NONE, STRING, ListType, Pointer, SIMD, Struct, is_tuple

NOT_FOUND = "ValueError: Given element is not in list"


class _Build:
    """Small constructors of typed nodes, all located at `span`."""

    def __init__(self, span):
        self.span = span

    def const(self, t, value):
        return T.Const(t, value, span=self.span)

    def load(self, v: T.Var):
        return T.Load(v.type, v, span=self.span)

    def var(self, name: str, t, value=None, out=None) -> T.Var:
        """A new mutable variable, its Declare appended to `out`."""
        v = T.Var(name, t, True, self.span)
        out.append(T.Declare(v, value, span=self.span))
        return v

    def set(self, v: T.Var, value):
        return T.Assign((v,), (value,), span=self.span)

    def add(self, a, b):
        return T.Binary(INT, S.BinOp.ADD, a, b, span=self.span)

    def cmp(self, op: S.CmpOp, a, b):
        return T.Compare(BOOL, (a, b), (op,), span=self.span)

    def at(self, lst: T.Var, k: T.Var):
        return T.Index(lst.type.element, self.load(lst), (self.load(k),), span=self.span)

    def if_(self, cond, body, orelse=()):
        return T.If(cond, tuple(body), tuple(orelse), span=self.span)

    def length(self, lst: T.Var):
        return T.Builtin(INT, "list.len", (self.load(lst),), span=self.span)


class ListMethodChecks:
    """Mixin of `_Checker` (uses its `expr`, `coerce_node`, `compare`, `list_ref` ...)."""

    def element_test(self, op: S.CmpOp, t: ListType, a: T.Expr, b: T.Expr, what: str,
                     span) -> T.Expr:
        """`a op b` on two elements of `t`, a Bool, for `what` (`l.count(x)`)."""
        word, methods = {S.CmpOp.EQ: ("`==`", ("__eq__",)),
                         S.CmpOp.LT: ("`<`", ("__lt__", "__gt__"))}[op]
        elem, hint = t.element, ""
        if isinstance(elem, Struct) and not is_tuple(elem):
            info = self.struct_info(elem)
            ok = any(name in (info.methods if info else ()) for name in methods)
            hint = f"define `fn {methods[0]}(self, other: {elem}) -> Bool` in {elem}"
        else:
            ok = is_tuple(elem) or elem == STRING or isinstance(elem, Pointer) \
                or isinstance(elem, SIMD) and elem.width == 1
        r = self.compare(S.Compare((), (op,), span=span), [a, b]) if ok else None
        if r is None or r.type != BOOL:
            raise self.error(f"{what} needs {word} on {elem}", span, hint=hint)
        return r

    def helper(self, name: str, params, ret, body, span, tests) -> T.Function:
        """A helper Function of the program; it raises where one of `tests` calls a
        method that raises (or when `name` is an index)."""
        raising = any(c.fn.raises for e in tests for c in _walk(e) if isinstance(c, T.Call))
        fn = T.Function(name, self.new_symbol(name.replace(f"{params[0].type}", "List")),
                        list(params), ret, raising or name.endswith(".index"), span,
                        body=tuple(body))
        self.functions.append(fn)
        return fn

    def list_count(self, base: T.Expr, node: S.Call) -> T.Expr:
        """`l.count(x)`: one helper per List type."""
        t, span = base.type, node.span
        (v,) = self.method_args(node, ("value",), "count")
        item = self.coerce_node(v, t.element, v.span)
        key = ("count", t)
        if key not in self.list_contains:
            m = _Build(span)
            lst, x = (T.Var(n, ty, False, span, is_param=True) for n, ty in (("l", t),
                                                                           ("x", t.element)))
            body: list[T.Stmt] = []
            n = m.var("n", INT, m.const(INT, 0), body)
            k = T.Var("k", INT, True, span)
            same = self.element_test(S.CmpOp.EQ, t, m.at(lst, k), m.load(x), "count()", span)
            body.append(T.ForRange(k, m.const(INT, 0), m.length(lst), m.const(INT, 1),
                                   (m.if_(same, [m.set(n, m.add(m.load(n), m.const(INT, 1)))]),),
                                   span=span))
            body.append(T.Return(m.load(n), span=span))
            self.list_contains[key] = self.helper(f"{t}.count", (lst, x), INT, body, span, [same])
        fn = self.list_contains[key]
        self.check_raises(fn, span)
        return T.Call(INT, fn, (base, item), span=span)

    def list_index(self, base: T.Expr, node: S.Call) -> T.Expr:
        """`l.index(x, start=0, stop=None)`: a helper per call, whose `raise` is
        located at the call."""
        t, span = base.type, node.span
        names = ("value", "start", "stop")
        chosen = list(names[:max(1, len(node.args))] if len(node.args) <= 3 else names)
        chosen += [kw.name for kw in node.kwargs if kw.name in names and kw.name not in chosen]
        args = dict(zip(chosen, self.method_args(node, tuple(chosen), "index")))
        item = self.coerce_node(args["value"], t.element, args["value"].span)
        # in the call's order; a bound left out is 0, or past the end (then clipped)
        bounds = {name: self.integer_index(a) for name, a in args.items() if name != "value"}
        bounds = [bounds.get("start") or T.Const(INT, 0, span=span),
                  bounds.get("stop") or T.Const(INT, (1 << 63) - 1, span=span)]
        m = _Build(span)
        lst, x, lo, hi = (T.Var(n, ty, False, span, is_param=True)
                          for n, ty in (("l", t), ("x", t.element), ("start", INT),
                                        ("stop", INT)))
        body: list[T.Stmt] = []
        n = m.var("n", INT, m.length(lst), body)
        zero = m.const(INT, 0)
        clipped = []
        for name, p in (("a", lo), ("b", hi)):     # Mojo: negative from the end, then clipped
            v = m.var(name, INT, m.load(p), body)
            body.append(m.if_(m.cmp(S.CmpOp.LT, m.load(v), zero),
                              [m.set(v, m.add(m.load(v), m.load(n)))]))
            body.append(m.if_(m.cmp(S.CmpOp.LT, m.load(v), zero), [m.set(v, zero)]))
            body.append(m.if_(m.cmp(S.CmpOp.GT, m.load(v), m.load(n)), [m.set(v, m.load(n))]))
            clipped.append(v)
        k = T.Var("k", INT, True, span)
        same = self.element_test(S.CmpOp.EQ, t, m.at(lst, k), m.load(x), "index()", span)
        body.append(T.ForRange(k, m.load(clipped[0]), m.load(clipped[1]), m.const(INT, 1),
                               (m.if_(same, [T.Return(m.load(k), span=span)]),), span=span))
        body.append(T.Raise(m.const(STRING, NOT_FOUND), span=span))
        fn = self.helper(f"{t}.index", (lst, x, lo, hi), INT, body, span, [same])
        self.check_raises(fn, span)
        return T.Call(INT, fn, (base, item, *bounds), span=span)

    def sort_call(self, node: S.Call) -> T.Expr:
        """`sort(l)`: one helper per List type, taking the List variable `mut`."""
        (arg,) = self.method_args(node, ("span",), "sort")
        seq = self.expr(arg)
        t, span = seq.type, node.span
        if not isinstance(t, ListType):
            raise self.error(f"sort() needs a List, not {t}", arg.span)
        ref = self.list_ref(arg, "sort")
        key = ("sort", t)
        if key not in self.list_contains:
            self.list_contains[key] = self.sort_fn(t, span)
        fn = self.list_contains[key]
        self.check_raises(fn, span)
        return T.Call(NONE, fn, (ref,), span=span)

    def sort_fn(self, t: ListType, span) -> T.Function:
        """    n = len(l); buf = l.copy(); width = 1; into_buf = True
            while width < n:
                merge runs of `width` from l into buf (or buf into l, every other pass)
                into_buf = not into_buf; width *= 2
            if not into_buf: l = buf           # the last pass wrote buf
        A merge takes the left run's element unless the right one is `<` it."""
        m = _Build(span)
        lst = T.Var("l", t, True, span, is_param=True, by_ref=True)
        body: list[T.Stmt] = []
        one = m.const(INT, 1)
        n = m.var("n", INT, m.length(lst), body)
        zero = m.const(INT, 0)
        buf = m.var("buf", t, T.Builtin(t, "list.slice", (m.load(lst), zero, zero, one, zero),
                                        span=span), body)
        width = m.var("width", INT, one, body)
        into_buf = m.var("into_buf", BOOL, m.const(BOOL, True), body)
        lo, mid, hi, i, j = (m.var(name, INT, zero, body) for name in ("lo", "mid", "hi", "i",
                                                                         "j"))
        k = T.Var("k", INT, True, span)
        tests = []

        def at_most_n(v):
            return m.if_(m.cmp(S.CmpOp.GT, m.load(v), m.load(n)), [m.set(v, m.load(n))])

        def merge_pass(src: T.Var, dst: T.Var) -> T.Stmt:
            less = self.element_test(S.CmpOp.LT, t, m.at(src, j), m.at(src, i), "sort()", span)
            tests.append(less)
            left = T.Logic(BOOL, S.LogicOp.AND, m.cmp(S.CmpOp.LT, m.load(i), m.load(mid)),
                           T.Logic(BOOL, S.LogicOp.OR, m.cmp(S.CmpOp.GE, m.load(j), m.load(hi)),
                                   T.Unary(BOOL, S.UnOp.NOT, less, span=span), span=span),
                           span=span)
            take = [m.if_(left, [T.Store(m.load(dst), (m.load(k),), m.at(src, i), span=span),
                                 m.set(i, m.add(m.load(i), one))],
                          [T.Store(m.load(dst), (m.load(k),), m.at(src, j), span=span),
                           m.set(j, m.add(m.load(j), one))])]
            run = [m.set(mid, m.add(m.load(lo), m.load(width))), at_most_n(mid),
                   m.set(hi, m.add(m.load(mid), m.load(width))), at_most_n(hi),
                   m.set(i, m.load(lo)), m.set(j, m.load(mid)),
                   T.ForRange(k, m.load(lo), m.load(hi), one, tuple(take), span=span),
                   m.set(lo, m.load(hi))]
            return T.While(m.cmp(S.CmpOp.LT, m.load(lo), m.load(n)), tuple(run), span=span)

        passes = [m.set(lo, zero),
                  m.if_(m.load(into_buf), [merge_pass(lst, buf)], [merge_pass(buf, lst)]),
                  m.set(into_buf, T.Unary(BOOL, S.UnOp.NOT, m.load(into_buf), span=span)),
                  m.set(width, m.add(m.load(width), m.load(width)))]
        body.append(T.While(m.cmp(S.CmpOp.LT, m.load(width), m.load(n)), tuple(passes),
                            span=span))
        body.append(m.if_(T.Unary(BOOL, S.UnOp.NOT, m.load(into_buf), span=span),
                          [m.set(lst, m.load(buf))]))
        return self.helper(f"{t}.sort", (lst,), NONE, body, span, tests)


def _walk(e: T.Node):
    yield e
    for c in T.children(e):
        yield from _walk(c)

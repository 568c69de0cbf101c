"""Type rules of Python's number builtins: `divmod(a, b)`, `hex(x)`, `bin(x)`,
`oct(x)` and `len(range(...))`.

In: syntax nodes handed over by the checker (`typecheck._Checker` inherits
these methods). Out: typed nodes. Rules:
- `divmod(a, b)` of two numbers of one type (Int for literals): the tuple
  `(a // b, a % b)`, each argument evaluated once; `//` and `%` floor as
  Python's do, and a zero divisor of integers is the division's runtime error;
- `hex(x)`, `bin(x)`, `oct(x)` of an integer or a Bool (Mojo's, as Python spells them:
  `hex(-31)` is "-0x1f", `bin(0)` "0b0"), with Mojo's keyword `prefix=` (a
  String) replacing "0x" / "0b" / "0o": a helper function per integer type
  and base, written in typed nodes (check_lists._Build);
- `len(range(a, b, s))`: Python's length of the range, a helper per call
  (so a zero step is `range`'s runtime error there);
- utils.numerics's `max_finite[dt]()`, `min_finite`, `max_or_inf`, `min_or_neg_inf`
  (any numeric DType: an integer's are its range, a float's max_or_inf is inf),
  `inf`, `neg_inf`, `nan` (floating-point DTypes only): a constant Scalar[dt].
"""
from __future__ import annotations

from . import syntax as S
from . import typed as T
from .check_lists import _Build
from . import semantics
from .typesys import BOOL, INT, STRING, SIMD, DType, is_int

RADIX = {"hex": (16, "0x"), "bin": (2, "0b"), "oct": (8, "0o")}
UINT64 = SIMD(DType.uint64, 1)


_LIMIT_NAMES = {"max_finite": "MAX_FINITE", "min_finite": "MIN_FINITE", "max_or_inf": "MAX",
                "min_or_neg_inf": "MIN", "inf": "MAX", "neg_inf": "MIN"}


class NumberChecks:
    """Mixin of `_Checker` (uses its `expr`, `unify`, `coerce`, `binary` ...)."""

    def numeric_limit(self, name: str, func: S.Subscript, node: S.Call) -> T.Const:
        """`max_finite[DType.float32]()` and the other limits of utils.numerics."""
        if len(func.args) != 1 or func.kwargs or node.args or node.kwargs:
            raise self.error(f"{name} takes one DType parameter and no arguments: "
                             f"`{name}[DType.float64]()`", node.span)
        dt = self.dtype_param(func.args[0])
        floats_only = name in ("inf", "neg_inf", "nan")
        if dt is DType.bool or floats_only and not dt.is_float:
            kind = "a floating-point" if floats_only else "a numeric"
            raise self.error(f"{name}[...] needs {kind} DType, not DType.{dt.value}",
                             func.args[0].span,
                             hint="for an integer's range use max_finite / min_finite"
                             if floats_only and dt is not DType.bool else "")
        value = float("nan") if name == "nan" else \
            semantics.scalar_limit(dt, _LIMIT_NAMES[name])
        return T.Const(SIMD(dt, 1), value, span=node.span)

    def divmod_call(self, node: S.Call) -> T.Expr:
        a, b = self.method_args(node, ("a", "b"), "divmod")
        x, y = self.expr(a), self.expr(b)
        t = self.unify([x, y], node.span, op=S.BinOp.FLOORDIV)
        if t.is_literal:
            x, y = self.materialize(x), self.materialize(y)
            t = self.unify([x, y], node.span, op=S.BinOp.FLOORDIV)
        if not isinstance(t, SIMD) or t.width != 1 or t.dtype is DType.bool:
            raise self.error(f"divmod() needs two numbers, not {t}", node.span)
        x, y = self.coerce(x, t, a.span), self.coerce(y, t, b.span)
        span = node.span
        binds = []
        for e, name in ((x, "divmod.a"), (y, "divmod.b")):
            v = T.Var(name, t, False, span)
            binds.append((v, e))
        loads = [T.Load(t, v, span=span) for v, _ in binds]
        pair = [self.binary(op, *loads, span) for op in (S.BinOp.FLOORDIV, S.BinOp.MOD)]
        tt = self.tuple_of([t, t], [span, span])
        result = self.make_tuple(tt, pair, span)
        for v, e in reversed(binds):
            result = T.Let(tt, v, e, result, span=span)
        return result

    def radix_call(self, name: str, node: S.Call) -> T.Expr:
        """`hex(x)`, `bin(x)`, `oct(x)`, optionally `prefix="..."`."""
        base, default = RADIX[name]
        prefix = next((kw for kw in node.kwargs if kw.name == "prefix"), None)
        names = ("value", "prefix") if prefix is not None else ("value",)
        args = self.method_args(node, names, name)
        x = self.materialize(self.expr(args[0]))
        if x.type == BOOL:              # Mojo's bin(Bool), hex/oct of an Intable, Python's
            x = T.Cast(INT, x, span=x.span)
        if not is_int(x.type) or x.type.width != 1:
            raise self.error(f"{name}() needs an integer, not {x.type}", args[0].span)
        text = self.string_arg(args[1], f"{name}()") if prefix is not None else \
            T.Const(STRING, default, span=node.span)
        key = (name, x.type)
        if key not in self.list_contains:
            self.list_contains[key] = self.radix_fn(name, x.type, base, node.span)
        return T.Call(STRING, self.list_contains[key], (x, text), span=node.span)

    def radix_fn(self, name: str, t: SIMD, base: int, span) -> T.Function:
        """    u = UInt64(x); if x < 0: u = 0 - u       # the magnitude, Int.MIN's too
            digits = "0" if u == 0
            while u != 0: digits = chr(digit(u % base)) + digits; u //= base
            return ("-" if x < 0 else "") + prefix + digits"""
        m = _Build(span)
        x, prefix = (T.Var(n, ty, False, span, is_param=True) for n, ty in (("x", t),
                                                                         ("prefix", STRING)))
        body: list[T.Stmt] = []
        neg = m.cmp(S.CmpOp.LT, m.load(x), T.Const(t, 0, span=span)) if t.dtype.is_signed \
            else m.const(BOOL, False)
        u = m.var("u", UINT64, T.Cast(UINT64, m.load(x), span=span) if t != UINT64
                  else m.load(x), body)
        zero, radix = T.Const(UINT64, 0, span=span), T.Const(UINT64, base, span=span)
        body.append(m.if_(neg, [m.set(u, T.Binary(UINT64, S.BinOp.SUB, zero, m.load(u),
                                                  span=span))]))
        digits = m.var("digits", STRING, m.const(STRING, ""), body)
        body.append(m.if_(m.cmp(S.CmpOp.EQ, m.load(u), zero), [m.set(digits, m.const(STRING,
                                                                                      "0"))]))
        d = T.Cast(INT, T.Binary(UINT64, S.BinOp.MOD, m.load(u), radix, span=span), span=span)
        code = T.IfExp(INT, m.cmp(S.CmpOp.LT, d, m.const(INT, 10)), m.add(d, m.const(INT, 48)),
                       m.add(d, m.const(INT, ord("a") - 10)), span=span)
        char = T.Builtin(STRING, "string.chr", (code,), span=span)
        body.append(T.While(m.cmp(S.CmpOp.NE, m.load(u), zero), (
            m.set(digits, T.Builtin(STRING, "string.concat", (char, m.load(digits)), span=span)),
            m.set(u, T.Binary(UINT64, S.BinOp.FLOORDIV, m.load(u), radix, span=span))),
            span=span))
        sign = T.IfExp(STRING, neg, m.const(STRING, "-"), m.const(STRING, ""), span=span)
        head = T.Builtin(STRING, "string.concat", (sign, m.load(prefix)), span=span)
        body.append(T.Return(T.Builtin(STRING, "string.concat", (head, m.load(digits)),
                                       span=span), span=span))
        fn = T.Function(name, self.new_symbol(f"{name}({t})"), [x, prefix], STRING, False, span,
                        body=tuple(body))
        self.functions.append(fn)
        return fn

    def range_len(self, it: S.Call, span) -> T.Expr:
        """`len(range(a, b, s))`: a helper per call,
            for _ in range(0, 0, s): pass             # a zero step's runtime error
            if s > 0: return (b - a - 1) // s + 1 if a < b else 0
            return (b - a + 1) // s + 1 if b < a else 0
        (the bounds in Int)."""
        bounds = [b if b.type == INT else T.Cast(INT, b, span=b.span)
                  for b in self.range_bounds(it)]
        m = _Build(span)
        a, b, s = (T.Var(n, INT, False, span, is_param=True) for n in ("start", "stop", "step"))
        one, zero = m.const(INT, 1), m.const(INT, 0)

        def count(lo, hi, off):
            size = T.Binary(INT, S.BinOp.ADD, T.Binary(INT, S.BinOp.SUB, m.load(b), m.load(a),
                                                       span=span), off, span=span)
            n = m.add(T.Binary(INT, S.BinOp.FLOORDIV, size, m.load(s), span=span), one)
            return T.Return(T.IfExp(INT, m.cmp(S.CmpOp.LT, m.load(lo), m.load(hi)), n, zero,
                                    span=span), span=span)
        body = (T.ForRange(T.Var("k", INT, True, span), zero, zero, m.load(s), (), span=span),
                m.if_(m.cmp(S.CmpOp.GT, m.load(s), zero), [count(a, b, m.const(INT, -1))]),
                count(b, a, one))
        fn = T.Function("len(range)", self.new_symbol("len(range)"), [a, b, s], INT, False,
                        span, body=body)
        self.functions.append(fn)
        return T.Call(INT, fn, tuple(bounds), span=span)

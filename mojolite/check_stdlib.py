"""Type rules of the `random` and `time` modules (mixed into the checker).

In: a call `S.Call` to one of these names, already resolved to the built-in
(`from random import rand` or `random.rand`). Out: a `typed.Builtin` whose name
keys `stdlib.BUILTINS` (reference) and `codegen/stdlib.RULES` (LLVM), with
every default filled in and every operand converted to its parameter's type.
Signatures follow Mojo's:

    seed()                                   seed(a: Int)
    random_float64(min: Float64 = 0, max: Float64 = 1) -> Float64
    random_si64(min: Int64, max: Int64) -> Int64
    random_ui64(min: UInt64, max: UInt64) -> UInt64
    randn_float64(mean: Float64 = 0, standard_deviation: Float64 = 1) -> Float64
    rand[dtype](ptr: UnsafePointer[Scalar[dtype]], size: Int, /, *,
                min: Float64 = 0, max: Float64 = 1)
    randn[dtype](ptr: UnsafePointer[Scalar[dtype]], size: Int,
                 mean: Float64 = 0, standard_deviation: Float64 = 1)   (float dtypes)
    now() -> Int        perf_counter_ns() -> Int      (nanoseconds)

An `Int` argument is accepted where Mojo takes Int64/UInt64 (Mojo converts it
implicitly); `[dtype]` may be written or inferred from the pointer.
"""
from __future__ import annotations

from . import syntax as S
from . import typed as T
from .typesys import FLOAT64, INT, INT64, NONE, Pointer, SIMD, DType, scalar

STDLIB_FUNCTIONS = {"seed", "random_float64", "random_si64", "random_ui64", "randn_float64",
                    "rand", "randn", "now", "perf_counter_ns"}

_ZERO, _ONE = 0.0, 1.0


class StdlibChecks:
    """Methods of the checker for `random.*` and `time.*` calls."""

    def stdlib_call(self, name: str, node: S.Call, params: tuple = ()) -> T.Expr:
        span = node.span
        if params and name not in ("rand", "randn"):
            raise self.error(f"{name} takes no compile-time parameters", span)
        if name in ("now", "perf_counter_ns"):
            self.bind_stdlib(node, name, ())
            return T.Builtin(INT, f"time.{name}", (), span=span)
        if name == "seed":
            (s,) = self.bind_stdlib(node, name, ("a",), {"a": None})
            if s is None:
                return T.Builtin(NONE, "random.seed_time", (), span=span)
            return T.Builtin(NONE, "random.seed", (self.coerce(self.expr(s), INT, s.span),),
                             span=span)
        if name in ("random_float64", "randn_float64"):
            names = ("min", "max") if name == "random_float64" else ("mean",
                                                                     "standard_deviation")
            args = self.bind_stdlib(node, name, names, dict(zip(names, (_ZERO, _ONE))))
            key = "random.float64" if name == "random_float64" else "random.randn_float64"
            return T.Builtin(FLOAT64, key, tuple(self.stdlib_float(a) for a in args),
                             span=span)
        if name in ("random_si64", "random_ui64"):
            t = INT64 if name == "random_si64" else scalar(DType.uint64)
            args = self.bind_stdlib(node, name, ("min", "max"))
            return T.Builtin(t, "random." + name[7:], tuple(self.stdlib_int(a, t) for a in args),
                             span=span)
        names = ("ptr", "size") + (("min", "max") if name == "rand" else
                                   ("mean", "standard_deviation"))
        ptr, size, a, b = self.bind_stdlib(node, name, names,
                                           dict(zip(names[2:], (_ZERO, _ONE))))
        p = self.expr(ptr)
        pointee = p.type.pointee if isinstance(p.type, Pointer) else None
        if not (isinstance(pointee, SIMD) and pointee.width == 1):
            raise self.error(f"{name}() fills an UnsafePointer to scalars, not {p.type}",
                             ptr.span, hint="allocate one with `UnsafePointer[Float64]"
                                            ".alloc(n)` (or pass `t.unsafe_ptr()`)")
        if params:
            if len(params) != 1:
                raise self.error(f"{name} takes one DType parameter", span)
            dt = self.dtype_param(params[0])
            if dt is not pointee.dtype:
                raise self.error(f"{name}[DType.{dt.value}] needs an UnsafePointer"
                                 f"[{scalar(dt)}], not {p.type}", ptr.span)
        if name == "randn" and not pointee.dtype.is_float:
            raise self.error(f"randn() fills floating-point memory, not {pointee}", ptr.span,
                             hint="for integers use `rand(ptr, size, min=..., max=...)`")
        return T.Builtin(NONE, "random." + name,
                         (p, self.integer_index(size), self.stdlib_float(a),
                          self.stdlib_float(b)), span=span)

    def bind_stdlib(self, node: S.Call, what: str, names: tuple[str, ...],
                    defaults: dict | None = None) -> list:
        """Arguments matched to `names` by position or keyword; a missing one takes
        its default (a float, None, or an error when it has none)."""
        defaults = defaults or {}
        if len(node.args) > len(names):
            raise self.error(f"{what}() takes {'no' if not names else len(names)} argument"
                             f"{'s' * (len(names) != 1)}, got {len(node.args)}", node.span)
        args = list(node.args) + [_MISSING] * (len(names) - len(node.args))
        for kw in node.kwargs:
            if kw.name == "int_scale" and what == "rand":
                raise self.error("rand()'s int_scale is not supported", kw.span)
            if kw.name not in names:
                raise self.error(f"{what}() has no parameter named '{kw.name}'", kw.span,
                                 hint=f"its parameters are: {', '.join(names)}"
                                 if names else "")
            k = names.index(kw.name)
            if args[k] is not _MISSING:
                raise self.error(f"argument '{kw.name}' given twice", kw.span)
            args[k] = kw.value
        for i, (n, a) in enumerate(zip(names, args)):
            if a is _MISSING:
                if n not in defaults:
                    raise self.error(f"{what}() is missing argument '{n}'", node.span,
                                     hint=f"call it as `{what}({', '.join(names)})`")
                d = defaults[n]
                args[i] = d if d is None else T.Const(FLOAT64, d, span=node.span)
        return args

    def stdlib_float(self, a) -> T.Expr:
        """A Float64 operand: a filled-in default as it is, else the argument converted."""
        if isinstance(a, T.Expr):
            return a
        return self.coerce(self.expr(a), FLOAT64, a.span)

    def stdlib_int(self, a: S.Expr, t: SIMD) -> T.Expr:
        e = self.expr(a)
        if e.type == INT:
            return self.make_cast(e, t, a.span)
        return self.coerce(e, t, a.span)


_MISSING = object()

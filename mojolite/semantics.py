"""The meaning of every scalar operation, as Python functions.

In: Python values (int in range of its dtype, float already rounded to its
dtype, bool) and the operand `DType`. Out: the result value, or a `Fault`.
The reference interpreter and the checker's constant folding both use these
tables; `codegen/lower.py` has one LLVM rule for each key (a test checks the
key sets match). Math functions call the C library through ctypes, the same
functions the JIT calls, so the two agree bit for bit.
"""
from __future__ import annotations

import ctypes
import math

from .ops import BinOp, CmpOp, UnOp
from .typesys import DType


class Fault(Exception):
    """A checked runtime failure; `kind` is a short phrase (the message)."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


DIV_BY_ZERO = "integer division by zero"
MOD_BY_ZERO = "integer modulo by zero"
NEG_EXPONENT = "negative exponent in integer '**'"
ZERO_STEP = "range() step must not be zero"


# ------------------------------------------------------------------ rounding
def wrap(v: int, dt: DType) -> int:
    """Two's-complement wrap of a Python int into `dt`'s range."""
    bits = dt.bits
    v &= (1 << bits) - 1
    if dt.is_signed and v >> (bits - 1):
        v -= 1 << bits
    return v


def f32(x: float) -> float:
    """Round a double to the nearest float32 (inf on overflow), as a Python float."""
    return ctypes.c_float(x).value


def round_to(x: float, dt: DType) -> float:
    return f32(x) if dt is DType.float32 else x


# ------------------------------------------------------------------ integers
def _ifloordiv(a, b, dt):
    if b == 0:
        raise Fault(DIV_BY_ZERO)
    return wrap(a // b, dt)


def _iceildiv(a, b, dt):
    """`ceildiv` of integers, a // b rounded up (the checker uses it for the unsigned
    ones, where `-(a // -b)` cannot work; on signed ones the two agree)."""
    if b == 0:
        raise Fault(DIV_BY_ZERO)
    return wrap(-(-a // b), dt)


def _imod(a, b, dt):
    if b == 0:
        raise Fault(MOD_BY_ZERO)
    return wrap(a % b, dt)


def _ipow(a, b, dt):
    if b < 0:
        raise Fault(NEG_EXPONENT)
    return wrap(pow(a, b, 1 << dt.bits), dt)


def _shl(a, b, dt):
    return wrap(a << b, dt) if 0 <= b < dt.bits else 0


def _shr(a, b, dt):
    if 0 <= b < dt.bits:
        return a >> b          # Python's >> is arithmetic for negatives, logical otherwise
    return -1 if a < 0 else 0


INT_BINARY = {
    BinOp.ADD: lambda a, b, dt: wrap(a + b, dt),
    BinOp.SUB: lambda a, b, dt: wrap(a - b, dt),
    BinOp.MUL: lambda a, b, dt: wrap(a * b, dt),
    BinOp.FLOORDIV: _ifloordiv,
    BinOp.MOD: _imod,
    BinOp.POW: _ipow,
    BinOp.AND: lambda a, b, dt: a & b,
    BinOp.OR: lambda a, b, dt: a | b,
    BinOp.XOR: lambda a, b, dt: a ^ b,
    BinOp.SHL: _shl,
    BinOp.SHR: _shr,
}

BOOL_BINARY = {
    BinOp.AND: lambda a, b, dt: a and b,
    BinOp.OR: lambda a, b, dt: a or b,
    BinOp.XOR: lambda a, b, dt: a != b,
}


# ------------------------------------------------------------------ floats
def _fdiv(a, b, dt):
    if b == 0.0:
        if a != a or a == 0.0:
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return round_to(a / b, dt)


def float_divmod(a: float, b: float, dt: DType) -> tuple[float, float]:
    """CPython's float_divmod, each step rounded to `dt`; by zero: (a / b, nan)."""
    if b == 0.0:
        return _fdiv(a, b, dt), math.nan
    mod = _libm("fmod", dt)(a, b)
    div = round_to((round_to(a - mod, dt)) / b, dt)
    if mod != 0.0:
        if (b < 0) != (mod < 0):
            mod = round_to(mod + b, dt)
            div = round_to(div - 1.0, dt)
    else:
        mod = math.copysign(0.0, b)
    if div != 0.0:
        floordiv = float(math.floor(div)) if math.isfinite(div) else div
        if div - floordiv > 0.5:
            floordiv = round_to(floordiv + 1.0, dt)
    else:
        floordiv = math.copysign(0.0, _sign(a) * _sign(b))
    return floordiv, mod


def _sign(x: float) -> float:
    return math.copysign(1.0, x)


def _fpow(a, b, dt):
    return _libm("pow", dt)(a, b)


FLOAT_BINARY = {
    BinOp.ADD: lambda a, b, dt: round_to(a + b, dt),
    BinOp.SUB: lambda a, b, dt: round_to(a - b, dt),
    BinOp.MUL: lambda a, b, dt: round_to(a * b, dt),
    BinOp.DIV: _fdiv,
    BinOp.FLOORDIV: lambda a, b, dt: float_divmod(a, b, dt)[0],
    BinOp.MOD: lambda a, b, dt: float_divmod(a, b, dt)[1],
    BinOp.POW: _fpow,
}


def binary(op: BinOp, a, b, dt: DType):
    if dt is DType.bool:
        return BOOL_BINARY[op](a, b, dt)
    table = FLOAT_BINARY if dt.is_float else INT_BINARY
    return table[op](a, b, dt)


def pow_by_multiplies(a: float, n: int, dt: DType) -> float:
    """`x ** 2` and `x ** 3` with a constant exponent are multiplies: (x*x)*x."""
    r = round_to(a * a, dt)
    return round_to(r * a, dt) if n == 3 else r


UNARY = {
    UnOp.NEG: lambda a, dt: (wrap(-a, dt) if dt.is_int else -a),
    UnOp.INVERT: lambda a, dt: (not a if dt is DType.bool else wrap(~a, dt)),
    UnOp.NOT: lambda a, dt: not a,
}


def _cmp(op: CmpOp):
    import operator
    return {CmpOp.LT: operator.lt, CmpOp.LE: operator.le, CmpOp.GT: operator.gt,
            CmpOp.GE: operator.ge, CmpOp.EQ: operator.eq, CmpOp.NE: operator.ne}[op]


COMPARE = {op: _cmp(op) for op in CmpOp}


def cast(v, src: DType, dst: DType):
    """Scalar conversion; see typed.Cast."""
    if dst is DType.bool:
        return v != 0
    if src is DType.bool:
        v = int(v)
        return float(v) if dst.is_float else v
    if dst.is_float:
        if dst is DType.float32 and not src.is_float and abs(v) > 1 << 53:
            return _int_to_f32_exact(v)     # one rounding, not two through float64
        return round_to(float(v), dst)
    if src.is_float:
        if v != v:
            return 0
        lo, hi = dst.int_range
        if v == math.inf or v >= hi:
            return hi
        if v == -math.inf or v <= lo:
            return lo
        return int(v)          # truncates toward zero
    return wrap(v, dst)


def _int_to_f32_exact(v: int) -> float:
    import numpy as np
    return float(np.array(v, dtype=np.int64 if v < 0 else np.uint64).astype(np.float32))


# ------------------------------------------------------------------ math
_LIBM = None


def _libm(name: str, dt: DType):
    """The C library's `name` (or `namef` for float32) as a Python function."""
    global _LIBM
    if _LIBM is None:
        from .target import libm_name
        _LIBM = ctypes.CDLL(libm_name())
    f32_ = dt is DType.float32
    cname = name + ("f" if f32_ else "")
    fn = getattr(_LIBM, cname)
    ct = ctypes.c_float if f32_ else ctypes.c_double
    arity = {"pow": 2, "atan2": 2, "fma": 3, "fmod": 2}.get(name, 1)
    fn.restype = ct
    fn.argtypes = [ct] * arity

    def call(*args):
        try:
            return fn(*args)
        except ctypes.ArgumentError as e:   # ctypes wraps the RecursionError of a call
            if "RecursionError" in str(e):  # made at the recursion limit: unwrap it, so
                raise RecursionError from None      # that it is `recursion too deep`
            raise
    return call


def _fmin(a, b, dt):
    if a != a or b != b:
        return math.nan
    if a == b:
        return a if math.copysign(1.0, a) < 0 else b
    return min(a, b)


def _fmax(a, b, dt):
    if a != a or b != b:
        return math.nan
    if a == b:
        return b if math.copysign(1.0, a) < 0 else a
    return max(a, b)


def _round_half_even(x, dt):
    if not math.isfinite(x):
        return x
    r = float(round(x))
    return math.copysign(r, x) if r == 0.0 else r


def _libm1(name):
    return lambda x, dt: _libm(name, dt)(x)


def _isclose(a, b, *options):
    """Mojo's `isclose(a, b, atol=1e-8, rtol=1e-5, equal_nan=False)` (symmetric,
    the tolerances in the argument's type): equal, or both finite with |a - b| <=
    max(atol, rtol * max(|a|, |b|)), or (with equal_nan) both NaN. `options`:
    atol, rtol, equal_nan, then the dtype; or the dtype alone."""
    *given, dt = options
    atol, rtol, equal_nan = given or (1e-8, 1e-5, False)
    atol, rtol = round_to(atol, dt), round_to(rtol, dt)
    if a == b or equal_nan and a != a and b != b:
        return True
    if not (math.isfinite(a) and math.isfinite(b)):
        return False
    return abs(round_to(a - b, dt)) <= max(atol, round_to(rtol * max(abs(a), abs(b)), dt))


# name → (arity, function(args..., dtype)); floats only unless listed in MATH_INT.
MATH = {
    "sqrt": (1, _libm1("sqrt")),
    "rsqrt": (1, lambda x, dt: _fdiv(1.0, _libm("sqrt", dt)(x), dt)),
    "exp": (1, _libm1("exp")), "exp2": (1, _libm1("exp2")),
    "log": (1, _libm1("log")), "log2": (1, _libm1("log2")), "log10": (1, _libm1("log10")),
    "log1p": (1, _libm1("log1p")), "expm1": (1, _libm1("expm1")),
    "sin": (1, _libm1("sin")), "cos": (1, _libm1("cos")), "tan": (1, _libm1("tan")),
    "asin": (1, _libm1("asin")), "acos": (1, _libm1("acos")), "atan": (1, _libm1("atan")),
    "sinh": (1, _libm1("sinh")), "cosh": (1, _libm1("cosh")), "tanh": (1, _libm1("tanh")),
    "atan2": (2, lambda y, x, dt: _libm("atan2", dt)(y, x)),
    "pow": (2, _fpow),
    "floor": (1, lambda x, dt: float(math.floor(x)) if math.isfinite(x) and x != 0 else x),
    "ceil": (1, lambda x, dt: math.copysign(float(math.ceil(x)), x) if math.isfinite(x) else x),
    "trunc": (1, lambda x, dt: math.copysign(float(math.trunc(x)), x) if math.isfinite(x) else x),
    "round": (1, _round_half_even),
    "abs": (1, lambda x, dt: abs(x)),
    "fma": (3, lambda a, b, c, dt: _libm("fma", dt)(a, b, c)),
    "min": (2, _fmin), "max": (2, _fmax),
    "clamp": (3, lambda x, lo, hi, dt: _fmin(_fmax(x, lo, dt), hi, dt)),
    "isnan": (1, lambda x, dt: x != x),
    "isinf": (1, lambda x, dt: x in (math.inf, -math.inf)),
    "isfinite": (1, lambda x, dt: math.isfinite(x)),
    "isclose": (2, _isclose),
}

# The math functions that also take integers, and their integer meaning
# (an integer is already whole: floor, ceil, trunc and round return it, as Mojo's).
# `ceildiv` is here only: the checker makes it for unsigned integers, and writes the
# signed and float ones as `-(a // -b)`.
MATH_INT = {
    "abs": lambda x, dt: wrap(abs(x), dt),
    **{name: (lambda x, dt: x) for name in ("floor", "ceil", "trunc", "round")},
    "min": lambda a, b, dt: min(a, b),
    "max": lambda a, b, dt: max(a, b),
    "clamp": lambda x, lo, hi, dt: min(max(x, lo), hi),
    "pow": _ipow,
    "ceildiv": _iceildiv,
}

# Functions whose result is Bool rather than the argument type.
MATH_PREDICATES = {"isnan", "isinf", "isfinite", "isclose"}

MATH_CONSTANTS = {"pi": math.pi, "e": math.e, "inf": math.inf, "nan": math.nan}

SCALAR_LIMITS = ("MAX", "MIN", "MAX_FINITE", "MIN_FINITE")

# The largest finite value of each float type.
_FLOAT_MAX = {DType.float16: 65504.0, DType.float32: (2 - 2 ** -23) * 2.0 ** 127,
              DType.float64: 1.7976931348623157e308}


def scalar_limit(dt: DType, name: str):
    """`Int.MAX`, `UInt8.MIN`, `Float64.MAX_FINITE`: Mojo's limits of a numeric scalar
    type (a float's MAX and MIN are its infinities), or None for another name."""
    if dt.is_float:
        limits = {"MAX": math.inf, "MIN": -math.inf,
                  "MAX_FINITE": _FLOAT_MAX[dt], "MIN_FINITE": -_FLOAT_MAX[dt]}
    elif dt.is_int:
        lo, hi = dt.int_range
        limits = {"MAX": hi, "MIN": lo, "MAX_FINITE": hi, "MIN_FINITE": lo}
    else:
        return None
    return limits.get(name)


def math_call(name: str, args: list, dt: DType):
    if dt.is_float:
        return MATH[name][1](*args, dt)
    return MATH_INT[name](*args, dt)

"""Vector math: exp, log, tanh, sin, cos (and friends) as branch-free LLVM IR.

In: an `ir.Module`, a name from `VECTOR_MATH` and a float type `ty`: `float`,
`double`, or a vector of either with 1 to 64 lanes. Out: `vector_math(module,
name, ty)`, the internal function `mojolite.vm.<name>.<suffix>` of type
`ty (ty)` (suffix as in intrinsic names: f64, v8f64, v16f32), emitted on first
use and reused after. The lowering calls it wherever a program applies one of
these functions to a SIMD value, so that a vector never becomes one libm call
per lane.

Invariants:
- branch-free lane code: `llvm.fma` Horner polynomials, integer bit tricks on
  the exponent field, selects for the special cases (the one branch is sin
  and cos's cold path below); no fast-math flags, so the results hold under
  strict IEEE semantics.
- lanes are independent: a lane's result never depends on its neighbours, so
  widths 1, 4, 8, 16, ... agree bit for bit.
- special values as C99 Annex F and NumPy: exp(+inf) = inf, exp(-inf) = 0,
  overflow → inf, underflow → subnormals then 0; log(±0) = -inf, log(x < 0) =
  nan, log(inf) = inf, log(1) = +0; tanh(±inf) = ±1; sin, cos(±inf) = nan; odd
  functions keep the sign of ±0 (sin(-0) = -0); nan → nan.
- libm is called by sin and cos only, from a cold path, for the finite lanes
  with |x| > 2**30 (`HUGE_ARGUMENT`) where the fixed-precision reduction ends;
  the branch is taken when any lane is huge and replaces only those lanes.
- float32 is evaluated in double lanes (widen, compute with shorter
  polynomials, round once): the double result is within about 2^-32 of the
  true value, so the float32 result is correctly rounded but for rare ties.
  Chosen for accuracy and one code path; it costs twice the register width.

Accuracy: `ULP_BOUNDS`, the largest errors measured by tests/test_vecmath.py
against NumPy's long double functions over wide ranges (they are asserted
there, so they stay true). Coefficients are minimax (Remez) fits made with
mpmath; `test_coefficients_reproduce` (slow) refits them.
"""
from __future__ import annotations

import struct

from llvmlite import ir

from ..errors import InternalError

I1, I32, I64 = ir.IntType(1), ir.IntType(32), ir.IntType(64)
F32, F64 = ir.FloatType(), ir.DoubleType()

_hex = float.fromhex

# Adding SHIFT to a double t with |t| < 2**51 rounds t to an integer k and
# leaves k in the low mantissa bits: bits(t + SHIFT) - bits(SHIFT) == k.
SHIFT = _hex("0x1.8p52")
INV_LN2 = _hex("0x1.71547652b82fep+0")
LN2_HI, LN2_LO = _hex("0x1.62e42fefa39efp-1"), _hex("0x1.abc9e3b39803fp-56")
INV_LN10 = _hex("0x1.bcb7b1526e50ep-2")
LOG10_2_HI, LOG10_2_LO = _hex("0x1.34413509f79ffp-2"), _hex("-0x1.9dc1da994fd21p-59")
TWO_OVER_PI = _hex("0x1.45f306dc9c883p-1")
# pi/2 as a sum of three doubles (each the rounded remainder of the last).
PIO2 = (_hex("0x1.921fb54442d18p+0"), _hex("0x1.1a62633145c07p-54"),
        _hex("-0x1.f1976b7ed8fbcp-110"))
SQRT1_2_BITS = 0x3FE6A09E667F3BCD          # bits of sqrt(2)/2
SMALLEST_NORMAL = _hex("0x1p-1022")

# Finite |x| above this take libm's sin/cos (see `_sincos` for why it holds below).
HUGE_ARGUMENT = 2.0 ** 30

# Polynomial coefficients, lowest degree first, keyed by (kernel, precision).
# Remez minimax fits of absolute error (mpmath, 60 digits), rounded to double:
#   expm1: Q(r) = (expm1(r) - r - r^2/2) / r^3       on |r| <= 0.3467 (ln2/2 + slack)
#   log:   T(z) = (2 atanh(s)/s - 2) / z, z = s^2      on z <= 0.02944 ((3 - 2 sqrt2)^2)
#   sin:   S(z) = (sin(r) - r) / r^3,      z = r^2    on z <= 0.6171  ((pi/4)^2 + slack)
#   cos:   C(z) = (cos(r) - 1 + z/2) / z^2            on the same z
# Fit errors (f64 set, f32 set) in log2: Q -55.6, -32.6; T -51.5, -29.7;
# S -54.8, -35.1; C -58.6, -38.6. Each enters the result damped by r^2, z/2,
# z or z^2, so every f64 kernel is within ~2^-58 of its function before rounding.
_COEFFS = {
    ("expm1", "f64"): tuple(map(_hex, (
        "0x1.5555555555556p-3", "0x1.5555555555556p-5", "0x1.11111111109afp-7",
        "0x1.6c16c16c15dbfp-10", "0x1.a01a01a7c756dp-13", "0x1.a01a01a93a031p-16",
        "0x1.71de0da1ecdb3p-19", "0x1.27e4d4c92cc92p-22", "0x1.af38c7393e8dap-26",
        "0x1.1f7f3c0074964p-29"))),
    ("expm1", "f32"): tuple(map(_hex, (
        "0x1.5555555a7b58dp-3", "0x1.55555561b0e45p-5", "0x1.1110e0e3cd90bp-7",
        "0x1.6c16700d1f8e1p-10", "0x1.a12518ac6672cp-13", "0x1.a136ea1324a43p-16"))),
    ("log", "f64"): tuple(map(_hex, (
        "0x1.5555555555558p-1", "0x1.9999999995224p-2", "0x1.2492492e03d7bp-2",
        "0x1.c71c62d0501b3p-3", "0x1.7462ba22678c8p-3", "0x1.39fdba0d6bb79p-3",
        "0x1.2b5fb4e0eb2cfp-3"))),
    ("log", "f32"): tuple(map(_hex, (
        "0x1.5555554b924a8p-1", "0x1.9999ebfa19044p-2", "0x1.245c0b8776ff5p-2",
        "0x1.ddd8d7f2de472p-3"))),
    ("sin", "f64"): tuple(map(_hex, (
        "-0x1.5555555555555p-3", "0x1.1111111110bb1p-7", "-0x1.a01a019e833aep-13",
        "0x1.71de3795efb42p-19", "-0x1.ae600a5a7e0e2p-26", "0x1.5e0adb412c4dcp-33"))),
    ("sin", "f32"): tuple(map(_hex, (
        "-0x1.555555545e21cp-3", "0x1.11110def19d83p-7", "-0x1.a013a73a9f5a0p-13",
        "0x1.6dbdde00cc1a3p-19"))),
    ("cos", "f64"): tuple(map(_hex, (
        "0x1.5555555555555p-5", "-0x1.6c16c16c16966p-10", "0x1.a01a019f4e74ep-16",
        "-0x1.27e4fa17893bap-22", "0x1.1eeb6891c0892p-29", "-0x1.907d627ec6fedp-37"))),
    ("cos", "f32"): tuple(map(_hex, (
        "0x1.5555555502d0fp-5", "-0x1.6c16bf54c3c18p-10", "0x1.a015c42a79787p-16",
        "-0x1.25242b938604cp-22"))),
}
# The fits above: (function, domain, degree) per key, for the refit test.
FITS = {
    ("expm1", "f64"): ("Q", -0.3467, 0.3467, 9), ("expm1", "f32"): ("Q", -0.3467, 0.3467, 5),
    ("log", "f64"): ("T", 0.0, 0.02944, 6), ("log", "f32"): ("T", 0.0, 0.02944, 3),
    ("sin", "f64"): ("S", 0.0, 0.6171, 5), ("sin", "f32"): ("S", 0.0, 0.6171, 3),
    ("cos", "f64"): ("C", 0.0, 0.6171, 5), ("cos", "f32"): ("C", 0.0, 0.6171, 3),
}

# Largest error in ulps of the exact result, measured against NumPy's long
# double functions on ~3e7 points per entry (tests/test_vecmath.py: random,
# log-uniform down to subnormals, the subnormal-result range of exp, values
# nearest multiples of pi/2 below HUGE_ARGUMENT), rounded up; the tests
# assert them. float32 results are correctly rounded but for rare ties.
_F64_ULPS = {"exp": 0.98, "exp2": 1.05, "expm1": 1.11, "log": 0.86, "log2": 1.75,
             "log10": 1.84, "log1p": 0.87, "tanh": 0.90, "sinh": 1.29, "cosh": 1.46,
             "sin": 1.47, "cos": 1.49}
ULP_BOUNDS: dict[tuple[str, str], float] = {
    **{(name, "float64"): ulps for name, ulps in _F64_ULPS.items()},
    **{(name, "float32"): 0.51 for name in _F64_ULPS},
}


# ------------------------------------------------------------------ types and declarations
def _mangle(ty: ir.Type) -> str:
    """Intrinsic name suffix: i1, f32, f64, v8f64, v16i1."""
    if isinstance(ty, ir.IntType):
        return f"i{ty.width}"
    if isinstance(ty, ir.VectorType):
        return f"v{ty.count}{_mangle(ty.element)}"
    return {F32: "f32", F64: "f64"}[ty]


def _shape(ty: ir.Type) -> tuple[ir.Type, int | None]:
    """(element type, lanes or None for a scalar); an InternalError for anything else."""
    lanes = None
    elem = ty
    if isinstance(ty, ir.VectorType):
        lanes, elem = ty.count, ty.element
        if not (1 <= lanes <= 64 and lanes & (lanes - 1) == 0):
            raise InternalError(f"vecmath: {lanes} lanes (want a power of two up to 64)")
    if elem != F32 and elem != F64:
        raise InternalError(f"vecmath: no vector math for {ty}")
    return elem, lanes


def _declare(module: ir.Module, name: str, fnty: ir.FunctionType, attrs=()) -> ir.Function:
    fn = module.globals.get(name)
    if fn is None:
        fn = ir.Function(module, fnty, name)
        for a in attrs:
            fn.attributes.add(a)
    return fn


def _intrinsic(module: ir.Module, base: str, ty: ir.Type, arity: int) -> ir.Function:
    """`base.<suffix>` of type `ty (ty, ...)`: llvm.fma.v8f64 and the like."""
    return _declare(module, f"{base}.{_mangle(ty)}", ir.FunctionType(ty, [ty] * arity))


def _libm(module: ir.Module, name: str, elem: ir.Type) -> ir.Function:
    """C's `name` (`namef` for float), declared as `ModuleLowering.libm` (module.py)
    does, so that either may declare it first."""
    cname = name + ("f" if elem == F32 else "")
    return _declare(module, cname, ir.FunctionType(elem, [elem]),
                    ("nobuiltin", "readnone", "nounwind"))


# ------------------------------------------------------------------ emitter
class _Emitter:
    """Double-precision arithmetic on `lanes` lanes (None: a scalar), with the
    coefficient set of `precision` ("f64", or "f32" for float inputs)."""

    def __init__(self, builder: ir.IRBuilder, lanes: int | None, precision: str):
        self.b = builder
        self.module = builder.module
        self.precision = precision
        self.f = F64 if lanes is None else ir.VectorType(F64, lanes)
        self.i = I64 if lanes is None else ir.VectorType(I64, lanes)
        self.bool = I1 if lanes is None else ir.VectorType(I1, lanes)

    def c(self, value: float) -> ir.Constant:
        return ir.Constant(self.f, value)

    def ic(self, value: int) -> ir.Constant:
        return ir.Constant(self.i, value)

    def call(self, base: str, *args):
        return self.b.call(_intrinsic(self.module, base, args[0].type, len(args)), list(args))

    def fma(self, a, b, c, name: str = ""):
        return self.b.call(_intrinsic(self.module, "llvm.fma", a.type, 3), [a, b, c], name)

    def fabs(self, x):
        return self.call("llvm.fabs", x)

    def copysign(self, magnitude, sign):
        return self.call("llvm.copysign", magnitude, sign)

    def poly(self, x, kernel: str):
        """Horner with fma: c0 + x*(c1 + x*(c2 + ...))."""
        coeffs = _COEFFS[kernel, self.precision]
        acc = self.c(coeffs[-1])
        for c in reversed(coeffs[:-1]):
            acc = self.fma(acc, x, self.c(c))
        return acc

    def two_sum(self, a, b):
        """(s, e) with s = a + b rounded and s + e == a + b exactly (Knuth)."""
        s = self.b.fadd(a, b)
        bb = self.b.fsub(s, a)
        e = self.b.fadd(self.b.fsub(a, self.b.fsub(s, bb)), self.b.fsub(b, bb))
        return s, e

    def bits(self, x):
        return self.b.bitcast(x, self.i)

    def float(self, i):
        return self.b.bitcast(i, self.f)

    def cmp(self, op: str, a, b):
        """Ordered comparison: false when either side is nan."""
        return self.b.fcmp_ordered(op, a, b)

    def clamp(self, x, lo: float, hi: float):
        """x limited to [lo, hi]; nan stays nan (selects, not minnum/maxnum)."""
        x = self.b.select(self.cmp("<", x, self.c(lo)), self.c(lo), x)
        return self.b.select(self.cmp(">", x, self.c(hi)), self.c(hi), x)

    def keep_tiny(self, x, y, bound: float):
        """x where |x| < bound (where f(x) rounds to x; keeps -0 and subnormals), else y."""
        return self.b.select(self.cmp("<", self.fabs(x), self.c(bound)), x, y)

    def to_int(self, t_plus_shift):
        """Given t + SHIFT, computed with one rounding: (k as double, k as i64),
        k = t rounded to the nearest integer."""
        k = self.b.sub(self.bits(t_plus_shift), self.ic(_bits(SHIFT)), "k")
        return self.b.fsub(t_plus_shift, self.c(SHIFT)), k

    def to_double(self, k):
        """i64 lanes (|k| < 2**51) → double, by the SHIFT trick in reverse."""
        return self.b.fsub(self.float(self.b.add(k, self.ic(_bits(SHIFT)))), self.c(SHIFT))

    def pow2(self, k):
        """2**k for integer lanes -1022 <= k <= 1023: the exponent field built directly."""
        return self.float(self.b.shl(self.b.add(k, self.ic(1023)), self.ic(52)))

    def scale(self, y, k):
        """y * 2**k in two exact steps, so k may run from -2044 to 2046: the
        first product stays normal, the second rounds once into the subnormal
        range or overflows to inf. Example: k = -1074: y * 2**-537 * 2**-537."""
        half = self.b.ashr(k, self.ic(1))
        return self.b.fmul(self.b.fmul(y, self.pow2(half)), self.pow2(self.b.sub(k, half)))


def _bits(x: float) -> int:
    return struct.unpack("<q", struct.pack("<d", x))[0]


# ------------------------------------------------------------------ exp family
def _exp_reduce(em: _Emitter, x):
    """Cody–Waite: x = k*ln2 + r + r_lo, |r| <= ln2/2. k*LN2_HI is exact
    inside the fma and x - k*LN2_HI is exact (|result| < 1, a multiple of
    2^-54), so r carries one rounding and r_lo is what it dropped (exp leaves
    r_lo unused and LLVM deletes it). Needs |x| < 2**51 (callers clamp).
    Returns (r, r_lo, k as i64)."""
    kf, k = em.to_int(em.fma(x, em.c(INV_LN2), em.c(SHIFT)))
    r1 = em.fma(kf, em.c(-LN2_HI), x)
    r = em.fma(kf, em.c(-LN2_LO), r1, name="r")
    r_lo = em.fma(kf, em.c(-LN2_LO), em.b.fsub(r1, r))
    return r, r_lo, k


def _expm1_poly(em: _Emitter, r):
    """expm1(r) = r + r^2 * (1/2 + r*Q(r)), |r| <= 0.3467: the exact leading
    terms first, so the polynomial's error is damped by r^2."""
    w = em.fma(r, em.poly(r, "expm1"), em.c(0.5))
    return em.fma(em.b.fmul(r, r), w, r)


def _exp_scaled(em: _Emitter, x, extra: int = 0):
    """exp(x) * 2**extra (extra 0 or -1): 2**k * (1 + expm1(r)). The clamp to
    ±746 keeps k within `scale`'s range and still overflows/underflows fully;
    nan passes through every step."""
    r, _, k = _exp_reduce(em, em.clamp(x, -746.0, 746.0))
    if extra:
        k = em.b.add(k, em.ic(extra))
    return em.scale(em.b.fadd(em.c(1.0), _expm1_poly(em, r)), k)


def _exp(em: _Emitter, x):
    return _exp_scaled(em, x)


def _exp2(em: _Emitter, x):
    """x = k + r exactly (|r| <= 1/2); 2**r = exp(r*ln2), whose argument is
    rounded once (|r*ln2| <= 0.35, so that costs under 0.2 ulp)."""
    x = em.clamp(x, -1080.0, 1080.0)
    kf, k = em.to_int(em.b.fadd(x, em.c(SHIFT)))
    t = em.b.fmul(em.b.fsub(x, kf), em.c(LN2_HI))
    return em.scale(em.b.fadd(em.c(1.0), _expm1_poly(em, t)), k)


def _expm1_core(em: _Emitter, x):
    """expm1(x) = (2**k - 1) + 2**k*r + 2**k*tail, where x = k*ln2 + r + r_lo
    and tail = r_lo + r^2*(1/2 + r*Q(r)). The first two terms are exact
    (2**k - 1 as a rounded part and its remainder, -1 or 0) and summed without
    loss (TwoSum), so the result is rounded about once however much they
    cancel (k = 1, r < 0). Returns (hi, lo, overflows, far): hi + lo within
    ~2^-60 of expm1(x) while k <= 1023; past that 2**k itself overflows and
    `far` = 2**k * (1 + r + tail), scaled in two steps, takes over. x is
    clamped to [-45, 746] (expm1(-45) rounds to -1). Tiny x loses its sign
    of zero here; `_expm1` restores it."""
    r, r_lo, k = _exp_reduce(em, em.clamp(x, -45.0, 746.0))
    w = em.fma(r, em.poly(r, "expm1"), em.c(0.5))
    tail = em.fma(em.b.fmul(r, r), w, r_lo)
    two_k = em.pow2(k)
    far = em.scale(em.b.fadd(em.c(1.0), em.b.fadd(r, tail)), k)
    overflows = em.b.icmp_signed(">", k, em.ic(1023))
    if em.precision == "f32":   # 2^-40 is plenty: skip the compensation
        near = em.fma(two_k, em.b.fadd(r, tail), em.b.fsub(two_k, em.c(1.0)))
        return near, em.c(0.0), overflows, far
    two_k_m1 = em.b.fsub(two_k, em.c(1.0))
    m1_lo = em.b.fsub(em.b.fsub(two_k, two_k_m1), em.c(1.0))   # -1 once k > 53, else 0
    head, err = em.two_sum(two_k_m1, em.b.fmul(two_k, r))
    low = em.fma(two_k, tail, em.b.fadd(err, m1_lo))
    hi = em.b.fadd(head, low)
    return hi, em.b.fsub(low, em.b.fsub(hi, head)), overflows, far


def _expm1(em: _Emitter, x):
    hi, _, overflows, far = _expm1_core(em, x)
    return em.keep_tiny(x, em.b.select(overflows, far, hi), 2.0 ** -54)


def _ratio(em: _Emitter, e_hi, e_lo, c: float):
    """e / (e + c) for e = e_hi + e_lo >= 0, within about half an ulp: the
    denominator is kept exactly as s + ds (TwoSum), q0 = e_hi * (1/s), then one
    residual step q0 + (e - q0*(s + ds)) / s puts back the roundings of e,
    the sum, the reciprocal and the product."""
    b = em.b
    if em.precision == "f32":   # one division is within 2^-52 already
        return b.fdiv(e_hi, b.fadd(e_hi, em.c(c)))
    s, ds = em.two_sum(e_hi, em.c(c))
    ds = b.fadd(ds, e_lo)
    inverse = b.fdiv(em.c(1.0), s)
    q0 = b.fmul(e_hi, inverse)
    residual = b.fsub(b.fadd(em.fma(b.fneg(q0), s, e_hi), e_lo), b.fmul(q0, ds))
    return em.fma(residual, inverse, q0)


def _tanh(em: _Emitter, x):
    """tanh|x| = e / (e + 2), e = expm1(2|x|) carried as hi + lo: no
    cancellation at any |x|; above 22 it rounds to 1 (and e would overflow
    far later, at 354). The sign goes back on last (tanh(-0) = -0,
    tanh(-inf) = -1)."""
    ax = em.fabs(x)
    e_hi, e_lo, _, _ = _expm1_core(em, em.b.fadd(ax, ax))
    t = _ratio(em, e_hi, e_lo, 2.0)
    t = em.b.select(em.cmp(">", ax, em.c(22.0)), em.c(1.0), t)
    return em.copysign(t, x)


def _sinh(em: _Emitter, x):
    """sinh|x| = (e + e/(e + 1)) / 2, e = expm1(|x|) as hi + lo (no
    cancellation near 0); above 22 the e^-x half is below an ulp:
    exp(|x|)/2, scaled so as not to overflow early."""
    ax = em.fabs(x)
    e_hi, e_lo, _, _ = _expm1_core(em, ax)
    near = em.b.fmul(em.c(0.5), em.b.fadd(e_hi, em.b.fadd(e_lo, _ratio(em, e_hi, e_lo, 1.0))))
    far = _exp_scaled(em, ax, -1)
    return em.copysign(em.b.select(em.cmp(">", ax, em.c(22.0)), far, near), x)


def _cosh(em: _Emitter, x):
    """cosh x = h + 1/(4h), h = exp(|x|)/2 (finite up to |x| = 710.47)."""
    h = _exp_scaled(em, em.fabs(x), -1)
    return em.b.fadd(h, em.b.fdiv(em.c(0.25), h))


# ------------------------------------------------------------------ log family
def _log_reduce(em: _Emitter, x):
    """x = 2**e * m, m in [sqrt2/2, sqrt2): returns f = m - 1 (exact) and e as
    double. Subnormals are first scaled by 2**54. Subtracting the bits of
    sqrt2/2 moves the cut so that the exponent field of the difference is e.
    Meaningless for x <= 0, inf, nan: `_log_specials` overrides those lanes."""
    sub = em.cmp("<", x, em.c(SMALLEST_NORMAL))
    x = em.b.select(sub, em.b.fmul(x, em.c(2.0 ** 54)), x)
    ix = em.bits(x)
    e = em.b.ashr(em.b.sub(ix, em.ic(SQRT1_2_BITS)), em.ic(52))
    m = em.float(em.b.sub(ix, em.b.shl(e, em.ic(52))))
    e = em.b.add(e, em.b.select(sub, em.ic(-54), em.ic(0)))
    return em.b.fsub(m, em.c(1.0), "f"), em.to_double(e)


def _log1p_reduced(em: _Emitter, f, lo_extra):
    """log(1 + f) + lo_extra for f in [sqrt2/2 - 1, sqrt2 - 1], as
    f - (f^2/2 - (s*(f^2/2 + R) + lo_extra)), s = f/(2 + f), z = s^2,
    R = z*T(z) (log(1+f) = 2 atanh(s) = 2s + s*R, and 2s = f - s*f). The
    exact f comes first; everything after it is at most a quarter of it."""
    s = em.b.fdiv(f, em.b.fadd(em.c(2.0), f), "s")
    z = em.b.fmul(s, s, "z")
    r = em.b.fmul(z, em.poly(z, "log"))
    hfsq = em.b.fmul(em.b.fmul(em.c(0.5), f), f)
    lo = em.fma(s, em.b.fadd(hfsq, r), lo_extra)
    return em.b.fsub(f, em.b.fsub(hfsq, lo))


def _log_specials(em: _Emitter, x, y):
    """nan, +inf → x; ±0 → -inf; x < 0 → nan."""
    y = em.b.select(em.b.fcmp_unordered("==", x, em.c(float("inf"))), x, y)
    y = em.b.select(em.cmp("==", x, em.c(0.0)), em.c(float("-inf")), y)
    return em.b.select(em.cmp("<", x, em.c(0.0)), em.c(float("nan")), y)


def _log(em: _Emitter, x):
    """log x = e*ln2 + log(1 + f); e*LN2_LO joins the low part, e*LN2_HI is
    added last inside an fma (log(1) = f = 0 → +0 exactly)."""
    f, e = _log_reduce(em, x)
    y = _log1p_reduced(em, f, em.b.fmul(e, em.c(LN2_LO)))
    return _log_specials(em, x, em.fma(e, em.c(LN2_HI), y))


def _log2(em: _Emitter, x):
    """log2 x = e + log(1 + f)/ln2, rounded once by the fma (exact at powers of two)."""
    f, e = _log_reduce(em, x)
    y = _log1p_reduced(em, f, em.c(0.0))
    return _log_specials(em, x, em.fma(y, em.c(INV_LN2), e))


def _log10(em: _Emitter, x):
    """log10 x = e*log10(2) + log(1 + f)/ln10, log10(2) in two parts as ln2 in `_log`."""
    f, e = _log_reduce(em, x)
    y = _log1p_reduced(em, f, em.c(0.0))
    lo = em.fma(y, em.c(INV_LN10), em.b.fmul(e, em.c(LOG10_2_LO)))
    return _log_specials(em, x, em.fma(e, em.c(LOG10_2_HI), lo))


def _log1p(em: _Emitter, x):
    """log(u) for u = 1 + x rounded, plus c = (x - (u - 1))/u, the first-order
    effect of that rounding (log(u + d) ~ log u + d/u)."""
    u = em.b.fadd(em.c(1.0), x)
    c = em.b.fdiv(em.b.fsub(x, em.b.fsub(u, em.c(1.0))), u)
    f, e = _log_reduce(em, u)
    y = _log1p_reduced(em, f, em.fma(e, em.c(LN2_LO), c))
    y = _log_specials(em, u, em.fma(e, em.c(LN2_HI), y))
    return em.keep_tiny(x, y, 2.0 ** -54)


# ------------------------------------------------------------------ sin and cos
def _sincos(em: _Emitter, x, quadrant_shift: int):
    """sin(x + quadrant_shift*pi/2). Reduction x = k*pi/2 + r, |r| <= pi/4,
    Cody–Waite with pi/2 in three doubles and fma: x - k*P1 is exact (a
    multiple of 2^-52 below 2 in magnitude), then each step rounds once
    relative to r itself, so |x| < 2**30 leaves r within ~2^-52 relative even
    at the closest doubles to multiples of pi/2. sin r = r + r^3*S(z) and
    cos r = 1 - z/2 + z^2*C(z) (1 - z/2 split as w + ((1 - w) - z/2), w = 1 - z/2
    rounded) are both evaluated; the quadrant k+shift picks one and its sign."""
    kf, k = em.to_int(em.fma(x, em.c(TWO_OVER_PI), em.c(SHIFT)))
    r = x
    for part in PIO2:
        r = em.fma(kf, em.c(-part), r)
    z = em.b.fmul(r, r, "z")
    sin_r = em.fma(em.b.fmul(r, z), em.poly(z, "sin"), r)
    hz = em.b.fmul(em.c(0.5), z)
    w = em.b.fsub(em.c(1.0), hz)
    tail = em.fma(em.b.fmul(z, z), em.poly(z, "cos"), em.b.fsub(em.b.fsub(em.c(1.0), w), hz))
    cos_r = em.b.fadd(w, tail)
    q = em.b.add(k, em.ic(quadrant_shift)) if quadrant_shift else k
    y = em.b.select(em.b.trunc(q, em.bool), cos_r, sin_r)
    negate = em.b.shl(em.b.and_(q, em.ic(2)), em.ic(62))
    return em.float(em.b.xor(em.bits(y), negate))


def _sin(em: _Emitter, x):
    return em.keep_tiny(x, _sincos(em, x, 0), 2.0 ** -27)


def _cos(em: _Emitter, x):
    return _sincos(em, x, 1)


_KERNELS = {
    "exp": _exp, "exp2": _exp2, "expm1": _expm1,
    "log": _log, "log2": _log2, "log10": _log10, "log1p": _log1p,
    "tanh": _tanh, "sinh": _sinh, "cosh": _cosh,
    "sin": _sin, "cos": _cos,
}
VECTOR_MATH: frozenset[str] = frozenset(_KERNELS)
_LIBM_FALLBACK = frozenset({"sin", "cos"})


# ------------------------------------------------------------------ functions
def vector_math(module: ir.Module, name: str, ty: ir.Type) -> ir.Function:
    """The internal function `mojolite.vm.<name>.<suffix>`: `ty (ty)`, computing
    `name` lane-wise (created in `module` on first use, reused after).

        entry: widen float lanes to double → kernel → round back
               [sin, cos: br any lane huge ? huge : done]
        huge.lanes: call mojolite.vm.<name>.<suffix>.cold (libm per huge lane)
        done:  ret
    """
    if name not in _KERNELS:
        raise InternalError(f"vecmath: no vector {name} (have {', '.join(sorted(VECTOR_MATH))})")
    elem, lanes = _shape(ty)
    symbol = f"mojolite.vm.{name}.{_mangle(ty)}"
    existing = module.globals.get(symbol)
    if existing is not None:
        return existing
    fn = ir.Function(module, ir.FunctionType(ty, [ty]), symbol)
    fn.linkage = "internal"
    fn.attributes.add("nounwind")
    fn.attributes.add("alwaysinline")
    x = fn.args[0]
    x.name = "x"
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    em = _Emitter(b, lanes, "f32" if elem == F32 else "f64")
    y = _KERNELS[name](em, x if elem == F64 else b.fpext(x, em.f))
    if elem == F32:
        y = b.fptrunc(y, ty)
    y.name = name
    if name in _LIBM_FALLBACK:
        y = _huge_lanes_from_libm(b, name, x, y)
    b.ret(y)
    return fn


def _huge_lane_mask(b: ir.IRBuilder, x):
    """HUGE_ARGUMENT < |x| < inf, per lane."""
    ax = b.call(_intrinsic(b.module, "llvm.fabs", x.type, 1), [x])
    big = b.fcmp_ordered(">", ax, ir.Constant(x.type, HUGE_ARGUMENT))
    finite = b.fcmp_ordered("<", ax, ir.Constant(x.type, float("inf")))
    return b.and_(big, finite, "huge")


def _huge_lanes_from_libm(b: ir.IRBuilder, name: str, x, y):
    """y, with the huge lanes recomputed by libm on a cold branch."""
    module, ty = b.module, x.type
    huge = _huge_lane_mask(b, x)
    if isinstance(ty, ir.VectorType):
        reduce_or = _declare(module, f"llvm.vector.reduce.or.{_mangle(huge.type)}",
                             ir.FunctionType(I1, [huge.type]))
        huge = b.call(reduce_or, [huge], "any.huge")
    entry = b.block
    slow = b.append_basic_block("huge.lanes")
    done = b.append_basic_block("done")
    br = b.cbranch(huge, slow, done)
    br.set_weights([1, 1 << 20])
    b.position_at_end(slow)
    fixed = b.call(_cold_lanes(module, name, ty), [x, y])
    b.branch(done)
    b.position_at_end(done)
    result = b.phi(ty, name)
    result.add_incoming(y, entry)
    result.add_incoming(fixed, slow)
    return result


def _cold_lanes(module: ir.Module, name: str, ty: ir.Type) -> ir.Function:
    """`ty (ty x, ty y)`: y with each huge lane i replaced by libm name(x[i]).

        entry → lane ⇄ (call → next) → next → exit
    Example, 4 lanes, x = [1, 1e300, 2, 3]: only lane 1 calls libm.
    """
    symbol = f"mojolite.vm.{name}.{_mangle(ty)}.cold"
    existing = module.globals.get(symbol)
    if existing is not None:
        return existing
    elem, lanes = _shape(ty)
    fn = ir.Function(module, ir.FunctionType(ty, [ty, ty]), symbol)
    fn.linkage = "internal"
    for attr in ("nounwind", "noinline", "cold", "optsize"):
        fn.attributes.add(attr)
    x, y = fn.args
    x.name, y.name = "x", "y"
    libm = _libm(module, name, elem)
    entry = fn.append_basic_block("entry")
    b = ir.IRBuilder(entry)
    if lanes is None:
        b.ret(b.call(libm, [x]))
        return fn
    lane, call, step, exit_ = (fn.append_basic_block(n)
                               for n in ("lane", "call", "next", "exit"))
    b.branch(lane)
    b.position_at_end(lane)
    i = b.phi(I32, "i")
    acc = b.phi(ty, "acc")
    xi = b.extract_element(x, i)
    b.cbranch(_huge_lane_mask(b, xi), call, step)
    b.position_at_end(call)
    with_lane = b.insert_element(acc, b.call(libm, [xi]), i)
    b.branch(step)
    b.position_at_end(step)
    acc_next = b.phi(ty, "acc.next")
    acc_next.add_incoming(acc, lane)
    acc_next.add_incoming(with_lane, call)
    i_next = b.add(i, I32(1), "i.next")
    b.cbranch(b.icmp_unsigned("<", i_next, I32(lanes)), lane, exit_)
    i.add_incoming(I32(0), entry)
    i.add_incoming(i_next, step)
    acc.add_incoming(y, entry)
    acc.add_incoming(acc_next, step)
    b.position_at_end(exit_)
    b.ret(acc_next)
    return fn

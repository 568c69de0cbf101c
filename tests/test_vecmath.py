"""codegen/vecmath.py against NumPy, lane by lane and width by width.

Each function is JIT-compiled (host CPU, O3) inside a driver

    void apply_<name>(ptr in, ptr out, i64 n)   ; n a multiple of the width
      for.cond ⇄ for.body: out[i:i+w] = vector_math(name)(in[i:i+w]); i += w

The oracle is NumPy's long double version of each function (x87 80-bit: 11
more bits than double), so a measured error is the vector code's own. Errors
are in ulps of the exact value y: |got - y| / 2**(exponent(y) - p), p = 52 or
23, floored at the smallest subnormal; a nan or infinite result must match
exactly. Results rounded to ±max that came out ±inf count as 2**emax.
"""
import ctypes
import functools
import re

import llvmlite.binding as llvm
import numpy as np
import pytest
from llvmlite import ir

from mojolite import jit
from mojolite.codegen.vecmath import (HUGE_ARGUMENT, ULP_BOUNDS, VECTOR_MATH,
                                      vector_math)
from mojolite.errors import InternalError
from mojolite.target import libm_name

F32, F64, I64 = ir.FloatType(), ir.DoubleType(), ir.IntType(64)
DTYPES = {"float32": (np.float32, F32), "float64": (np.float64, F64)}
NATIVE_WIDTH = {"float32": 16, "float64": 8}
WIDTHS = [None, 1, 4, 8, 16, 32]          # None: the scalar type itself
ORACLE = {"exp": np.exp, "exp2": np.exp2, "expm1": np.expm1, "log": np.log,
          "log2": np.log2, "log10": np.log10, "log1p": np.log1p, "tanh": np.tanh,
          "sinh": np.sinh, "cosh": np.cosh, "sin": np.sin, "cos": np.cos}
EXTENDED = np.finfo(np.longdouble).nmant >= 63
needs_extended = pytest.mark.skipif(not EXTENDED, reason="long double is not x87 extended")


# ------------------------------------------------------------------ driver
def _driver_module(elem: ir.Type, lanes: int | None) -> ir.Module:
    module = ir.Module("vecmath_test")
    ty = elem if lanes is None else ir.VectorType(elem, lanes)
    align = 4 if elem == F32 else 8
    for name in sorted(VECTOR_MATH):
        fn = vector_math(module, name, ty)
        apply = ir.Function(module, ir.FunctionType(ir.VoidType(),
                                                    [ir.PointerType(), ir.PointerType(), I64]),
                            f"apply_{name}")
        src, dst, n = apply.args
        entry, cond, body, end = (apply.append_basic_block(b)
                                  for b in ("entry", "for.cond", "for.body", "for.end"))
        b = ir.IRBuilder(entry)
        b.branch(cond)
        b.position_at_end(cond)
        i = b.phi(I64, "i")
        b.cbranch(b.icmp_signed("<", i, n), body, end)
        b.position_at_end(body)
        x = b.load(b.gep(src, [i], source_etype=elem), typ=ty, align=align)
        b.store(b.call(fn, [x]), b.gep(dst, [i], source_etype=elem), align=align)
        i_next = b.add(i, I64(lanes or 1))
        b.branch(cond)
        i.add_incoming(I64(0), entry)
        i.add_incoming(i_next, body)
        b.position_at_end(end)
        b.ret_void()
    return module


_APPLY = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64)


class _Compiled:
    """One JIT-compiled driver module per (dtype, width); keeps its engine alive."""

    def __init__(self, dtype: str, lanes: int | None):
        self.np_type, elem = DTYPES[dtype]
        self.width = lanes or 1
        jit._initialise()
        mod = llvm.parse_assembly(str(_driver_module(elem, lanes)))
        mod.verify()
        tm = jit.target_machine()
        mod.triple = llvm.get_process_triple()
        mod.data_layout = str(tm.target_data)
        pb = llvm.create_pass_builder(tm, llvm.create_pipeline_tuning_options(speed_level=3))
        pb.getModulePassManager().run(mod, pb)
        self.optimised_ir = str(mod)
        self.engine = llvm.create_mcjit_compiler(mod, tm)
        self.engine.finalize_object()
        self.fns = {name: _APPLY(self.engine.get_function_address(f"apply_{name}"))
                    for name in VECTOR_MATH}

    def __call__(self, name: str, x: np.ndarray) -> np.ndarray:
        x = np.ascontiguousarray(x, dtype=self.np_type)
        padded = np.concatenate([x, np.ones((-len(x)) % self.width, self.np_type)])
        out = np.empty_like(padded)
        self.fns[name](padded.ctypes.data, out.ctypes.data, len(padded))
        return out[:len(x)]


@functools.cache
def compiled(dtype: str, lanes: int | None) -> _Compiled:
    return _Compiled(dtype, lanes)


def run(name: str, x: np.ndarray, dtype: str, lanes: int | str | None = None) -> np.ndarray:
    """`name` over x, compiled for `lanes` (None: the scalar type; "native": 8 or 16)."""
    return compiled(dtype, NATIVE_WIDTH[dtype] if lanes == "native" else lanes)(name, x)


# ------------------------------------------------------------------ error measure
def ulp_errors(name: str, x: np.ndarray, got: np.ndarray) -> np.ndarray:
    """Error of each result in ulps of the exact value (see the module docstring)."""
    np_type = got.dtype.type
    info = np.finfo(np_type)
    ld = np.longdouble
    with np.errstate(all="ignore"):
        exact = ORACLE[name](x.astype(ld))
        rounded = exact.astype(np_type)
        exponent = np.frexp(exact)[1]
        ulp = np.maximum(np.ldexp(ld(1), exponent - info.nmant - 1), ld(info.smallest_subnormal))
        g = got.astype(ld)
        # An overflow to inf where the exact value rounds to ±max: compare with 2**emax.
        g = np.where(np.isinf(got) & np.isfinite(rounded),
                     np.copysign(np.ldexp(ld(1), info.maxexp), g), g)
        err = (np.abs(g - exact) / ulp).astype(np.float64)
    special = np.isnan(rounded) | np.isinf(rounded)
    same = (np.isnan(rounded) & np.isnan(got)) | (rounded == got)
    err[special] = np.where(same[special], 0.0, np.inf)
    err[~special & ~np.isfinite(got)] = np.inf
    return err


def max_error(name, x, got):
    err = ulp_errors(name, x, got)
    i = int(np.argmax(err))
    return err[i], x[i], got[i]


# ------------------------------------------------------------------ inputs
def _log_uniform(rng, lo, hi, n):
    return np.exp(rng.uniform(np.log(lo), np.log(hi), n))


def inputs(name: str, dtype: str, n: int, seed: int = 0) -> np.ndarray:
    """n points spread over the interesting range of `name` in `dtype`: uniform
    over the whole domain plus log-uniform magnitudes down to the subnormals."""
    rng = np.random.default_rng(seed)
    f64 = dtype == "float64"
    tiny, huge = (5e-324, 1.7e308) if f64 else (1.5e-45, 3.4e38)
    q = n // 4
    both = lambda v: np.concatenate([v, -v])  # noqa: E731
    if name in ("exp", "expm1", "sinh", "cosh"):
        # exp: [-750, 710] covers the subnormal results and overflow in double.
        lo, hi = {"exp": (-750, 720), "expm1": (-50, 720), "sinh": (-720, 720),
                  "cosh": (-720, 720)}[name] if f64 else (-110, 95)
        parts = [rng.uniform(lo, hi, 2 * q), both(_log_uniform(rng, tiny, 40, q // 2))]
        if name == "exp":
            parts.append(rng.uniform(-746, -700, q) if f64 else rng.uniform(-104, -85, q))
    elif name == "exp2":
        lo, hi = (-1080, 1030) if f64 else (-155, 130)
        parts = [rng.uniform(lo, hi, 2 * q), both(_log_uniform(rng, tiny, 1, q // 2)),
                 rng.uniform(-1075, -1020, q) if f64 else rng.uniform(-150, -125, q)]
    elif name == "log1p":
        parts = [_log_uniform(rng, tiny, huge, q), -_log_uniform(rng, tiny, 1, q),
                 rng.uniform(-1, 1, 2 * q)]
    elif name.startswith("log"):
        parts = [_log_uniform(rng, tiny, huge, 2 * q), rng.uniform(0.5, 2, 2 * q)]
    elif name == "tanh":
        parts = [rng.uniform(-30, 30, 2 * q), both(_log_uniform(rng, tiny, 30, q))]
    else:  # sin, cos: |x| < 1e5 uniform, then every magnitude up to HUGE_ARGUMENT
        parts = [rng.uniform(-1e5, 1e5, q), rng.uniform(-10, 10, q),
                 both(_log_uniform(rng, tiny, HUGE_ARGUMENT, q))]
    return np.concatenate(parts).astype(DTYPES[dtype][0])


def near_multiples_of_pi_over_2(n: int, limit: float, dtype: str, seed: int = 0):
    """The floats nearest k*pi/2 for random k: the hardest inputs for the
    reduction (r is as small as the float spacing allows)."""
    pio2 = np.longdouble("1.57079632679489661923132169163975144")
    k = np.random.default_rng(seed).integers(1, int(limit / 1.5707963267948966), n)
    x = (k.astype(np.longdouble) * pio2).astype(DTYPES[dtype][0])
    return np.concatenate([x, -x])


CASES = [(name, dtype) for name in sorted(VECTOR_MATH) for dtype in DTYPES]


# ------------------------------------------------------------------ accuracy
@needs_extended
@pytest.mark.parametrize("name, dtype", CASES)
def test_accuracy_within_documented_bound(name, dtype):
    x = inputs(name, dtype, 1 << 17)
    err, at, got = max_error(name, x, run(name, x, dtype, "native"))
    assert err <= ULP_BOUNDS[name, dtype], f"{name}({at!r}) = {got!r}: {err:.3f} ulp"


@needs_extended
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["sin", "cos"])
def test_sincos_reduction_near_multiples_of_pi_over_2(name, dtype):
    x = near_multiples_of_pi_over_2(1 << 15, HUGE_ARGUMENT, dtype)
    err, at, got = max_error(name, x, run(name, x, dtype, "native"))
    assert err <= ULP_BOUNDS[name, dtype], f"{name}({at!r}) = {got!r}: {err:.3f} ulp"


def test_bounds_cover_every_function_and_stay_within_4_ulp():
    assert set(ULP_BOUNDS) == {(n, d) for n, d in CASES}
    assert {"exp", "log", "tanh", "sin", "cos"} <= VECTOR_MATH
    assert max(ULP_BOUNDS.values()) <= 4.0


# ------------------------------------------------------------------ special values
INF, NAN = float("inf"), float("nan")
SPECIAL = [  # (name, x, expected result); the sign of a zero counts
    ("exp", INF, INF), ("exp", -INF, 0.0), ("exp", NAN, NAN), ("exp", 0.0, 1.0),
    ("exp", -0.0, 1.0), ("exp", 1000.0, INF), ("exp", -1000.0, 0.0),
    ("exp2", 10.0, 1024.0), ("exp2", -3.0, 0.125), ("exp2", INF, INF), ("exp2", -INF, 0.0),
    ("exp2", 2000.0, INF), ("exp2", -2000.0, 0.0), ("exp2", NAN, NAN),
    ("expm1", 0.0, 0.0), ("expm1", -0.0, -0.0), ("expm1", INF, INF), ("expm1", -INF, -1.0),
    ("expm1", 1000.0, INF), ("expm1", -1000.0, -1.0), ("expm1", NAN, NAN),
    ("log", 1.0, 0.0), ("log", 0.0, -INF), ("log", -0.0, -INF), ("log", -1.0, NAN),
    ("log", -INF, NAN), ("log", INF, INF), ("log", NAN, NAN),
    ("log2", 1.0, 0.0), ("log2", 1024.0, 10.0), ("log2", 0.5, -1.0), ("log2", 0.0, -INF),
    ("log2", -2.0, NAN), ("log2", INF, INF),
    ("log10", 1.0, 0.0), ("log10", 0.0, -INF), ("log10", -1.0, NAN), ("log10", INF, INF),
    ("log1p", 0.0, 0.0), ("log1p", -0.0, -0.0), ("log1p", -1.0, -INF), ("log1p", -2.0, NAN),
    ("log1p", INF, INF), ("log1p", NAN, NAN),
    ("tanh", 0.0, 0.0), ("tanh", -0.0, -0.0), ("tanh", INF, 1.0), ("tanh", -INF, -1.0),
    ("tanh", 50.0, 1.0), ("tanh", -50.0, -1.0), ("tanh", 1e-30, 1e-30), ("tanh", NAN, NAN),
    ("sinh", -0.0, -0.0), ("sinh", INF, INF), ("sinh", -INF, -INF), ("sinh", 1e4, INF),
    ("sinh", -1e4, -INF), ("sinh", NAN, NAN),
    ("cosh", 0.0, 1.0), ("cosh", -0.0, 1.0), ("cosh", INF, INF), ("cosh", -INF, INF),
    ("cosh", -1e4, INF), ("cosh", NAN, NAN),
    ("sin", 0.0, 0.0), ("sin", -0.0, -0.0), ("sin", INF, NAN), ("sin", -INF, NAN),
    ("sin", NAN, NAN), ("sin", 1e-30, 1e-30), ("sin", -1e-30, -1e-30),
    ("cos", 0.0, 1.0), ("cos", -0.0, 1.0), ("cos", INF, NAN), ("cos", -INF, NAN),
    ("cos", NAN, NAN), ("cos", 1e-30, 1.0),
]


def _same(got, want) -> bool:
    if np.isnan(want):
        return bool(np.isnan(got))
    return got == want and np.signbit(got) == np.signbit(want)


@pytest.mark.parametrize("lanes", [None, 8])
@pytest.mark.parametrize("dtype", DTYPES)
def test_special_values(dtype, lanes):
    np_type = DTYPES[dtype][0]
    failures = []
    for name, x, want in SPECIAL:
        got = run(name, np.full(8, x, np_type), dtype, lanes)[3]
        if not _same(got, np_type(want)):
            failures.append(f"{name}({x!r}) = {got!r}, want {want!r}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("dtype", DTYPES)
def test_exp_underflows_gradually_and_log_normalises_subnormals(dtype):
    np_type = DTYPES[dtype][0]
    info = np.finfo(np_type)
    smallest = info.smallest_subnormal
    # exp at log(k * smallest subnormal) must land on k * smallest subnormal.
    k = np.arange(1, 200, dtype=np.longdouble)
    x = np.log(k * np.longdouble(smallest)).astype(np_type)
    want = np.exp(x.astype(np.longdouble)).astype(np_type)
    got = run("exp", x, dtype, "native")
    assert np.all(np.abs(got.astype(np.float64) - want) <= smallest), (x, got, want)
    assert np.all(got > 0)
    # log of every power of two through the subnormals is exact: k * log(2).
    e = np.arange(info.minexp - info.nmant, 4)
    x = np.ldexp(np_type(1), e).astype(np_type)
    want = (e * np.log(np.longdouble(2))).astype(np_type)
    assert np.array_equal(run("log", x, dtype, "native"), want)
    assert np.array_equal(run("log2", x, dtype, "native"), e.astype(np_type))


@pytest.mark.parametrize("dtype", DTYPES)
def test_exact_cases(dtype):
    np_type = DTYPES[dtype][0]
    k = np.arange(-140, 120).astype(np_type)
    assert np.array_equal(run("exp2", k, dtype, "native"), np.ldexp(np_type(1), k.astype(int)))
    ones = np.ones(16, np_type)
    assert np.array_equal(run("log", ones, dtype, "native"), np.zeros(16, np_type))
    assert not np.any(np.signbit(run("log", ones, dtype, "native")))


# ------------------------------------------------------------------ widths and lanes
def _interesting(name, dtype):
    """A small mix: random inputs, specials and huge values, shuffled so every
    vector holds a few of each."""
    np_type = DTYPES[dtype][0]
    specials = np.array([0.0, -0.0, INF, -INF, NAN, 1.0, -1.0, 1e-40, -1e-300, 1e10, -1e30,
                         3.4e38, 1e300, HUGE_ARGUMENT * 1.5, -HUGE_ARGUMENT * 3], np.float64)
    with np.errstate(over="ignore"):
        x = np.concatenate([inputs(name, dtype, 4000, seed=7), specials.astype(np_type)])
    return np.random.default_rng(3).permutation(x).astype(np_type)


@pytest.mark.parametrize("name, dtype", CASES)
def test_every_width_gives_the_same_bits(name, dtype):
    """Lanes are independent: scalar, <1 x T> ... <32 x T> agree bit for bit,
    with nans, infinities and libm fallback lanes mixed into the vectors."""
    x = _interesting(name, dtype)
    reference = run(name, x, dtype, None)
    for lanes in WIDTHS[1:]:
        got = run(name, x, dtype, lanes)
        differ = ~((got == reference) & (np.signbit(got) == np.signbit(reference))
                   | (np.isnan(got) & np.isnan(reference)))
        assert not differ.any(), (lanes, x[differ][:5], got[differ][:5], reference[differ][:5])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["sin", "cos"])
def test_huge_arguments_take_libm_lane_by_lane(name, dtype):
    """Finite |x| > HUGE_ARGUMENT: exactly the C library's sin/sinf, lane by
    lane; the ordinary lanes beside them are untouched (the width test)."""
    np_type, elem = DTYPES[dtype]
    ctype = ctypes.c_float if elem == F32 else ctypes.c_double
    cfn = getattr(ctypes.CDLL(libm_name()), name + ("f" if elem == F32 else ""))
    cfn.restype, cfn.argtypes = ctype, [ctype]
    huge = [1e10, -3.3e9, 1e22, 1e38, -2.5e37, HUGE_ARGUMENT * 1.0001, -HUGE_ARGUMENT * 2]
    if dtype == "float64":
        huge += [1e300, -1.7e308, 6381956970095103.0 * 2.0 ** 797]
    x = np.array(huge, np_type)
    want = np.array([cfn(v) for v in x], np_type)
    mixed = np.concatenate([x, np.linspace(-5, 5, 10).astype(np_type)])
    for lanes in (None, 4, NATIVE_WIDTH[dtype]):
        got = run(name, mixed, dtype, lanes)[:len(x)]
        assert np.array_equal(got, want), (lanes, x, got, want)


# ------------------------------------------------------------------ IR shape
def _body(ir_text: str, symbol: str) -> str:
    """The text of the definition of `symbol`."""
    start = re.search(rf'^define .*@"{re.escape(symbol)}"\(', ir_text, re.M).start()
    return ir_text[start:ir_text.index("\n}", start)]


def test_vector_exp_has_no_libm_call():
    module = ir.Module("t")
    v8 = ir.VectorType(F64, 8)
    fn = vector_math(module, "exp", v8)
    assert fn.name == "mojolite.vm.exp.v8f64" and fn.linkage == "internal"
    assert str(fn.function_type) == "<8 x double> (<8 x double>)"
    body = _body(str(module), fn.name)
    calls = [line for line in body.splitlines() if "call " in line]
    assert calls and all('@"llvm.' in line for line in calls), calls
    assert "llvm.fma.v8f64" in body
    optimised = compiled("float64", 8).optimised_ir
    for libm in ("@exp(", "@exp.", "@expm1(", "@exp2(", "@log(", "@tanh(", "@sinh(", "@cosh("):
        assert libm not in optimised


def test_sin_calls_libm_only_on_the_cold_path():
    module = ir.Module("t")
    fn = vector_math(module, "sin", ir.VectorType(F64, 8))
    text = str(module)
    main = _body(text, fn.name)
    assert "@sin(" not in main and "@sinf(" not in main
    # in order: any lane huge? → the cold helper → merge
    check = ['call i1 @"llvm.vector.reduce.or.v8i1"', 'br i1 %"any.huge"', "huge.lanes:",
             'call <8 x double> @"mojolite.vm.sin.v8f64.cold"', "done:", "phi  <8 x double>"]
    at = 0
    for needle in check:
        at = main.index(needle, at)
    assert 'call double @"sin"(' in _body(text, "mojolite.vm.sin.v8f64.cold")
    assert 'declare double @"sin"(double %".1") nobuiltin nounwind readnone' in text


def test_functions_are_created_once_and_named_by_type():
    module = ir.Module("t")
    v16f32 = ir.VectorType(F32, 16)
    first = vector_math(module, "tanh", v16f32)
    assert vector_math(module, "tanh", v16f32) is first
    names = {vector_math(module, "log", t).name
             for t in (F32, F64, ir.VectorType(F64, 1), v16f32, ir.VectorType(F64, 64))}
    assert names == {"mojolite.vm.log.f32", "mojolite.vm.log.f64", "mojolite.vm.log.v1f64",
                     "mojolite.vm.log.v16f32", "mojolite.vm.log.v64f64"}
    llvm.parse_assembly(str(module)).verify()


@pytest.mark.parametrize("name, ty", [
    ("atan", F64), ("exp", ir.IntType(32)), ("exp", ir.VectorType(F64, 3)),
    ("exp", ir.VectorType(F64, 128)), ("exp", ir.VectorType(ir.IntType(64), 4)),
])
def test_rejects_what_it_cannot_build(name, ty):
    with pytest.raises(InternalError, match="vecmath"):
        vector_math(ir.Module("t"), name, ty)


# ------------------------------------------------------------------ slow: more points
@pytest.mark.slow
@needs_extended
@pytest.mark.parametrize("name, dtype", CASES)
def test_accuracy_many_points(name, dtype):
    for seed in range(1, 9):
        x = inputs(name, dtype, 1 << 21, seed=seed)
        err, at, got = max_error(name, x, run(name, x, dtype, "native"))
        assert err <= ULP_BOUNDS[name, dtype], f"{name}({at!r}) = {got!r}: {err:.3f} ulp"


@pytest.mark.slow
@needs_extended
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["sin", "cos"])
def test_sincos_reduction_many_multiples(name, dtype):
    for seed in range(1, 5):
        x = near_multiples_of_pi_over_2(1 << 21, HUGE_ARGUMENT, dtype, seed)
        err, at, got = max_error(name, x, run(name, x, dtype, "native"))
        assert err <= ULP_BOUNDS[name, dtype], f"{name}({at!r}) = {got!r}: {err:.3f} ulp"


# ------------------------------------------------------------------ slow: coefficients
def _remez(f, a, b, degree, mp):
    """Minimax polynomial (absolute error) of `degree` for f on [a, b]:
    Remez exchange on a dense Chebyshev grid. Returns coefficients, lowest first."""
    a, b = mp.mpf(a), mp.mpf(b)
    n = degree
    ref = [(a + b) / 2 - (b - a) / 2 * mp.cos(mp.pi * i / (n + 1)) for i in range(n + 2)]
    grid = [a + (b - a) * (1 - mp.cos(mp.pi * i / 3000)) / 2 for i in range(3001)]
    fg = [f(x) for x in grid]
    for _ in range(30):
        m = mp.matrix([[x ** j for j in range(n + 1)] + [(-1) ** i] for i, x in enumerate(ref)])
        sol = mp.lu_solve(m, mp.matrix([f(x) for x in ref]))
        coeffs, level = [sol[j] for j in range(n + 1)], abs(sol[n + 1])
        err = [fx - mp.polyval(coeffs[::-1], x) for x, fx in zip(grid, fg)]
        runs, current = [], [0]           # the largest |err| in each run of one sign
        for i in range(1, len(grid)):
            if mp.sign(err[i]) == mp.sign(err[current[0]]):
                current.append(i)
            else:
                runs.append(current)
                current = [i]
        runs.append(current)
        extrema = [max(r, key=lambda i: abs(err[i])) for r in runs]
        while len(extrema) > n + 2:
            extrema.pop(0 if abs(err[extrema[0]]) < abs(err[extrema[-1]]) else -1)
        ref = [grid[i] for i in extrema]
        if max(abs(e) for e in err) <= level * (1 + mp.mpf("1e-6")):
            break
    return coeffs


@pytest.mark.slow
def test_coefficients_reproduce():
    """Refit every polynomial in `_COEFFS` from its series (mpmath, 60 digits)."""
    mp = pytest.importorskip("mpmath").mp
    from mojolite.codegen.vecmath import _COEFFS, FITS
    mp.dps = 60
    series = {
        "Q": lambda r: mp.fsum(r ** k / mp.factorial(k + 3) for k in range(40)),
        "T": lambda z: mp.fsum(2 * z ** (n - 1) / (2 * n + 1) for n in range(1, 60)),
        "S": lambda z: mp.fsum((-1) ** n * z ** (n - 1) / mp.factorial(2 * n + 1)
                               for n in range(1, 30)),
        "C": lambda z: mp.fsum((-1) ** n * z ** (n - 2) / mp.factorial(2 * n)
                               for n in range(2, 30)),
    }
    for key, (fname, a, b, degree) in FITS.items():
        fitted = [float(c) for c in _remez(series[fname], a, b, degree, mp)]
        assert np.allclose(fitted, _COEFFS[key], rtol=1e-9, atol=0), key

"""Lowering of the `random` and `time` modules.

In: `typed.Builtin` nodes named `random.*` / `time.*`, handed over by
`lower._FunctionLowering` (`fx`) with their operands lowered. Out: calls to
internal helper functions emitted once per module; `RULES` has exactly the
keys of `stdlib.BUILTINS`, whose docstring defines every draw (this file
computes the same IEEE operations in the same order, so both modes give the
same numbers bit for bit).

The generator's state is not in the module: it is the external global
`mojolite_rng_state` (`[4 x i64]`), which `runtime.register` binds to the
reference mode's state, so one `seed` serves both modes and every module.

    mojolite.rng.next:      s0..s3 = state; result = rotl(s1 * 5, 7) * 9;
                            xoshiro256** update; store state
    mojolite.rng.uniform:   (next >> 11) * 2^-53
    mojolite.rng.between.s / .u:  lo + mulhi(next, hi - lo + 1)
    mojolite.rng.normal:    Box-Muller (libm log, cos; llvm.sqrt)
    mojolite.rng.rand.<dt>, .randn.<dt>:   for i in [0, n): p[i] = draw
"""
from __future__ import annotations

from llvmlite import ir

from .. import stdlib as S
from ..typesys import DType, SIMD
from .irtypes import F32, F64, I32, I64, PTR, mem_type
from .memory import counted_loop, helper_function

STATE_TYPE = ir.ArrayType(I64, 4)
I128 = ir.IntType(128)
_GOLDEN, _MIX1, _MIX2 = 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
CLOCK_REALTIME, CLOCK_MONOTONIC = 0, 1


def _u64(v: int) -> ir.Constant:
    """An i64 constant from an unsigned 64-bit value."""
    return I64(v - (1 << 64) if v >> 63 else v)


def _state(fx) -> ir.GlobalVariable:
    g = fx.ml.module.globals.get(S.STATE_SYMBOL)
    if g is None:
        g = ir.GlobalVariable(fx.ml.module, STATE_TYPE, S.STATE_SYMBOL)   # external
        g.align = 8
    return g


def _words(b, state):
    return [b.gep(state, [I32(0), I32(k)], inbounds=True) for k in range(4)]


def _rotl(fx, b, x, k: int):
    fshl = fx.ml.intrinsic("llvm.fshl", I64, [I64, I64, I64], [I64])
    return b.call(fshl, [x, x, I64(k)])


def _next(fx) -> ir.Function:
    def build(fn, b):
        slots = _words(b, _state(fx))
        s0, s1, s2, s3 = (b.load(p, f"s{k}", typ=I64) for k, p in enumerate(slots))
        result = b.mul(_rotl(fx, b, b.mul(s1, I64(5)), 7), I64(9), "result")
        t = b.shl(s1, I64(17))
        s2 = b.xor(s2, s0)
        s3 = b.xor(s3, s1)
        s1 = b.xor(s1, s2)
        s0 = b.xor(s0, s3)
        s2 = b.xor(s2, t)
        s3 = _rotl(fx, b, s3, 45)
        for p, v in zip(slots, (s0, s1, s2, s3)):
            b.store(v, p)
        b.ret(result)
    return helper_function(fx, "mojolite.rng.next", I64, [], build)


def _uniform(fx) -> ir.Function:
    def build(fn, b):
        x = b.call(_next(fx), [])
        b.ret(b.fmul(b.uitofp(b.lshr(x, I64(11)), F64), F64(1.0 / (1 << 53)), "u"))
    return helper_function(fx, "mojolite.rng.uniform", F64, [], build)


def _float64(fx) -> ir.Function:
    def build(fn, b):
        lo, hi = fn.args
        lo.name, hi.name = "lo", "hi"
        u = b.call(_uniform(fx), [])
        b.ret(b.fadd(lo, b.fmul(b.fsub(hi, lo), u)))
    return helper_function(fx, "mojolite.rng.float64", F64, [F64, F64], build)


def _between(fx, signed: bool) -> ir.Function:
    """lo + mulhi(x, hi - lo + 1), x itself for the full range, lo if hi < lo."""
    def build(fn, b):
        lo, hi = fn.args
        lo.name, hi.name = "lo", "hi"
        x = b.call(_next(fx), [])
        span = b.sub(hi, lo, "span")
        wide = b.mul(b.zext(x, I128), b.zext(b.add(span, I64(1)), I128))
        high = b.trunc(b.lshr(wide, I128(64)), I64)
        offset = b.select(b.icmp_signed("==", span, I64(-1)), x, high)
        ordered = (b.icmp_signed if signed else b.icmp_unsigned)("<=", lo, hi)
        b.ret(b.add(lo, b.select(ordered, offset, I64(0))))
    return helper_function(fx, f"mojolite.rng.between.{'s' if signed else 'u'}", I64, [I64, I64],
                     build)


def _normal(fx) -> ir.Function:
    def build(fn, b):
        mean, sd = fn.args
        mean.name, sd.name = "mean", "sd"
        u1 = b.fsub(F64(1.0), b.call(_uniform(fx), []), "u1")
        u2 = b.call(_uniform(fx), [], "u2")
        sqrt = fx.ml.intrinsic("llvm.sqrt", F64, [F64], [F64])
        radius = b.call(sqrt, [b.fmul(F64(-2.0), b.call(fx.ml.libm("log", F64, 1), [u1]))])
        angle = b.call(fx.ml.libm("cos", F64, 1), [b.fmul(F64(S.TWO_PI), u2)])
        b.ret(b.fadd(mean, b.fmul(sd, b.fmul(radius, angle))))
    return helper_function(fx, "mojolite.rng.normal", F64, [F64, F64], build)


def _seed(fx) -> ir.Function:
    """splitmix64 from s, four outputs into the state."""
    def build(fn, b):
        (x,) = fn.args
        x.name = "seed"
        for p in _words(b, _state(fx)):
            x = b.add(x, _u64(_GOLDEN))
            z = b.mul(b.xor(x, b.lshr(x, I64(30))), _u64(_MIX1))
            z = b.mul(b.xor(z, b.lshr(z, I64(27))), _u64(_MIX2))
            b.store(b.xor(z, b.lshr(z, I64(31))), p)
        b.ret_void()
    return helper_function(fx, "mojolite.rng.seed", ir.VoidType(), [I64], build)


def _clock_ns(fx, clock: int) -> ir.Function:
    """clock_gettime(clock) in nanoseconds (struct timespec {i64 sec, i64 nsec})."""
    def build(fn, b):
        gettime = fx.ml._get_or_declare("clock_gettime", ir.FunctionType(I32, [I32, PTR]),
                                        ("nounwind",))
        ts_type = ir.LiteralStructType([I64, I64])
        ts = b.alloca(ts_type, name="ts")
        b.call(gettime, [I32(clock), ts])
        sec = b.load(b.gep(ts, [I32(0), I32(0)], source_etype=ts_type), typ=I64)
        nsec = b.load(b.gep(ts, [I32(0), I32(1)], source_etype=ts_type), typ=I64)
        b.ret(b.add(b.mul(sec, I64(1_000_000_000)), nsec))
    return helper_function(fx, f"mojolite.time.clock{clock}", I64, [], build, inline=False)


def _fill(fx, kind: str, dt: DType) -> ir.Function:
    """for i in [0, n): p[i] = one draw (`kind` "rand" or "randn")."""
    elem = mem_type(SIMD(dt, 1))

    def build(fn, b):
        p, n, x, y = fn.args
        p.name, n.name, x.name, y.name = "p", "n", "a", "b"
        p.add_attribute("noalias")   # user memory is never the state: it stays in registers
        lo = hi = None
        if kind == "rand" and not dt.is_float:
            lo, hi = _integer_bounds(fx, b, x, y, dt)
        with counted_loop(b, I64(0), n, "fill") as i:
            if kind == "randn":
                v = b.call(_normal(fx), [x, y])
            elif dt.is_float:
                v = b.call(_float64(fx), [x, y])
            else:
                v = b.call(_between(fx, dt.is_signed), [lo, hi])
            if elem == F32:
                v = b.fptrunc(v, F32)
            elif elem != F64 and elem != I64:
                v = b.trunc(v, elem)
            b.store(v, b.gep(p, [i], source_etype=elem))
        b.ret_void()
    return helper_function(fx, f"mojolite.rng.{kind}.{dt.value}", ir.VoidType(), [PTR, I64, F64, F64],
                     build, inline=False)


def _integer_bounds(fx, b, x, y, dt: DType):
    """ceil(min), floor(max) converted with saturation, clamped to dt's range."""
    signed = dt.is_signed
    conv = "llvm.fptosi.sat" if signed else "llvm.fptoui.sat"
    sat = fx.ml.intrinsic(conv, I64, [F64], [I64, F64])
    ceil = fx.ml.intrinsic("llvm.ceil", F64, [F64], [F64])
    floor = fx.ml.intrinsic("llvm.floor", F64, [F64], [F64])
    dlo, dhi = (0, 1) if dt is DType.bool else dt.int_range
    mx = fx.ml.intrinsic("llvm.smax" if signed else "llvm.umax", I64, [I64, I64], [I64])
    mn = fx.ml.intrinsic("llvm.smin" if signed else "llvm.umin", I64, [I64, I64], [I64])
    out = []
    for v, rnd in ((x, ceil), (y, floor)):
        k = b.call(sat, [b.call(rnd, [v])])
        out.append(b.call(mn, [b.call(mx, [k, _u64(dlo & S.MASK)]), _u64(dhi)]))
    return out


# ------------------------------------------------------------------ rules
def _rand_rule(kind):
    def rule(fx, e, p, n, x, y):
        dt = e.args[0].type.pointee.dtype
        fx.builder.call(_fill(fx, kind, dt), [p, n, x, y])
    return rule


def _time_seed(fx, e):
    b = fx.builder
    b.call(_seed(fx), [b.call(_clock_ns(fx, CLOCK_REALTIME), [])])


RULES = {
    "random.seed": lambda fx, e, s: fx.builder.call(_seed(fx), [s]),
    "random.seed_time": _time_seed,
    "random.float64": lambda fx, e, lo, hi: fx.builder.call(_float64(fx), [lo, hi]),
    "random.si64": lambda fx, e, lo, hi: fx.builder.call(_between(fx, True), [lo, hi]),
    "random.ui64": lambda fx, e, lo, hi: fx.builder.call(_between(fx, False), [lo, hi]),
    "random.randn_float64": lambda fx, e, m, sd: fx.builder.call(_normal(fx), [m, sd]),
    "random.rand": _rand_rule("rand"),
    "random.randn": _rand_rule("randn"),
    "time.now": lambda fx, e: fx.builder.call(_clock_ns(fx, CLOCK_MONOTONIC), []),
    "time.perf_counter_ns": lambda fx, e: fx.builder.call(_clock_ns(fx, CLOCK_MONOTONIC), []),
}

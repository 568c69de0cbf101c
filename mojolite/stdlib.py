"""The `random` and `time` modules: their meaning, as the reference mode runs them.

In: the operands of a `typed.Builtin` named `random.*` or `time.*` (Python
values; pointers are `memory.RefPointer`s). Out: `BUILTINS`, one Python
function per operation (the LLVM lowering, `codegen/stdlib.py`, has one rule
per key; a test checks the key sets match), and the generator itself.

The generator. One process-wide state, as in Mojo (its `random` functions share
one global state; calls from parallel bodies race on it, as they do there):
four 64-bit words that the reference mode and JIT-compiled code both read and
write in place (`STATE`, whose address the JIT resolves as the symbol
`mojolite_rng_state`), so `seed(42)` in either mode sets the sequence the
other continues. The algorithm is xoshiro256** (Blackman and Vigna); a seed
`s` fills the state with four successive outputs of splitmix64 started at `s`.
At process start the state is `seed(0)`'s, so an unseeded program draws the
same numbers on every run; `seed()` without an argument seeds from the clock.
The numbers differ from NumPy's and from Mojo's (other algorithms): only
this project's two modes are guaranteed to agree, bit for bit.

Derived draws (each consumes whole 64-bit outputs, in this order):
- `random_float64(min, max)`: one output x; u = (x >> 11) * 2**-53 in [0, 1);
  min + (max - min) * u.
- `random_si64(min, max)`, `random_ui64(min, max)`: one output x; the offset is
  the high 64 bits of x * (max - min + 1) (x itself when the range is all 2**64
  values); min when max < min. The bias is below (max - min + 1) / 2**64.
- `randn_float64(mean, sd)`: two outputs u1 (as 1 - u, in (0, 1]) and u2;
  Box-Muller's cosine branch, mean + sd * sqrt(-2 log u1) * cos(2 pi u2)
  (libm's log and cos: the JIT calls the same C library Python's math does).
- `rand(ptr, n, min, max)`: for float elements, random_float64(min, max)
  rounded to the element type; for integer elements, random_si64 (signed) or
  random_ui64 (unsigned, Bool) between ceil(min) and floor(max), each
  converted with saturation and clamped to the element type's range.
- `randn(ptr, n, mean, sd)`: randn_float64(mean, sd) per element, rounded.

`time.now()` and `time.perf_counter_ns()` are the monotonic clock
(CLOCK_MONOTONIC, what Python's `time.perf_counter_ns` reads) in nanoseconds.
"""
from __future__ import annotations

import ctypes
import math
import time

from .typesys import DType

MASK = (1 << 64) - 1
DEFAULT_SEED = 0
TWO_PI = 2.0 * math.pi
STATE_SYMBOL = "mojolite_rng_state"


def splitmix64(x: int) -> tuple[int, int]:
    """(next x, output): one step of splitmix64."""
    x = (x + 0x9E3779B97F4A7C15) & MASK
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return x, z ^ (z >> 31)


def seeded_state(s: int) -> list[int]:
    x, words = s & MASK, []
    for _ in range(4):
        x, out = splitmix64(x)
        words.append(out)
    return words


STATE = (ctypes.c_uint64 * 4)(*seeded_state(DEFAULT_SEED))


def state_address() -> int:
    return ctypes.addressof(STATE)


def _rotl(x: int, k: int) -> int:
    return ((x << k) | (x >> (64 - k))) & MASK


def next_u64() -> int:
    """One xoshiro256** output; advances `STATE`."""
    s0, s1, s2, s3 = STATE
    result = (_rotl((s1 * 5) & MASK, 7) * 9) & MASK
    t = (s1 << 17) & MASK
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, 45)
    STATE[0], STATE[1], STATE[2], STATE[3] = s0, s1, s2, s3
    return result


def seed(s: int) -> None:
    STATE[:] = seeded_state(s)


def uniform() -> float:
    """[0, 1) with 53 random bits."""
    return (next_u64() >> 11) * (1.0 / (1 << 53))


def random_float64(lo: float, hi: float) -> float:
    return lo + (hi - lo) * uniform()


def draw_between(lo: int, hi: int, signed: bool) -> int:
    """An integer in [lo, hi] (lo and hi as the 64-bit type reads them)."""
    x = next_u64()
    if hi < lo:
        return lo
    span = (hi - lo) & MASK
    offset = x if span == MASK else (x * (span + 1)) >> 64
    v = (lo + offset) & MASK
    return v - (1 << 64) if signed and v >> 63 else v


def randn_float64(mean: float, sd: float) -> float:
    u1 = 1.0 - uniform()
    u2 = uniform()
    return mean + sd * (math.sqrt(-2.0 * math.log(u1)) * math.cos(TWO_PI * u2))


def saturate(x: float, signed: bool) -> int:
    """A float already rounded to an integer → int64 / uint64 with saturation,
    NaN → 0 (LLVM's fptosi.sat / fptoui.sat)."""
    if math.isnan(x):
        return 0
    lo, hi = (-(1 << 63), (1 << 63) - 1) if signed else (0, MASK)
    if x <= lo:
        return lo
    if x >= hi:
        return hi
    return int(x)


def integer_bounds(lo: float, hi: float, dt: DType) -> tuple[int, int]:
    """rand's range for integer elements of type `dt`."""
    signed = dt.is_signed
    a, b = saturate(math.ceil(lo) if math.isfinite(lo) else lo, signed), \
        saturate(math.floor(hi) if math.isfinite(hi) else hi, signed)
    dlo, dhi = (0, 1) if dt is DType.bool else dt.int_range
    return min(max(a, dlo), dhi), min(max(b, dlo), dhi)


def _rand(t, p, n, lo, hi):
    from .semantics import round_to     # (the JIT's runtime imports this module for STATE)
    dt = p.pointee.dtype
    if dt.is_float:
        for i in range(n):
            p.set(i, round_to(random_float64(lo, hi), dt))
        return
    a, b = integer_bounds(lo, hi, dt)
    signed = dt.is_signed
    for i in range(n):
        v = draw_between(a, b, signed)
        p.set(i, bool(v) if dt is DType.bool else v)


def _randn(t, p, n, mean, sd):
    from .semantics import round_to
    dt = p.pointee.dtype
    for i in range(n):
        p.set(i, round_to(randn_float64(mean, sd), dt))


BUILTINS = {
    "random.seed": lambda t, s: seed(s),
    "random.seed_time": lambda t: seed(time.time_ns()),
    "random.float64": lambda t, lo, hi: random_float64(lo, hi),
    "random.si64": lambda t, lo, hi: draw_between(lo, hi, True),
    "random.ui64": lambda t, lo, hi: draw_between(lo, hi, False),
    "random.randn_float64": lambda t, mean, sd: randn_float64(mean, sd),
    "random.rand": _rand,
    "random.randn": _randn,
    "time.now": lambda t: time.perf_counter_ns(),
    "time.perf_counter_ns": lambda t: time.perf_counter_ns(),
}

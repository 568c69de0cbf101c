"""`x ** n` with an Int exponent on integer scalars and vectors (Mojo's
`__pow__(self, exp: Int)`): wrapping in x's type, the exponent taken whole (not
first converted to x's type), a negative one a located runtime fault. The
reference mode and the JIT agree bit for bit with Python's `pow(x, n, 2**bits)`
read as the type's value."""
from __future__ import annotations

import functools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mojolite
from mojolite import RuntimeFault

MODES = {"ref": dict(reference=True), "O3": dict(opt=3), "O0": dict(opt=0)}
# name → (DType name, bits, signed)
TYPES = {
    "Int8": ("int8", 8, True), "Int16": ("int16", 16, True), "Int32": ("int32", 32, True),
    "Int64": ("int64", 64, True), "UInt8": ("uint8", 8, False),
    "UInt16": ("uint16", 16, False), "UInt32": ("uint32", 32, False),
    "UInt64": ("uint64", 64, False), "Int": ("int64", 64, True),
}

SRC = """\
fn p(a: {t}, n: Int) -> {t}:
    return a ** n

fn lit(a: {t}) -> {t}:
    return a ** 200

fn aug(a: {t}, n: Int) -> {t}:
    var x = a
    x **= n
    return x

fn vec(a: {t}, b: {t}, c: {t}, d: {t}, n: Int) -> SIMD[DType.{dt}, 4]:
    var v = SIMD[DType.{dt}, 4](a, b, c, d)
    return v ** n
"""


@functools.cache
def module(t: str, mode: str):
    return mojolite.compile(SRC.format(t=t, dt=TYPES[t][0]), "pow.ml", **MODES[mode])


def expected(t: str, a: int, n: int) -> int:
    _, bits, signed = TYPES[t]
    v = pow(a, n, 1 << bits)
    return v - (1 << bits) if signed and v >> (bits - 1) else v


def lo_hi(t: str) -> tuple[int, int]:
    _, bits, signed = TYPES[t]
    return (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)


def edges(t: str) -> list[int]:
    lo, hi = lo_hi(t)
    return sorted({v for v in (lo, lo + 1, -3, -2, -1, 0, 1, 2, 3, 7, 255, hi - 1, hi)
                   if lo <= v <= hi})


EXPONENTS = [0, 1, 2, 3, 4, 7, 8, 31, 32, 63, 64, 65, 127, 128, 200, 255, 256, 257,
             1000, 2 ** 31 + 1, 2 ** 32, 2 ** 62 + 3, 2 ** 63 - 1]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("t", TYPES)
def test_power_table(t, mode):
    m = module(t, mode)
    for a in edges(t):
        for n in EXPONENTS:
            assert m.p(a, n) == expected(t, a, n), (t, a, n)
        assert m.lit(a) == expected(t, a, 200), (t, a)
        assert m.aug(a, 13) == expected(t, a, 13), (t, a)
    lanes = edges(t)[:4]
    for n in (0, 1, 5, 200, 2 ** 40 + 1):
        got = m.vec(*lanes, n)
        assert [int(x) for x in np.asarray(got)] == [expected(t, a, n) for a in lanes], (t, n)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(t=st.sampled_from(sorted(TYPES)), data=st.data())
def test_power_agrees_with_python(t, data):
    lo, hi = lo_hi(t)
    a = data.draw(st.integers(lo, hi), label="a")
    n = data.draw(st.one_of(st.integers(0, 300), st.integers(0, 2 ** 63 - 1)), label="n")
    want = expected(t, a, n)
    for mode in MODES:
        assert module(t, mode).p(a, n) == want, (mode, t, a, n)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("t", ["Int8", "UInt8", "Int32", "UInt64", "Int"])
def test_a_negative_exponent_is_a_located_fault(t, mode):
    m = module(t, mode)
    for f, args in ((m.p, (2, -1)), (m.vec, (1, 2, 3, 0, -5))):
        with pytest.raises(RuntimeFault) as info:
            f(*args)
        assert "negative exponent in integer '**'" in info.value.message
        line = 2 if f is m.p else 14
        assert info.value.span.line == line

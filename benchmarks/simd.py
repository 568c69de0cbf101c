"""SIMD kernels against NumPy on 10**7 float64 elements (a benchmark, not a test).

saxpy (y = a*x + y), dot, sum (memory-bound) and a compute-bound kernel (a
degree-8 polynomial and exp per element), each written with `vectorize` at
the host's `simdwidthof[DType.float64]()`, one thread. Every kernel's result is
checked against NumPy before it is timed; times are medians of `--repeat`
runs (at least 5). Run: `python -m benchmarks.simd [--n N] [--repeat R]`.
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import mojolite

SOURCE = """\
from algorithm import vectorize
from sys import simdwidthof
from math import exp

alias W = simdwidthof[DType.float64]()

fn saxpy(a: Float64, x: Tensor[DType.float64], y: Tensor[DType.float64]):
    @parameter
    fn body[width: Int](i: Int):
        y.store[width=width](i, a * x.load[width=width](i) + y.load[width=width](i))
    vectorize[body, W](x.dim(0))

fn dot(x: Tensor[DType.float64], y: Tensor[DType.float64]) -> Float64:
    var acc0 = SIMD[DType.float64, W](0.0)
    var acc1 = SIMD[DType.float64, W](0.0)
    var acc2 = SIMD[DType.float64, W](0.0)
    var acc3 = SIMD[DType.float64, W](0.0)
    var n = x.dim(0)
    var i = 0
    while i + 4 * W <= n:
        acc0 += x.load[width=W](i) * y.load[width=W](i)
        acc1 += x.load[width=W](i + W) * y.load[width=W](i + W)
        acc2 += x.load[width=W](i + 2 * W) * y.load[width=W](i + 2 * W)
        acc3 += x.load[width=W](i + 3 * W) * y.load[width=W](i + 3 * W)
        i += 4 * W
    var tail: Float64 = 0.0
    while i < n:
        tail += x[i] * y[i]
        i += 1
    return ((acc0 + acc1) + (acc2 + acc3)).reduce_add() + tail

fn total(x: Tensor[DType.float64]) -> Float64:
    var acc0 = SIMD[DType.float64, W](0.0)
    var acc1 = SIMD[DType.float64, W](0.0)
    var acc2 = SIMD[DType.float64, W](0.0)
    var acc3 = SIMD[DType.float64, W](0.0)
    var n = x.dim(0)
    var i = 0
    while i + 4 * W <= n:
        acc0 += x.load[width=W](i)
        acc1 += x.load[width=W](i + W)
        acc2 += x.load[width=W](i + 2 * W)
        acc3 += x.load[width=W](i + 3 * W)
        i += 4 * W
    var tail: Float64 = 0.0
    while i < n:
        tail += x[i]
        i += 1
    return ((acc0 + acc1) + (acc2 + acc3)).reduce_add() + tail

fn poly_exp(x: Tensor[DType.float64], y: Tensor[DType.float64]):
    @parameter
    fn body[width: Int](i: Int):
        var v = x.load[width=width](i)
        var p = v * 0.125 + 0.25
        p = p * v + 0.5
        p = p * v - 1.0
        p = p * v + 2.0
        p = p * v - 0.75
        p = p * v + 1.5
        p = p * v + 0.3
        p = p * v - 0.1
        y.store[width=width](i, p + exp(v))
    vectorize[body, W](x.dim(0))
"""

COEFFS = [0.125, 0.25, 0.5, -1.0, 2.0, -0.75, 1.5, 0.3, -0.1]   # highest degree first


def numpy_poly_exp(x, out):
    p = COEFFS[0] * x + COEFFS[1]
    for c in COEFFS[2:]:
        p *= x
        p += c
    np.exp(x, out=out)
    out += p


def _median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run(n: int = 10_000_000, repeat: int = 7) -> list[tuple[str, float, float]]:
    """[(kernel, mojolite seconds, numpy seconds)], each result checked first."""
    repeat = max(repeat, 5)
    m = mojolite.compile(SOURCE, "simd_bench.ml")
    rng = np.random.default_rng(0)
    x, y0 = rng.uniform(-1, 1, n), rng.uniform(-1, 1, n)

    y = y0.copy()
    m.saxpy(2.5, x, y)
    assert np.allclose(y, 2.5 * x + y0, rtol=0, atol=1e-15), "saxpy"
    scale = float(np.abs(x).sum())          # rounding error bound of any summation order
    assert abs(m.dot(x, y0) - float(x @ y0)) <= 1e-12 * scale, "dot"
    assert abs(m.total(x) - float(x.sum())) <= 1e-12 * scale, "sum"
    out, want = np.empty(n), np.empty(n)
    m.poly_exp(x, out)
    numpy_poly_exp(x, want)
    assert np.allclose(out, want, rtol=1e-14, atol=1e-14), "poly_exp"

    ybuf = y0.copy()
    rows = [
        ("saxpy", _median(lambda: m.saxpy(2.5, x, ybuf), repeat),
         _median(lambda: np.add(np.multiply(2.5, x, out=want), ybuf, out=ybuf), repeat)),
        ("dot", _median(lambda: m.dot(x, y0), repeat), _median(lambda: x @ y0, repeat)),
        ("sum", _median(lambda: m.total(x), repeat), _median(lambda: x.sum(), repeat)),
        ("poly8+exp", _median(lambda: m.poly_exp(x, out), repeat),
         _median(lambda: numpy_poly_exp(x, want), repeat)),
    ]
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args(argv)
    rows = run(args.n, args.repeat)
    print(f"{'kernel':<10} {'mojolite ms':>12} {'numpy ms':>10} {'speedup':>8}")
    for name, ours, theirs in rows:
        print(f"{name:<10} {ours * 1e3:>12.2f} {theirs * 1e3:>10.2f} {theirs / ours:>7.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Per-call overhead of calling compiled code from Python: mojolite against Numba.

    python benchmarks/calls.py [--number N] [--repeat R]

Two calls whose machine code does almost nothing, so the time is the boundary:
(a) `add(1.0, 2.0) -> Float64` and (b) `first(x, y) -> Float64` with two
1-element float64 arrays (Tensor views). Each figure is the median over R runs
of N calls (timeit), in nanoseconds per call. Numba's `@njit` dispatch of the
same functions is measured when numba is importable. mojolite's calls go
through its native entry (see mojolite/pycall.py; it is built on a later call,
so both functions are called that often before timing); MOJOLITE_NATIVE_CALLS=0
measures the Python caller instead, whose floor is a ctypes call: the last
line times one of a do-nothing C function.
"""
from __future__ import annotations

import argparse
import ctypes
import statistics
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

import mojolite  # noqa: E402
from mojolite import DType, Float64, Tensor  # noqa: E402
from mojolite.pycall import native_after  # noqa: E402


@mojolite.fn
def add(a: Float64, b: Float64) -> Float64:
    return a + b


@mojolite.fn
def first(x: Tensor[DType.float64], y: Tensor[DType.float64]) -> Float64:
    return x[0] + y[0]


def per_call_ns(stmt: str, env: dict, number: int, repeat: int) -> float:
    runs = timeit.repeat(stmt, globals=env, number=number, repeat=repeat)
    return statistics.median(runs) / number * 1e9


def numba_functions():
    try:
        import numba
    except ImportError:
        return None

    @numba.njit
    def nb_add(a, b):
        return a + b

    @numba.njit
    def nb_first(x, y):
        return x[0] + y[0]
    return nb_add, nb_first, numba.__version__


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--number", type=int, default=100_000)
    p.add_argument("--repeat", type=int, default=25)
    args = p.parse_args(argv)
    x, y = np.ones(1), np.full(1, 2.0)
    assert add(1.0, 2.0) == 3.0 and first(x, y) == 3.0          # compile outside timing
    for _ in range(native_after()):     # and the native callers, built on a later call
        add(1.0, 2.0), first(x, y)
    env = {"add": add, "first": first, "x": x, "y": y}
    rows = [("add(1.0, 2.0)", per_call_ns("add(1.0, 2.0)", env, args.number, args.repeat)),
            ("first(x, y)", per_call_ns("first(x, y)", env, args.number, args.repeat))]
    nb = numba_functions()
    if nb is not None:
        nb_add, nb_first, version = nb
        assert nb_add(1.0, 2.0) == 3.0 and nb_first(x, y) == 3.0
        env.update(nb_add=nb_add, nb_first=nb_first)
        theirs = [per_call_ns("nb_add(1.0, 2.0)", env, args.number, args.repeat),
                  per_call_ns("nb_first(x, y)", env, args.number, args.repeat)]
    libc = ctypes.CDLL(None)
    floor = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)(
        ctypes.cast(libc.memcmp, ctypes.c_void_p).value)
    env.update(floor=floor)
    floor_ns = per_call_ns("floor(0, 0, 0)", env, args.number, args.repeat)

    print(f"per-call time, median of {args.repeat} x {args.number} calls "
          f"(Python {sys.version.split()[0]}, NumPy {np.__version__})")
    head = f"  {'call':<16}{'mojolite':>12}"
    print(head + (f"{'numba ' + version:>16}{'ratio':>8}" if nb else ""))
    for i, (name, ours) in enumerate(rows):
        line = f"  {name:<16}{ours:>9.0f} ns"
        if nb is not None:
            line += f"{theirs[i]:>13.0f} ns{ours / theirs[i]:>7.1f}x"
        print(line)
    if nb is None:
        print("  (numba is not importable here: no comparison)")
    print(f"  ctypes floor: an empty 3-pointer CFUNCTYPE call costs {floor_ns:.0f} ns")
    return 0


if __name__ == "__main__":
    sys.exit(main())

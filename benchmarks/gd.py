"""gd: recover N points from their pairwise distances by gradient descent, every way we know.

In: sizes, dims, dtypes and the iteration count (from `__main__`). Out: `harness.Row`s, one
per (case, implementation), each checked against the NumPy float64 reference before it is
timed.

The problem (examples/gd.ml and issue [gd]): target points P on a circle (dim 2, radius
0.5) or a spiral sphere (dim 3, radius 0.5); D[i, j] = |P_i - P_j|; X0 =
`np.random.seed(42); np.random.rand(N, dim)`; each iteration
G_i = 4 * sum_j (|X_i - X_j|^2 - D_ij^2)(X_i - X_j) and X <- X - lr * G, a fixed number
of iterations, lr by examples/gd.ml's rule (`learning_rate`). Every implementation starts
from the same X0 and D. What is done once
outside the clock, for every implementation alike: converting X0 and D to the
implementation's layout (a list of lists, X transposed to dim x N, D squared), compiling.
"""
from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .harness import Progress, Row, close, has_module, measure, skipped

SECTION = "gd"
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
THREADS = 2
SIZES = (10, 100, 1000, 2000)
QUICK_SIZES = (10, 100, 1000)
QUICK_DTYPES = ("float64",)
ITERS = 1000
QUICK_ITERS = 100
# Slow implementations (pure Python, the seed's loop-style NumPy) run a subset of the
# iterations when N is large: about this many pair evaluations per timed call.
SLOW_PAIRS = 400_000
SLOW_PAIRS_QUICK = 100_000
# Sizes above which a slow implementation is not run (a note says why).
SLOW_MAX_N = {"NumPy loops (seed)": 1000}
# Every other implementation: a probe of PROBE iterations estimates the time per iteration;
# when the whole run would take longer than CALL_S per call, the timed calls run fewer
# iterations (extrapolated, marked *), so that the full run fits its time budget.
PROBE = 10
CALL_S = 0.5
CALL_S_QUICK = 0.1
TOL = {"float64": 1e-9, "float32": 2e-3}


# -- the problem ------------------------------------------------------------------------------

def target(n: int, dim: int) -> np.ndarray:
    """Circle (dim 2) or spiral sphere (dim 3), radius 0.5."""
    i = np.arange(n, dtype=np.float64)
    if dim == 2:
        a = 2 * np.pi * i / n
        return 0.5 * np.stack([np.cos(a), np.sin(a)], axis=1)
    if dim == 3:
        phi = np.arccos(1 - 2 * i / n)
        theta = np.sqrt(n * np.pi) * phi
        return 0.5 * np.stack([np.cos(theta) * np.sin(phi), np.sin(theta) * np.sin(phi),
                               np.cos(phi)], axis=1)
    raise ValueError(f"dim {dim}: the benchmark builds circles (2) and spheres (3)")


def learning_rate(d: np.ndarray, dim: int) -> float:
    """examples/gd.ml's rule (`step_size`): min(0.001, 0.1 / (N * max(mean D^2, dim / 6))):
    the seed's 0.001 up to a few hundred points, 0.0002 for 1000 points on a circle."""
    n = d.shape[0]
    spread = max(float((d.astype(np.float64) ** 2).mean()), dim / 6.0)
    return min(0.001, 0.1 / (n * spread))


def distances(p: np.ndarray) -> np.ndarray:
    diff = p[:, None, :] - p[None, :, :]
    return np.sqrt((diff ** 2).sum(-1))


def loss(x: np.ndarray, d: np.ndarray) -> float:
    x = x.astype(np.float64)
    diff = x[:, None, :] - x[None, :, :]
    return float((((diff ** 2).sum(-1) - d.astype(np.float64) ** 2) ** 2).sum())


@dataclass
class Problem:
    n: int
    dim: int
    dtype: str
    iters: int
    lr: float
    x0: np.ndarray      # N x dim, in dtype
    d: np.ndarray       # N x N, in dtype

    @property
    def case(self) -> str:
        return f"N={self.n} dim={self.dim} {self.dtype}"


def problem(n: int, dim: int, dtype: str, iters: int) -> Problem:
    np.random.seed(42)
    x0 = np.random.rand(n, dim)
    d = distances(target(n, dim))
    return Problem(n, dim, dtype, iters, learning_rate(d, dim), x0.astype(dtype),
                   d.astype(dtype))


REF_BLOCK = 128     # rows of G per block in the reference (blocks of 128 x N stay in cache)


def reference(x0: np.ndarray, d: np.ndarray, lr: float, iters: int) -> np.ndarray:
    """The oracle every row is checked against: float64 NumPy, one coordinate at a time
    (X as dim x N, N x N difference planes per coordinate instead of the broadcast form's
    strided N x N x dim array) and in blocks of REF_BLOCK rows, about 10x faster than
    the broadcast form at N = 1000 and the same arithmetic up to the summation order
    (they agree to about 1e-15 relative)."""
    return Reference(x0, d, lr).at(iters)


class Reference:
    """The reference trajectory of one problem, computed once: `at(k)` is X after k
    iterations; every state computed is kept (N x dim values each), so the rows of a case,
    timed on different numbers of iterations, share one run of at most `iters` steps."""

    def __init__(self, x0: np.ndarray, d: np.ndarray, lr: float):
        self.d2 = d.astype(np.float64) ** 2
        self.lr = lr
        self.states = [np.ascontiguousarray(x0.astype(np.float64).T)]

    def at(self, k: int) -> np.ndarray:
        while len(self.states) <= k:
            self.states.append(self._step(self.states[-1]))
        return self.states[k].T.copy()

    def _step(self, xt: np.ndarray) -> np.ndarray:
        dim, n = xt.shape
        g = np.empty_like(xt)
        for lo in range(0, n, REF_BLOCK):
            hi = min(n, lo + REF_BLOCK)
            diffs = [xt[k, lo:hi, None] - xt[k, None, :] for k in range(dim)]
            c = diffs[0] * diffs[0]
            for e in diffs[1:]:
                c += e * e
            c -= self.d2[lo:hi]
            c *= 4.0
            for k in range(dim):
                g[k, lo:hi] = (c * diffs[k]).sum(1)
        return xt - self.lr * g


class Skip(Exception):
    """An implementation that cannot run here (package missing, no compiler, ...)."""


# -- pure Python and NumPy --------------------------------------------------------------------

def gd_python(x, d, lr, iters):
    """The seed's pure-Python loops on lists of lists."""
    n, dim = len(x), len(x[0])
    for _ in range(iters):
        g = [[0.0] * dim for _ in range(n)]
        for i in range(n):
            xi, gi, di = x[i], g[i], d[i]
            for j in range(n):
                xj = x[j]
                diff = [xi[k] - xj[k] for k in range(dim)]
                sq = sum(e * e for e in diff)
                c = 4.0 * (sq - di[j] ** 2)
                for k in range(dim):
                    gi[k] += c * diff[k]
        for i in range(n):
            for k in range(dim):
                x[i][k] -= lr * g[i][k]
    return x


def gd_numpy_loops(x, d, lr, iters):
    """The seed's loop-style NumPy: a Python double loop over pairs of NumPy rows."""
    n = x.shape[0]
    for _ in range(iters):
        g = np.zeros_like(x)
        for i in range(n):
            for j in range(n):
                diff = x[i] - x[j]
                g[i] += 4.0 * (np.dot(diff, diff) - d[i, j] ** 2) * diff
        x -= lr * g
    return x


def gd_numpy_broadcast(x, d2, lr, iters):
    """N x N x dim differences by broadcasting."""
    for _ in range(iters):
        diff = x[:, None, :] - x[None, :, :]
        c = 4.0 * ((diff * diff).sum(-1) - d2)
        x -= lr * (c[:, :, None] * diff).sum(1)
    return x


def gd_numpy_gram(x, d2, lr, iters):
    """Gram form: S_ij = |x_i|^2 + |x_j|^2 - 2 x_i.x_j, C = 4(S - D∘D),
    G = rowsum(C) x - C @ x (a matrix product, no N x N x dim temporary)."""
    for _ in range(iters):
        sq = (x * x).sum(1)
        c = sq[:, None] + sq[None, :] - 2.0 * (x @ x.T)
        c -= d2
        c *= 4.0
        x -= lr * (c.sum(1)[:, None] * x - c @ x)
    return x


def setup_python(p: Problem):
    if p.dtype != "float64":
        raise Skip("Python floats are float64")
    return (lambda: (p.x0.tolist(), p.d.tolist(), p.lr, p.iters)), gd_python, np.array


def setup_numpy_loops(p: Problem):
    if p.dtype != "float64":
        raise Skip("float64 only (as the seed)")
    return (lambda: (p.x0.copy(), p.d, p.lr, p.iters)), gd_numpy_loops, None


def _numpy(fn):
    def setup(p: Problem):
        d2 = p.d * p.d
        lr = p.x0.dtype.type(p.lr)
        return (lambda: (p.x0.copy(), d2, lr, p.iters)), fn, None
    return setup


# -- Numba ------------------------------------------------------------------------------------

_NUMBA = {}


def _numba_kernels():
    """Compiled lazily: defining them costs nothing until the first call."""
    if _NUMBA:
        return _NUMBA
    import numba
    from numba import njit, prange

    def grad_loops(x, d, g):
        # the seed's loops; `prange` is a plain `range` unless compiled with parallel=True
        n, dim = x.shape
        for i in prange(n):
            for k in range(dim):
                g[i, k] = 0.0
            for j in range(n):
                sq = 0.0
                for k in range(dim):
                    e = x[i, k] - x[j, k]
                    sq += e * e
                c = 4.0 * (sq - d[i, j] ** 2)
                for k in range(dim):
                    g[i, k] += c * (x[i, k] - x[j, k])

    serial = njit(grad_loops)
    par = njit(parallel=True)(grad_loops)

    def make_loop(grad):
        @njit
        def run(x, d, lr, iters):
            g = np.zeros_like(x)
            for _ in range(iters):
                grad(x, d, g)
                for i in range(x.shape[0]):
                    for k in range(x.shape[1]):
                        x[i, k] -= lr * g[i, k]
            return x
        return run

    @njit(parallel=True, fastmath=True)
    def grad_soa(xt, d2, g):
        dim, n = xt.shape
        for i in prange(n):
            if dim == 2:
                x0, x1 = xt[0, i], xt[1, i]
                a0 = 0.0
                a1 = 0.0
                for j in range(n):
                    e0 = x0 - xt[0, j]
                    e1 = x1 - xt[1, j]
                    c = 4.0 * (e0 * e0 + e1 * e1 - d2[i, j])
                    a0 += c * e0
                    a1 += c * e1
                g[0, i] = a0
                g[1, i] = a1
            elif dim == 3:
                x0, x1, x2 = xt[0, i], xt[1, i], xt[2, i]
                a0 = 0.0
                a1 = 0.0
                a2 = 0.0
                for j in range(n):
                    e0 = x0 - xt[0, j]
                    e1 = x1 - xt[1, j]
                    e2 = x2 - xt[2, j]
                    c = 4.0 * (e0 * e0 + e1 * e1 + e2 * e2 - d2[i, j])
                    a0 += c * e0
                    a1 += c * e1
                    a2 += c * e2
                g[0, i] = a0
                g[1, i] = a1
                g[2, i] = a2
            else:
                for k in range(dim):
                    g[k, i] = 0.0
                for j in range(n):
                    sq = 0.0
                    for k in range(dim):
                        e = xt[k, i] - xt[k, j]
                        sq += e * e
                    c = 4.0 * (sq - d2[i, j])
                    for k in range(dim):
                        g[k, i] += c * (xt[k, i] - xt[k, j])

    @njit
    def run_soa(xt, d2, lr, iters):
        g = np.zeros_like(xt)
        for _ in range(iters):
            grad_soa(xt, d2, g)
            xt -= lr * g
        return xt

    _NUMBA.update(serial=make_loop(serial), prange=make_loop(par), soa=run_soa,
                  version=numba.__version__)
    return _NUMBA


def _numba(kind):
    def setup(p: Problem):
        if not has_module("numba"):
            raise Skip("numba is not installed")
        k = _numba_kernels()[kind]
        lr = p.x0.dtype.type(p.lr)
        if kind == "soa":
            d2 = p.d * p.d
            return (lambda: (np.ascontiguousarray(p.x0.T), d2, lr, p.iters)), k, \
                (lambda xt: xt.T)
        return (lambda: (p.x0.copy(), p.d, lr, p.iters)), k, None
    return setup


# -- JAX, PyTorch -----------------------------------------------------------------------------

_JAX = {}


def setup_jax(p: Problem):
    if not has_module("jax"):
        raise Skip("jax is not installed")
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    if "run" not in _JAX:
        def run(x, d2, lr, iters):
            def step(_, x):
                sq = (x * x).sum(1)
                c = 4.0 * (sq[:, None] + sq[None, :] - 2.0 * (x @ x.T) - d2)
                return x - lr * (c.sum(1)[:, None] * x - c @ x)
            return jax.lax.fori_loop(0, iters, step, x)
        _JAX["run"] = jax.jit(run)          # iters traced: no recompile per count
    jrun = _JAX["run"]
    x0 = jnp.asarray(p.x0)
    d2 = jnp.asarray(p.d * p.d)
    lr = p.x0.dtype.type(p.lr)
    return (lambda: (x0, d2, lr, p.iters)), (lambda *a: jrun(*a).block_until_ready()), np.asarray


def setup_torch(p: Problem):
    if not has_module("torch"):
        raise Skip("torch is not installed")
    import torch
    torch.set_num_threads(THREADS)

    def run(x, d2, lr, iters):
        with torch.no_grad():
            for _ in range(iters):
                sq = (x * x).sum(1)
                c = 4.0 * (sq[:, None] + sq[None, :] - 2.0 * (x @ x.T) - d2)
                x -= lr * (c.sum(1)[:, None] * x - c @ x)
        return x
    d2 = torch.from_numpy(p.d * p.d)
    return (lambda: (torch.from_numpy(p.x0.copy()), d2, float(p.lr), p.iters)), run, \
        (lambda t: t.numpy())


# -- C++ --------------------------------------------------------------------------------------

_CXX: dict = {}


def _cxx_library():
    """Compile gd_soa.cpp once per process into a temporary directory."""
    if "lib" in _CXX or "error" in _CXX:
        return _CXX.get("lib"), _CXX.get("error")
    gxx = shutil.which("g++")
    if gxx is None:
        _CXX["error"] = "g++ not found"
        return None, _CXX["error"]
    tmp = tempfile.mkdtemp(prefix="mojolite-bench-")
    so = os.path.join(tmp, "gd_soa.so")
    cmd = [gxx, "-O3", "-march=native", "-fopenmp", "-shared", "-fPIC",
           str(HERE / "gd_soa.cpp"), "-o", so]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        _CXX["error"] = "g++ failed: " + (r.stderr.strip().splitlines() or ["?"])[0][:100]
        return None, _CXX["error"]
    lib = ctypes.CDLL(so)
    for name, ct in (("gd_soa_f64", ctypes.c_double), ("gd_soa_f32", ctypes.c_float)):
        f = getattr(lib, name)
        f.restype = ctypes.c_int
        f.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_long, ctypes.c_long, ct,
                      ctypes.c_long, ctypes.c_int]
    _CXX["lib"] = lib
    _CXX["dir"] = tmp
    return lib, None


def setup_cxx(p: Problem):
    lib, err = _cxx_library()
    if lib is None:
        raise Skip(err)
    if p.dim not in (2, 3):
        raise Skip("the C++ loop is built for dim 2 and 3")
    f = lib.gd_soa_f64 if p.dtype == "float64" else lib.gd_soa_f32
    d2 = np.ascontiguousarray(p.d * p.d)

    def run(xt, d2, lr, iters):
        f(xt.ctypes.data, d2.ctypes.data, p.n, p.dim, lr, iters, THREADS)
        return xt
    return (lambda: (np.ascontiguousarray(p.x0.T), d2, p.lr, p.iters)), run, (lambda xt: xt.T)


def cleanup():
    if "dir" in _CXX:
        shutil.rmtree(_CXX["dir"], ignore_errors=True)


# -- mojolite (examples/gd.ml) ----------------------------------------------------------------

from . import gd_mojolite  # noqa: E402  (after Skip and Problem, which it uses)

# (name, setup, slow): slow ones run a subset of iterations at large N (extrapolated).
IMPLS = [
    ("pure Python (seed loops)", setup_python, True),
    ("NumPy loops (seed)", setup_numpy_loops, True),
    ("NumPy broadcast", _numpy(gd_numpy_broadcast), False),
    ("NumPy Gram", _numpy(gd_numpy_gram), False),
    ("Numba loops", _numba("serial"), False),
    ("Numba loops prange", _numba("prange"), False),
    ("Numba SoA fastmath prange", _numba("soa"), False),
    ("JAX jit (Gram)", setup_jax, False),
    ("PyTorch (Gram)", setup_torch, False),
    ("C++ SoA -O3 -march=native -fopenmp", setup_cxx, False),
    *[(name, setup, False) for name, setup in gd_mojolite.IMPLS],
]
NUMPY_FORMS = ("NumPy broadcast", "NumPy Gram")


def run(sizes, dims, dtypes, iters, *, quick=False, check_only=False, only_impls=None,
        progress: Progress | None = None):
    rows: list[Row] = []
    target_s = 0.3 if quick else 1.0
    call_s = CALL_S_QUICK if quick else CALL_S
    for dtype in dtypes:
        for dim in dims:
            for n in sizes:
                p = problem(n, dim, dtype, iters)
                refs = Reference(p.x0, p.d, p.lr)
                for name, setup, slow in IMPLS:
                    if only_impls and not any(s.lower() in name.lower() for s in only_impls):
                        continue
                    sub, probe = iters, None
                    if slow:
                        pairs = SLOW_PAIRS_QUICK if quick else SLOW_PAIRS
                        sub = max(1, min(iters, pairs // (n * n)))
                        limit = SLOW_MAX_N.get(name, 10**9) if not quick else 999
                        if n > limit:
                            why = "N >= 1000 in --quick" if quick else \
                                f"N > {limit}: its time per pair is the same as at N = {limit}"
                            rows.append(skipped(SECTION, p.case, name, why, n=n, dim=dim,
                                                dtype=dtype, group=f"dim={dim} {dtype}"))
                            continue
                    try:
                        if not slow and not check_only and iters > PROBE:
                            sub, probe = _probe(p, setup, call_s)
                        make, fn, extract = setup(Problem(p.n, p.dim, p.dtype, sub, p.lr,
                                                          p.x0, p.d))
                    except Skip as why:
                        rows.append(skipped(SECTION, p.case, name, str(why), n=n, dim=dim,
                                            dtype=dtype, group=f"dim={dim} {dtype}"))
                        continue
                    ref = refs.at(sub)

                    def check(out, extract=extract, ref=ref):
                        x = np.asarray(extract(out) if extract else out, dtype=np.float64)
                        return close(x, ref, TOL[dtype])

                    row = Row(SECTION, p.case, name, scale=iters / sub, units=iters,
                              params=dict(n=n, dim=dim, dtype=dtype, iters=iters,
                                          compile_s=getattr(fn, "compile_s", None),
                                          group=f"dim={dim} {dtype}",
                                          timed_iters=sub, lr=p.lr))
                    measure(row, make, fn, check, min_runs=0 if check_only else 5,
                            max_runs=0 if check_only else 50, target_s=target_s,
                            warmup=probe is None, progress=progress)
                    if probe is not None and probe[0] is not None:
                        row.first_s = probe[0]
                        row.params["first_iters"] = PROBE
                        row.params["compile_s"] = probe[1]
                    rows.append(row)
                _ratios(rows, p.case)
    cleanup()
    return rows


def _probe(p: Problem, setup, call_s: float):
    """Two calls of PROBE iterations: the first (compile included) is the row's first call,
    the second estimates the time per iteration, from which the timed iteration count is
    chosen so that one call takes about `call_s` (all iterations when they fit).
    Returns (sub, (first call seconds or None, compile seconds or None))."""
    make, fn, _ = setup(Problem(p.n, p.dim, p.dtype, PROBE, p.lr, p.x0, p.d))
    try:
        t0 = time.perf_counter()
        fn(*make())
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        fn(*make())
        per_iter = (time.perf_counter() - t0) / PROBE
    except Exception:
        return p.iters, (None, None)            # measure() reports the failure
    sub = p.iters if per_iter * p.iters <= call_s else \
        max(PROBE, min(p.iters, int(call_s / max(per_iter, 1e-12))))
    return sub, (first, getattr(fn, "compile_s", None))


def _ratios(rows, case):
    """Speed-up over the best NumPy form of the same case (same run)."""
    mine = [r for r in rows if r.case == case and r.section == SECTION]
    base = [r.total() for r in mine if r.impl in NUMPY_FORMS and r.timed]
    if not base:
        return
    best = min(base)
    for r in mine:
        if r.timed:
            r.params["vs_numpy"] = best / r.total()

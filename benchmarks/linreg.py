"""linreg: linear regression by MSE gradient descent (the fourth seed's workload).

In: quick / check-only flags. Out: `harness.Row`s per (d, implementation).

Data (seeded, float64): X ~ U(-1, 1)^(n x d), w_true ~ N(0, 1)^d,
y = X w_true + 0.1 N(0, 1); w0 = 0; lr = 0.1; `iters` full-batch steps of
w <- w - lr (2/n) X^T (X w - y). Every implementation is checked against the NumPy
result (relative 1e-9) before it is timed; the ratio column is NumPy's time over the
row's (so > 1 is faster than NumPy).
"""
from __future__ import annotations

import time

import numpy as np

from .harness import Progress, Row, close, has_module, measure, skipped

SECTION = "linreg"
SAMPLES = 10_000
DIMS = (2, 10, 50, 100)
QUICK_DIMS = (2, 100)
ITERS = 1000
QUICK_ITERS = 100
LR = 0.1
TOL = 1e-9


class Skip(Exception):
    pass


def data(n: int, d: int):
    rng = np.random.default_rng(1234 + d)
    x = rng.uniform(-1.0, 1.0, (n, d))
    w_true = rng.standard_normal(d)
    y = x @ w_true + 0.1 * rng.standard_normal(n)
    return x, y


def numpy_gd(x, y, w, lr, iters):
    step = lr * 2.0 / x.shape[0]
    for _ in range(iters):
        r = x @ w - y
        w -= step * (x.T @ r)
    return w


def setup_numpy(x, y, iters):
    return (lambda: (x, y, np.zeros(x.shape[1]), LR, iters)), numpy_gd


_NB = {}


def setup_numba(x, y, iters):
    if not has_module("numba"):
        raise Skip("numba is not installed")
    if not _NB:
        from numba import njit

        @njit(fastmath=True)
        def nb_gd(x, y, w, lr, iters):
            n, d = x.shape
            step = lr * 2.0 / n
            g = np.zeros(d)
            for _ in range(iters):
                g[:] = 0.0
                for i in range(n):
                    r = -y[i]
                    for k in range(d):
                        r += x[i, k] * w[k]
                    for k in range(d):
                        g[k] += r * x[i, k]
                for k in range(d):
                    w[k] -= step * g[k]
            return w
        _NB["gd"] = nb_gd
    return (lambda: (x, y, np.zeros(x.shape[1]), LR, iters)), _NB["gd"]


_JAX = {}


def setup_jax(x, y, iters):
    if not has_module("jax"):
        raise Skip("jax is not installed")
    import jax
    jax.config.update("jax_enable_x64", True)
    import jax.numpy as jnp
    if not _JAX:
        def gd(x, y, w, lr, iters):
            step = lr * 2.0 / x.shape[0]
            return jax.lax.fori_loop(0, iters, lambda _, w: w - step * (x.T @ (x @ w - y)), w)
        _JAX["gd"] = jax.jit(gd, static_argnums=4)
    jx, jy = jnp.asarray(x), jnp.asarray(y)
    w0 = jnp.zeros(x.shape[1])
    return (lambda: (jx, jy, w0, LR, iters)), \
        (lambda *a: np.asarray(_JAX["gd"](*a).block_until_ready()))


def setup_torch(x, y, iters):
    if not has_module("torch"):
        raise Skip("torch is not installed")
    import torch
    tx, ty = torch.from_numpy(x), torch.from_numpy(y)

    def gd(x, y, w, lr, iters):
        step = lr * 2.0 / x.shape[0]
        for _ in range(iters):
            w -= step * (x.T @ (x @ w - y))
        return w.numpy()
    return (lambda: (tx, ty, torch.zeros(x.shape[1], dtype=torch.float64), LR, iters)), gd


def _mojolite(name):
    def setup(x, y, iters):
        from . import linreg_kernels as K
        kernel = getattr(K, name, None)
        if kernel is None:
            raise Skip(f"benchmarks/linreg_kernels.py has no {name}")
        try:
            t0 = time.perf_counter()
            kernel.signature            # compiles now: a feature still missing is a skip
            compile_s = time.perf_counter() - t0
        except Exception as e:
            msg = str(e).splitlines()[0] if str(e) else ""
            raise Skip(f"does not compile yet ({type(e).__name__}: {msg})"[:150]) from None
        d = x.shape[1]

        def run(x, y, w, g, lr, iters):
            kernel(x, y, w, g, lr, iters)
            return w
        run.compile_s = compile_s if compile_s > 1e-3 else None   # only the first case compiles
        return (lambda: (x, y, np.zeros(d), np.zeros(d), LR, iters)), run
    return setup


IMPLS = [
    ("NumPy (X @ w, X.T @ r)", setup_numpy),
    ("Numba loops fastmath", setup_numba),
    ("JAX jit", setup_jax),
    ("PyTorch", setup_torch),
    ("mojolite plain", _mojolite("linreg_plain")),
    ("mojolite SIMD", _mojolite("linreg_simd")),
    ("mojolite parallel+SIMD", _mojolite("linreg_parallel")),
]


def run(*, quick=False, check_only=False, iters=None, only_impls=None,
        progress: Progress | None = None):
    rows: list[Row] = []
    iters = iters or (QUICK_ITERS if quick else ITERS)
    for d in (QUICK_DIMS if quick else DIMS):
        x, y = data(SAMPLES, d)
        ref = numpy_gd(x, y, np.zeros(d), LR, iters)
        case = f"n={SAMPLES} d={d}"
        for name, setup in IMPLS:
            if only_impls and not any(s.lower() in name.lower() for s in only_impls):
                continue
            try:
                make, fn = setup(x, y, iters)
            except Skip as why:
                rows.append(skipped(SECTION, case, name, str(why), d=d))
                continue
            row = Row(SECTION, case, name, units=iters,
                      params=dict(d=d, iters=iters, group=f"n={SAMPLES}, {iters} steps",
                                  compile_s=getattr(fn, "compile_s", None)))
            measure(row, make, fn, lambda w: close(np.asarray(w), ref, TOL),
                    min_runs=0 if check_only else 5, max_runs=0 if check_only else 30,
                    target_s=0.3 if quick else 1.0, progress=progress)
            rows.append(row)
        base = [r.total() for r in rows if r.case == case and r.impl.startswith("NumPy")
                and r.timed]
        for r in rows:
            if r.case == case and r.timed and base:
                r.params["vs_baseline"] = base[0] / r.total()
    return rows

"""mojolite kernels of the linreg benchmark: MSE gradient descent on a n x d float64 matrix.

Every kernel runs the whole descent (`iters` steps) in one call, in place on `w`:
r_i = x_i . w - y_i; g = (2 / n) sum_i r_i x_i; w <- w - lr g. One pass over X per step
(the dot product and the gradient update share the row while it is in cache), which NumPy
cannot do: it reads X twice per step (X @ w, then X.T @ r).

- `linreg_plain`: scalar loops, as one would first write it.
- `linreg_simd`: the row dot product and the gradient update as SIMD vectors of
  width W (explicit accumulators: no fast-math needed), a scalar tail for d % W.
- `linreg_parallel`: the SIMD kernel with the samples split into chunks run by
  `parallelize`, one partial gradient per chunk, summed in chunk order (deterministic).
"""
from __future__ import annotations

import mojolite
from mojolite import SIMD, DType, Float64, Int, Tensor, parallelize, parameter

W = 8          # float64 lanes (AVX-512); the kernels are correct at any width


@mojolite.fn(boundscheck=False)
def linreg_plain(x: Tensor[DType.float64], y: Tensor[DType.float64],
                 w: Tensor[DType.float64], g: Tensor[DType.float64], lr: Float64, iters: Int):
    n = x.dim(0)
    d = x.dim(1)
    step = lr * 2.0 / Float64(n)
    for it in range(iters):
        for k in range(d):
            g[k] = 0.0
        for i in range(n):
            r = -y[i]
            for k in range(d):
                r += x[i, k] * w[k]
            for k in range(d):
                g[k] += r * x[i, k]
        for k in range(d):
            w[k] -= step * g[k]


SMALL_D = 16   # below this many features, vectors run along the samples (columns of X)


@mojolite.fn(boundscheck=False)
def descend_blocks(x: Tensor[DType.float64], y: Tensor[DType.float64],
                   w: Tensor[DType.float64], g: Tensor[DType.float64], lr: Float64,
                   iters: Int, blocks: Int, threads: Int):
    """The descent with the samples cut into `blocks` fixed blocks, each summed into its
    own partial gradient acc[block, k, lanes] (then summed in block order), run by
    `parallelize` on `threads` workers (1: a plain loop). With few features the vectors
    run along the samples of a transposed copy X^T (d x n, made once per call, inside
    the clock); with many, along each row of X."""
    n = x.dim(0)
    d = x.dim(1)
    dv = d - d % W
    step = lr * 2.0 / Float64(n)
    columns = d < SMALL_D
    xt = Tensor[DType.float64](d if columns else 1, n if columns else 1)
    if columns:
        for i in range(n):
            for k in range(d):
                xt[k, i] = x[i, k]
    acc = Tensor[DType.float64](blocks, d, W)       # columns: lanes of sum_i r_i x_ik
    accr = Tensor[DType.float64](blocks, d)         # rows: sum_i r_i x_ik
    per = (n // blocks) - (n // blocks) % W         # samples per block, a multiple of W

    @parameter
    def block(c: Int):
        for k in range(d):
            acc.store[W](c, k, 0, SIMD[DType.float64, W](0.0))
            accr[c, k] = 0.0
        lo = c * per
        hi = n if c == blocks - 1 else lo + per
        if columns:
            body = hi - (hi - lo) % W
            for i in range(lo, body, W):
                r = SIMD[DType.float64, W](0.0) - y.load[W](i)
                for k in range(d):
                    r += xt.load[W](k, i) * w[k]
                for k in range(d):
                    acc.store[W](c, k, 0, acc.load[W](c, k, 0) + xt.load[W](k, i) * r)
            for i in range(body, hi):                    # the last few samples
                r1 = -y[i]
                for k in range(d):
                    r1 += xt[k, i] * w[k]
                for k in range(d):
                    acc[c, k, 0] += xt[k, i] * r1
        else:
            for i in range(lo, hi):
                v = SIMD[DType.float64, W](0.0)
                for k in range(0, dv, W):
                    v += x.load[W](i, k) * w.load[W](k)
                r2 = v.reduce_add() - y[i]
                for k in range(dv, d):
                    r2 += x[i, k] * w[k]
                for k in range(0, dv, W):
                    accr.store[W](c, k, accr.load[W](c, k) + x.load[W](i, k) * r2)
                for k in range(dv, d):
                    accr[c, k] += x[i, k] * r2

    for it in range(iters):
        if threads > 1:
            parallelize[block](blocks, threads)
        else:
            for c in range(blocks):
                block(c)
        for k in range(d):
            s = 0.0
            for c in range(blocks):
                s += acc.load[W](c, k, 0).reduce_add() + accr[c, k]
            g[k] = s
            w[k] -= step * s


@mojolite.fn(boundscheck=False)
def linreg_simd(x: Tensor[DType.float64], y: Tensor[DType.float64],
                w: Tensor[DType.float64], g: Tensor[DType.float64], lr: Float64, iters: Int):
    descend_blocks(x, y, w, g, lr, iters, 1, 1)


BLOCKS = 16    # sample blocks per step for the parallel kernel: fixed, so the sum order
               # (and the result) never depends on the thread count


PARALLEL_WORK = 200_000   # n * d below which one step is too short to share (a region
                          # costs microseconds): the kernel then runs on one thread


@mojolite.fn(boundscheck=False)
def linreg_parallel(x: Tensor[DType.float64], y: Tensor[DType.float64],
                    w: Tensor[DType.float64], g: Tensor[DType.float64], lr: Float64,
                    iters: Int):
    if x.dim(0) * x.dim(1) >= PARALLEL_WORK:
        descend_blocks(x, y, w, g, lr, iters, BLOCKS, 2)
    else:
        descend_blocks(x, y, w, g, lr, iters, 1, 1)

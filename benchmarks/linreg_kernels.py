"""mojolite kernels of the linreg benchmark: MSE gradient descent on a n x d float64 matrix.

Every kernel runs the whole descent (`iters` steps) in one call, in place on `w`:
r_i = x_i . w - y_i; g = (2 / n) sum_i r_i x_i; w <- w - lr g. One pass over X per step
(the dot product and the gradient update share the row while it is in cache), which NumPy
cannot do: it reads X twice per step (X @ w, then X.T @ r).

- `linreg_plain`: scalar loops, as one would first write it.
- `linreg_simd`: SIMD vectors of width W with explicit accumulators and `fma` (no
  fast-math needed). Below SMALL_D features the vectors run along the samples of a
  transposed copy of X (`descend_columns`); from SMALL_D on, along the rows of X
  (`descend_rows`): rows padded to a multiple of W features (a copy made once per
  call), taken R = 8 at a time: their 8 residuals (8 accumulators share each vector of
  w), then the gradient update from the same 8 rows while they are in L1 (8 loads and
  fma per vector of the gradient, read and written once per group): X comes from
  memory once per step.
- `linreg_parallel`: the same with the samples split into BLOCKS fixed blocks run by
  `parallelize`, one partial gradient per block, summed in block order (deterministic:
  the result does not depend on the thread count).
"""
from __future__ import annotations

import math

import mojolite
from mojolite import SIMD, DType, Float64, Int, Param, Tensor, parallelize, parameter

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
def descend_columns(x: Tensor[DType.float64], y: Tensor[DType.float64],
                    w: Tensor[DType.float64], g: Tensor[DType.float64], lr: Float64,
                    iters: Int, blocks: Param[Int], threads: Param[Int]):
    """The descent for few features, the samples cut into `blocks` fixed blocks, each
    summed into its own partial gradient acc[block, k, lanes] (then summed in block
    order), run by `parallelize` on `threads` workers (1: a plain loop, and no
    parallel region in the instance). The vectors run
    along the samples of a transposed copy X^T (d x n, made once per call, inside the
    clock)."""
    n = x.dim(0)
    d = x.dim(1)
    step = lr * 2.0 / Float64(n)
    xt = Tensor[DType.float64](d, n)
    for i in range(n):
        for k in range(d):
            xt[k, i] = x[i, k]
    acc = Tensor[DType.float64](blocks, d, W)       # lanes of sum_i r_i x_ik
    per = (n // blocks) - (n // blocks) % W         # samples per block, a multiple of W

    @parameter
    def block(c: Int):
        for k in range(d):
            acc.store[W](c, k, 0, SIMD[DType.float64, W](0.0))
        lo = c * per
        hi = n if c == blocks - 1 else lo + per
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

    for it in range(iters):
        if parameter(threads > 1):
            parallelize[block](blocks, threads)
        else:
            for c in range(blocks):
                block(c)
        for k in range(d):
            s = 0.0
            for c in range(blocks):
                s += acc.load[W](c, k, 0).reduce_add()
            g[k] = s
            w[k] -= step * s


R = 8          # rows per group in descend_rows


@mojolite.fn(boundscheck=False)
def descend_rows(x: Tensor[DType.float64], y: Tensor[DType.float64],
                 w: Tensor[DType.float64], g: Tensor[DType.float64], lr: Float64,
                 iters: Int, blocks: Param[Int], threads: Param[Int]):
    """The descent with vectors along the rows of X, in `blocks` fixed blocks of samples,
    each with its own partial gradient acc[block, :] (summed in block order after each
    step), run by `parallelize` on `threads` workers (1: a plain loop). X and w are
    copied once per call (inside the clock) with the rows padded with zeros to a
    multiple of W features, so that no row has a scalar tail. Within a block, groups
    of R rows: the R residuals (R accumulators share each vector of w), then
    acc += sum_j r_j x_j over the same R rows while they are in L1 (R vector loads and
    fma per vector of acc, the r_j broadcast once per group)."""
    n = x.dim(0)
    d = x.dim(1)
    dp = d + (W - d % W) % W
    step = lr * 2.0 / Float64(n)
    xpad = Tensor[DType.float64](n, dp)             # zeroed: the padding stays 0
    wpad = Tensor[DType.float64](dp)
    acc = Tensor[DType.float64](blocks, dp)
    for i in range(n):
        for k in range(d):
            xpad[i, k] = x[i, k]
    for k in range(d):
        wpad[k] = w[k]
    xp = xpad.unsafe_ptr()
    wp = wpad.unsafe_ptr()
    per = (n // blocks) - (n // blocks) % R         # samples per block, a multiple of R

    @parameter
    def block(c: Int):
        ap = acc.unsafe_ptr() + c * dp
        for k in range(0, dp, W):
            ap.store[W](k, SIMD[DType.float64, W](0.0))
        lo = c * per
        hi = n if c == blocks - 1 else lo + per
        i = lo
        while i + R <= hi:
            p0 = xp + i * dp
            p1 = p0 + dp
            p2 = p1 + dp
            p3 = p2 + dp
            p4 = p3 + dp
            p5 = p4 + dp
            p6 = p5 + dp
            p7 = p6 + dp
            a0 = SIMD[DType.float64, W](0.0)
            a1 = SIMD[DType.float64, W](0.0)
            a2 = SIMD[DType.float64, W](0.0)
            a3 = SIMD[DType.float64, W](0.0)
            a4 = SIMD[DType.float64, W](0.0)
            a5 = SIMD[DType.float64, W](0.0)
            a6 = SIMD[DType.float64, W](0.0)
            a7 = SIMD[DType.float64, W](0.0)
            for k in range(0, dp, W):
                wv = wp.load[W](k)
                a0 = math.fma(p0.load[W](k), wv, a0)
                a1 = math.fma(p1.load[W](k), wv, a1)
                a2 = math.fma(p2.load[W](k), wv, a2)
                a3 = math.fma(p3.load[W](k), wv, a3)
                a4 = math.fma(p4.load[W](k), wv, a4)
                a5 = math.fma(p5.load[W](k), wv, a5)
                a6 = math.fma(p6.load[W](k), wv, a6)
                a7 = math.fma(p7.load[W](k), wv, a7)
            r0 = SIMD[DType.float64, W](a0.reduce_add() - y[i])
            r1 = SIMD[DType.float64, W](a1.reduce_add() - y[i + 1])
            r2 = SIMD[DType.float64, W](a2.reduce_add() - y[i + 2])
            r3 = SIMD[DType.float64, W](a3.reduce_add() - y[i + 3])
            r4 = SIMD[DType.float64, W](a4.reduce_add() - y[i + 4])
            r5 = SIMD[DType.float64, W](a5.reduce_add() - y[i + 5])
            r6 = SIMD[DType.float64, W](a6.reduce_add() - y[i + 6])
            r7 = SIMD[DType.float64, W](a7.reduce_add() - y[i + 7])
            for k in range(0, dp, W):
                u = math.fma(p0.load[W](k), r0, ap.load[W](k))
                v = p4.load[W](k) * r4
                u = math.fma(p1.load[W](k), r1, u)
                v = math.fma(p5.load[W](k), r5, v)
                u = math.fma(p2.load[W](k), r2, u)
                v = math.fma(p6.load[W](k), r6, v)
                u = math.fma(p3.load[W](k), r3, u)
                v = math.fma(p7.load[W](k), r7, v)
                ap.store[W](k, u + v)
            i += R
        while i < hi:                                # the last rows of the block
            pi = xp + i * dp
            a = SIMD[DType.float64, W](0.0)
            for k in range(0, dp, W):
                a = math.fma(pi.load[W](k), wp.load[W](k), a)
            ri = SIMD[DType.float64, W](a.reduce_add() - y[i])
            for k in range(0, dp, W):
                ap.store[W](k, math.fma(pi.load[W](k), ri, ap.load[W](k)))
            i += 1

    for it in range(iters):
        if parameter(threads > 1):
            parallelize[block](blocks, threads)
        else:
            for c in range(blocks):
                block(c)
        for k in range(d):
            s = 0.0
            for c in range(blocks):
                s += acc[c, k]
            g[k] = s
            wpad[k] -= step * s
    for k in range(d):
        w[k] = wpad[k]


@mojolite.fn(boundscheck=False)
def descend_blocks(x: Tensor[DType.float64], y: Tensor[DType.float64],
                   w: Tensor[DType.float64], g: Tensor[DType.float64], lr: Float64,
                   iters: Int, blocks: Param[Int], threads: Param[Int]):
    """`descend_columns` below SMALL_D features, `descend_rows` from there on."""
    if x.dim(1) < SMALL_D:
        descend_columns[blocks, threads](x, y, w, g, lr, iters)
    else:
        descend_rows[blocks, threads](x, y, w, g, lr, iters)


@mojolite.fn(boundscheck=False)
def linreg_simd(x: Tensor[DType.float64], y: Tensor[DType.float64],
                w: Tensor[DType.float64], g: Tensor[DType.float64], lr: Float64, iters: Int):
    descend_blocks[1, 1](x, y, w, g, lr, iters)


BLOCKS = 16    # sample blocks per step for the parallel kernel: fixed, so the sum order
               # (and the result) never depends on the thread count


PARALLEL_WORK = 200_000   # n * d below which one step is too short to share (a region
                          # costs microseconds): the kernel then runs on one thread


@mojolite.fn(boundscheck=False)
def linreg_parallel(x: Tensor[DType.float64], y: Tensor[DType.float64],
                    w: Tensor[DType.float64], g: Tensor[DType.float64], lr: Float64,
                    iters: Int):
    if x.dim(0) * x.dim(1) >= PARALLEL_WORK:
        descend_blocks[BLOCKS, 2](x, y, w, g, lr, iters)
    else:
        descend_blocks[1, 1](x, y, w, g, lr, iters)

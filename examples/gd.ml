"""Recover N points from their pairwise distances by gradient descent.

The problem, as the seed project states it. Target points P (N x dim) come from a shape;
the solver is given only D[i, j] = |P_i - P_j|. From a random X0 it minimises

    L(X) = sum_i sum_j (|X_i - X_j|^2 - D_ij^2)^2

by a fixed number of steps X <- X - lr * G (no early stopping), with

    G_i = 4 * sum_j (|X_i - X_j|^2 - D_ij^2) * (X_i - X_j)

G is the seed's formula and it is exactly HALF of the gradient of L: every pair (i, j)
appears twice in L, so dL/dX_i = 8 * sum_j (...). We keep the seed's G, so `lr` means what
it meant there (a step of lr along G is a step of lr/2 along the true gradient).

    mojolite run examples/gd.ml                       # circle, N=10, dim 2, the seed's lr 0.001
    mojolite run examples/gd.ml --shape sphere --n 1000 --dim 3 --kernel parallel --dtype float32
    mojolite run examples/gd.ml --shape flame --n 400 --iters 3000 --every 500

main's parameters: --shape circle|sphere|flame, --n points, --dim of the solution (any
dim >= 1; the target keeps its own: circle and flame are 2-D, sphere 3-D), --lr (0: the rule
below), --iters, --kernel plain|simd|parallel, --dtype float64|float32, --every (progress
every k iterations; 0: iters/10), --seed, --threads (0: the default of `parallelize`, all
cores or MOJOLITE_NUM_THREADS).

Shapes: circle (radius 0.5, angle 2*pi*i/N), sphere (radius 0.5, the spiral
phi_i = acos(1 - 2i/N), theta_i = sqrt(N*pi) * phi_i) and flame, this project's own 2-D
flame outline (an outer flame with tongues on its sides and an inner core; any N).
A CSV file of points (`--shape logo.csv`) needs examples/gd.py: the language has no file
I/O, so gd.py reads the file with NumPy and calls the kernels below with the points.

Step size. The curvature of L grows with N and with the square of the cloud's size: a step
that works for 10 points diverges for 1000 (the seed's 1000-point logo diverges at 0.001 and
converges at 0.0003). `--lr 0`, the default, takes

    lr = min(0.001, 0.1 / (N * max(mean(D^2), dim / 6)))     (2 significant digits, down)

mean(D^2) being the target's mean squared distance and dim/6 that of X0 (uniform in the
unit cube). It is the seed's 0.001 up to a few hundred points, 0.0003 for the 1000-point
logo and 0.0002 for a 1000-point circle or sphere. A run whose loss becomes inf or nan
stops, names the iteration and suggests a smaller step.

X0 comes from the language's own generator: `random.seed(seed)`, then random_float64() for
X[0, 0], X[0, 1], X[1, 0] ... (uniform in [0, 1) like NumPy's rand, but a different
generator, so the numbers and the losses differ from the seed's run). examples/gd.py starts
from the seed's X0 (np.random.seed(42); np.random.rand(N, dim)) and reproduces its losses
(circle, N=10: 3.2985e-06 after 1000 steps).

The three gradient kernels compute the same G (to rounding):
  grad_plain     the seed's double loop over i and j, Tensor indexing;
  grad_simd      a structure-of-arrays copy XT (dim x N) of X, then for each i the j loop
                 in SIMD vectors with one accumulator vector per coordinate (fma, no
                 fast-math: the vector accumulators do what -ffast-math lets a C compiler do);
  grad_parallel  grad_simd's row kernel with the rows spread over threads by `parallelize`.
The j loop of the row kernel is written out (two native vectors per step, then one, then
scalars) rather than with `vectorize`, because each width has its own accumulators; one
`pairs[dtype, nd, w]` function holds the arithmetic for all three.
Each is generic over the element type (`[dtype: DType]`). Python (mojolite.load, NumPy
arrays as Tensors) calls the float64 and float32 instances: descend_f64/_f32 (the loop,
in place), loss_f64/_f32, grad_plain/grad_simd/grad_parallel_f64/_f32 (one G from the
squared distances), and shape_points, distances_f64, step_size. See examples/gd.py; the
benchmarks (`python -m benchmarks`) time descend_f64/_f32.
"""
from math import sqrt, cos, sin, acos, pi, fma, isfinite, floor, log10
from algorithm import parallelize, vectorize
from sys import simdwidthof
from random import seed, random_float64
from time import perf_counter_ns


# -- shapes --------------------------------------------------------------------------------

fn shape_dim(shape: String) raises -> Int:
    """The dimension of a built-in shape; an unknown name is the user's error."""
    if shape == "circle" or shape == "flame":
        return 2
    if shape == "sphere":
        return 3
    raise Error("unknown shape: the built-in shapes are circle, sphere and flame; for a CSV file of points run examples/gd.py --shape points.csv (the language cannot read files)")


fn circle(n: Int) -> Tensor[DType.float64]:
    var P = Tensor[DType.float64](n, 2)
    for i in range(n):
        var a = 2.0 * pi * Float64(i) / Float64(n)
        P[i, 0] = 0.5 * cos(a)
        P[i, 1] = 0.5 * sin(a)
    return P


fn sphere(n: Int) -> Tensor[DType.float64]:
    var P = Tensor[DType.float64](n, 3)
    for i in range(n):
        var phi = acos(1.0 - 2.0 * Float64(i) / Float64(n))
        var theta = sqrt(Float64(n) * pi) * phi
        P[i, 0] = 0.5 * cos(theta) * sin(phi)
        P[i, 1] = 0.5 * sin(theta) * sin(phi)
        P[i, 2] = 0.5 * cos(phi)
    return P


fn flame_point(t: Float64, scale: Float64, lick: Float64, mut x: Float64, mut y: Float64):
    """One point of a flame outline at t in [0, 2*pi): a teardrop whose tip (t = 0) is at the
    top and bends to the right, with tongues (`lick`) that grow toward the tip."""
    var half = sin(0.5 * t)                  # 0 at the tip, 1 at the bottom
    var top = cos(0.5 * t) ** 2              # 1 at the tip, 0 at the bottom
    var width = sin(t) * half ** 1.2
    var wave = 1.0 + lick * sin(4.0 * t + 0.6) * top
    x = 0.34 * scale * width * wave + 0.1 * scale * cos(0.5 * t) ** 8 * half
    y = 0.5 * scale * cos(t) - 0.34 * (1.0 - scale)


fn flame(n: Int) -> Tensor[DType.float64]:
    """The project's flame: three quarters of the points on the outer outline, the rest on
    an inner core half its size."""
    var P = Tensor[DType.float64](n, 2)
    var outer = n - n // 4
    var x: Float64 = 0.0
    var y: Float64 = 0.0
    for i in range(n):
        if i < outer:
            flame_point(2.0 * pi * Float64(i) / Float64(outer), 1.0, 0.45, x, y)
        else:
            flame_point(2.0 * pi * Float64(i - outer) / Float64(n - outer), 0.5, 0.25, x, y)
        P[i, 0] = x
        P[i, 1] = y
    return P


fn shape_points(shape: String, n: Int) raises -> Tensor[DType.float64]:
    """The N target points of a built-in shape (N x its own dim)."""
    if n < 1:
        raise Error("--n must be at least 1")
    _ = shape_dim(shape)
    if shape == "circle":
        return circle(n)
    if shape == "sphere":
        return sphere(n)
    return flame(n)


fn distances[dtype: DType](P: Tensor[dtype]) -> Tensor[dtype]:
    """D[i, j] = |P_i - P_j|, computed in float64."""
    var n = P.dim(0)
    var D = Tensor[dtype](n, n)
    for i in range(n):
        for j in range(n):
            var s: Float64 = 0.0
            for k in range(P.dim(1)):
                var d = Float64(P[i, k]) - Float64(P[j, k])
                s += d * d
            D[i, j] = Scalar[dtype](sqrt(s))
    return D


fn squared[dtype: DType](D: Tensor[dtype]) -> Tensor[dtype]:
    """D * D elementwise: the kernels take squared distances."""
    var n = D.dim(0)
    var D2 = Tensor[dtype](n, D.dim(1))
    for i in range(n):
        for j in range(D.dim(1)):
            D2[i, j] = D[i, j] * D[i, j]
    return D2


fn auto_lr[dtype: DType](D: Tensor[dtype], dim: Int) -> Float64:
    """The step-size rule of the docstring: min(0.001, 0.1 / (N * max(mean D^2, dim/6))),
    rounded down to 2 significant digits."""
    var n = D.dim(0)
    var s: Float64 = 0.0
    for i in range(n):
        for j in range(n):
            s += Float64(D[i, j]) * Float64(D[i, j])
    var spread = max(s / Float64(n * n), Float64(dim) / 6.0)
    var lr = min(0.001, 0.1 / (Float64(n) * spread))
    var scale = 10.0 ** Float64(1 - Int(floor(log10(lr))))     # keep 2 significant digits,
    return floor(lr * scale) / scale                             # rounded down


fn initial_x[dtype: DType](n: Int, dim: Int, s: Int) -> Tensor[dtype]:
    """X0 uniform in [0, 1), row by row from the language's generator seeded with s."""
    seed(s)
    var X = Tensor[dtype](n, dim)
    for i in range(n):
        for k in range(dim):
            X[i, k] = Scalar[dtype](random_float64())
    return X


# -- the loss and the three gradient kernels -----------------------------------------------

fn loss[dtype: DType](X: Tensor[dtype], D2: Tensor[dtype]) -> Float64:
    """L(X) = sum over all (i, j) of (|X_i - X_j|^2 - D2_ij)^2, accumulated in float64
    (each unordered pair once, doubled: the terms are symmetric and the diagonal is 0)."""
    var n = X.dim(0)
    var total: Float64 = 0.0
    for i in range(n):
        var row: Float64 = 0.0
        for j in range(i + 1, n):
            var s: Float64 = 0.0
            for k in range(X.dim(1)):
                var d = Float64(X[i, k]) - Float64(X[j, k])
                s += d * d
            var c = s - Float64(D2[i, j])
            row += c * c
        total += row
    for i in range(n):               # |X_i - X_i|^2 = 0: only a nonzero D2_ii counts
        total += 0.5 * Float64(D2[i, i]) * Float64(D2[i, i])
    return 2.0 * total


fn grad_plain[dtype: DType](X: Tensor[dtype], D2: Tensor[dtype], G: Tensor[dtype]):
    """G_i = 4 * sum_j (|X_i - X_j|^2 - D2_ij) (X_i - X_j): the seed's loops."""
    var n = X.dim(0)
    var dim = X.dim(1)
    for i in range(n):
        for k in range(dim):
            G[i, k] = 0
        for j in range(n):
            var s: Scalar[dtype] = 0
            for k in range(dim):
                var d = X[i, k] - X[j, k]
                s += d * d
            var c = 4 * (s - D2[i, j])
            for k in range(dim):
                G[i, k] += c * (X[i, k] - X[j, k])


fn transposed[dtype: DType](X: Tensor[dtype]) -> Tensor[dtype]:
    """The structure-of-arrays copy: XT[k, i] = X[i, k], so that coordinate k of W
    consecutive points is one vector load."""
    var n = X.dim(0)
    var XT = Tensor[dtype](X.dim(1), n)
    for i in range(n):
        for k in range(X.dim(1)):
            XT[k, i] = X[i, k]
    return XT


@always_inline
fn pairs[dtype: DType, nd: Int, w: Int](xt: UnsafePointer[Scalar[dtype]], n: Int, j: Int,
                                       nd2: SIMD[dtype, w], x0: Scalar[dtype],
                                       x1: Scalar[dtype], x2: Scalar[dtype],
                                       x3: Scalar[dtype], mut a0: SIMD[dtype, w],
                                       mut a1: SIMD[dtype, w], mut a2: SIMD[dtype, w],
                                       mut a3: SIMD[dtype, w]):
    """Points j .. j+w-1 against point i (coordinates x0..x3): a_k += c * (x_k - XT[k, j..]),
    c = |X_i - X_j|^2 - D2_ij, summed by fma onto nd2 = -D2_ij (one instruction less than
    subtracting D2 at the end). nd (1 to 4) is a compile-time parameter: the branches on
    it fold away, and the unused accumulators with them."""
    var e0 = x0 - xt.load[width=w](j)
    var s = fma(e0, e0, nd2)
    var e1 = SIMD[dtype, w](0)
    var e2 = SIMD[dtype, w](0)
    var e3 = SIMD[dtype, w](0)
    if nd > 1:
        e1 = x1 - xt.load[width=w](n + j)
        s = fma(e1, e1, s)
    if nd > 2:
        e2 = x2 - xt.load[width=w](2 * n + j)
        s = fma(e2, e2, s)
    if nd > 3:
        e3 = x3 - xt.load[width=w](3 * n + j)
        s = fma(e3, e3, s)
    var c = s
    a0 = fma(c, e0, a0)
    if nd > 1:
        a1 = fma(c, e1, a1)
    if nd > 2:
        a2 = fma(c, e2, a2)
    if nd > 3:
        a3 = fma(c, e3, a3)


# Vector width of the j loop: two native vectors per step, so that each coordinate has two
# independent accumulator chains (LLVM splits the wider vector), then one native vector,
# then scalars for the last few j.
alias UNROLL = 2


fn grad_row[dtype: DType, nd: Int](XT: Tensor[dtype], ND2: Tensor[dtype], GT: Tensor[dtype],
                                   i: Int):
    """G_i for nd <= 4 coordinates, from the SoA copy XT and the negated squared distances
    ND2 = -D*D into the SoA gradient GT[k, i]."""
    alias V = simdwidthof[dtype]()
    alias W = UNROLL * V
    var n = XT.dim(1)
    var xt = XT.unsafe_ptr()
    var x0 = xt[i]
    var x1 = xt[n + i] if nd > 1 else Scalar[dtype](0)
    var x2 = xt[2 * n + i] if nd > 2 else Scalar[dtype](0)
    var x3 = xt[3 * n + i] if nd > 3 else Scalar[dtype](0)
    var a0 = SIMD[dtype, W](0)
    var a1 = SIMD[dtype, W](0)
    var a2 = SIMD[dtype, W](0)
    var a3 = SIMD[dtype, W](0)
    var j = 0
    while j + W <= n:
        pairs[dtype, nd, W](xt, n, j, ND2.load[width=W](i, j), x0, x1, x2, x3, a0, a1, a2, a3)
        j += W
    var b0 = SIMD[dtype, V](0)
    var b1 = SIMD[dtype, V](0)
    var b2 = SIMD[dtype, V](0)
    var b3 = SIMD[dtype, V](0)
    while j + V <= n:
        pairs[dtype, nd, V](xt, n, j, ND2.load[width=V](i, j), x0, x1, x2, x3, b0, b1, b2, b3)
        j += V
    var t0: Scalar[dtype] = 0
    var t1: Scalar[dtype] = 0
    var t2: Scalar[dtype] = 0
    var t3: Scalar[dtype] = 0
    while j < n:
        pairs[dtype, nd, 1](xt, n, j, ND2[i, j], x0, x1, x2, x3, t0, t1, t2, t3)
        j += 1
    GT[0, i] = 4 * (a0.reduce_add() + b0.reduce_add() + t0)
    if nd > 1:
        GT[1, i] = 4 * (a1.reduce_add() + b1.reduce_add() + t1)
    if nd > 2:
        GT[2, i] = 4 * (a2.reduce_add() + b2.reduce_add() + t2)
    if nd > 3:
        GT[3, i] = 4 * (a3.reduce_add() + b3.reduce_add() + t3)


fn grad_row_any[dtype: DType](XT: Tensor[dtype], ND2: Tensor[dtype], GT: Tensor[dtype],
                              i: Int):
    """G_i for any number of coordinates: per block of j, c from all coordinates, then
    each coordinate's contribution reduced into GT[k, i]."""
    alias V = simdwidthof[dtype]()
    var n = XT.dim(1)
    var dim = XT.dim(0)
    var xt = XT.unsafe_ptr()
    for k in range(dim):
        GT[k, i] = 0
    var j = 0
    while j + V <= n:
        var s = SIMD[dtype, V](0)
        for k in range(dim):
            var e = xt[k * n + i] - xt.load[width=V](k * n + j)
            s = fma(e, e, s)
        var c = 4 * (s + ND2.load[width=V](i, j))
        for k in range(dim):
            var e = xt[k * n + i] - xt.load[width=V](k * n + j)
            GT[k, i] += (c * e).reduce_add()
        j += V
    while j < n:
        var s: Scalar[dtype] = 0
        for k in range(dim):
            var e = xt[k * n + i] - xt[k * n + j]
            s += e * e
        var c = 4 * (s + ND2[i, j])
        for k in range(dim):
            GT[k, i] += c * (xt[k * n + i] - xt[k * n + j])
        j += 1


fn rows[dtype: DType](XT: Tensor[dtype], ND2: Tensor[dtype], GT: Tensor[dtype], i0: Int,
                      i1: Int):
    """G_i for i in i0 .. i1-1, the row kernel specialised for the dimension."""
    var dim = XT.dim(0)
    for i in range(i0, i1):
        if dim == 2:
            grad_row[dtype, 2](XT, ND2, GT, i)
        elif dim == 3:
            grad_row[dtype, 3](XT, ND2, GT, i)
        elif dim == 1:
            grad_row[dtype, 1](XT, ND2, GT, i)
        elif dim == 4:
            grad_row[dtype, 4](XT, ND2, GT, i)
        else:
            grad_row_any[dtype](XT, ND2, GT, i)


fn rows_parallel[dtype: DType](XT: Tensor[dtype], ND2: Tensor[dtype], GT: Tensor[dtype],
                               threads: Int):
    """Every G_i, blocks of 8 rows spread over threads (`parallelize` hands the blocks out
    in contiguous chunks, about 4 per thread, so a slow thread takes fewer; threads 0: its
    default, all cores or MOJOLITE_NUM_THREADS)."""
    alias BLOCK = 8
    var n = XT.dim(1)

    @parameter
    fn block(b: Int):
        rows[dtype](XT, ND2, GT, b * BLOCK, min(n, (b + 1) * BLOCK))

    if threads > 0:
        parallelize[block]((n + BLOCK - 1) // BLOCK, threads)
    else:
        parallelize[block]((n + BLOCK - 1) // BLOCK)


fn negated[dtype: DType](D2: Tensor[dtype]) -> Tensor[dtype]:
    var ND2 = Tensor[dtype](D2.dim(0), D2.dim(1))
    for i in range(D2.dim(0)):
        for j in range(D2.dim(1)):
            ND2[i, j] = -D2[i, j]
    return ND2


fn untransposed[dtype: DType](GT: Tensor[dtype], G: Tensor[dtype]):
    for i in range(G.dim(0)):
        for k in range(G.dim(1)):
            G[i, k] = GT[k, i]


fn grad_simd[dtype: DType](X: Tensor[dtype], D2: Tensor[dtype], G: Tensor[dtype]):
    """G by the SIMD row kernel, one thread (through SoA copies of X and G)."""
    var XT = transposed[dtype](X)
    var GT = Tensor[dtype](X.dim(1), X.dim(0))
    rows[dtype](XT, negated[dtype](D2), GT, 0, X.dim(0))
    untransposed[dtype](GT, G)


fn grad_parallel[dtype: DType](X: Tensor[dtype], D2: Tensor[dtype], G: Tensor[dtype],
                               threads: Int):
    """G by the SIMD row kernel on threads (through SoA copies of X and G)."""
    var XT = transposed[dtype](X)
    var GT = Tensor[dtype](X.dim(1), X.dim(0))
    rows_parallel[dtype](XT, negated[dtype](D2), GT, threads)
    untransposed[dtype](GT, G)


# -- the loop ------------------------------------------------------------------------------

fn kernel_id(kernel: String) raises -> Int:
    if kernel == "plain":
        return 0
    if kernel == "simd":
        return 1
    if kernel == "parallel":
        return 2
    raise Error("unknown kernel: use plain, simd or parallel")


fn check_problem[dtype: DType](X: Tensor[dtype], D: Tensor[dtype]) raises:
    if X.rank() != 2 or D.rank() != 2:
        raise Error("X must be N x dim and D N x N")
    if X.dim(0) < 1 or X.dim(1) < 1:
        raise Error("X must have at least one point and one coordinate")
    if D.dim(0) != X.dim(0) or D.dim(1) != X.dim(0):
        raise Error("D must be N x N for an X of N points")


fn steps[dtype: DType](X: Tensor[dtype], D2: Tensor[dtype], lr: Float64, iters: Int,
                       kernel: Int, threads: Int) -> Int:
    """iters steps X <- X - lr * G in place. Returns -1, or the 1-based step after which X
    stopped being finite (the loss is then inf or nan): the run diverged."""
    if kernel == 0:
        return steps_plain[dtype](X, D2, lr, iters)
    # The SIMD kernels keep X and G as structure-of-arrays copies (dim x N) for the whole
    # run: one copy in, one copy out, and the update is one vector loop.
    var XT = transposed[dtype](X)
    var GT = Tensor[dtype](X.dim(1), X.dim(0))
    var ND2 = negated[dtype](D2)
    var size = X.dim(0) * X.dim(1)
    var xt = XT.unsafe_ptr()
    var gt = GT.unsafe_ptr()
    var step = Scalar[dtype](lr)
    var bad = -1
    for t in range(iters):
        if kernel == 1:
            rows[dtype](XT, ND2, GT, 0, X.dim(0))
        else:
            rows_parallel[dtype](XT, ND2, GT, threads)
        var probe: Scalar[dtype] = 0        # stays 0 while every coordinate is finite

        @parameter
        fn update[w: Int](k: Int):
            var x = xt.load[width=w](k) - step * gt.load[width=w](k)
            xt.store[width=w](k, x)
            probe += (x * 0).reduce_add()

        vectorize[update, simdwidthof[dtype]()](size)
        if not isfinite(probe):
            bad = t + 1
            break
    untransposed[dtype](XT, X)
    return bad


fn steps_plain[dtype: DType](X: Tensor[dtype], D2: Tensor[dtype], lr: Float64,
                             iters: Int) -> Int:
    var n = X.dim(0)
    var dim = X.dim(1)
    var G = Tensor[dtype](n, dim)
    var step = Scalar[dtype](lr)
    for t in range(iters):
        grad_plain[dtype](X, D2, G)
        var probe: Scalar[dtype] = 0
        for i in range(n):
            for k in range(dim):
                var x = X[i, k] - step * G[i, k]
                X[i, k] = x
                probe += x * 0
        if not isfinite(probe):
            return t + 1
    return -1


fn descend[dtype: DType](X: Tensor[dtype], D: Tensor[dtype], lr: Float64, iters: Int,
                         kernel: String, threads: Int) raises -> Int:
    """iters gradient steps on X (N x dim, in place) toward the distances D (N x N) with
    the named kernel. Returns -1, or the step at which the run diverged."""
    check_problem[dtype](X, D)
    var k = kernel_id(kernel)
    if not lr >= 0.0:
        raise Error("the step lr must be >= 0")
    if iters < 0 or threads < 0:
        raise Error("iters and threads must be >= 0")
    return steps[dtype](X, squared[dtype](D), lr, iters, k, threads)


# -- Python entry points (float64 and float32 instances) -----------------------------------

fn descend_f64(X: Tensor[DType.float64], D: Tensor[DType.float64], lr: Float64, iters: Int,
               kernel: String = "parallel", threads: Int = 0) raises -> Int:
    return descend[DType.float64](X, D, lr, iters, kernel, threads)


fn descend_f32(X: Tensor[DType.float32], D: Tensor[DType.float32], lr: Float64, iters: Int,
               kernel: String = "parallel", threads: Int = 0) raises -> Int:
    return descend[DType.float32](X, D, lr, iters, kernel, threads)


fn loss_f64(X: Tensor[DType.float64], D: Tensor[DType.float64]) raises -> Float64:
    check_problem[DType.float64](X, D)
    return loss[DType.float64](X, squared[DType.float64](D))


fn loss_f32(X: Tensor[DType.float32], D: Tensor[DType.float32]) raises -> Float64:
    check_problem[DType.float32](X, D)
    return loss[DType.float32](X, squared[DType.float32](D))


fn grad_plain_f64(X: Tensor[DType.float64], D2: Tensor[DType.float64],
                  G: Tensor[DType.float64]) raises:
    check_problem[DType.float64](X, D2)
    grad_plain[DType.float64](X, D2, G)


fn grad_simd_f64(X: Tensor[DType.float64], D2: Tensor[DType.float64],
                 G: Tensor[DType.float64]) raises:
    check_problem[DType.float64](X, D2)
    grad_simd[DType.float64](X, D2, G)


fn grad_parallel_f64(X: Tensor[DType.float64], D2: Tensor[DType.float64],
                     G: Tensor[DType.float64], threads: Int = 0) raises:
    check_problem[DType.float64](X, D2)
    grad_parallel[DType.float64](X, D2, G, threads)


fn grad_plain_f32(X: Tensor[DType.float32], D2: Tensor[DType.float32],
                  G: Tensor[DType.float32]) raises:
    check_problem[DType.float32](X, D2)
    grad_plain[DType.float32](X, D2, G)


fn grad_simd_f32(X: Tensor[DType.float32], D2: Tensor[DType.float32],
                 G: Tensor[DType.float32]) raises:
    check_problem[DType.float32](X, D2)
    grad_simd[DType.float32](X, D2, G)


fn grad_parallel_f32(X: Tensor[DType.float32], D2: Tensor[DType.float32],
                     G: Tensor[DType.float32], threads: Int = 0) raises:
    check_problem[DType.float32](X, D2)
    grad_parallel[DType.float32](X, D2, G, threads)


fn distances_f64(P: Tensor[DType.float64]) -> Tensor[DType.float64]:
    return distances[DType.float64](P)


fn step_size(D: Tensor[DType.float64], dim: Int) -> Float64:
    """The default lr for these distances and this dimension of the solution."""
    return auto_lr[DType.float64](D, dim)


# -- the program ---------------------------------------------------------------------------

fn solve[dtype: DType](D64: Tensor[DType.float64], dim: Int, lr: Float64, iters: Int,
                       kernel: Int, every: Int, s: Int, threads: Int) raises:
    var n = D64.dim(0)
    var D2 = Tensor[dtype](n, n)
    for i in range(n):
        for j in range(n):
            var d = Scalar[dtype](D64[i, j])
            D2[i, j] = d * d
    var X = initial_x[dtype](n, dim, s)
    var first = loss[dtype](X, D2)
    print("iteration", 0, "loss", first)
    var done = 0
    var ns = 0
    var last = first
    while done < iters:
        var m = min(every, iters - done)
        var start = perf_counter_ns()
        var bad = steps[dtype](X, D2, lr, m, kernel, threads)
        ns += perf_counter_ns() - start
        if bad >= 0:
            print("diverged: the loss became inf/nan at iteration", done + bad, "with lr", lr)
            print("try a smaller step, e.g. --lr", lr / 3.0)
            raise Error("gradient descent diverged: use a smaller --lr")
        done += m
        last = loss[dtype](X, D2)
        print("iteration", done, "loss", last)
    print("initial loss", first)
    print("final loss  ", last)
    if iters > 0:
        var us = Float64(ns) / 1000.0 / Float64(iters)
        print("time per iteration:", Float64(Int(us * 100.0 + 0.5)) / 100.0, "us")


fn main(shape: String = "circle", n: Int = 10, dim: Int = 2, lr: Float64 = 0.0,
        iters: Int = 1000, kernel: String = "parallel", dtype: String = "float64",
        every: Int = 0, seed: Int = 42, threads: Int = 0) raises:
    # Every argument is checked before any work starts.
    var shape_d = shape_dim(shape)
    var k = kernel_id(kernel)
    if dtype != "float64" and dtype != "float32":
        raise Error("unknown dtype: use float64 or float32")
    if n < 1:
        raise Error("--n must be at least 1 (the number of points)")
    if dim < 1:
        raise Error("--dim must be at least 1 (the dimension of the solution)")
    if not lr >= 0.0 or not isfinite(lr):
        raise Error("--lr must be a finite step >= 0 (0 picks one from N and the shape)")
    if iters < 0 or every < 0 or threads < 0:
        raise Error("--iters, --every and --threads must be >= 0")
    var P = shape_points(shape, n)
    var D = distances[DType.float64](P)
    var rate = lr if lr > 0.0 else auto_lr[DType.float64](D, dim)
    var k_every = every if every > 0 else max(1, iters // 10)
    print("gd:", shape, "N =", n, "dim =", dim, dtype, "kernel", kernel, "lr", rate, end="")
    if lr == 0.0:
        print(" (from N and the shape's size)", end="")
    print(" iterations", iters)
    if dim < shape_d:
        print("note:", shape, "has", shape_d, "dimensions; with --dim", dim,
              "the loss cannot reach 0")
    if dtype == "float64":
        solve[DType.float64](D, dim, rate, iters, k, k_every, seed, threads)
    else:
        solve[DType.float32](D, dim, rate, iters, k, k_every, seed, threads)

"""A batched autograd engine: tensor values (rows x cols matrices of Float64) on a tape.

Input: run as `mojolite run examples/autograd/batched.ml [--task moons|spirals] [--steps N]`,
or loaded from Python (examples/autograd.py). Output: loss and accuracy per step; from
Python, the functions at the end fill NumPy arrays.

Representation: as in scalar.ml, a tape in structure-of-arrays form, one node per tensor:
its data and grad buffers (rows * cols Float64 each, row-major), shape, op code, operand
indices and a constant. Operands always precede their results, so the tape's order is
topological and `backward` walks it downwards once. A training step builds its graph after
the parameter and input leaves; `truncate` then forgets the step's nodes but keeps their
buffers, which the next step's identical graph reuses (no allocation after the first step).

Ops (and their backward passes): + - * / elementwise on equal shapes, `+` of a 1 x c row
(bias add, broadcast over rows), `**` by a constant, negation, relu, tanh, exp, log,
matmul (`@`), sum, mean, sum of squares, log-softmax over each row, the mean negative
log-likelihood of integer labels (with log-softmax: cross-entropy) and the SVM max-margin
loss mean(relu(1 - y * s)). Errors: shape mismatches, backward from a non-1x1 tensor, log
of a value <= 0 (the NaN policy: refused, rather than letting -inf or NaN in) and a wrong
parameter count all raise.
"""
from math import tanh, exp, log, cos, sin, sqrt, pi
from memory import memcpy, memset_zero
from algorithm import parallelize, vectorize
from sys import simdwidthof

alias LEAF = 0
alias ADD = 1
alias SUB = 2
alias MUL = 3
alias DIV = 4
alias POW = 5
alias NEG = 6
alias RELU = 7
alias TANH = 8
alias EXP = 9
alias LOG = 10
alias MATMUL = 11
alias BIAS = 12
alias SUM = 13
alias MEAN = 14
alias SUMSQ = 15
alias LOGSOFTMAX = 16
alias NLL = 17
alias SVM = 18

# row blocks at least this large are split across threads (smaller ones run serially)
alias PAR_ROWS = 256
alias W = simdwidthof[DType.float64]()


fn axpy(y: UnsafePointer[Float64], a: Float64, x: UnsafePointer[Float64], n: Int):
    """y[0:n] += a * x[0:n], in SIMD vectors of the host's width."""
    @parameter
    fn body[width: Int](j: Int):
        y.store[width=width](j, y.load[width=width](j) + a * x.load[width=width](j))
    vectorize[body, W](n)


fn add_combination(out: UnsafePointer[Float64], coef: UnsafePointer[Float64],
                   M: UnsafePointer[Float64], K: Int, N: Int):
    """out[0:N] += sum over k of coef[k] * M[k, 0:N] (M: K x N, row-major), summed in
    order of k. The accumulators stay in registers: 4 vectors of the host's width per
    step of k, which gives the FMA units independent chains."""
    @parameter
    fn body[width: Int](j: Int):
        var acc = out.load[width=width](j)
        for k in range(K):
            acc += coef[k] * M.load[width=width](k * N + j)
        out.store[width=width](j, acc)
    vectorize[body, 4 * W](N)


struct BTape:
    var data: UnsafePointer[UnsafePointer[Float64]]
    var grad: UnsafePointer[UnsafePointer[Float64]]
    var rows: UnsafePointer[Int]
    var cols: UnsafePointer[Int]
    var op: UnsafePointer[Int]
    var a: UnsafePointer[Int]
    var b: UnsafePointer[Int]
    var k: UnsafePointer[Float64]
    var room: UnsafePointer[Int]
    var n: Int
    var cap: Int
    var live: Int

    fn __init__(out self, cap: Int):
        var c = max(cap, 16)
        self.data = UnsafePointer[UnsafePointer[Float64]].alloc(c)
        self.grad = UnsafePointer[UnsafePointer[Float64]].alloc(c)
        self.rows = UnsafePointer[Int].alloc(c)
        self.cols = UnsafePointer[Int].alloc(c)
        self.op = UnsafePointer[Int].alloc(c)
        self.a = UnsafePointer[Int].alloc(c)
        self.b = UnsafePointer[Int].alloc(c)
        self.k = UnsafePointer[Float64].alloc(c)
        self.room = UnsafePointer[Int].alloc(c)
        self.n = 0
        self.cap = c
        self.live = 0

    fn grow(mut self):
        var c = self.cap * 2
        var data = UnsafePointer[UnsafePointer[Float64]].alloc(c)
        var grad = UnsafePointer[UnsafePointer[Float64]].alloc(c)
        var rows = UnsafePointer[Int].alloc(c)
        var cols = UnsafePointer[Int].alloc(c)
        var op = UnsafePointer[Int].alloc(c)
        var a = UnsafePointer[Int].alloc(c)
        var b = UnsafePointer[Int].alloc(c)
        var k = UnsafePointer[Float64].alloc(c)
        var room = UnsafePointer[Int].alloc(c)
        memcpy(data, self.data, self.live)
        memcpy(grad, self.grad, self.live)
        memcpy(room, self.room, self.live)
        memcpy(rows, self.rows, self.n)
        memcpy(cols, self.cols, self.n)
        memcpy(op, self.op, self.n)
        memcpy(a, self.a, self.n)
        memcpy(b, self.b, self.n)
        memcpy(k, self.k, self.n)
        self.free_arrays()
        self.data = data
        self.grad = grad
        self.rows = rows
        self.cols = cols
        self.op = op
        self.a = a
        self.b = b
        self.k = k
        self.room = room
        self.cap = c

    fn free_arrays(self):
        self.data.free()
        self.grad.free()
        self.rows.free()
        self.cols.free()
        self.op.free()
        self.a.free()
        self.b.free()
        self.k.free()
        self.room.free()

    fn push(mut self, op: Int, a: Int, b: Int, k: Float64, rows: Int, cols: Int) -> Int:
        """A new node with zeroed data and grad buffers. The buffers of slot i are kept
        when the tape is truncated, and reused by the next node i that fits in them:
        a training step rebuilds the same graph, so after the first step nothing is
        allocated. `live` counts the slots holding buffers."""
        if self.n == self.cap:
            self.grow()
        var i = self.n
        var size = rows * cols
        if i == self.live or self.room[i] < size:
            if i < self.live:
                self.data[i].free()
                self.grad[i].free()
            else:
                self.live += 1
            self.data[i] = UnsafePointer[Float64].alloc(size)
            self.grad[i] = UnsafePointer[Float64].alloc(size)
            self.room[i] = size
        memset_zero(self.data[i], size)
        memset_zero(self.grad[i], size)
        self.rows[i] = rows
        self.cols[i] = cols
        self.op[i] = op
        self.a[i] = a
        self.b[i] = b
        self.k[i] = k
        self.n = i + 1
        return i

    fn truncate(mut self, n: Int):
        """Forget every node from index n on (their buffers stay for reuse)."""
        self.n = min(self.n, n)

    fn release(mut self):
        for i in range(self.live):
            self.data[i].free()
            self.grad[i].free()
        self.live = 0
        self.n = 0
        self.free_arrays()

    fn zero_grad(self):
        for i in range(self.n):
            memset_zero(self.grad[i], self.rows[i] * self.cols[i])

    fn backward(mut self, root: Int) raises:
        if self.rows[root] != 1 or self.cols[root] != 1:
            raise Error("backward() needs a 1 x 1 tensor (reduce with sum() or mean() first)")
        self.grad[root][0] = 1.0
        var i = root
        while i >= 0:
            if self.op[i] != LEAF:
                self.backward_node(i)
            i -= 1

    fn backward_node(self, i: Int):
        var o = self.op[i]
        var g = self.grad[i]
        var d = self.data[i]
        var ia = self.a[i]
        var ib = self.b[i]
        var a = self.data[ia]
        var ga = self.grad[ia]
        var r = self.rows[i]
        var c = self.cols[i]
        var size = r * c
        if o == ADD:
            var gb = self.grad[ib]
            for j in range(size):
                ga[j] += g[j]
                gb[j] += g[j]
        elif o == SUB:
            var gb = self.grad[ib]
            for j in range(size):
                ga[j] += g[j]
                gb[j] -= g[j]
        elif o == MUL:
            var b = self.data[ib]
            var gb = self.grad[ib]
            for j in range(size):
                ga[j] += b[j] * g[j]
                gb[j] += a[j] * g[j]
        elif o == DIV:
            var b = self.data[ib]
            var gb = self.grad[ib]
            for j in range(size):
                ga[j] += g[j] / b[j]
                gb[j] -= g[j] * a[j] / (b[j] * b[j])
        elif o == POW:
            var kk = self.k[i]
            for j in range(size):
                ga[j] += kk * a[j] ** (kk - 1.0) * g[j]
        elif o == NEG:
            for j in range(size):
                ga[j] -= g[j]
        elif o == RELU:
            for j in range(size):
                if d[j] > 0.0:
                    ga[j] += g[j]
        elif o == TANH:
            for j in range(size):
                ga[j] += (1.0 - d[j] * d[j]) * g[j]
        elif o == EXP:
            for j in range(size):
                ga[j] += d[j] * g[j]
        elif o == LOG:
            for j in range(size):
                ga[j] += g[j] / a[j]
        elif o == MATMUL:
            # C = A @ B, A: r x m, B: m x c. dA += dC @ B^T, dB += A^T @ dC.
            var b = self.data[ib]
            var gb = self.grad[ib]
            var m = self.cols[ia]
            var bt = UnsafePointer[Float64].alloc(c * m)      # B^T: dA's rows are combinations of its rows
            for p in range(m):
                for j in range(c):
                    bt[j * m + p] = b[p * c + j]
            @parameter
            fn grad_a(row: Int):
                add_combination(ga + row * m, g + row * c, bt, c, m)
            # dB[p, :] += a[row, p] * dC[row, :]: rows outer, a block of 8 rows of dB at a
            # time, so that dC's row and the dB block stay in the L1 cache
            var blocks = (m + 7) // 8
            @parameter
            fn grad_b(blk: Int):
                var p1 = min(blk * 8 + 8, m)
                for row in range(r):
                    for p in range(blk * 8, p1):
                        axpy(gb + p * c, a[row * m + p], g + row * c, c)
            if r >= PAR_ROWS:
                parallelize[grad_a](r)
                parallelize[grad_b](blocks)
            else:
                for row in range(r):
                    grad_a(row)
                for blk in range(blocks):
                    grad_b(blk)
            bt.free()
        elif o == BIAS:
            var gb = self.grad[ib]
            for row in range(r):
                for j in range(c):
                    ga[row * c + j] += g[row * c + j]
                    gb[j] += g[row * c + j]
        elif o == SUM:
            var n = self.rows[ia] * self.cols[ia]
            for j in range(n):
                ga[j] += g[0]
        elif o == MEAN:
            var n = self.rows[ia] * self.cols[ia]
            var s = g[0] / Float64(n)
            for j in range(n):
                ga[j] += s
        elif o == SUMSQ:
            var n = self.rows[ia] * self.cols[ia]
            for j in range(n):
                ga[j] += 2.0 * a[j] * g[0]
        elif o == LOGSOFTMAX:
            # y = x - logsumexp(x) per row: dx = dy - softmax(x) * sum(dy)
            for row in range(r):
                var s = 0.0
                for j in range(c):
                    s += g[row * c + j]
                for j in range(c):
                    ga[row * c + j] += g[row * c + j] - exp(d[row * c + j]) * s
        elif o == NLL:
            # mean over rows of -logp[row, label[row]]
            var labels = self.data[ib]
            var n = self.rows[ia]
            var m = self.cols[ia]
            for row in range(n):
                ga[row * m + Int(labels[row])] -= g[0] / Float64(n)
        elif o == SVM:
            # mean(relu(1 - y * s)): ds = -y / n where the margin is violated
            var y = self.data[ib]
            var n = self.rows[ia]
            for row in range(n):
                if 1.0 - y[row] * a[row] > 0.0:
                    ga[row] -= y[row] * g[0] / Float64(n)


@value
struct TV:
    """A tensor value: a node of a BTape."""
    var tape: UnsafePointer[BTape]
    var id: Int

    fn rows(self) -> Int:
        return self.tape[0].rows[self.id]

    fn cols(self) -> Int:
        return self.tape[0].cols[self.id]

    fn size(self) -> Int:
        return self.rows() * self.cols()

    fn data(self) -> UnsafePointer[Float64]:
        return self.tape[0].data[self.id]

    fn grad(self) -> UnsafePointer[Float64]:
        return self.tape[0].grad[self.id]

    fn item(self) -> Float64:
        return self.data()[0]

    fn new(self, op: Int, b: Int, k: Float64, rows: Int, cols: Int) -> TV:
        return TV(self.tape, self.tape[0].push(op, self.id, b, k, rows, cols))

    fn full(self, x: Float64) -> TV:
        """A leaf of this value's shape filled with x."""
        var t = TV(self.tape, self.tape[0].push(LEAF, -1, -1, 0.0, self.rows(), self.cols()))
        var d = t.data()
        for j in range(t.size()):
            d[j] = x
        return t

    fn same_shape(self, o: TV) -> Bool:
        return self.rows() == o.rows() and self.cols() == o.cols()

    fn __add__(self, o: TV) raises -> TV:
        if self.same_shape(o):
            var out = self.new(ADD, o.id, 0.0, self.rows(), self.cols())
            var a = self.data()
            var b = o.data()
            var d = out.data()
            for j in range(out.size()):
                d[j] = a[j] + b[j]
            return out
        if o.rows() == 1 and o.cols() == self.cols():
            var out = self.new(BIAS, o.id, 0.0, self.rows(), self.cols())
            var a = self.data()
            var b = o.data()
            var d = out.data()
            var c = self.cols()
            for row in range(self.rows()):
                for j in range(c):
                    d[row * c + j] = a[row * c + j] + b[j]
            return out
        raise Error("shape mismatch in +: the shapes must be equal, or the right operand a 1 x cols row")

    fn __sub__(self, o: TV) raises -> TV:
        if not self.same_shape(o):
            raise Error("shape mismatch in -: the shapes must be equal")
        var out = self.new(SUB, o.id, 0.0, self.rows(), self.cols())
        var a = self.data()
        var b = o.data()
        var d = out.data()
        for j in range(out.size()):
            d[j] = a[j] - b[j]
        return out

    fn __mul__(self, o: TV) raises -> TV:
        if not self.same_shape(o):
            raise Error("shape mismatch in *: the shapes must be equal")
        var out = self.new(MUL, o.id, 0.0, self.rows(), self.cols())
        var a = self.data()
        var b = o.data()
        var d = out.data()
        for j in range(out.size()):
            d[j] = a[j] * b[j]
        return out

    fn __truediv__(self, o: TV) raises -> TV:
        if not self.same_shape(o):
            raise Error("shape mismatch in /: the shapes must be equal")
        var out = self.new(DIV, o.id, 0.0, self.rows(), self.cols())
        var a = self.data()
        var b = o.data()
        var d = out.data()
        for j in range(out.size()):
            d[j] = a[j] / b[j]
        return out

    fn __radd__(self, x: Float64) raises -> TV:
        return self.full(x) + self

    fn __rsub__(self, x: Float64) raises -> TV:
        return self.full(x) - self

    fn __rmul__(self, x: Float64) raises -> TV:
        return self.full(x) * self

    fn __rtruediv__(self, x: Float64) raises -> TV:
        return self.full(x) / self

    fn __pow__(self, k: Float64) -> TV:
        var out = self.new(POW, -1, k, self.rows(), self.cols())
        var a = self.data()
        var d = out.data()
        for j in range(out.size()):
            d[j] = a[j] ** k
        return out

    fn __neg__(self) -> TV:
        var out = self.new(NEG, -1, 0.0, self.rows(), self.cols())
        var a = self.data()
        var d = out.data()
        for j in range(out.size()):
            d[j] = -a[j]
        return out

    fn relu(self) -> TV:
        var out = self.new(RELU, -1, 0.0, self.rows(), self.cols())
        var a = self.data()
        var d = out.data()
        for j in range(out.size()):
            d[j] = a[j] if a[j] > 0.0 else 0.0
        return out

    fn tanh(self) -> TV:
        var out = self.new(TANH, -1, 0.0, self.rows(), self.cols())
        var a = self.data()
        var d = out.data()
        for j in range(out.size()):
            d[j] = tanh(a[j])
        return out

    fn exp(self) -> TV:
        var out = self.new(EXP, -1, 0.0, self.rows(), self.cols())
        var a = self.data()
        var d = out.data()
        for j in range(out.size()):
            d[j] = exp(a[j])
        return out

    fn log(self) raises -> TV:
        var a = self.data()
        for j in range(self.size()):
            if not (a[j] > 0.0):
                raise Error("log of a non-positive value (or NaN) in the batched engine")
        var out = self.new(LOG, -1, 0.0, self.rows(), self.cols())
        var d = out.data()
        for j in range(out.size()):
            d[j] = log(a[j])
        return out

    fn __matmul__(self, o: TV) raises -> TV:
        if self.cols() != o.rows():
            raise Error("shape mismatch in @: the left operand's cols must equal the right operand's rows")
        var r = self.rows()
        var m = self.cols()
        var c = o.cols()
        var out = self.new(MATMUL, o.id, 0.0, r, c)
        var a = self.data()
        var b = o.data()
        var d = out.data()
        @parameter
        fn row_block(row: Int):
            add_combination(d + row * c, a + row * m, b, m, c)
        if r >= PAR_ROWS:
            parallelize[row_block](r)
        else:
            for row in range(r):
                row_block(row)
        return out

    fn sum(self) -> TV:
        var out = self.new(SUM, -1, 0.0, 1, 1)
        var a = self.data()
        var s = 0.0
        for j in range(self.size()):
            s += a[j]
        out.data()[0] = s
        return out

    fn mean(self) -> TV:
        var out = self.new(MEAN, -1, 0.0, 1, 1)
        var a = self.data()
        var s = 0.0
        for j in range(self.size()):
            s += a[j]
        out.data()[0] = s / Float64(self.size())
        return out

    fn sumsq(self) -> TV:
        var out = self.new(SUMSQ, -1, 0.0, 1, 1)
        var a = self.data()
        var s = 0.0
        for j in range(self.size()):
            s += a[j] * a[j]
        out.data()[0] = s
        return out

    fn log_softmax(self) -> TV:
        var r = self.rows()
        var c = self.cols()
        var out = self.new(LOGSOFTMAX, -1, 0.0, r, c)
        var a = self.data()
        var d = out.data()
        for row in range(r):
            var mx = a[row * c]
            for j in range(1, c):
                mx = max(mx, a[row * c + j])
            var s = 0.0
            for j in range(c):
                s += exp(a[row * c + j] - mx)
            var lse = mx + log(s)
            for j in range(c):
                d[row * c + j] = a[row * c + j] - lse
        return out

    fn nll(self, labels: TV) raises -> TV:
        """mean over rows of -self[row, labels[row]] (labels: rows x 1 class indices)."""
        if labels.rows() != self.rows() or labels.cols() != 1:
            raise Error("shape mismatch in nll: labels must be a rows x 1 column")
        var out = self.new(NLL, labels.id, 0.0, 1, 1)
        var a = self.data()
        var lab = labels.data()
        var c = self.cols()
        var s = 0.0
        for row in range(self.rows()):
            var j = Int(lab[row])
            if j < 0 or j >= c:
                raise Error("nll: a label is not a class index in [0, cols)")
            s -= a[row * c + j]
        out.data()[0] = s / Float64(self.rows())
        return out

    fn cross_entropy(self, labels: TV) raises -> TV:
        return self.log_softmax().nll(labels)

    fn svm(self, y: TV) raises -> TV:
        """mean(relu(1 - y * self)) for scores and labels (+1 or -1), both rows x 1."""
        if self.cols() != 1 or not self.same_shape(y):
            raise Error("shape mismatch in svm: scores and labels must be equal rows x 1 columns")
        var out = self.new(SVM, y.id, 0.0, 1, 1)
        var a = self.data()
        var yy = y.data()
        var s = 0.0
        for row in range(self.rows()):
            var m = 1.0 - yy[row] * a[row]
            s += m if m > 0.0 else 0.0
        out.data()[0] = s / Float64(self.rows())
        return out

    fn backward(self) raises:
        self.tape[0].backward(self.id)


fn new_tape(cap: Int) -> UnsafePointer[BTape]:
    var t = UnsafePointer[BTape].alloc(1)
    t[0] = BTape(cap)
    return t


fn free_tape(t: UnsafePointer[BTape]):
    t[0].release()
    t.free()


fn leaf(t: UnsafePointer[BTape], rows: Int, cols: Int) -> TV:
    return TV(t, t[0].push(LEAF, -1, -1, 0.0, rows, cols))


fn leaf_from(t: UnsafePointer[BTape], x: Tensor[DType.float64]) -> TV:
    """A leaf copied from a rank-1 (as n x 1) or rank-2 tensor."""
    var rows = x.dim(0)
    var cols = x.dim(1) if x.rank() == 2 else 1
    var v = leaf(t, rows, cols)
    var d = v.data()
    for r in range(rows):
        for c in range(cols):
            d[r * cols + c] = x[r, c] if x.rank() == 2 else x[r]
    return v


# ---------------------------------------------------------------- the MLP in matrix form

struct Net:
    """MLP(nin, sizes) as matrices: layer l has W_l (n_in x n_out) and b_l (1 x n_out), the
    first 2 L nodes of the tape. Hidden layers use `act` (RELU or TANH), the last none."""
    var tape: UnsafePointer[BTape]
    var layers: Int
    var act: Int

    fn __init__(out self, tape: UnsafePointer[BTape], nin: Int, sizes: Tensor[DType.int64], act: Int):
        self.tape = tape
        self.layers = sizes.dim(0)
        self.act = act
        var n_in = nin
        for l in range(self.layers):
            var n_out = Int(sizes[l])
            _ = leaf(tape, n_in, n_out)
            _ = leaf(tape, 1, n_out)
            n_in = n_out

    fn w(self, l: Int) -> TV:
        return TV(self.tape, 2 * l)

    fn b(self, l: Int) -> TV:
        return TV(self.tape, 2 * l + 1)

    fn num_params(self) -> Int:
        var total = 0
        for i in range(2 * self.layers):
            total += self.tape[0].rows[i] * self.tape[0].cols[i]
        return total

    fn load(self, params: Tensor[DType.float64]) raises:
        """From micrograd's order: layer by layer, neuron by neuron, weights then bias."""
        if params.dim(0) != self.num_params():
            raise Error("wrong number of parameters: params.dim(0) must equal num_params(nin, sizes)")
        var p = 0
        for l in range(self.layers):
            var w = self.w(l).data()
            var b = self.b(l).data()
            var nin = self.w(l).rows()
            var nout = self.w(l).cols()
            for j in range(nout):
                for i in range(nin):
                    w[i * nout + j] = params[p]
                    p += 1
                b[j] = params[p]
                p += 1

    fn store(self, params: Tensor[DType.float64], grads: Bool):
        var p = 0
        for l in range(self.layers):
            var w = self.w(l).grad() if grads else self.w(l).data()
            var b = self.b(l).grad() if grads else self.b(l).data()
            var nin = self.w(l).rows()
            var nout = self.w(l).cols()
            for j in range(nout):
                for i in range(nin):
                    params[p] = w[i * nout + j]
                    p += 1
                params[p] = b[j]
                p += 1

    fn forward(self, x: TV) raises -> TV:
        var h = x
        for l in range(self.layers):
            h = h @ self.w(l) + self.b(l)
            if l != self.layers - 1:
                h = h.relu() if self.act == RELU else h.tanh()
        return h

    fn sgd(self, lr: Float64):
        for i in range(2 * self.layers):
            var d = self.tape[0].data[i]
            var g = self.tape[0].grad[i]
            for j in range(self.tape[0].rows[i] * self.tape[0].cols[i]):
                d[j] -= lr * g[j]


fn reg_loss(net: Net) raises -> TV:
    """sum of squares of every parameter."""
    var total = net.w(0).sumsq()
    total = total + net.b(0).sumsq()
    for l in range(1, net.layers):
        total = total + net.w(l).sumsq()
        total = total + net.b(l).sumsq()
    return total


fn svm_loss(net: Net, X: TV, Y: TV, alpha: TV, mut correct: Int) raises -> TV:
    """mean(relu(1 - y * score)) + alpha * sum(p^2), and the number of right signs."""
    var s = net.forward(X)
    var sd = s.data()
    var yd = Y.data()
    correct = 0
    for r in range(s.rows()):
        if (yd[r] > 0.0) == (sd[r] > 0.0):
            correct += 1
    return s.svm(Y) + alpha * reg_loss(net)


# ---------------------------------------------------------------- data

struct Rng:
    """splitmix64 (the same generator as scalar.ml)."""
    var s: UInt64

    fn __init__(out self, seed: Int):
        self.s = UInt64(seed) * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019

    fn next(mut self) -> UInt64:
        self.s += 0x9E3779B97F4A7C15
        var z = self.s
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB
        return z ^ (z >> 31)

    fn uniform(mut self) -> Float64:
        return Float64(self.next() >> 11) * (1.0 / 9007199254740992.0)

    fn normal(mut self) -> Float64:
        var u1 = 1.0 - self.uniform()
        var u2 = self.uniform()
        return sqrt(-2.0 * log(u1)) * cos(2.0 * pi * u2)


fn make_spirals(X: Tensor[DType.float64], y: Tensor[DType.float64], classes: Int, noise: Float64, seed: Int):
    """`classes` interleaved spiral arms (CS231n's toy set): point i of arm c at radius
    r = i / m and angle 4 (c + r) + noise * N(0, 1) (m points per arm)."""
    var n = X.dim(0)
    var m = n // classes
    var rng = Rng(seed)
    for i in range(n):
        var c = min(i // m, classes - 1)
        var j = i - c * m
        var r = Float64(j) / Float64(m)
        var t = 4.0 * (Float64(c) + r) + noise * rng.normal()
        X[i, 0] = r * sin(t)
        X[i, 1] = r * cos(t)
        y[i] = Float64(c)


fn make_moons(X: Tensor[DType.float64], y: Tensor[DType.float64], noise: Float64, seed: Int):
    """The same data as scalar.ml's make_moons for the same arguments."""
    var n = X.dim(0)
    var n_out = n // 2
    var n_in = n - n_out
    var rng = Rng(seed)
    for i in range(n):
        var x0: Float64
        var x1: Float64
        if i < n_out:
            var t = pi * Float64(i) / Float64(max(n_out - 1, 1))
            x0 = cos(t)
            x1 = sin(t)
            y[i] = -1.0
        else:
            var t = pi * Float64(i - n_out) / Float64(max(n_in - 1, 1))
            x0 = 1.0 - cos(t)
            x1 = 0.5 - sin(t)
            y[i] = 1.0
        X[i, 0] = x0 + noise * rng.normal()
        X[i, 1] = x1 + noise * rng.normal()


# ---------------------------------------------------------------- entry points for Python

fn num_params(nin: Int, sizes: Tensor[DType.int64]) -> Int:
    var total = 0
    var n_in = nin
    for i in range(sizes.dim(0)):
        total += Int(sizes[i]) * (n_in + 1)
        n_in = Int(sizes[i])
    return total


fn train(X: Tensor[DType.float64], y: Tensor[DType.float64], sizes: Tensor[DType.int64],
         params: Tensor[DType.float64], steps: Int, trace: Tensor[DType.float64]) raises -> Float64:
    """The moons training of scalar.ml in batch form (SVM loss, lr = 1 - 0.9 k / 100), same
    arguments and results: params updated in place, trace[k] = (loss, accuracy, tape nodes,
    buffer slots) of step k."""
    if y.dim(0) != X.dim(0):
        raise Error("shape mismatch: X and y must have the same number of rows")
    if Int(sizes[sizes.dim(0) - 1]) != 1:
        raise Error("the last layer of the MLP must have one output (the score)")
    var t = new_tape(64)
    var net = Net(t, X.dim(1), sizes, RELU)
    net.load(params)
    var xs = leaf_from(t, X)
    var ys = leaf_from(t, y)
    var alpha = leaf(t, 1, 1)
    alpha.data()[0] = 1e-4
    var mark = t[0].n
    var last = 0.0
    var n = X.dim(0)
    for k in range(steps):
        var correct = 0
        var total = svm_loss(net, xs, ys, alpha, correct)
        t[0].zero_grad()
        total.backward()
        net.sgd(1.0 - 0.9 * Float64(k) / 100.0)
        last = total.item()
        trace[k, 0] = last
        trace[k, 1] = Float64(correct) / Float64(n)
        trace[k, 2] = Float64(t[0].n)
        trace[k, 3] = Float64(t[0].live)
        t[0].truncate(mark)
    net.store(params, False)
    free_tape(t)
    return last


fn loss_and_grad(X: Tensor[DType.float64], y: Tensor[DType.float64], sizes: Tensor[DType.int64],
                 params: Tensor[DType.float64], grad: Tensor[DType.float64]) raises -> Float64:
    var t = new_tape(64)
    var net = Net(t, X.dim(1), sizes, RELU)
    net.load(params)
    var xs = leaf_from(t, X)
    var ys = leaf_from(t, y)
    var alpha = leaf(t, 1, 1)
    alpha.data()[0] = 1e-4
    var correct = 0
    var total = svm_loss(net, xs, ys, alpha, correct)
    total.backward()
    net.store(grad, True)
    var v = total.item()
    free_tape(t)
    return v


fn scores(X: Tensor[DType.float64], sizes: Tensor[DType.int64], params: Tensor[DType.float64],
          out: Tensor[DType.float64]) raises:
    var t = new_tape(64)
    var net = Net(t, X.dim(1), sizes, RELU)
    net.load(params)
    var s = net.forward(leaf_from(t, X))
    var d = s.data()
    for r in range(X.dim(0)):
        out[r] = d[r]
    free_tape(t)


fn train_classifier(X: Tensor[DType.float64], y: Tensor[DType.float64], sizes: Tensor[DType.int64],
                    params: Tensor[DType.float64], steps: Int, lr: Float64, reg: Float64,
                    trace: Tensor[DType.float64]) raises -> Float64:
    """Softmax classifier (ReLU MLP, cross-entropy + reg * sum(p^2)), full-batch SGD with
    momentum 0.9; y holds class indices. trace[k] = (loss, accuracy)."""
    if y.dim(0) != X.dim(0):
        raise Error("shape mismatch: X and y must have the same number of rows")
    var t = new_tape(64)
    var net = Net(t, X.dim(1), sizes, RELU)
    net.load(params)
    var xs = leaf_from(t, X)
    var ys = leaf_from(t, y)
    var alpha = leaf(t, 1, 1)
    alpha.data()[0] = reg
    var mark = t[0].n
    var np = 2 * net.layers
    var vel = List[UnsafePointer[Float64]]()
    for i in range(np):
        var size = t[0].rows[i] * t[0].cols[i]
        var v = UnsafePointer[Float64].alloc(size)
        memset_zero(v, size)
        vel.append(v)
    var n = X.dim(0)
    var c = Int(sizes[sizes.dim(0) - 1])
    var last = 0.0
    for k in range(steps):
        var logits = net.forward(xs)
        var total = logits.cross_entropy(ys) + alpha * reg_loss(net)
        t[0].zero_grad()
        total.backward()
        for i in range(np):
            var d = t[0].data[i]
            var g = t[0].grad[i]
            var v = vel[i]
            for j in range(t[0].rows[i] * t[0].cols[i]):
                v[j] = 0.9 * v[j] - lr * g[j]
                d[j] += v[j]
        var correct = 0
        var ld = logits.data()
        for r in range(n):
            var best = 0
            for j in range(1, c):
                if ld[r * c + j] > ld[r * c + best]:
                    best = j
            if Float64(best) == y[r]:
                correct += 1
        last = total.item()
        trace[k, 0] = last
        trace[k, 1] = Float64(correct) / Float64(n)
        t[0].truncate(mark)
    net.store(params, False)
    for i in range(np):
        vel[i].free()
    free_tape(t)
    return last


fn predict(X: Tensor[DType.float64], sizes: Tensor[DType.int64], params: Tensor[DType.float64],
           out: Tensor[DType.float64]) raises:
    """Class logits of a classifier trained by train_classifier (out: rows x classes)."""
    var t = new_tape(64)
    var net = Net(t, X.dim(1), sizes, RELU)
    net.load(params)
    var s = net.forward(leaf_from(t, X))
    var d = s.data()
    var c = s.cols()
    for r in range(X.dim(0)):
        for j in range(c):
            out[r, j] = d[r * c + j]
    free_tape(t)


fn op_grad(op: Int, A: Tensor[DType.float64], B: Tensor[DType.float64], W: Tensor[DType.float64], k: Float64,
           gA: Tensor[DType.float64], gB: Tensor[DType.float64]) raises -> Float64:
    """f = sum(W * op(A, B)) for an elementwise / matrix op (W has op's output shape),
    or f = op(A, B) for a reduction or loss (W ignored). Writes df/dA, df/dB; returns f.
    For NLL B holds labels (rows x 1); for SVM the +-1 labels."""
    var t = new_tape(16)
    var a = leaf_from(t, A)
    var b = leaf_from(t, B)
    var z = a
    if op == ADD:
        z = a + b
    elif op == SUB:
        z = a - b
    elif op == MUL:
        z = a * b
    elif op == DIV:
        z = a / b
    elif op == POW:
        z = a ** k
    elif op == NEG:
        z = -a
    elif op == RELU:
        z = a.relu()
    elif op == TANH:
        z = a.tanh()
    elif op == EXP:
        z = a.exp()
    elif op == LOG:
        z = a.log()
    elif op == MATMUL:
        z = a @ b
    elif op == BIAS:
        z = a + b
    elif op == SUM:
        z = a.sum()
    elif op == MEAN:
        z = a.mean()
    elif op == SUMSQ:
        z = a.sumsq()
    elif op == LOGSOFTMAX:
        z = a.log_softmax()
    elif op == NLL:
        z = a.log_softmax().nll(b)
    elif op == SVM:
        z = a.svm(b)
    else:
        free_tape(t)
        raise Error("unknown op code")
    if z.rows() != 1 or z.cols() != 1:
        z = (z * leaf_from(t, W)).sum()
    z.backward()
    var ga = a.grad()
    var gb = b.grad()
    for r in range(a.rows()):
        for c in range(a.cols()):
            if A.rank() == 2:
                gA[r, c] = ga[r * a.cols() + c]
            else:
                gA[r] = ga[r]
    for r in range(b.rows()):
        for c in range(b.cols()):
            if B.rank() == 2:
                gB[r, c] = gb[r * b.cols() + c]
            else:
                gB[r] = gb[r]
    var v = z.item()
    free_tape(t)
    return v


fn backward_non_scalar() raises:
    """For the tests: backward from a 2 x 2 tensor is an error."""
    var t = new_tape(16)
    var a = leaf(t, 2, 2)
    var b = a.relu()
    b.backward()
    free_tape(t)


fn micrograd_readme(out: Tensor[DType.float64]) raises:
    """micrograd's README expression on 1 x 1 tensors; out = (g, dg/da, dg/db)."""
    var t = new_tape(64)
    var a = leaf(t, 1, 1)
    a.data()[0] = -4.0
    var b = leaf(t, 1, 1)
    b.data()[0] = 2.0
    var one = a.full(1.0)
    var two = a.full(2.0)
    var c = a + b
    var d = a * b + b ** 3.0
    c += c + one
    c += 1.0 + c + (-a)
    d += d * two + (b + a).relu()
    d += 3.0 * d + (b - a).relu()
    var e = c - d
    var f = e ** 2.0
    var g = f / two
    g += 10.0 / f
    g.backward()
    out[0] = g.item()
    out[1] = a.grad()[0]
    out[2] = b.grad()[0]
    free_tape(t)


fn init_params(nin: Int, sizes: Tensor[DType.int64], params: Tensor[DType.float64], seed: Int) raises:
    """Weights uniform in [-s, s) with s = sqrt(6 / (fan_in + fan_out)) (Glorot), biases 0,
    in micrograd's parameter order (scalar.ml's init_params is micrograd's own: s = 1)."""
    if params.dim(0) != num_params(nin, sizes):
        raise Error("wrong number of parameters: params.dim(0) must equal num_params(nin, sizes)")
    var rng = Rng(seed)
    var p = 0
    var n_in = nin
    for l in range(sizes.dim(0)):
        var n_out = Int(sizes[l])
        var s = sqrt(6.0 / Float64(n_in + n_out))
        for _ in range(n_out):
            for _ in range(n_in):
                params[p] = s * (2.0 * rng.uniform() - 1.0)
                p += 1
            params[p] = 0.0
            p += 1
        n_in = n_out


fn main(task: String = "moons", samples: Int = 0, steps: Int = 0, seed: Int = 1) raises:
    var g = Tensor[DType.float64](3)
    micrograd_readme(g)
    print("micrograd README expression: g =", g[0], " dg/da =", g[1], " dg/db =", g[2])
    if task == "spirals":
        var n = samples if samples > 0 else 3000
        var k = steps if steps > 0 else 300
        var X = Tensor[DType.float64](n, 2)
        var y = Tensor[DType.float64](n)
        make_spirals(X, y, 3, 0.2, seed)
        var sizes = Tensor[DType.int64](3)
        sizes[0] = 64
        sizes[1] = 64
        sizes[2] = 3
        var params = Tensor[DType.float64](num_params(2, sizes))
        init_params(2, sizes, params, seed + 1)
        var trace = Tensor[DType.float64](k, 2)
        _ = train_classifier(X, y, sizes, params, k, 0.1, 1e-4, trace)
        for i in range(k):
            if i % 10 == 0 or i == k - 1:
                print("step", i, "loss", trace[i, 0], "accuracy", trace[i, 1] * 100.0, "%")
        return
    var n = samples if samples > 0 else 100
    var k = steps if steps > 0 else 100
    var X = Tensor[DType.float64](n, 2)
    var y = Tensor[DType.float64](n)
    make_moons(X, y, 0.1, seed)
    var sizes = Tensor[DType.int64](3)
    sizes[0] = 16
    sizes[1] = 16
    sizes[2] = 1
    var params = Tensor[DType.float64](num_params(2, sizes))
    init_params(2, sizes, params, seed + 1)
    var trace = Tensor[DType.float64](k, 4)
    _ = train(X, y, sizes, params, k, trace)
    for i in range(k):
        print("step", i, "loss", trace[i, 0], "accuracy", trace[i, 1] * 100.0, "%")

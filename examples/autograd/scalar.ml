"""A micrograd-semantics scalar autograd engine, micrograd's MLP on top, and the moons demo.

Input: run as `mojolite run examples/autograd/scalar.ml [--samples 100] [--steps 100]
[--noise 0.1] [--seed 1] [--init_seed 2]`, or loaded from Python (examples/autograd.py).
Output: the loss and accuracy of each training step; from Python, the functions below
fill NumPy arrays (see "Entry points for Python" at the end of this file).

Representation: a tape (an arena of nodes in structure-of-arrays form). Node i has
data[i], grad[i], op[i] (an Int op code), the indices a[i], b[i] of its operands and a
constant k[i] (the exponent of `**`), count[i] (DOT's length). A `Value` is a pointer to
the tape and an index.
A node is only ever built from nodes that already exist, so every operand has a smaller
index than its result: creation order is a topological order, and walking the indices
downwards from the output is a reverse topological order. `backward` is therefore one
loop without recursion, visited set or sort, and a node used several times simply
receives several `+=` contributions before the loop reaches it. In training
(Layer.forward_block) a neuron is one DOT node (bias + sum of weights times inputs,
over runs of consecutive nodes; Neuron.__call__ on a List builds the chain) instead of
micrograd's chain of 2 n MUL and ADD nodes: the same float operations in the same order,
so the values and gradients are bit for bit those of the chain (tested), with 8x fewer
nodes and a vectorized backward (see Tape.push_dot). Each training step
truncates the tape back to the parameters and inputs (`Tape.truncate`), so the graph is
rebuilt in the same memory every step: nothing is allocated once the tape has grown to
the size of one step's graph.
"""
from math import tanh, exp, log, cos, sin, sqrt, pi
from memory import memcpy
from algorithm import vectorize
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
alias DOT = 11

alias W = simdwidthof[DType.float64]()


struct Tape:
    var data: UnsafePointer[Float64]
    var grad: UnsafePointer[Float64]
    var k: UnsafePointer[Float64]
    var op: UnsafePointer[Int]
    var a: UnsafePointer[Int]
    var b: UnsafePointer[Int]
    var count: UnsafePointer[Int]
    var n: Int
    var cap: Int
    var grows: Int

    fn __init__(out self, cap: Int):
        var c = max(cap, 16)
        self.data = UnsafePointer[Float64].alloc(c)
        self.grad = UnsafePointer[Float64].alloc(c)
        self.k = UnsafePointer[Float64].alloc(c)
        self.op = UnsafePointer[Int].alloc(c)
        self.a = UnsafePointer[Int].alloc(c)
        self.b = UnsafePointer[Int].alloc(c)
        self.count = UnsafePointer[Int].alloc(c)
        self.n = 0
        self.cap = c
        self.grows = 0

    fn grow(mut self):
        var c = self.cap * 2
        var data = UnsafePointer[Float64].alloc(c)
        var grad = UnsafePointer[Float64].alloc(c)
        var k = UnsafePointer[Float64].alloc(c)
        var op = UnsafePointer[Int].alloc(c)
        var a = UnsafePointer[Int].alloc(c)
        var b = UnsafePointer[Int].alloc(c)
        var count = UnsafePointer[Int].alloc(c)
        memcpy(data, self.data, self.n)
        memcpy(grad, self.grad, self.n)
        memcpy(k, self.k, self.n)
        memcpy(op, self.op, self.n)
        memcpy(a, self.a, self.n)
        memcpy(b, self.b, self.n)
        memcpy(count, self.count, self.n)
        self.release()
        self.data = data
        self.grad = grad
        self.k = k
        self.op = op
        self.a = a
        self.b = b
        self.count = count
        self.cap = c
        self.grows += 1

    fn reserve(mut self, n: Int):
        """Room for n nodes (grow is called from here and from push, so that it stays
        out of line and push stays small enough to inline)."""
        while self.cap < n:
            self.grow()

    fn release(self):
        self.data.free()
        self.grad.free()
        self.k.free()
        self.op.free()
        self.a.free()
        self.b.free()
        self.count.free()

    fn push(mut self, op: Int, a: Int, b: Int, k: Float64, x: Float64) -> Int:
        if self.n == self.cap:
            self.grow()
        var i = self.n
        var pd = self.data              # every field read before the first store
        var pg = self.grad
        var pk = self.k
        var po = self.op
        var pa = self.a
        var pb = self.b
        self.n = i + 1
        pd[i] = x
        pg[i] = 0.0
        pk[i] = k
        po[i] = op
        pa[i] = a
        pb[i] = b
        return i

    fn push_dot(mut self, w: Int, x: Int, n: Int) -> Int:
        """A DOT node: data[w + n] + sum over i < n of data[w + i] * data[x + i], summed in
        order of i: a neuron (weights from w, its bias right after them) applied to n
        consecutive nodes from x. It stands for the chain of n MUL and n ADD nodes that
        micrograd builds for `sum((wi * xi for ...), b)`, with the same floating-point
        operations in the same order, so values and gradients are bit for bit the same
        as the chain's."""
        var s = self.data[w + n]
        for i in range(n):
            s = s + self.data[w + i] * self.data[x + i]
        var i = self.push(DOT, w, x, 0.0, s)
        self.count[i] = n
        return i

    fn truncate(mut self, n: Int):
        """Forget every node from index n on (the graph built since the tape had n nodes)."""
        self.n = n

    fn zero_grad(mut self):
        for i in range(self.n):
            self.grad[i] = 0.0

    fn backward(mut self, root: Int):
        """Gradients of node `root` with respect to every node before it, accumulated
        into grad (micrograd's semantics: the root's grad is set to 1)."""
        var data = self.data            # locals: stores into grad cannot change them
        var grad = self.grad
        var ops = self.op
        var aa = self.a
        var bb = self.b
        grad[root] = 1.0
        var i = root
        while i >= 0:
            var o = ops[i]
            if o != LEAF:
                var g = grad[i]
                var a = aa[i]
                if o == DOT:                        # out = data[a + n] + sum data[a + k] * data[b + k]
                    var n = self.count[i]
                    var b = bb[i]
                    grad[a + n] += g
                    @parameter
                    fn dot_grads[width: Int](k: Int):
                        var wv = data.load[width=width](a + k)
                        var xv = data.load[width=width](b + k)
                        grad.store[width=width](a + k, grad.load[width=width](a + k) + xv * g)
                        grad.store[width=width](b + k, grad.load[width=width](b + k) + wv * g)
                    vectorize[dot_grads, W](n)
                elif o == ADD:                      # out = a + b
                    grad[a] += g
                    grad[bb[i]] += g
                elif o == MUL:                      # out = a * b
                    var b = bb[i]
                    grad[a] += data[b] * g
                    grad[b] += data[a] * g
                elif o == RELU:                     # out = max(a, 0)
                    if data[i] > 0.0:
                        grad[a] += g
                elif o == SUB:                      # out = a - b
                    grad[a] += g
                    grad[bb[i]] -= g
                elif o == DIV:                      # out = a / b
                    var b = bb[i]
                    var db = data[b]
                    grad[a] += g / db
                    grad[b] -= g * data[a] / (db * db)
                elif o == POW:                      # out = a ** k
                    var kk = self.k[i]
                    grad[a] += kk * data[a] ** (kk - 1.0) * g
                elif o == NEG:                      # out = -a
                    grad[a] -= g
                elif o == TANH:                     # out = tanh(a)
                    var t = data[i]
                    grad[a] += (1.0 - t * t) * g
                elif o == EXP:                      # out = exp(a)
                    grad[a] += data[i] * g
                elif o == LOG:                      # out = log(a)
                    grad[a] += g / data[a]
            i -= 1


@value
struct Value:
    """A node of a tape: micrograd's Value. Operators take Values; a Float64 on the left
    (`2.0 * v`, `1.0 - v`, `10.0 / v`) is made a leaf first, as micrograd wraps it."""
    var tape: UnsafePointer[Tape]
    var id: Int

    fn data(self) -> Float64:
        return self.tape[0].data[self.id]

    fn grad(self) -> Float64:
        return self.tape[0].grad[self.id]

    fn set_data(self, x: Float64):
        self.tape[0].data[self.id] = x

    fn leaf(self, x: Float64) -> Value:
        return Value(self.tape, self.tape[0].push(LEAF, -1, -1, 0.0, x))

    fn unary(self, op: Int, x: Float64) -> Value:
        return Value(self.tape, self.tape[0].push(op, self.id, -1, 0.0, x))

    fn binary(self, op: Int, o: Value, x: Float64) -> Value:
        return Value(self.tape, self.tape[0].push(op, self.id, o.id, 0.0, x))

    fn __add__(self, o: Value) -> Value:
        return self.binary(ADD, o, self.data() + o.data())

    fn __sub__(self, o: Value) -> Value:
        return self.binary(SUB, o, self.data() - o.data())

    fn __mul__(self, o: Value) -> Value:
        return self.binary(MUL, o, self.data() * o.data())

    fn __truediv__(self, o: Value) -> Value:
        return self.binary(DIV, o, self.data() / o.data())

    fn __pow__(self, k: Float64) -> Value:
        return Value(self.tape, self.tape[0].push(POW, self.id, -1, k, self.data() ** k))

    fn __neg__(self) -> Value:
        return self.unary(NEG, -self.data())

    fn __radd__(self, x: Float64) -> Value:
        return self.leaf(x) + self

    fn __rsub__(self, x: Float64) -> Value:
        return self.leaf(x) - self

    fn __rmul__(self, x: Float64) -> Value:
        return self.leaf(x) * self

    fn __rtruediv__(self, x: Float64) -> Value:
        return self.leaf(x) / self

    fn relu(self) -> Value:
        var x = self.data()
        return self.unary(RELU, x if x > 0.0 else 0.0)

    fn tanh(self) -> Value:
        return self.unary(TANH, tanh(self.data()))

    fn exp(self) -> Value:
        return self.unary(EXP, exp(self.data()))

    fn log(self) raises -> Value:
        """NaN policy: log of a value <= 0 is an error (no -inf or NaN enters the graph)."""
        var x = self.data()
        if not (x > 0.0):
            raise Error("log of a non-positive value (or NaN) in the scalar engine")
        return self.unary(LOG, log(x))

    fn backward(self):
        self.tape[0].backward(self.id)


fn new_tape(cap: Int) -> UnsafePointer[Tape]:
    var t = UnsafePointer[Tape].alloc(1)
    t[0] = Tape(cap)
    return t


fn free_tape(t: UnsafePointer[Tape]):
    t[0].release()
    t.free()


fn leaf(t: UnsafePointer[Tape], x: Float64) -> Value:
    return Value(t, t[0].push(LEAF, -1, -1, 0.0, x))


# ---------------------------------------------------------------- random numbers

struct Rng:
    """splitmix64: a small seeded generator, the same in every mode."""
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
        """In [0, 1), 53 random bits."""
        return Float64(self.next() >> 11) * (1.0 / 9007199254740992.0)

    fn uniform_in(mut self, lo: Float64, hi: Float64) -> Float64:
        return lo + (hi - lo) * self.uniform()

    fn normal(mut self) -> Float64:
        """Box-Muller (one of the pair)."""
        var u1 = 1.0 - self.uniform()
        var u2 = self.uniform()
        return sqrt(-2.0 * log(u1)) * cos(2.0 * pi * u2)


# ---------------------------------------------------------------- micrograd's network

@value
struct Neuron:
    """nin weights then a bias, stored as consecutive leaves of the tape from `first`."""
    var tape: UnsafePointer[Tape]
    var first: Int
    var nin: Int
    var nonlin: Bool

    @staticmethod
    fn create(tape: UnsafePointer[Tape], nin: Int, nonlin: Bool, mut rng: Rng) -> Neuron:
        var first = tape[0].n
        for _ in range(nin):
            _ = tape[0].push(LEAF, -1, -1, 0.0, rng.uniform_in(-1.0, 1.0))
        _ = tape[0].push(LEAF, -1, -1, 0.0, 0.0)
        return Neuron(tape, first, nin, nonlin)

    fn __call__(self, x: List[Value]) -> Value:
        var act = Value(self.tape, self.first + self.nin)
        for i in range(self.nin):
            act = act + Value(self.tape, self.first + i) * x[i]
        return act.relu() if self.nonlin else act

    fn num_params(self) -> Int:
        return self.nin + 1


@value
struct Layer:
    """nout neurons of nin inputs, stored one after the other from `first`."""
    var tape: UnsafePointer[Tape]
    var first: Int
    var nin: Int
    var nout: Int
    var nonlin: Bool

    @staticmethod
    fn create(tape: UnsafePointer[Tape], nin: Int, nout: Int, nonlin: Bool, mut rng: Rng) -> Layer:
        var first = tape[0].n
        for _ in range(nout):
            _ = Neuron.create(tape, nin, nonlin, rng)
        return Layer(tape, first, nin, nout, nonlin)

    fn neuron(self, j: Int) -> Neuron:
        return Neuron(self.tape, self.first + j * (self.nin + 1), self.nin, self.nonlin)

    fn __call__(self, x: List[Value]) -> List[Value]:
        var out = List[Value]()
        for j in range(self.nout):
            out.append(self.neuron(j)(x))
        return out

    fn forward_block(self, x: Int) -> Int:
        """self(x) for inputs that are the nin consecutive nodes from x, with one DOT
        node per neuron (then one RELU each): the outputs are nout consecutive nodes,
        the first of which is returned. Same values and gradients as __call__."""
        var t = self.tape
        var first = t[0].n
        for j in range(self.nout):
            _ = t[0].push_dot(self.first + j * (self.nin + 1), x, self.nin)
        if not self.nonlin:
            return first
        var out = t[0].n
        for j in range(self.nout):
            _ = Value(t, first + j).relu()
        return out

    fn num_params(self) -> Int:
        return self.nout * (self.nin + 1)


@value
struct MLP:
    """MLP(nin, sizes): ReLU on every layer but the last. Its parameters are the first
    num_params() nodes of the tape: layer by layer, neuron by neuron, weights then bias."""
    var layers: List[Layer]

    @staticmethod
    fn create(tape: UnsafePointer[Tape], nin: Int, sizes: List[Int], mut rng: Rng) -> MLP:
        var ls = List[Layer]()
        var n_in = nin
        for i in range(len(sizes)):
            ls.append(Layer.create(tape, n_in, sizes[i], i != len(sizes) - 1, rng))
            n_in = sizes[i]
        return MLP(ls)

    fn __call__(self, x: List[Value]) -> Value:
        var h = x
        for i in range(len(self.layers)):
            h = self.layers[i](h)
        return h[0]

    fn score_block(self, first_input: Int) -> Value:
        """self(x) for inputs stored as consecutive nodes from first_input (one output)."""
        var x = first_input
        for i in range(len(self.layers)):
            x = self.layers[i].forward_block(x)
        return Value(self.layers[0].tape, x)

    fn num_params(self) -> Int:
        var total = 0
        for i in range(len(self.layers)):
            total += self.layers[i].num_params()
        return total


fn count_params(nin: Int, sizes: List[Int]) -> Int:
    var total = 0
    var n_in = nin
    for i in range(len(sizes)):
        total += sizes[i] * (n_in + 1)
        n_in = sizes[i]
    return total


# ---------------------------------------------------------------- moons

fn fill_moons(X: Tensor[DType.float64], y: Tensor[DType.float64], noise: Float64, seed: Int):
    """make_moons: n // 2 points on the upper half circle (label -1), the rest on the
    lower one shifted by (1, 0.5) (label +1), Gaussian noise of std `noise`, no shuffle."""
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


struct Model:
    """A tape holding an MLP's parameters, then the inputs X as leaves; `mark` is the
    tape length to truncate back to after each step."""
    var tape: UnsafePointer[Tape]
    var mlp: MLP
    var inputs: Int
    var mark: Int

    fn __init__(out self, X: Tensor[DType.float64], sizes: Tensor[DType.int64], params: Tensor[DType.float64]) raises:
        var sz = List[Int]()
        for i in range(sizes.dim(0)):
            sz.append(Int(sizes[i]))
        if sz[len(sz) - 1] != 1:
            raise Error("the last layer of the MLP must have one output (the score)")
        var nin = X.dim(1)
        var np = count_params(nin, sz)
        if params.dim(0) != np:
            raise Error("wrong number of parameters: params.dim(0) must equal count_params(nin, sizes)")
        self.tape = new_tape(1024)
        var rng = Rng(0)
        self.mlp = MLP.create(self.tape, nin, sz, rng)
        for i in range(np):
            self.tape[0].data[i] = params[i]
        self.inputs = self.tape[0].n
        self.tape[0].reserve(self.inputs + X.dim(0) * nin)
        for r in range(X.dim(0)):
            for c in range(nin):
                _ = leaf(self.tape, X[r, c])
        self.mark = self.tape[0].n

    fn row(self, r: Int, nin: Int) -> List[Value]:
        var x = List[Value]()
        for c in range(nin):
            x.append(Value(self.tape, self.inputs + r * nin + c))
        return x

    fn loss(self, n: Int, nin: Int, y: Tensor[DType.float64], mut correct: Int) -> Value:
        """micrograd's demo loss: mean(relu(1 - y * score)) + 1e-4 * sum(p * p)."""
        var data_loss = leaf(self.tape, 0.0)
        correct = 0
        for r in range(n):
            var score = self.mlp.score_block(self.inputs + r * nin)
            var yi = y[r]
            data_loss = data_loss + (1.0 + (-yi) * score).relu()
            if (yi > 0.0) == (score.data() > 0.0):
                correct += 1
        data_loss = data_loss * leaf(self.tape, 1.0 / Float64(n))
        var reg = leaf(self.tape, 0.0)
        for i in range(self.mlp.num_params()):
            var p = Value(self.tape, i)
            reg = reg + p * p
        return data_loss + 1e-4 * reg

    fn free(self):
        free_tape(self.tape)


# ---------------------------------------------------------------- entry points for Python

fn num_params(nin: Int, sizes: Tensor[DType.int64]) -> Int:
    var sz = List[Int]()
    for i in range(sizes.dim(0)):
        sz.append(Int(sizes[i]))
    return count_params(nin, sz)


fn init_params(nin: Int, sizes: Tensor[DType.int64], params: Tensor[DType.float64], seed: Int) raises:
    """micrograd's initialisation: weights uniform in [-1, 1), biases 0, in parameter order."""
    var sz = List[Int]()
    for i in range(sizes.dim(0)):
        sz.append(Int(sizes[i]))
    var np = count_params(nin, sz)
    if params.dim(0) != np:
        raise Error("wrong number of parameters: params.dim(0) must equal num_params(nin, sizes)")
    var t = new_tape(np)
    var rng = Rng(seed)
    _ = MLP.create(t, nin, sz, rng)
    for i in range(np):
        params[i] = t[0].data[i]
    free_tape(t)


fn make_moons(X: Tensor[DType.float64], y: Tensor[DType.float64], noise: Float64, seed: Int):
    fill_moons(X, y, noise, seed)


fn train(X: Tensor[DType.float64], y: Tensor[DType.float64], sizes: Tensor[DType.int64],
         params: Tensor[DType.float64], steps: Int, trace: Tensor[DType.float64]) raises -> Float64:
    """`steps` full-batch SGD steps (lr = 1 - 0.9 k / 100) from `params`, which are updated in
    place. trace[k] = (loss, accuracy, tape nodes, tape capacity) of step k, loss before its
    update. Returns the last loss."""
    var m = Model(X, sizes, params)
    var n = X.dim(0)
    var nin = X.dim(1)
    var last = 0.0
    for k in range(steps):
        var correct = 0
        var total = m.loss(n, nin, y, correct)
        m.tape[0].zero_grad()
        total.backward()
        var lr = 1.0 - 0.9 * Float64(k) / 100.0
        for i in range(m.mlp.num_params()):
            m.tape[0].data[i] -= lr * m.tape[0].grad[i]
        last = total.data()
        trace[k, 0] = last
        trace[k, 1] = Float64(correct) / Float64(n)
        trace[k, 2] = Float64(m.tape[0].n)
        trace[k, 3] = Float64(m.tape[0].cap)
        m.tape[0].truncate(m.mark)
    for i in range(m.mlp.num_params()):
        params[i] = m.tape[0].data[i]
    m.free()
    return last


fn loss_and_grad(X: Tensor[DType.float64], y: Tensor[DType.float64], sizes: Tensor[DType.int64],
                 params: Tensor[DType.float64], grad: Tensor[DType.float64]) raises -> Float64:
    """The loss at `params` and its gradient (written into grad, parameter order)."""
    var m = Model(X, sizes, params)
    var correct = 0
    var total = m.loss(X.dim(0), X.dim(1), y, correct)
    m.tape[0].zero_grad()
    total.backward()
    for i in range(m.mlp.num_params()):
        grad[i] = m.tape[0].grad[i]
    var v = total.data()
    m.free()
    return v


fn scores(X: Tensor[DType.float64], sizes: Tensor[DType.int64], params: Tensor[DType.float64],
          out: Tensor[DType.float64]) raises:
    """The MLP's score for each row of X (for decision-boundary plots)."""
    var m = Model(X, sizes, params)
    for r in range(X.dim(0)):
        out[r] = m.mlp(m.row(r, X.dim(1))).data()
        m.tape[0].truncate(m.mark)
    m.free()


fn op_grad(op: Int, x: Float64, y: Float64, k: Float64, out: Tensor[DType.float64]) raises:
    """z = op(x, y) (k: the exponent of POW); out = (z, dz/dx, dz/dy)."""
    var t = new_tape(16)
    var a = leaf(t, x)
    var b = leaf(t, y)
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
    else:
        free_tape(t)
        raise Error("unknown op code")
    z.backward()
    out[0] = z.data()
    out[1] = a.grad()
    out[2] = b.grad()
    free_tape(t)


fn dot_grad(u: Tensor[DType.float64], v: Tensor[DType.float64], gu: Tensor[DType.float64],
            gv: Tensor[DType.float64], fused: Bool) raises -> Float64:
    """z = tanh(u[n] + sum u[i] * v[i]) (n = v.dim(0), u has n + 1 entries) built with one
    DOT node (fused) or micrograd's chain of MUL and ADD nodes; gu, gv = dz/du, dz/dv."""
    var n = v.dim(0)
    if u.dim(0) != n + 1:
        raise Error("dot_grad: u needs one more entry (the bias) than v")
    var t = new_tape(16)
    for i in range(n + 1):
        _ = leaf(t, u[i])
    for i in range(n):
        _ = leaf(t, v[i])
    var s: Value
    if fused:
        s = Value(t, t[0].push_dot(0, n + 1, n))
    else:
        s = Value(t, n)
        for i in range(n):
            s = s + Value(t, i) * Value(t, n + 1 + i)
    var z = s.tanh()
    z.backward()
    for i in range(n + 1):
        gu[i] = t[0].grad[i]
    for i in range(n):
        gv[i] = t[0].grad[n + 1 + i]
    var value = z.data()
    free_tape(t)
    return value


fn reuse(out: Tensor[DType.float64]):
    """Node reuse: for a = 3, d(a * a)/da = 6, d(a + a)/da = 2, and for
    b = a * a; c = b + b * a: dc/da = 2a + 3a^2 = 33."""
    var t = new_tape(16)
    var a = leaf(t, 3.0)
    var sq = a * a
    sq.backward()
    out[0] = a.grad()
    t[0].zero_grad()
    var tw = a + a
    tw.backward()
    out[1] = a.grad()
    t[0].zero_grad()
    var b = a * a
    var c = b + b * a
    c.backward()
    out[2] = a.grad()
    free_tape(t)


fn micrograd_readme(out: Tensor[DType.float64]):
    """micrograd's README expression; out = (g, dg/da, dg/db)."""
    var t = new_tape(64)
    var a = leaf(t, -4.0)
    var b = leaf(t, 2.0)
    var c = a + b
    var d = a * b + b ** 3.0
    c += c + leaf(t, 1.0)
    c += 1.0 + c + (-a)
    d += d * leaf(t, 2.0) + (b + a).relu()
    d += 3.0 * d + (b - a).relu()
    var e = c - d
    var f = e ** 2.0
    var g = f / leaf(t, 2.0)
    g += 10.0 / f
    g.backward()
    out[0] = g.data()
    out[1] = a.grad()
    out[2] = b.grad()
    free_tape(t)


fn main(samples: Int = 100, steps: Int = 100, noise: Float64 = 0.1, seed: Int = 1,
        init_seed: Int = 2) raises:
    var X = Tensor[DType.float64](samples, 2)
    var y = Tensor[DType.float64](samples)
    fill_moons(X, y, noise, seed)
    var sizes = Tensor[DType.int64](3)
    sizes[0] = 16
    sizes[1] = 16
    sizes[2] = 1
    var params = Tensor[DType.float64](num_params(2, sizes))
    init_params(2, sizes, params, init_seed)
    var g = Tensor[DType.float64](3)
    micrograd_readme(g)
    print("micrograd README expression: g =", g[0], " dg/da =", g[1], " dg/db =", g[2])
    print("MLP(2, [16, 16, 1]):", params.dim(0), "parameters;", samples, "moons samples")
    var trace = Tensor[DType.float64](steps, 4)
    _ = train(X, y, sizes, params, steps, trace)
    for k in range(steps):
        print("step", k, "loss", trace[k, 0], "accuracy", trace[k, 1] * 100.0, "%")

"""The project's own small reference engines for the autograd benchmark (issue [autograd]).

In: moons data (`moons`), initial weights as one flat list in the documented order.
Out: the loss (and accuracy) of every training step.

- `Value`: a scalar reverse-mode engine with micrograd's semantics, in plain Python —
  each node stores its inputs and its op, whose local derivative `_back` applies;
  `backward()` orders the graph iteratively (no recursion limit) and accumulates
  gradients, so a node used several times gets the sum.
- `train_python`: an MLP 2 -> 16 -> 16 -> 1 (ReLU hidden layers, linear output) built from
  `Value`s, trained full batch with the SVM max-margin loss
  mean(relu(1 - y * score)) + 1e-4 * sum(p^2) and lr = 1.0 - 0.9 k / 100.
- `train_numpy`: the same network as matrices with a hand-written backward pass.

Weight order (both engines, and the one the mojolite engines take): layer by layer, neuron by
neuron, the neuron's weights (one per input) then its bias.
"""
from __future__ import annotations

import math

import numpy as np

SIZES = (2, 16, 16, 1)
ALPHA = 1e-4


class Value:
    """A scalar node: its value, its gradient, its inputs and the op that made it (the
    local derivative is computed in `_back` from those; no closures, so no reference
    cycles and no work for the cyclic garbage collector)."""
    __slots__ = ("data", "grad", "_inputs", "_op", "_k")

    def __init__(self, data, inputs=(), op="", k=0.0):
        self.data = data
        self.grad = 0.0
        self._inputs = inputs
        self._op = op
        self._k = k

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), "+")

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), "*")

    def __pow__(self, k):
        return Value(self.data ** k, (self,), "**", k)

    def relu(self):
        return Value(self.data if self.data > 0 else 0.0, (self,), "relu")

    def tanh(self):
        return Value(math.tanh(self.data), (self,), "tanh")

    def exp(self):
        return Value(math.exp(self.data), (self,), "exp")

    def log(self):
        return Value(math.log(self.data), (self,), "log")

    def __neg__(self):
        return self * -1.0

    def __sub__(self, other):
        return self + (-other)

    def __truediv__(self, other):
        return self * other ** -1

    def __radd__(self, other):
        return self + other

    def __rmul__(self, other):
        return self * other

    def __rsub__(self, other):
        return Value(other) + (-self)

    def __rtruediv__(self, other):
        return Value(other) * self ** -1

    def _back(self):
        """Add this node's gradient times the local derivative to its inputs'."""
        op, g = self._op, self.grad
        if op == "+":
            a, b = self._inputs
            a.grad += g
            b.grad += g
        elif op == "*":
            a, b = self._inputs
            a.grad += b.data * g
            b.grad += a.data * g
        elif op == "relu":
            self._inputs[0].grad += (self.data > 0) * g
        elif op == "**":
            a = self._inputs[0]
            a.grad += self._k * a.data ** (self._k - 1) * g
        elif op == "tanh":
            self._inputs[0].grad += (1 - self.data * self.data) * g
        elif op == "exp":
            self._inputs[0].grad += self.data * g
        elif op == "log":
            self._inputs[0].grad += g / self._inputs[0].data

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:                                  # iterative post-order DFS
            v, done = stack.pop()
            if done:
                order.append(v)
                continue
            if id(v) in seen:
                continue
            seen.add(id(v))
            stack.append((v, True))
            for c in v._inputs:
                if id(c) not in seen:
                    stack.append((c, False))
        self.grad = 1.0
        for v in reversed(order):
            if v._inputs:
                v._back()


def moons(n: int, noise: float = 0.1, seed: int = 0):
    """Two interleaving half circles with Gaussian noise: (X (n x 2), y in {-1, +1})."""
    rng = np.random.default_rng(seed)
    n_out = n // 2
    n_in = n - n_out
    a = np.linspace(0, np.pi, n_out)
    b = np.linspace(0, np.pi, n_in)
    x = np.concatenate([np.stack([np.cos(a), np.sin(a)], 1),
                        np.stack([1 - np.cos(b), 0.5 - np.sin(b)], 1)])
    x += noise * rng.standard_normal(x.shape)
    y = np.concatenate([-np.ones(n_out), np.ones(n_in)])
    return x, y


def n_params(sizes=SIZES) -> int:
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:]))


def init_weights(seed: int = 1, sizes=SIZES) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1.0, 1.0, n_params(sizes))


def learning_rate(k: int, steps: int = 100) -> float:
    return 1.0 - 0.9 * k / steps


def train_python(x, y, weights, steps, sizes=SIZES, lr_steps=100):
    """Returns [(loss, accuracy)] per step."""
    it = iter(float(w) for w in weights)
    layers = []                         # per layer: [(weights, bias)] per neuron
    for nin, nout in zip(sizes[:-1], sizes[1:]):
        layers.append([([Value(next(it)) for _ in range(nin)], Value(next(it)))
                       for _ in range(nout)])
    params = [p for layer in layers for ws, b in layer for p in (*ws, b)]
    xs = [[float(v) for v in row] for row in x]
    ys = [float(v) for v in y]
    out = []
    for k in range(steps):
        scores = []
        for row in xs:
            act = row
            for li, layer in enumerate(layers):
                last = li == len(layers) - 1
                nxt = []
                for ws, b in layer:
                    s = b
                    for wi, xi in zip(ws, act):
                        s = s + wi * xi
                    nxt.append(s if last else s.relu())
                act = nxt
            scores.append(act[0])
        losses = [(1 + -yi * si).relu() for yi, si in zip(ys, scores)]
        data_loss = sum(losses, Value(0.0)) * (1.0 / len(losses))
        reg = ALPHA * sum((p * p for p in params), Value(0.0))
        total = data_loss + reg
        acc = sum((yi > 0) == (si.data > 0) for yi, si in zip(ys, scores)) / len(ys)
        for p in params:
            p.grad = 0.0
        total.backward()
        lr = learning_rate(k, lr_steps)
        for p in params:
            p.data -= lr * p.grad
        out.append((total.data, acc))
    return out


def unflatten(weights, sizes=SIZES):
    """Flat list -> [(W (nin x nout), b (nout))] per layer."""
    mats, pos = [], 0
    for nin, nout in zip(sizes[:-1], sizes[1:]):
        block = np.asarray(weights[pos:pos + (nin + 1) * nout], dtype=np.float64)
        block = block.reshape(nout, nin + 1)          # a neuron: its weights, then its bias
        mats.append((block[:, :nin].T.copy(), block[:, nin].copy()))
        pos += (nin + 1) * nout
    return mats


def train_numpy(x, y, weights, steps, sizes=SIZES, lr_steps=100):
    """The same training as matrices; returns [(loss, accuracy)] per step."""
    layers = unflatten(weights, sizes)
    n = x.shape[0]
    out = []
    for k in range(steps):
        acts, pre = [x], []
        for li, (w, b) in enumerate(layers):
            z = acts[-1] @ w + b
            pre.append(z)
            acts.append(z if li == len(layers) - 1 else np.maximum(z, 0.0))
        s = acts[-1][:, 0]
        margin = 1.0 - y * s
        data_loss = np.maximum(margin, 0.0).sum() / n
        reg = ALPHA * sum((w * w).sum() + (b * b).sum() for w, b in layers)
        total = data_loss + reg
        acc = float(((y > 0) == (s > 0)).mean())
        dz = (-(y * (margin > 0)) / n)[:, None]
        grads = []
        for li in range(len(layers) - 1, -1, -1):
            w, b = layers[li]
            gw = acts[li].T @ dz + 2 * ALPHA * w
            gb = dz.sum(0) + 2 * ALPHA * b
            grads.append((gw, gb))
            if li:
                dz = (dz @ w.T) * (pre[li - 1] > 0)
        lr = learning_rate(k, lr_steps)
        for (w, b), (gw, gb) in zip(layers, reversed(grads)):
            w -= lr * gw
            b -= lr * gb
        out.append((float(total), acc))
    return out

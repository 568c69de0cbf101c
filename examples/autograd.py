"""Drive the autograd showcase (examples/autograd/*.ml) from Python.

Input: command-line flags (see --help), or imports from tests and benchmarks.
Output: the moons training log (loss, accuracy per step), optionally a decision-boundary
PNG (--plot FILE), timings (--bench).

The engines are written in mojolite: examples/autograd/scalar.ml (micrograd's scalar Value
on a tape) and examples/autograd/batched.ml (matrix values). Their Python entry points
(the same names in both files) take NumPy arrays:

    make_moons(X (n, 2), y (n,), noise, seed)       fill X and y (labels -1 / +1)
    num_params(nin, sizes)                           sizes: int64 array, e.g. [16, 16, 1]
    init_params(nin, sizes, params, seed)            fill params (micrograd's order)
    train(X, y, sizes, params, steps, trace)         SGD on params in place; trace (steps, 4)
    loss_and_grad(X, y, sizes, params, grad)         loss at params; grad filled
    scores(X, sizes, params, out)                    the MLP's score per row
    micrograd_readme(out (3,))                       g, dg/da, dg/db of micrograd's README
    op_grad(...)                                     one op's value and gradients (tests)

Parameter order (micrograd's `model.parameters()`): layer by layer, neuron by neuron, the
neuron's weights then its bias. This file also holds two independent implementations used
as oracles and baselines: a pure-Python micrograd-semantics engine (`PyValue`,
`py_train`) and a hand-written NumPy version (`numpy_train`).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
SCALAR_ML = HERE / "autograd" / "scalar.ml"
BATCHED_ML = HERE / "autograd" / "batched.ml"
SIZES = (16, 16, 1)

# op codes of op_grad (the `alias` constants at the top of each .ml file)
OPS = {name: i for i, name in enumerate(
    "LEAF ADD SUB MUL DIV POW NEG RELU TANH EXP LOG MATMUL BIAS SUM MEAN SUMSQ LOGSOFTMAX NLL SVM".split())}
SCALAR_OPS = ("ADD", "SUB", "MUL", "DIV", "POW", "NEG", "RELU", "TANH", "EXP", "LOG")

_modules: dict = {}


def engine(kind: str = "scalar", reference: bool = False):
    """The compiled module of an engine: kind 'scalar' or 'batched'."""
    key = (kind, reference)
    if key not in _modules:
        if str(HERE.parent) not in sys.path:
            sys.path.insert(0, str(HERE.parent))
        import mojolite
        path = {"scalar": SCALAR_ML, "batched": BATCHED_ML}[kind]
        _modules[key] = mojolite.load(path, reference=reference)
    return _modules[key]


def sizes_array(sizes=SIZES) -> np.ndarray:
    return np.asarray(sizes, dtype=np.int64)


def make_moons(n: int = 100, noise: float = 0.1, seed: int = 1):
    """Two interleaving half circles with Gaussian noise; y in {-1, +1}."""
    X = np.zeros((n, 2))
    y = np.zeros(n)
    engine("scalar").make_moons(X, y, noise, seed)
    return X, y


def init_params(sizes=SIZES, nin: int = 2, seed: int = 2) -> np.ndarray:
    """micrograd's initialisation (weights uniform in [-1, 1), biases 0)."""
    m = engine("scalar")
    s = sizes_array(sizes)
    p = np.zeros(m.num_params(nin, s))
    m.init_params(nin, s, p, seed)
    return p


def check_params(params: np.ndarray, sizes=SIZES, nin: int = 2) -> np.ndarray:
    p = np.ascontiguousarray(params, dtype=np.float64)
    want = engine("scalar").num_params(nin, sizes_array(sizes))
    if p.ndim != 1 or p.shape[0] != want:
        raise ValueError(f"MLP({nin}, {list(sizes)}) has {want} parameters, got an array of shape {p.shape}")
    return p


def train(X, y, params, steps: int = 100, kind: str = "scalar", sizes=SIZES, reference: bool = False):
    """Train from `params` (not modified); returns (trace, final params). trace[k] =
    (loss, accuracy, tape nodes, tape capacity or live buffers) at step k."""
    p = check_params(params, sizes, X.shape[1]).copy()
    trace = np.zeros((steps, 4))
    engine(kind, reference).train(X, y, sizes_array(sizes), p, steps, trace)
    return trace, p


def scores(X, params, kind: str = "scalar", sizes=SIZES):
    out = np.zeros(X.shape[0])
    engine(kind).scores(np.ascontiguousarray(X), sizes_array(sizes), check_params(params, sizes, X.shape[1]), out)
    return out


# ---------------------------------------------------------------- pure-Python micrograd semantics

class PyValue:
    """A scalar with a gradient, micrograd's semantics (written for this project)."""
    __slots__ = ("data", "grad", "parents", "back")

    def __init__(self, data, parents=(), back=None):
        self.data = float(data)
        self.grad = 0.0
        self.parents = parents
        self.back = back

    @staticmethod
    def lift(x):
        return x if isinstance(x, PyValue) else PyValue(x)

    def __add__(self, other):
        other = PyValue.lift(other)
        out = PyValue(self.data + other.data, (self, other))

        def back():
            self.grad += out.grad
            other.grad += out.grad
        out.back = back
        return out

    def __mul__(self, other):
        other = PyValue.lift(other)
        out = PyValue(self.data * other.data, (self, other))

        def back():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out.back = back
        return out

    def __pow__(self, k):
        out = PyValue(self.data ** k, (self,))

        def back():
            self.grad += k * self.data ** (k - 1) * out.grad
        out.back = back
        return out

    def relu(self):
        out = PyValue(self.data if self.data > 0 else 0.0, (self,))

        def back():
            self.grad += (out.data > 0) * out.grad
        out.back = back
        return out

    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return other + (-self)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self * other ** -1

    def __rtruediv__(self, other):
        return other * self ** -1

    def backward(self):
        order, seen, stack = [], set(), [(self, False)]
        while stack:                       # iterative post-order DFS
            v, done = stack.pop()
            if done:
                order.append(v)
            elif id(v) not in seen:
                seen.add(id(v))
                stack.append((v, True))
                stack.extend((p, False) for p in v.parents)
        self.grad = 1.0
        for v in reversed(order):
            if v.back is not None:
                v.back()


def py_mlp(params, sizes=SIZES, nin: int = 2):
    """The MLP's layers as lists of (weights, bias) of PyValues, from a flat array."""
    it = iter(PyValue(float(p)) for p in params)
    layers, n_in = [], nin
    for n_out in sizes:
        layers.append([([next(it) for _ in range(n_in)], next(it)) for _ in range(n_out)])
        n_in = n_out
    return layers


def py_forward(layers, x):
    for li, layer in enumerate(layers):
        out = []
        for w, b in layer:
            act = sum((wi * xi for wi, xi in zip(w, x)), b)
            out.append(act.relu() if li != len(layers) - 1 else act)
        x = out
    return x[0]


def py_train(X, y, params, steps: int = 100, sizes=SIZES):
    """micrograd's moons demo in pure Python; returns (trace (loss, accuracy), params)."""
    layers = py_mlp(params, sizes, X.shape[1])
    ps = [p for layer in layers for w, b in layer for p in (*w, b)]
    inputs = [[PyValue(float(v)) for v in row] for row in X]
    trace = []
    for k in range(steps):
        s = [py_forward(layers, x) for x in inputs]
        losses = [(1 + -float(yi) * si).relu() for yi, si in zip(y, s)]
        data_loss = sum(losses) * (1.0 / len(losses))
        total = data_loss + 1e-4 * sum(p * p for p in ps)
        acc = sum((yi > 0) == (si.data > 0) for yi, si in zip(y, s)) / len(y)
        for p in ps:
            p.grad = 0.0
        total.backward()
        lr = 1.0 - 0.9 * k / 100
        for p in ps:
            p.data -= lr * p.grad
        trace.append((total.data, acc))
    return np.array(trace), np.array([p.data for p in ps])


# ---------------------------------------------------------------- hand-written NumPy

def unpack(params, sizes=SIZES, nin: int = 2):
    """Flat micrograd-order parameters -> [(W (n_in, n_out), b (n_out,))]."""
    out, at, n_in = [], 0, nin
    for n_out in sizes:
        block = np.asarray(params[at:at + n_out * (n_in + 1)]).reshape(n_out, n_in + 1)
        out.append((block[:, :n_in].T.copy(), block[:, n_in].copy()))
        at += n_out * (n_in + 1)
        n_in = n_out
    return out


def pack(layers):
    return np.concatenate([np.hstack([W.T, b[:, None]]).ravel() for W, b in layers])


def numpy_train(X, y, params, steps: int = 100, sizes=SIZES):
    """The same training with NumPy matrices; returns (trace (loss, accuracy), params)."""
    layers = unpack(params, sizes, X.shape[1])
    n = X.shape[0]
    trace = np.zeros((steps, 2))
    for k in range(steps):
        hs = [X]
        for i, (W, b) in enumerate(layers):
            z = hs[-1] @ W + b
            hs.append(np.maximum(z, 0.0) if i != len(layers) - 1 else z)
        s = hs[-1][:, 0]
        margin = 1.0 - y * s
        loss = np.maximum(margin, 0.0).mean() + 1e-4 * sum((W * W).sum() + (b * b).sum() for W, b in layers)
        trace[k] = loss, np.mean((y > 0) == (s > 0))
        g = (np.where(margin > 0, -y, 0.0) / n)[:, None]
        lr = 1.0 - 0.9 * k / 100
        for i in range(len(layers) - 1, -1, -1):
            W, b = layers[i]
            if i != len(layers) - 1:
                g = g * (hs[i + 1] > 0)
            gW = hs[i].T @ g + 2e-4 * W
            gb = g.sum(0) + 2e-4 * b
            g = g @ W.T
            layers[i] = (W - lr * gW, b - lr * gb)
    return trace, pack(layers)


def numpy_train_classifier(X, y, params, steps: int, lr: float = 0.1, reg: float = 1e-4,
                           sizes=(64, 64, 3)):
    """batched.ml's train_classifier in NumPy: ReLU MLP, cross-entropy + reg * sum(p^2),
    SGD with momentum 0.9; returns (trace (loss, accuracy), params)."""
    layers = unpack(params, sizes, X.shape[1])
    vel = [(np.zeros_like(W), np.zeros_like(b)) for W, b in layers]
    n, labels = X.shape[0], y.astype(np.int64)
    trace = np.zeros((steps, 2))
    for k in range(steps):
        hs = [X]
        for i, (W, b) in enumerate(layers):
            z = hs[-1] @ W + b
            hs.append(np.maximum(z, 0.0) if i != len(layers) - 1 else z)
        z = hs[-1]
        shifted = z - z.max(1, keepdims=True)
        logp = shifted - np.log(np.exp(shifted).sum(1, keepdims=True))
        loss = -logp[np.arange(n), labels].mean() + reg * sum((W * W).sum() + (b * b).sum()
                                                               for W, b in layers)
        trace[k] = loss, np.mean(z.argmax(1) == labels)
        g = np.exp(logp)
        g[np.arange(n), labels] -= 1.0
        g /= n
        for i in range(len(layers) - 1, -1, -1):
            W, b = layers[i]
            if i != len(layers) - 1:
                g = g * (hs[i + 1] > 0)
            gW = hs[i].T @ g + 2 * reg * W
            gb = g.sum(0) + 2 * reg * b
            g = g @ W.T
            vW, vb = vel[i]
            vW, vb = 0.9 * vW - lr * gW, 0.9 * vb - lr * gb
            vel[i] = (vW, vb)
            layers[i] = (W + vW, b + vb)
    return trace, pack(layers)


# ---------------------------------------------------------------- plot and benchmark

def plot_boundary(path, X, y, params, kind: str = "scalar", sizes=SIZES, h: float = 0.05):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    x0, x1 = X[:, 0].min() - 1, X[:, 0].max() + 1
    y0, y1 = X[:, 1].min() - 1, X[:, 1].max() + 1
    xx, yy = np.meshgrid(np.arange(x0, x1, h), np.arange(y0, y1, h))
    grid = np.c_[xx.ravel(), yy.ravel()]
    z = scores(grid, params, kind, sizes).reshape(xx.shape)
    fig, ax = plt.subplots(figsize=(6, 5))
    ax.contourf(xx, yy, z > 0, cmap=plt.cm.Spectral, alpha=0.8)
    ax.contour(xx, yy, z, levels=[0.0], colors="k", linewidths=1)
    ax.scatter(X[:, 0], X[:, 1], c=y, s=30, cmap=plt.cm.Spectral, edgecolors="k")
    ax.set_xlim(xx.min(), xx.max())
    ax.set_ylim(yy.min(), yy.max())
    ax.set_title(f"MLP(2, {list(sizes)}) decision boundary ({kind} engine)")
    fig.savefig(path, dpi=100)
    plt.close(fig)


def bench_moons(kind: str, X, y, params, steps: int = 100, repeats: int = 5) -> float:
    """Best wall time (s) of `steps` training steps: kind is 'scalar', 'batched',
    'python' (pure-Python micrograd: 2 steps timed with the garbage collector off, scaled)
    or 'numpy'."""
    if kind in ("scalar", "batched"):
        train(X, y, params, 1, kind)                    # compile outside the timing
        run = lambda: train(X, y, params, steps, kind)  # noqa: E731
    elif kind == "python":                              # 2 steps timed, scaled to `steps`
        k = min(steps, 2)

        def run():
            import gc
            gc.disable()                                # as the benchmark harness times it
            try:
                py_train(X, y, params, k)
            finally:
                gc.enable()
        scale = steps / k
    elif kind == "numpy":
        run = lambda: numpy_train(X, y, params, steps)  # noqa: E731
    else:
        raise ValueError(f"unknown kind {kind!r}")
    if kind != "python":
        scale = 1.0
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        run()
        best = min(best, (time.perf_counter() - t0) * scale)
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engine", choices=("scalar", "batched"), default="scalar")
    ap.add_argument("--samples", type=int, default=100)
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--noise", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reference", action="store_true", help="run the engine in the reference interpreter")
    ap.add_argument("--plot", metavar="PNG", help="draw the decision boundary into this file")
    ap.add_argument("--bench", action="store_true", help="time 100 steps: both engines, pure Python, NumPy")
    a = ap.parse_args(argv)
    X, y = make_moons(a.samples, a.noise, a.seed)
    p0 = init_params(seed=a.seed + 1)
    trace, p = train(X, y, p0, a.steps, a.engine, reference=a.reference)
    for k, (loss, acc, _, _) in enumerate(trace):
        print(f"step {k} loss {loss:.6f} accuracy {acc * 100:.1f}%")
    if a.plot:
        plot_boundary(a.plot, X, y, p, a.engine)
        print(f"wrote {a.plot}")
    if a.bench:
        for kind, reps in (("scalar", 5), ("batched", 5), ("numpy", 5), ("python", 2)):
            t = bench_moons(kind, X, y, p0, a.steps, reps)
            print(f"{kind:8s} {a.samples} samples x {a.steps} steps: {t * 1e3:9.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""autograd: micrograd's moons MLP (2 -> 16 -> 16 -> 1, SVM loss, full batch), every engine.

In: quick / check-only flags. Out: `harness.Row`s per (samples, engine).

Every engine starts from the same data (`autograd_ref.moons`) and the same initial weights
(`autograd_ref.init_weights`, the documented flat order) and must reproduce the NumPy
engine's loss at every step to 1e-9 (relative) before it is timed. The pure-Python engine
runs a few steps per timed call (its graph is the same every step, so the time of k steps
x steps/k is the whole run; marked extrapolated). mojolite rows use the engines of
examples/autograd/scalar.ml and batched.ml (`train(X, y, sizes, params, steps, trace)`),
skipped with a note when those files are not there.
"""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from . import autograd_ref as ref
from .harness import Progress, Row, has_module, measure, rel_err, skipped

SECTION = "autograd"
ROOT = Path(__file__).resolve().parent.parent
SAMPLES = (20, 100, 200)
QUICK_SAMPLES = (20, 100)
STEPS = 100
QUICK_STEPS = 20
TOL = 1e-9
PY_STEPS_SLOW = 200       # pure Python: about this many sample-steps per timed call
PY_STEPS_SLOW_QUICK = 100  # (--quick)


class Skip(Exception):
    pass


def losses_check(want):
    """Loss of every step against the NumPy engine's; the final accuracy is reported."""
    def check(got):
        got_loss = np.asarray([g[0] for g in got])
        e = rel_err(got_loss, np.asarray([g[0] for g in want[:len(got)]]))
        tail = f", final accuracy {got[-1][1]:.0%}" if len(got) == len(want) else ""
        return e <= TOL, f"(loss err {e:.1e} over {len(got)} steps{tail})"
    return check


def setup_python(x, y, w, steps):
    return (lambda: (x, y, w, steps)), ref.train_python


def setup_numpy(x, y, w, steps):
    return (lambda: (x, y, w.copy(), steps)), ref.train_numpy


_ML: dict = {}
COMPILE_S: dict = {}


def _mojolite(kind: str):
    path = ROOT / "examples" / "autograd" / f"{kind}.ml"

    def setup(x, y, w, steps):
        if kind not in _ML:
            if not path.exists():
                raise Skip(f"examples/autograd/{kind}.ml not found")
            import mojolite
            try:
                t0 = time.perf_counter()
                _ML[kind] = mojolite.load(str(path), boundscheck=False)
                COMPILE_S[kind] = time.perf_counter() - t0
            except Exception as e:
                _ML[kind] = f"{type(e).__name__}: {(str(e).splitlines() or [''])[0]}"[:150]
        m = _ML[kind]
        if isinstance(m, str):
            raise Skip(f"examples/autograd/{kind}.ml does not load ({m})")
        if not hasattr(m, "train"):
            raise Skip(f"examples/autograd/{kind}.ml has no train()")
        sizes = np.asarray(ref.SIZES[1:], dtype=np.int64)
        xs, ys = np.ascontiguousarray(x), np.ascontiguousarray(y)

        def run(params, trace):
            m.train(xs, ys, sizes, params, steps, trace)
            return [(float(a), float(b)) for a, b in trace[:, :2]]
        run.compile_s = COMPILE_S.pop(kind, None)      # reported once, on the first case
        return (lambda: (w.copy(), np.zeros((steps, 4)))), run
    return setup


def setup_torch(x, y, w, steps):
    if not has_module("torch"):
        raise Skip("torch is not installed")
    import torch
    torch.set_num_threads(2)
    tx = torch.from_numpy(x)
    ty = torch.from_numpy(y)

    def run(weights):
        layers = [(torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True))
                  for a, b in ref.unflatten(weights)]
        out = []
        for k in range(steps):
            h = tx
            for li, (a, b) in enumerate(layers):
                h = h @ a + b
                if li < len(layers) - 1:
                    h = torch.relu(h)
            s = h[:, 0]
            total = torch.relu(1 - ty * s).mean() + \
                ref.ALPHA * sum((a * a).sum() + (b * b).sum() for a, b in layers)
            for a, b in layers:
                a.grad = b.grad = None
            total.backward()
            lr = ref.learning_rate(k)
            with torch.no_grad():
                for a, b in layers:
                    a -= lr * a.grad
                    b -= lr * b.grad
            out.append((float(total), float(((ty > 0) == (s > 0)).double().mean())))
        return out
    return (lambda: (w,)), run


IMPLS = [
    ("pure Python engine (benchmarks/autograd_ref.py)", setup_python, True),
    ("NumPy matrices, hand-written backward", setup_numpy, False),
    ("mojolite scalar engine (examples/autograd/scalar.ml)", _mojolite("scalar"), False),
    ("mojolite batched engine (examples/autograd/batched.ml)", _mojolite("batched"), False),
    ("PyTorch", setup_torch, False),
]


def run(*, quick=False, check_only=False, only_impls=None, progress: Progress | None = None):
    rows: list[Row] = []
    steps = QUICK_STEPS if quick else STEPS
    for n in (QUICK_SAMPLES if quick else SAMPLES):
        x, y = ref.moons(n)
        w = ref.init_weights()
        want = ref.train_numpy(x, y, w, steps)
        case = f"{n} samples x {steps} steps"
        for name, setup, slow in IMPLS:
            if only_impls and not any(s.lower() in name.lower() for s in only_impls):
                continue
            slow_steps = PY_STEPS_SLOW_QUICK if quick else PY_STEPS_SLOW
            sub = max(1, min(steps, slow_steps // n)) if slow else steps
            try:
                make, fn = setup(x, y, w, sub)
            except Skip as why:
                rows.append(skipped(SECTION, case, name, str(why), samples=n))
                continue
            row = Row(SECTION, case, name, scale=steps / sub, units=steps,
                      params=dict(samples=n, steps=steps, timed_iters=sub,
                                  group=f"{steps} steps",
                                  compile_s=getattr(fn, "compile_s", None)))
            measure(row, make, fn, losses_check(want), min_runs=0 if check_only else 5,
                    max_runs=0 if check_only else 30, target_s=0.3 if quick else 1.0,
                    progress=progress)
            rows.append(row)
        mine = [r for r in rows if r.case == case and r.timed]
        for key, prefix in (("vs_baseline", "NumPy"), ("vs_python", "pure Python")):
            base = [r.total() for r in mine if r.impl.startswith(prefix)]
            for r in mine:
                if base:
                    r.params[key] = base[0] / r.total()
    return rows

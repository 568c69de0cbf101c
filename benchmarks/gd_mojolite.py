"""The mojolite rows of the gd benchmark: the kernels of examples/gd.ml, loaded with
`mojolite.load`.

In: a `gd.Problem`. Out: (make, run, extract) as for every other gd implementation,
or `gd.Skip` with the reason when examples/gd.ml or one of its kernels is missing.
The file is compiled once per process (`mojolite.load`, timed: the first mojolite row
shows it as "+ compile"); each row calls `descend_f64` / `descend_f32(X, D, lr, iters,
kernel, threads)`, the whole loop in place, with kernel "plain", "simd" or "parallel" and
2 threads. `descend` squares D and allocates G on each call, inside the clock (O(N^2) once
per run, against O(iters N^2) of work).
"""
from __future__ import annotations

import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GD_ML = ROOT / "examples" / "gd.ml"
THREADS = 2

# Row name -> the kernel name in examples/gd.ml.
KERNELS = [("mojolite plain", "plain"), ("mojolite SIMD", "simd"),
           ("mojolite parallel+SIMD", "parallel")]

_MODULE: dict = {}


def module():
    if "error" in _MODULE:
        raise _skip(_MODULE["error"])
    if "m" not in _MODULE:
        if not GD_ML.exists():
            _MODULE["error"] = "examples/gd.ml not found"
            raise _skip(_MODULE["error"])
        import mojolite
        try:
            _MODULE["m"] = mojolite.load(str(GD_ML), boundscheck=False)
        except Exception as e:
            _MODULE["error"] = f"examples/gd.ml does not load: {type(e).__name__}: " \
                               f"{str(e).splitlines()[0] if str(e) else ''}"[:150]
            raise _skip(_MODULE["error"]) from None
    return _MODULE["m"]


def _skip(why):
    from .gd import Skip
    return Skip(why)


def _setup(kernel: str):
    def setup(p):
        t0 = time.perf_counter()
        fresh = "m" not in _MODULE
        m = module()
        compile_s = time.perf_counter() - t0 if fresh else None
        name = {"float64": "descend_f64", "float32": "descend_f32"}[p.dtype]
        fn = getattr(m, name, None)
        if fn is None:
            raise _skip(f"examples/gd.ml has no `{name}`")
        lr = float(p.lr)

        def run(x, d, lr, iters):
            bad = fn(x, d, lr, iters, kernel, THREADS)
            if bad != -1:
                raise RuntimeError(f"descend diverged at step {bad}")
            return x
        run.compile_s = compile_s
        return (lambda: (p.x0.copy(), p.d, lr, p.iters)), run, None
    return setup


IMPLS = [(name, _setup(k)) for name, k in KERNELS]

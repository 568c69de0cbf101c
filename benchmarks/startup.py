"""startup: import time, first compile and warm-cache load, each in fresh processes.

In: quick flag. Out: `harness.Row`s (median / min / max over RUNS fresh processes) and notes.

Each figure is measured inside a new `python` process (`sys.executable`), from just before
the statement to just after it, so interpreter start-up is excluded and every run is cold
as far as the process is concerned (the OS file cache is warm for all alike):

- `import X` for numpy, mojolite, numba, jax;
- mojolite, cold compile: with an empty cache directory (`MOJOLITE_CACHE_DIR`, a fresh
  temporary directory per run), after `import mojolite` and NumPy (and, in the "after
  imports" rows, after `mojolite.api.import_pipeline()` loaded Lark, llvmlite and the
  host target: the compile budget's measure), (a) `mojolite.load`
  of examples/gd.ml and one call of `descend_f64` with the parallel kernel (which compiles
  that function and what every run of it reaches, then, through lazily linked calls, the
  parallel kernel and its 2-D row kernel: not the plain and SIMD kernels nor the row
  kernels of other dimensions), and (b) the first call of
  one `@mojolite.fn` kernel, benchmarks/linreg_kernels.py's `linreg_plain`;
- mojolite, warm cache: the same in a new process over the directory the cold run filled
  (only meaningful when mojolite has its disk cache: a note says when no entry was written);
- Numba, first call of the gd SoA kernel (`@njit(parallel=True, fastmath=True)`, compile
  included), after `import numba`; JAX, first call of the jitted gd loop.
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from .harness import Progress, Row, fmt_time, has_module

SECTION = "startup"
ROOT = Path(__file__).resolve().parent.parent
RUNS = 5

TIMER = "import time as _t\n_t0 = _t.perf_counter()\n{stmt}\n" \
        "print('@@', _t.perf_counter() - _t0)\n"

GD_ML_FIRST = """
import numpy as np, mojolite
from benchmarks.gd import problem
p = problem(100, 2, "float64", 1)
x = p.x0.copy()
""", """
m = mojolite.load("examples/gd.ml", boundscheck=False)
m.descend_f64(x, p.d, float(p.lr), 1, "parallel", 2)
"""

LINREG_FIRST = """
import numpy as np, mojolite
x = np.ones((100, 4)); y = np.ones(100); w = np.zeros(4); g = np.zeros(4)
from benchmarks import linreg_kernels as K
""", """
K.linreg_plain(x, y, w, g, 0.1, 1)
"""

NUMBA_FIRST = """
import numpy as np
import numba
from benchmarks.gd import problem, _numba_kernels
p = problem(100, 2, "float64", 1)
xt = np.ascontiguousarray(p.x0.T); d2 = p.d * p.d
k = _numba_kernels()["soa"]
""", """
k(xt, d2, p.lr, 1)
"""

JAX_FIRST = """
import numpy as np
import jax
from benchmarks.gd import problem, setup_jax
p = problem(100, 2, "float64", 1)
make, run, _ = setup_jax(p)
args = make()
""", """
run(*args)
"""


def _child(setup: str, stmt: str, env: dict) -> float:
    code = setup + "\n" + TIMER.format(stmt=stmt)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                       env=env, timeout=300)
    if r.returncode != 0:
        last = (r.stderr.strip().splitlines() or ["?"])[-1]
        raise RuntimeError(last[:200])
    for line in r.stdout.splitlines():
        if line.startswith("@@"):
            return float(line.split()[1])
    raise RuntimeError("no timing printed")


def _env(**extra):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH")
                                     else "")
    env.update(extra)
    return env


def _row(case, impl, times, note="") -> Row:
    r = Row(SECTION, case, impl, check="n/a", note=note)
    if times:
        r.runs = len(times)
        r.median_s = statistics.median(times)
        r.min_s, r.max_s = min(times), max(times)
    return r


def run(*, quick=False, progress: Progress | None = None):
    rows, notes = [], []
    say = progress.say if progress else (lambda s: None)

    def series(case, impl, setup, stmt, env_fn=None, before=None):
        times = []
        try:
            for i in range(RUNS):
                if before:
                    before(i)
                times.append(_child(setup, stmt, env_fn(i) if env_fn else _env()))
        except (RuntimeError, subprocess.SubprocessError) as e:
            rows.append(Row(SECTION, case, impl, check=f"FAILED: {e}"[:160]))
            return None
        rows.append(_row(case, impl, times))
        say(f"startup {impl}: {fmt_time(rows[-1].median_s)} median of {len(times)}")
        return rows[-1]

    for mod in ("numpy", "mojolite", "numba", "jax"):
        if mod != "mojolite" and not has_module(mod):
            rows.append(Row(SECTION, "import", f"import {mod}", check="skipped: not installed"))
            continue
        series("import", f"import {mod}", "", f"import {mod}")

    units = [("linreg_plain kernel (@mojolite.fn, one function)", LINREG_FIRST)]
    if (ROOT / "examples" / "gd.ml").exists():
        units.insert(0, ("gd kernels (examples/gd.ml, descend_f64)", GD_ML_FIRST))
    else:
        notes.append("startup: examples/gd.ml not found: no gd rows for mojolite")
    for what, (setup, stmt) in units:
        # The compile budget's own measure: Lark, llvmlite and the host target loaded
        # first (`import_pipeline`, untimed), an empty cache.
        dirs = [tempfile.mkdtemp(prefix="mojolite-bench-cache-") for _ in range(RUNS)]
        try:
            series("first compile + call", f"mojolite cold, after imports: {what}",
                   setup + "\nfrom mojolite.api import import_pipeline\nimport_pipeline()", stmt,
                   env_fn=lambda i: _env(MOJOLITE_CACHE_DIR=dirs[i]))
        finally:
            for d in dirs:
                shutil.rmtree(d, ignore_errors=True)
        dirs = [tempfile.mkdtemp(prefix="mojolite-bench-cache-") for _ in range(RUNS)]
        try:
            series("first compile + call", f"mojolite cold: {what}", setup, stmt,
                   env_fn=lambda i: _env(MOJOLITE_CACHE_DIR=dirs[i]))
            entries = sum(len(files) for d in dirs for _, _, files in os.walk(d))
            if entries:
                series("first compile + call", f"mojolite warm cache: {what}", setup, stmt,
                       env_fn=lambda i: _env(MOJOLITE_CACHE_DIR=dirs[i]))
            else:
                notes.append("startup: the cold mojolite runs wrote no cache entry "
                             "(no disk cache yet): no warm-cache row")
        finally:
            for d in dirs:
                shutil.rmtree(d, ignore_errors=True)

    if quick:
        notes.append("startup: Numba and JAX first-compile rows are not run with --quick")
        return rows, notes
    if has_module("numba"):
        series("first compile + call", "Numba: gd SoA parallel fastmath kernel", *NUMBA_FIRST)
    else:
        rows.append(Row(SECTION, "first compile + call", "Numba", check="skipped: not installed"))
    if has_module("jax"):
        series("first compile + call", "JAX: jit of the gd loop", *JAX_FIRST)
    else:
        rows.append(Row(SECTION, "first compile + call", "JAX", check="skipped: not installed"))
    return rows, notes


def table(rows) -> str:
    lines = ["| what | implementation | median | min – max | fresh processes |",
             "|---|---|---:|---:|---:|"]
    for r in rows:
        if r.section != SECTION:
            continue
        if not r.timed:
            lines.append(f"| {r.case} | {r.impl} | {r.check} | | 0 |")
            continue
        lines.append(f"| {r.case} | {r.impl} | {fmt_time(r.median_s)} | {fmt_time(r.min_s)} – "
                     f"{fmt_time(r.max_s)} | {r.runs} |")
    return "\n".join(lines)


if __name__ == "__main__":          # python -m benchmarks.startup: this section alone, as JSON
    got, n = run(progress=Progress())
    print(json.dumps([(r.impl, r.median_s) for r in got] + n, indent=1))

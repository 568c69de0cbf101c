"""The measuring kit every workload shares: timing, checking, rows, progress, machine header.

In: an implementation as three callables (make fresh inputs, run, check the output).
Out: a `Row` with its first-call time, its check verdict and median / min / max of the
timed runs. The method, in order, for every implementation:

1. first call, timed on its own: for a JIT this includes compiling (reported as
   "first call", never mixed into the medians);
2. its result is checked against the workload's reference; a mismatch is kept in the
   row's `check` column and the row is still timed, so the table shows it;
3. one warm-up call (skipped when one call takes longer than `SLOW_S`, or when the
   caller already ran it warm, e.g. gd's probe: the first call served as warm-up);
4. at least `min_runs` timed calls, each on fresh inputs built outside the clock,
   more while the total stays under the time target; median, min and max are kept.
"""
from __future__ import annotations

import math
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Callable

SLOW_S = 2.0


@dataclass
class Row:
    section: str            # "gd", "linreg", ...
    case: str               # "N=1000 dim=2 float64"
    impl: str               # "NumPy Gram"
    check: str = ""         # "ok (1.2e-14)", "MISMATCH (...)", "skipped: ..."
    first_s: float = math.nan
    median_s: float = math.nan
    min_s: float = math.nan
    max_s: float = math.nan
    runs: int = 0
    scale: float = 1.0      # timed work x scale = the whole workload (extrapolated when > 1)
    units: int = 1          # iterations / steps in the whole workload, for per-unit figures
    params: dict = field(default_factory=dict)
    note: str = ""

    @property
    def timed(self) -> bool:
        return self.runs > 0 and not math.isnan(self.median_s)

    @property
    def extrapolated(self) -> bool:
        return self.scale != 1.0

    @property
    def skipped(self) -> bool:
        return self.check.startswith("skipped")

    @property
    def verified(self) -> bool:
        return self.check.startswith("ok")

    def total(self, which: str = "median") -> float:
        """Seconds for the whole workload (scaled up when extrapolated)."""
        return getattr(self, which + "_s") * self.scale

    def per_unit_us(self, which: str = "median") -> float:
        return self.total(which) / self.units * 1e6


class Progress:
    """One line per measured thing on stderr, with elapsed time; quiet when asked."""

    def __init__(self, quiet: bool = False, stream=None):
        self.quiet = quiet
        self.stream = stream or sys.stderr
        self.t0 = time.perf_counter()
        self.count = 0

    def say(self, text: str):
        if self.quiet:
            return
        self.count += 1
        el = time.perf_counter() - self.t0
        print(f"[{el:7.1f}s] {text}", file=self.stream, flush=True)


def measure(row: Row, make: Callable[[], tuple], run: Callable, check: Callable | None, *,
            min_runs: int = 5, max_runs: int = 50, target_s: float = 1.0,
            warmup: bool = True, progress: Progress | None = None) -> Row:
    """Fill `row` by the method in the module docstring. `make()` returns the argument
    tuple for one call (fresh copies), `run(*args)` does the work and returns the result,
    `check(result)` returns (ok: bool, text)."""
    label = f"{row.section} {row.case} {row.impl}"
    if progress:
        progress.say(f"{label}: first call")
    try:
        args = make()
        t0 = time.perf_counter()
        out = run(*args)
        row.first_s = time.perf_counter() - t0
    except Exception as e:                      # an implementation failing is a row, not a crash
        row.check = f"FAILED: {type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"[:160]
        return row
    if check is not None:
        try:
            ok, text = check(out)
        except Exception as e:
            ok, text = False, f"check raised {type(e).__name__}: {e}"
        row.check = ("ok " if ok else "MISMATCH ") + text
    else:
        row.check = "unchecked"
    if max_runs <= 0:                           # --check-only
        return row
    one = row.first_s
    if warmup and one < SLOW_S:
        args = make()
        t0 = time.perf_counter()
        run(*args)
        one = time.perf_counter() - t0
    times: list[float] = []
    while len(times) < min_runs or (len(times) < max_runs and sum(times) + one < target_s):
        args = make()
        t0 = time.perf_counter()
        run(*args)
        times.append(time.perf_counter() - t0)
        one = times[-1]
    row.runs = len(times)
    row.median_s = statistics.median(times)
    row.min_s, row.max_s = min(times), max(times)
    if progress:
        progress.say(f"{label}: {fmt_time(row.total())} median of {row.runs}"
                     f"{' (extrapolated)' if row.extrapolated else ''}  [{row.check}]")
    return row


def skipped(section: str, case: str, impl: str, why: str, **params) -> Row:
    return Row(section, case, impl, check=f"skipped: {why}", params=params)


def rel_err(a, b) -> float:
    """max |a - b| / max(|b|, tiny) over arrays or scalars (NumPy)."""
    import numpy as np
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return math.inf
    if not np.all(np.isfinite(a)):
        return math.inf
    scale = max(float(np.max(np.abs(b))) if b.size else 0.0, 1e-300)
    return float(np.max(np.abs(a - b))) / scale if a.size else 0.0


def close(a, b, tol: float) -> tuple[bool, str]:
    e = rel_err(a, b)
    return e <= tol, f"(err {e:.1e})" if e else "(exact)"


def fmt_time(s: float) -> str:
    if s is None or math.isnan(s):
        return "–"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.2f} ms"
    if s >= 1e-6:
        return f"{s * 1e6:.1f} µs"
    return f"{s * 1e9:.0f} ns"


def fmt_us(us: float) -> str:
    if us is None or math.isnan(us):
        return "–"
    if us >= 100:
        return f"{us:,.0f}"
    if us >= 1:
        return f"{us:.2f}"
    return f"{us:.3f}"


# -- machine header ---------------------------------------------------------------------------

def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _simd_flags() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    flags = set(line.split(":", 1)[1].split())
                    keep = ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512dq", "avx512bw",
                            "avx512vl", "avx512_bf16", "neon", "asimd", "sve"]
                    return " ".join(f for f in keep if f in flags) or "-"
    except OSError:
        pass
    return "unknown"


def _version(module: str) -> str:
    try:
        from importlib import metadata
        return metadata.version(module)
    except Exception:
        return "not installed"


def _gxx_version() -> str:
    try:
        out = subprocess.run(["g++", "--version"], capture_output=True, text=True, timeout=10)
        return out.stdout.splitlines()[0] if out.returncode == 0 else "not found"
    except (OSError, subprocess.SubprocessError):
        return "not found"


def machine() -> dict:
    try:
        import llvmlite.binding as llvm
        llvm_version = ".".join(map(str, llvm.llvm_version_info))
    except Exception:
        llvm_version = "?"
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "simd": _simd_flags(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "numpy": _version("numpy"),
        "llvmlite": f"{_version('llvmlite')} (LLVM {llvm_version})",
        "numba": _version("numba"),
        "jax": _version("jax"),
        "torch": _version("torch"),
        "matplotlib": _version("matplotlib"),
        "g++": _gxx_version(),
        "mojolite": _version("mojolite") if _version("mojolite") != "not installed" else
        __import__("mojolite").__version__,
    }


def has_module(name: str) -> bool:
    import importlib.util
    return importlib.util.find_spec(name) is not None

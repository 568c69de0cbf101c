"""Cost of a `parallelize` region on 2 workers, beside Numba `prange` and C OpenMP.

    python benchmarks/parallel.py [--quick]
    PYTHONPATH=. /path/to/venv-with-numba/bin/python benchmarks/parallel.py

Figures, printed as one markdown table (each checked against a serial oracle first):

1. Region cost inside one compiled call: a kernel runs B regions back to back
   (`for r in range(B): parallelize[body](2)`); one call's time / B is one
   sample, the median over R calls is reported (B = 2,000 makes the Python call
   itself < 1 ns per region). Bodies: an empty one, and `out[i] += i` on 2 items,
   which Numba and OpenMP run too (they may drop an empty loop). mojolite's
   caller withdraws its offer to a pool thread that has not joined by the time
   the caller ran out of chunks, so such tiny regions mostly run in the caller.
2. The same with work to split: 2 items of PAIR_STEPS hash steps (about 1 µs
   each), time per region on 1 worker and on 2 (ideally half, plus the
   fork/join cost): here the pool thread does join.
3. Region cost from Python: one call that runs one region (what a user pays),
   beside the same call without a region; median over R x C calls.
4. Speed-up of a compute-bound kernel (each of 4,000 items runs 20,000 steps
   of an integer hash) on 2 workers over 1 worker, median of R runs each.
5. Idle CPU: process CPU time over the 0.2 s after the last region, as a share
   of one core (the pool spins 0.2 ms, then sleeps in the kernel).

Peers: Numba `@njit(parallel=True)` with `prange` (when `numba` imports) and
a C loop under `#pragma omp parallel for num_threads(2)` (when `gcc` or `cc`
compiles it with -fopenmp, in a temporary directory, at benchmark time). A
peer that is not there is listed with a note. Timings on a shared machine
vary; the table reports medians and the machine's load.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

import mojolite  # noqa: E402
from mojolite.pycall import native_after  # noqa: E402

WORKERS = 2
BATCH = 2_000               # regions per compiled call
PAIR_STEPS = 1_000          # hash steps per item in the "split work" regions (about 1 µs)
HASH_ITEMS, HASH_STEPS = 4_000, 20_000

SOURCE = """\
from algorithm import parallelize

fn empty_regions(reps: Int):
    @parameter
    fn body(i: Int):
        pass
    for r in range(reps):
        parallelize[body](2)

fn pair_regions(out: Tensor[DType.int64], reps: Int, steps: Int):
    @parameter
    fn body(i: Int):
        var h = i
        for s in range(steps):
            h = (h * 6364136223846793005 + 1442695040888963407) ^ (h >> 29)
        out[i] = out[i] + Int64(h)
    for r in range(reps):
        parallelize[body](2)

fn one_region(out: Tensor[DType.int64]):
    @parameter
    fn body(i: Int):
        out[i] = out[i] + 1
    parallelize[body](2)

fn no_region(out: Tensor[DType.int64]):
    out[0] = out[0] + 1

fn hashes(out: Tensor[DType.int64], steps: Int):
    @parameter
    fn body(i: Int):
        var h = i
        for s in range(steps):
            h = (h * 6364136223846793005 + 1442695040888963407) ^ (h >> 29)
        out[i] = Int64(h)
    parallelize[body](out.dim(0))
"""

OPENMP_C = r"""
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* the language's `(h * A + C) ^ (h >> 29)` on Int: wrapping, arithmetic shift */
static inline uint64_t step(uint64_t h) {
    return (h * 6364136223846793005ull + 1442695040888963407ull) ^ (uint64_t)((int64_t)h >> 29);
}

static void hashes(int64_t *out, long n, long steps, int threads) {
    #pragma omp parallel for num_threads(threads) schedule(static)
    for (long i = 0; i < n; i++) {
        uint64_t h = (uint64_t)i;
        for (long s = 0; s < steps; s++)
            h = step(h);
        out[i] = (int64_t)h;
    }
}

static int64_t out[2];

/* `batch` regions of 2 items, each `steps` hash steps: like pair_regions */
static void pair_regions(long batch, long steps, int threads) {
    for (long r = 0; r < batch; r++) {
        #pragma omp parallel for num_threads(threads)
        for (int i = 0; i < 2; i++) {
            uint64_t h = (uint64_t)i;
            for (long s = 0; s < steps; s++)
                h = step(h);
            out[i] += (int64_t)h;
        }
    }
}

static double median_region_us(long batch, long repeat, long steps, int threads) {
    double *t = malloc(sizeof(double) * repeat);
    pair_regions(batch, steps, threads);          /* warm-up: the threads exist */
    for (long k = 0; k < repeat; k++) {
        double t0 = omp_get_wtime();
        pair_regions(batch, steps, threads);
        t[k] = (omp_get_wtime() - t0) / batch;
    }
    qsort(t, repeat, sizeof(double), cmp);
    double m = t[repeat / 2] * 1e6;
    free(t);
    return m;
}

int main(int argc, char **argv) {
    long batch = atol(argv[1]), repeat = atol(argv[2]);
    long n = atol(argv[3]), steps = atol(argv[4]), pair_steps = atol(argv[5]);
    printf("tiny %.4f\n", median_region_us(batch, repeat, 0, 2));
    printf("pair %.4f %.4f\n", median_region_us(batch / 10, repeat, pair_steps, 1),
           median_region_us(batch / 10, repeat, pair_steps, 2));
    int64_t *o = malloc(sizeof(int64_t) * n);
    double s[2];
    for (int threads = 1; threads <= 2; threads++) {
        double best[64];
        long runs = repeat < 64 ? repeat : 64;
        for (long k = 0; k < runs; k++) {
            double t0 = omp_get_wtime();
            hashes(o, n, steps, threads);
            best[k] = omp_get_wtime() - t0;
        }
        qsort(best, runs, sizeof(double), cmp);
        s[threads - 1] = best[runs / 2];
    }
    printf("speedup %.4f %.6f %.6f\n", s[0] / s[1], s[0], s[1]);
    uint64_t sum = 0;
    for (long i = 0; i < n; i++) sum += (uint64_t)o[i];
    printf("checksum %llu\n", (unsigned long long)sum);
    return 0;
}
"""


def median_per(fn, per: int, repeat: int) -> float:
    """Median over `repeat` calls of fn() of (call time / per), in microseconds."""
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) / per)
    return statistics.median(samples) * 1e6


def idle_cpu(after) -> float:
    """Share of one core the process uses over the 0.2 s after calling `after()`."""
    after()
    c0, t0 = time.process_time(), time.perf_counter()
    time.sleep(0.2)
    return (time.process_time() - c0) / (time.perf_counter() - t0)


def hash_oracle(n: int, steps: int) -> np.ndarray:
    h = np.arange(n, dtype=np.int64)
    with np.errstate(over="ignore"):
        for _ in range(steps):
            h = (h * np.int64(6364136223846793005) + np.int64(1442695040888963407)) ^ (h >> 29)
    return h


# ------------------------------------------------------------------ mojolite
def set_threads(n: int):
    mojolite.set_num_threads(n)


def measure_mojolite(repeat: int, calls: int, hash_runs: int, steps: int) -> dict:
    m = mojolite.compile(SOURCE, "parallel_bench.ml")
    set_threads(WORKERS)
    out = np.zeros(2, dtype=np.int64)
    m.empty_regions(BATCH)
    m.pair_regions(out, BATCH, 0)
    assert out.tolist() == [0, BATCH], "pair_regions disagrees with the serial loop"
    r = {"empty": median_per(lambda: m.empty_regions(BATCH), BATCH, repeat),
         "tiny": median_per(lambda: m.pair_regions(out, BATCH, 0), BATCH, repeat)}
    for threads in (1, WORKERS):
        set_threads(threads)
        m.pair_regions(out, BATCH // 10, PAIR_STEPS)
        r[f"pair{threads}"] = median_per(lambda: m.pair_regions(out, BATCH // 10, PAIR_STEPS),
                                         BATCH // 10, repeat)
    set_threads(WORKERS)
    for _ in range(native_after()):     # past the call that builds the native callers
        m.one_region(out)
        m.no_region(out)
    r["python"] = median_per(lambda: [m.one_region(out) for _ in range(calls)], calls, repeat)
    r["python_no_region"] = median_per(lambda: [m.no_region(out) for _ in range(calls)], calls,
                                       repeat)
    speedup(r, lambda h: m.hashes(h, steps), set_threads, hash_runs, steps)
    r["idle"] = idle_cpu(lambda: m.pair_regions(out, BATCH, 0))
    return r


def speedup(r: dict, run, set_threads, hash_runs: int, steps: int):
    """The compute-bound kernel on 1 and on WORKERS threads (checked against NumPy)."""
    h = np.zeros(HASH_ITEMS, dtype=np.int64)
    run(h)
    assert np.array_equal(h, hash_oracle(HASH_ITEMS, steps)), "hash kernel disagrees with NumPy"
    times = {}
    for threads in (1, WORKERS):
        set_threads(threads)
        run(h)
        times[threads] = median_per(lambda: run(h), 1, hash_runs) / 1e6
    set_threads(WORKERS)
    r["speedup"] = times[1] / times[WORKERS]
    r["hash_s"] = (times[1], times[WORKERS])


# ------------------------------------------------------------------ Numba
def measure_numba(repeat: int, calls: int, hash_runs: int, steps: int):
    try:
        import numba
        from numba import njit, prange
    except ImportError:
        return None, "numba is not installed in this Python: no prange column"
    numba.set_num_threads(WORKERS)

    @njit(parallel=True)
    def pair_regions(out, reps, steps):
        for r in range(reps):
            for i in prange(2):
                h = np.int64(i)
                for s in range(steps):
                    h = (h * np.int64(6364136223846793005)
                         + np.int64(1442695040888963407)) ^ (h >> 29)
                out[i] += h

    @njit(parallel=True)
    def one_region(out):
        for i in prange(2):
            out[i] += 1

    @njit(parallel=True)
    def hashes(out, steps):
        for i in prange(out.shape[0]):
            h = np.int64(i)
            for s in range(steps):
                h = (h * np.int64(6364136223846793005) + np.int64(1442695040888963407)) ^ (h >> 29)
            out[i] = h

    out = np.zeros(2, dtype=np.int64)
    pair_regions(out, BATCH, 0)
    assert out.tolist() == [0, BATCH], "numba pair_regions disagrees with the serial loop"
    one_region(out)
    r = {"tiny": median_per(lambda: pair_regions(out, BATCH, 0), BATCH, repeat),
         "python": median_per(lambda: [one_region(out) for _ in range(calls)], calls, repeat)}
    for threads in (1, WORKERS):
        numba.set_num_threads(threads)
        pair_regions(out, BATCH // 10, PAIR_STEPS)
        r[f"pair{threads}"] = median_per(lambda: pair_regions(out, BATCH // 10, PAIR_STEPS),
                                         BATCH // 10, repeat)
    numba.set_num_threads(WORKERS)
    speedup(r, lambda h: hashes(h, steps), numba.set_num_threads, hash_runs, steps)
    r["idle"] = idle_cpu(lambda: pair_regions(out, BATCH, 0))
    return r, f"numba {numba.__version__}, threading layer {numba.threading_layer()}"


# ------------------------------------------------------------------ OpenMP
def measure_openmp(repeat: int, hash_runs: int, steps: int):
    cc = shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        return None, "no C compiler (gcc/cc) on PATH: no OpenMP column"
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = Path(tmp) / "omp.c", Path(tmp) / "omp"
        src.write_text(OPENMP_C)
        build = subprocess.run([cc, "-O2", "-fopenmp", str(src), "-o", str(exe)],
                               capture_output=True, text=True)
        if build.returncode != 0:
            return None, f"{cc} -fopenmp failed: no OpenMP column ({build.stderr.strip()[:80]})"
        run = subprocess.run([str(exe), str(BATCH), str(repeat), str(HASH_ITEMS), str(steps),
                              str(PAIR_STEPS)], capture_output=True, text=True)
    if run.returncode != 0:
        return None, f"the OpenMP program failed ({run.returncode}): no OpenMP column"
    r = {}
    for line in run.stdout.splitlines():
        key, *vals = line.split()
        if key == "tiny":
            r["tiny"] = float(vals[0])
        elif key == "pair":
            r["pair1"], r["pair2"] = float(vals[0]), float(vals[1])
        elif key == "speedup":
            r["speedup"] = float(vals[0])
            r["hash_s"] = (float(vals[1]), float(vals[2]))
        elif key == "checksum":
            want = int(hash_oracle(HASH_ITEMS, steps).astype(np.uint64).sum(dtype=np.uint64))
            if int(vals[0]) != want:
                return None, "the OpenMP hash kernel disagrees with NumPy: no OpenMP column"
    version = subprocess.run([cc, "--version"], capture_output=True, text=True).stdout
    return r, (f"{Path(cc).name} {version.split(chr(10))[0].split()[-1]} -O2 -fopenmp "
               "(libgomp, default wait policy)")


# ------------------------------------------------------------------ report
def _us(r, key):
    return f"{r[key]:.2f} µs" if r and key in r else "—"


def _pair(r):
    if not r or "pair2" not in r:
        return "—"
    return f"{r['pair1']:.2f} → {r['pair2']:.2f} µs"


def _speed(r):
    if not r or "speedup" not in r:
        return "—"
    one, two = r["hash_s"]
    return f"{r['speedup']:.2f}× ({one * 1e3:.0f} → {two * 1e3:.0f} ms)"


def _idle(r):
    return f"{r['idle'] * 100:.2f} % of a core" if r and "idle" in r else "—"


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="fewer repetitions")
    p.add_argument("--repeat", type=int, default=None)
    args = p.parse_args(argv)
    repeat = args.repeat or (15 if args.quick else 101)
    calls = 200 if args.quick else 2_000
    hash_runs = 3 if args.quick else 9
    steps = HASH_STEPS // 4 if args.quick else HASH_STEPS

    notes = []
    ours = measure_mojolite(repeat, calls, hash_runs, steps)
    nb, note = measure_numba(repeat, calls, hash_runs, steps)
    notes.append(note)
    omp, note = measure_openmp(repeat, hash_runs, steps)
    notes.append(note)

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"parallel regions on {WORKERS} workers ({os.cpu_count()} cores, load average "
          f"{load:.1f}; Python {sys.version.split()[0]}, NumPy {np.__version__}); "
          f"medians of {repeat} samples")
    print()
    print("| measure | mojolite | Numba prange | C OpenMP |")
    print("|---|---:|---:|---:|")
    rows = [
        ("empty region, inside one compiled call", _us(ours, "empty"), "—", "—"),
        ("region of 2 items `out[i] += i`, inside one compiled call",
         _us(ours, "tiny"), _us(nb, "tiny"), _us(omp, "tiny")),
        (f"region of 2 items × {PAIR_STEPS} hash steps: 1 → 2 workers",
         _pair(ours), _pair(nb), _pair(omp)),
        ("one call from Python running one region of 2 items", _us(ours, "python"),
         _us(nb, "python"), "—"),
        ("(the same call without a region)", _us(ours, "python_no_region"), "—", "—"),
        (f"speed-up, compute-bound ({HASH_ITEMS} items × {steps} hash steps), 2 workers over 1",
         _speed(ours), _speed(nb), _speed(omp)),
        ("CPU use over the 0.2 s after the last region", _idle(ours), _idle(nb), "—"),
    ]
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    print(f"targets: empty region {'meets' if ours['empty'] <= 1.0 else 'misses'} ≤ 1.0 µs; "
          f"speed-up {'meets' if ours['speedup'] >= 1.8 else 'misses'} ≥ 1.8×")
    for n in notes:
        print(f"- {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

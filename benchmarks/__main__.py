"""`python -m benchmarks`: every benchmark of the project, one command, one report.

    python -m benchmarks                       # everything (about 15 minutes on 2 cores)
    python -m benchmarks --quick               # smaller sizes, fewer iterations
    python -m benchmarks --only gd,linreg      # some sections
    python -m benchmarks --only gd --quick --check-only --sizes 10   # the smoke test
    python -m benchmarks --out DIR             # results.md, results.csv, results.json, PNGs

Sections: gd, autograd, linreg, parallel, calls, startup, simd. The method (warm-up,
checks, repetitions) is in benchmarks/harness.py and benchmarks/README.md. Progress goes to
stderr, the markdown report to stdout and to DIR/results.md.
"""
from __future__ import annotations

import argparse
import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

from . import report
from .harness import Progress, fmt_us, machine

SECTIONS = ("gd", "autograd", "linreg", "parallel", "calls", "startup", "simd")
DEFAULT_OUT = Path(__file__).resolve().parent / "results"


def parse(argv):
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    p.add_argument("--only", default=",".join(SECTIONS),
                   help="comma-separated sections: " + ",".join(SECTIONS))
    p.add_argument("--quick", action="store_true", help="smaller sizes and fewer iterations")
    p.add_argument("--check-only", action="store_true",
                   help="run every implementation once and check it; time nothing")
    p.add_argument("--sizes", help="gd sizes N, comma-separated (default 10,100,1000,2000)")
    p.add_argument("--dims", help="gd dims, comma-separated (default 2,3)")
    p.add_argument("--dtypes", help="gd dtypes (default float64,float32)")
    p.add_argument("--iters", type=int, help="gd and linreg iterations (default 1000)")
    p.add_argument("--impls", help="only implementations whose name contains one of these "
                                   "comma-separated words")
    p.add_argument("--out", default=str(DEFAULT_OUT), help="directory for results.md, CSV, "
                   "JSON and PNG charts (default benchmarks/results)")
    p.add_argument("--no-plots", action="store_true")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.add_argument("--blas-threads", type=int, default=1,
                   help="threads for NumPy's BLAS (sets OPENBLAS_NUM_THREADS / MKL_NUM_THREADS "
                        "before NumPy loads); default 1, the fastest on a shared 2-core "
                        "machine; 0 leaves the library's own choice")
    args = p.parse_args(argv)
    args.only = [s.strip() for s in args.only.split(",") if s.strip()]
    bad = [s for s in args.only if s not in SECTIONS]
    if bad:
        p.error(f"unknown section {bad[0]!r}; choose from {', '.join(SECTIONS)}")
    return args


def _ratio(r, key: str, spec: str) -> str:
    v = r.params.get(key)
    return "–" if v is None else f"{v:{spec}}×"


def _ints(text):
    return tuple(int(t) for t in text.split(",")) if text else None


def run_script_section(name: str, quick: bool, progress: Progress) -> tuple[str, str]:
    """calls / parallel / simd: another script's `main()`, run in a child process (its
    threads and any crash stay there) with its stdout kept verbatim."""
    path = Path(__file__).resolve().parent / f"{name}.py"
    if not path.exists():
        return "", f"{name}: benchmarks/{name}.py is not there yet: skipped"
    src = path.read_text()
    if "def main(" not in src:
        return "", f"{name}: benchmarks/{name}.py has no main(): skipped"
    argv = []
    if quick and "--quick" in src:
        argv = ["--quick"]
    elif quick and name == "calls":
        argv = ["--number", "20000", "--repeat", "7"]
    progress.say(f"{name}: running benchmarks/{name}.py {' '.join(argv)}")
    root = str(path.parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    code = f"import sys; from benchmarks.{name} import main; sys.exit(main({argv!r}))"
    t0 = time.perf_counter()
    try:
        r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           cwd=root, env=env, timeout=900)
    except subprocess.TimeoutExpired:
        return "", f"{name}: benchmarks/{name}.py ran past 900 s: stopped"
    progress.say(f"{name}: done in {time.perf_counter() - t0:.1f} s (exit status {r.returncode})")
    note = ""
    if r.returncode < 0:
        note = f"{name}: benchmarks/{name}.py died with signal {-r.returncode}" \
               f"{' (segmentation fault)' if r.returncode == -11 else ''}; " \
               "its output so far is kept"
    elif r.returncode != 0:
        last = (r.stderr.strip().splitlines() or [""])[-1][:200]
        note = f"{name}: benchmarks/{name}.py exited with status {r.returncode}: {last}"
    return r.stdout, note


def main(argv=None) -> int:
    args = parse(argv)
    # libgomp's default barrier spins; on a machine shared with other work a spinning
    # 2-thread region can cost 100x its run time (C++ peer, N=1000: 16 ms vs 0.17 ms per
    # iteration on the development machine). Passive waiting is the fair setting for the
    # OpenMP peers (C++, Numba's omp layer); set OMP_WAIT_POLICY yourself to override.
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    if args.blas_threads:
        if "numpy" in sys.modules:
            print("note: NumPy is already loaded, --blas-threads may not take effect",
                  file=sys.stderr)
        for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.blas_threads)
    progress = Progress(quiet=args.quiet)
    started = datetime.datetime.now(datetime.timezone.utc)
    mach = machine()
    load0 = " ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    rows, notes, texts, sections = [], [], {}, []
    impls = [s.strip() for s in args.impls.split(",")] if args.impls else None
    iters = args.iters
    t_all = time.perf_counter()

    if "gd" in args.only:
        from . import gd
        sizes = _ints(args.sizes) or (gd.QUICK_SIZES if args.quick else gd.SIZES)
        dims = _ints(args.dims) or (2, 3)
        dtypes = tuple(args.dtypes.split(",")) if args.dtypes else \
            (gd.QUICK_DTYPES if args.quick else ("float64", "float32"))
        it = iters or (gd.QUICK_ITERS if args.quick else gd.ITERS)
        got = gd.run(sizes, dims, dtypes, it, quick=args.quick, check_only=args.check_only,
                     only_impls=impls, progress=progress)
        rows += got
        if not args.check_only:
            sections.append(("gd: µs per iteration (median; whole run / iterations)",
                             report.pivot(got, "gd", "group", "n",
                                          lambda r: fmt_us(r.per_unit_us()), "µs/iteration")))
            sections.append(("gd: speed-up over the best NumPy form (same case, same run)",
                             report.pivot(got, "gd", "group", "n",
                                          lambda r: _ratio(r, "vs_numpy", ".2f"),
                                          "× NumPy best")))
        sections.append((f"gd: every row ({it} iterations)", report.detail(got, "gd")))

    if "linreg" in args.only:
        from . import linreg
        got = linreg.run(quick=args.quick, check_only=args.check_only, iters=iters,
                         only_impls=impls, progress=progress)
        rows += got
        if not args.check_only:
            sections.append(("linreg: µs per step (× NumPy's speed)",
                             report.pivot(got, "linreg", "group", "d", lambda r:
                                          f"{fmt_us(r.per_unit_us())} "
                                          f"({_ratio(r, 'vs_baseline', '.2f')})",
                                          "µs per step")))
        sections.append(("linreg: every row", report.detail(got, "linreg")))

    if "autograd" in args.only:
        from . import autograd
        got = autograd.run(quick=args.quick, check_only=args.check_only, only_impls=impls,
                           progress=progress)
        rows += got
        if not args.check_only:
            sections.append(("autograd: µs per training step (× pure Python, × NumPy)",
                             report.pivot(got, "autograd", "group", "samples", lambda r:
                                          f"{fmt_us(r.per_unit_us())} "
                                          f"({_ratio(r, 'vs_python', ',.0f')}, "
                                          f"{_ratio(r, 'vs_baseline', '.2f')})",
                                          "µs per step")))
        sections.append(("autograd: moons MLP 2-16-16-1, SVM loss, full batch, every row",
                         report.detail(got, "autograd", unit="step")))

    if "startup" in args.only:
        from . import startup
        got, n = startup.run(quick=args.quick, progress=progress)
        rows += got
        notes += n
        sections.append(("startup: fresh processes", startup.table(got)))

    for name in ("calls", "parallel", "simd"):
        if name in args.only:
            if args.check_only:
                notes.append(f"{name}: not run with --check-only")
                continue
            text, note = run_script_section(name, args.quick, progress)
            if text:
                texts[name] = text
                sections.append((f"{name} (benchmarks/{name}.py)", "```\n" + text.rstrip() +
                                 "\n```"))
            if note:
                notes.append(note)

    root = str(Path(__file__).resolve().parent.parent) + os.sep
    for r in rows:                      # messages name files relative to the repository
        r.check = r.check.replace(root, "")
    notes = [n.replace(root, "") for n in notes]
    notes += report.skip_notes(rows)
    notes = list(dict.fromkeys(n for n in notes if n))
    elapsed = time.perf_counter() - t_all
    command = "python -m benchmarks" + (" " + " ".join(argv if argv is not None
                                                        else sys.argv[1:])).rstrip()
    blas = os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("MKL_NUM_THREADS") or \
        "library default"
    head = (report.header(mach, command, started.strftime("%Y-%m-%d %H:%M UTC")) +
            f"  \nBLAS threads: {blas}; parallel kernels: 2 threads; OMP_WAIT_POLICY="
            f"{os.environ.get('OMP_WAIT_POLICY')}; load average at the start: {load0}  \n"
            f"Total time: {elapsed:.0f} s\n\n" + report.MARKS)
    text = report.markdown(head, sections, notes)
    print(text)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.md").write_text(text)
    report.write_csv(rows, out / "results.csv")
    report.write_json(rows, mach, texts, out / "results.json")
    if not args.no_plots and not args.check_only:
        from . import plots
        made, why = plots.make_all(rows, out)
        if why:
            progress.say(f"plots: {why}")
            with open(out / "results.md", "a") as f:
                f.write(f"\n(no charts: {why})\n")
        elif made:
            with open(out / "results.md", "a") as f:
                f.write("\n## Charts\n\n" + "\n".join(f"![{p.stem}]({p.name})" for p in made) +
                        "\n")
    progress.say(f"wrote {out}/results.md, results.csv, results.json in {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

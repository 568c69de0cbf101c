"""Recover N points from their pairwise distances: the Python driver of examples/gd.ml.

In: a shape (built-in circle/sphere/flame, or a CSV file of points), N, the dimension of the
solution, a step size, an iteration count, a kernel and a dtype. Out: the losses of mojolite
and of a NumPy reference started from the same X0, the time per iteration, and optionally
a plot, an animation and a loss curve.

    python3 examples/gd.py                                    # circle, N=10: the seed's run
    python3 examples/gd.py --shape flame --n 300 --plot flame.png --animate flame.gif
    python3 examples/gd.py --shape sphere --n 500 --animate sphere.gif --kernel parallel
    python3 examples/gd.py --shape ../shared/data/flame.csv --loss-plot loss.png

The problem, the kernels and the step-size rule are described in examples/gd.ml, whose
functions this script calls through `mojolite.load` (NumPy arrays are passed to them as
Tensors, without a copy): `shape_points`, `distances_f64`, `step_size`, `descend_f64` /
`descend_f32` (the loop, in place, with the named kernel) and `loss_f64` / `loss_f32`.
X0 is the seed's: np.random.seed(42); np.random.rand(N, dim). The NumPy reference runs the
same iterations in float64 (the Gram form G = rowsum(C) X - C X, C = 4 (S - D*D)).

A CSV shape holds one point per line, 2 or 3 comma-separated numbers (x, y[, z]); blank
lines and lines starting with '#' are skipped. Every input is checked before any work
starts, and files are written only at the end of a successful run (each first to a
temporary file beside it), so a bad argument or a diverging run leaves nothing half-written.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
GD_ML = HERE / "gd.ml"

try:
    import mojolite
except ImportError:                    # run from a checkout without installing
    sys.path.insert(0, str(HERE.parent))
    import mojolite

SHAPES = {"circle": 2, "sphere": 3, "flame": 2}
KERNELS = ("plain", "simd", "parallel")


_MODULE = {}


def kernels():
    """examples/gd.ml, compiled once per process."""
    if "m" not in _MODULE:
        _MODULE["m"] = mojolite.load(GD_ML)
    return _MODULE["m"]


class InputError(Exception):
    """A bad argument or input file: reported as `gd.py: error: ...`, exit status 2."""


# -- inputs -----------------------------------------------------------------------------------

def read_csv(path: str) -> np.ndarray:
    """The points of a CSV file, N x 2 or N x 3, with errors that name the line."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{path}: no such file (--shape takes circle, sphere, flame or a "
                         "CSV file of points)")
    try:
        text = p.read_text()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{path}: cannot read it ({e})") from None
    rows, width = [], None
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split(",")]
        if width is None:
            width = len(fields)
            if width not in (2, 3):
                raise InputError(f"{path}:{number}: {width} column{'s' * (width != 1)}; a "
                                 "point is 2 or 3 comma-separated numbers (x, y[, z])")
        elif len(fields) != width:
            raise InputError(f"{path}:{number}: {len(fields)} columns, but the first point "
                             f"has {width}")
        try:
            values = [float(f) for f in fields]
        except ValueError:
            bad = next(f for f in fields if not _is_float(f))
            raise InputError(f"{path}:{number}: '{bad}' is not a number"
                             + (" (header lines are not supported)" if not rows else "")) \
                from None
        if not all(math.isfinite(v) for v in values):
            raise InputError(f"{path}:{number}: coordinates must be finite numbers")
        rows.append(values)
    if not rows:
        raise InputError(f"{path}: no points in the file")
    return np.array(rows, dtype=np.float64)


def _is_float(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def check_output(path: str | None, suffix: str, flag: str) -> None:
    if path is None:
        return
    p = Path(path)
    if p.suffix.lower() != suffix:
        raise InputError(f"{flag} {path}: the file name must end in {suffix}")
    if not p.parent.is_dir():
        raise InputError(f"{flag} {path}: folder {p.parent} does not exist")


def parse(argv):
    ap = argparse.ArgumentParser(
        prog="gd.py", description="Recover points from their pairwise distances by gradient "
        "descent, with the kernels of examples/gd.ml.")
    ap.add_argument("--shape", default="circle",
                    help="circle, sphere, flame, or a CSV file of points (default circle)")
    ap.add_argument("--n", type=int, default=None,
                    help="number of points of a built-in shape (default 10)")
    ap.add_argument("--dim", type=int, default=None,
                    help="dimension of the solution (default: the shape's, 2 or 3)")
    ap.add_argument("--lr", type=float, default=None,
                    help="step size (default: min(0.001, 0.1 / (N max(mean D^2, dim/6))))")
    ap.add_argument("--iters", type=int, default=1000, help="iterations (default 1000)")
    ap.add_argument("--kernel", choices=KERNELS, default="parallel")
    ap.add_argument("--dtype", choices=("float64", "float32"), default="float64")
    ap.add_argument("--threads", type=int, default=0,
                    help="threads of the parallel kernel (0: all cores)")
    ap.add_argument("--every", type=int, default=0,
                    help="print the loss every k iterations (default iters/10)")
    ap.add_argument("--frame-every", type=int, default=0, metavar="K",
                    help="a snapshot (plot point, animation frame, loss-curve point) every "
                    "K iterations (default iters/100)")
    ap.add_argument("--seed", type=int, default=42, help="NumPy seed of X0 (default 42)")
    ap.add_argument("--plot", metavar="OUT.png", help="trajectories (grey), final points "
                    "(red) and the target")
    ap.add_argument("--animate", metavar="OUT.gif", help="one frame per snapshot, loss in the "
                    "corner (3-D rotates)")
    ap.add_argument("--loss-plot", metavar="OUT.png", help="the loss curve, log scale")
    ap.add_argument("--no-reference", action="store_true",
                    help="skip the NumPy reference run")
    args = ap.parse_args(argv)
    return args


def validate(args) -> np.ndarray:
    """The target points, once every argument is known to be good."""
    if args.shape in SHAPES:
        n = 10 if args.n is None else args.n
        if n < 1:
            raise InputError(f"--n {n}: the number of points must be at least 1")
        points = None
    elif args.shape.lower().endswith(".csv") or os.sep in args.shape or Path(args.shape).exists():
        if args.n is not None:
            raise InputError("--n applies to the built-in shapes; a CSV file gives its own "
                             "points")
        points = read_csv(args.shape)
        n = len(points)
    else:
        raise InputError(f"unknown shape '{args.shape}': use circle, sphere, flame or a "
                         "CSV file of points (path/to/points.csv)")
    if args.dim is not None and args.dim < 1:
        raise InputError(f"--dim {args.dim}: the dimension of the solution must be at least 1")
    if args.lr is not None and not (args.lr >= 0 and math.isfinite(args.lr)):
        raise InputError(f"--lr {args.lr}: the step size must be a finite number >= 0 "
                         "(0 picks one from N and the shape)")
    for flag in ("iters", "every", "threads", "seed"):
        if getattr(args, flag) < 0:
            raise InputError(f"--{flag} {getattr(args, flag)}: must be >= 0")
    if args.frame_every < 0:
        raise InputError(f"--frame-every {args.frame_every}: must be >= 0")
    check_output(args.plot, ".png", "--plot")
    check_output(args.animate, ".gif", "--animate")
    check_output(args.loss_plot, ".png", "--loss-plot")
    if (args.plot or args.animate or args.loss_plot) and not _has_matplotlib():
        raise InputError("--plot, --animate and --loss-plot need matplotlib and pillow: "
                         "python3 -m pip install '.[plot]'")
    return points if points is not None else n


def _has_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
        import PIL  # noqa: F401
        return True
    except ImportError:
        return False


# -- the run ----------------------------------------------------------------------------------

def numpy_descent(x0, d, lr, iters, record_at=()):
    """The NumPy reference in float64: X <- X - lr G, G in the Gram form. Returns the final X
    and the losses at the iterations in `record_at`."""
    x = x0.astype(np.float64).copy()
    d2 = d.astype(np.float64) ** 2
    losses = {}
    marks = set(record_at)
    with np.errstate(all="ignore"):
        for t in range(iters + 1):
            if t in marks:
                losses[t] = numpy_loss(x, d)
            if t == iters:
                break
            sq = (x * x).sum(1)
            c = 4.0 * (sq[:, None] + sq[None, :] - 2.0 * (x @ x.T) - d2)
            x -= lr * (c.sum(1)[:, None] * x - c @ x)
    return x, losses


def numpy_loss(x, d) -> float:
    x = x.astype(np.float64)
    diff = x[:, None, :] - x[None, :, :]
    return float((((diff * diff).sum(-1) - d.astype(np.float64) ** 2) ** 2).sum())


def run(argv=None) -> int:
    args = parse(argv)
    try:
        target = validate(args)
    except InputError as e:
        print(f"gd.py: error: {e}", file=sys.stderr)
        return 2
    m = kernels()
    if isinstance(target, int):
        points = np.asarray(m.shape_points(args.shape, target))
        name = args.shape
    else:
        points, name = target, Path(args.shape).name
    n = len(points)
    dim = args.dim if args.dim is not None else points.shape[1]
    d = np.asarray(m.distances_f64(np.ascontiguousarray(points)))
    lr = args.lr if args.lr else m.step_size(d, dim)
    iters = args.iters
    every = args.every or max(1, iters // 10)
    want_frames = bool(args.plot or args.animate or args.loss_plot)
    frame_every = (args.frame_every or max(1, iters // 100)) if want_frames else 0

    np.random.seed(args.seed)
    x0 = np.random.rand(n, dim)
    dtype = np.float64 if args.dtype == "float64" else np.float32
    descend = m.descend_f64 if dtype is np.float64 else m.descend_f32
    loss = m.loss_f64 if dtype is np.float64 else m.loss_f32
    x = x0.astype(dtype)
    dd = d.astype(dtype)
    if args.threads:
        mojolite.set_num_threads(args.threads)
    print(f"gd: {name}, N = {n}, dim = {dim}, {args.dtype}, kernel {args.kernel}, lr {lr:g}"
          f"{'' if args.lr else ' (from N and the shape size)'}, {iters} iterations")
    if dim < points.shape[1]:
        print(f"note: the target is {points.shape[1]}-D: in {dim} dimensions the loss cannot "
              "reach 0")

    # Snapshot and progress marks: the loop runs in mojolite between consecutive marks.
    marks = sorted({t for t in range(0, iters + 1, every)} | {iters}
                   | ({t for t in range(0, iters + 1, frame_every)} if frame_every else set()))
    frames = {0: x.astype(np.float64).copy()} if frame_every else {}
    losses = {0: loss(x, dd)}
    print(f"iteration {0:>{len(str(iters))}}  loss {losses[0]:.6e}")
    descend(x.copy(), dd, lr, 1, args.kernel, args.threads)       # compile and warm up
    elapsed, done = 0.0, 0
    for t in marks[1:]:
        start = time.perf_counter()
        bad = descend(x, dd, lr, t - done, args.kernel, args.threads)
        elapsed += time.perf_counter() - start
        if bad >= 0:
            print(f"gd.py: the run diverged: the loss became inf/nan at iteration {done + bad} "
                  f"with lr {lr:g}; try a smaller step, e.g. --lr {lr / 3:.2g}", file=sys.stderr)
            return 1
        done = t
        if frame_every and t % frame_every == 0 or t % every == 0 or t == iters:
            losses[t] = loss(x, dd)
        if frame_every and (t % frame_every == 0 or t == iters):
            frames[t] = x.astype(np.float64).copy()
        if t % every == 0 or t == iters:
            print(f"iteration {t:>{len(str(iters))}}  loss {losses[t]:.6e}")

    final = losses[iters]
    print(f"final loss   mojolite {final:.10e}   (initial {losses[0]:.6e})")
    ref_losses = {}
    if not args.no_reference:
        xr, ref_losses = numpy_descent(x0, d, lr, iters, record_at=sorted(losses))
        ref = ref_losses[iters]
        rel = abs(final - ref) / abs(ref) if ref else abs(final)
        gap = float(np.abs(x.astype(np.float64) - xr).max()) if np.isfinite(xr).all() else math.inf
        print(f"final loss   NumPy    {ref:.10e}   (relative difference {rel:.1e}; "
              f"max |X - X_numpy| {gap:.1e})")
    if iters:
        print(f"time per iteration: {elapsed / iters * 1e6:.2f} us ({args.kernel}, "
              f"{args.dtype})")

    if want_frames:
        from matplotlib import use
        use("Agg")
        if args.plot:
            write_atomically(args.plot, lambda f: plot(f, points, frames, final, name))
        if args.animate:
            write_atomically(args.animate, lambda f: animate(f, points, frames, losses, name))
        if args.loss_plot:
            write_atomically(args.loss_plot,
                             lambda f: loss_plot(f, losses, ref_losses, name, args.kernel))
        for flag, path in (("plot", args.plot), ("animation", args.animate),
                           ("loss curve", args.loss_plot)):
            if path:
                print(f"wrote {flag}: {path}")
    return 0


def write_atomically(path: str, write) -> None:
    """`write(tmp)` to a temporary file beside `path`, renamed onto it once complete."""
    p = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.stem}-", suffix=p.suffix, dir=p.parent)
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, p)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


# -- pictures ---------------------------------------------------------------------------------

def aligned(frames: dict, points: np.ndarray) -> dict:
    """Every snapshot moved by the one rigid motion (rotation or reflection, then shift)
    that best lays the final points on the target: distances cannot fix it, and the
    pictures are easier to compare in the target's own frame."""
    last = frames[max(frames)]
    if last.shape[1] != points.shape[1] or not np.isfinite(last).all():
        return frames
    mu_x, mu_p = last.mean(0), points.mean(0)
    u, _, vt = np.linalg.svd((last - mu_x).T @ (points - mu_p))
    r = u @ vt
    return {t: (f - mu_x) @ r + mu_p for t, f in frames.items()}


def _coords(a: np.ndarray, dims: int):
    """Columns to draw: a 1-D solution on a line, higher ones by their first 2 or 3 axes."""
    cols = [a[:, k] for k in range(min(dims, a.shape[1]))]
    while len(cols) < dims:
        cols.append(np.zeros(len(a)))
    return cols


def _axes(fig, spec, dims):
    return fig.add_subplot(spec, projection="3d") if dims == 3 else fig.add_subplot(spec)


def _square(ax, arrays, dims):
    allpts = np.concatenate([np.column_stack(_coords(a, dims)) for a in arrays])
    lo, hi = allpts.min(0), allpts.max(0)
    mid, half = (lo + hi) / 2, max((hi - lo).max() / 2, 1e-9) * 1.05
    ax.set_xlim(mid[0] - half, mid[0] + half)
    ax.set_ylim(mid[1] - half, mid[1] + half)
    if dims == 3:
        ax.set_zlim(mid[2] - half, mid[2] + half)
        ax.set_box_aspect((1, 1, 1))
    else:
        ax.set_aspect("equal")


def plot(path, points, frames, final, name):
    import matplotlib.pyplot as plt
    dims = 3 if max(points.shape[1], frames[0].shape[1]) >= 3 else 2
    frames = aligned(frames, points)
    steps = sorted(frames)
    traj = np.stack([frames[t] for t in steps])            # snapshots x N x dim
    fig = plt.figure(figsize=(10, 5))
    ax = _axes(fig, 121, dims)
    ax.scatter(*_coords(points, dims), s=8, c="tab:blue")
    ax.set_title(f"target: {name}, N = {len(points)}", fontsize=10)
    _square(ax, [points, traj[-1], traj[0]], dims)
    ax = _axes(fig, 122, dims)
    for i in range(traj.shape[1]):
        ax.plot(*_coords(traj[:, i, :], dims), color="0.6", lw=0.5, alpha=0.6)
    ax.scatter(*_coords(traj[-1], dims), s=8, c="tab:red", zorder=3)
    ax.set_title(f"recovered from distances: {steps[-1]} steps, loss {final:.3g}",
                 fontsize=10)
    _square(ax, [points, traj[-1], traj[0]], dims)
    if dims == 3:       # tight_layout cuts the titles of 3-D axes
        fig.subplots_adjust(left=0.02, right=0.96, bottom=0.04, top=0.92, wspace=0.1)
    else:
        fig.tight_layout()
    fig.savefig(path, dpi=80, format="png")
    plt.close(fig)


def animate(path, points, frames, losses, name):
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation, PillowWriter
    dims = 3 if max(points.shape[1], frames[0].shape[1]) >= 3 else 2
    frames = aligned(frames, points)
    steps = sorted(frames)
    fig = plt.figure(figsize=(5, 5))
    ax = _axes(fig, 111, dims)
    _square(ax, [points] + [frames[t] for t in steps], dims)
    ax.scatter(*_coords(points, dims), s=6, c="tab:blue", alpha=0.25)
    dots = ax.scatter(*_coords(frames[steps[0]], dims), s=8, c="tab:red")
    label = fig.text(0.03, 0.96, "", fontsize=10, family="monospace", va="top")
    ax.set_title(f"{name}, N = {len(points)}")

    def draw(k):
        t = steps[k]
        cols = _coords(frames[t], dims)
        if dims == 3:
            dots._offsets3d = tuple(cols)
            ax.view_init(elev=20, azim=-60 + 360 * k / len(steps))
        else:
            dots.set_offsets(np.column_stack(cols))
        label.set_text(f"iteration {t}\nloss {losses[t]:.3e}")
        return dots, label

    anim = FuncAnimation(fig, draw, frames=len(steps), blit=False)
    anim.save(path, writer=PillowWriter(fps=15), dpi=64)
    plt.close(fig)


def loss_plot(path, losses, ref_losses, name, kernel):
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6, 4))
    ts = sorted(losses)
    ax.semilogy(ts, [losses[t] for t in ts], label=f"mojolite ({kernel})")
    if ref_losses:
        rs = sorted(ref_losses)
        ax.semilogy(rs, [ref_losses[t] for t in rs], "--", label="NumPy reference")
    ax.set_xlabel("iteration")
    ax.set_ylabel("loss")
    ax.set_title(f"{name}: loss")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=80, format="png")
    plt.close(fig)


if __name__ == "__main__":
    sys.exit(run())

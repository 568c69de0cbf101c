"""PNG charts of a benchmark run (matplotlib, Agg backend).

In: the rows of a run and the output directory. Out: the PNG paths written, or a reason
why none were (matplotlib missing). Only verified, timed rows are drawn; extrapolated
points are drawn hollow.

- gd_time_log.png / gd_time_linear.png: µs per iteration vs N per implementation, one
  panel per (dim, dtype), log-log and linear axes (as the seed's two figures);
- gd_speedup.png: speed-up over the best NumPy form at every N (float64), log axis;
- linreg.png, autograd.png: grouped bars of time per iteration / step, log axis.
"""
from __future__ import annotations

from pathlib import Path


def make_all(rows, out: Path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return [], "matplotlib is not installed (pip install matplotlib)"
    made = []
    good = [r for r in rows if r.timed and r.verified]
    gd = [r for r in good if r.section == "gd"]
    if gd:
        for scale in ("log", "linear"):
            made.append(_gd_time(plt, gd, out / f"gd_time_{scale}.png", scale))
        p = _gd_speedup(plt, gd, out / "gd_speedup.png")
        if p:
            made.append(p)
    for section, key, unit in (("linreg", "d", "iteration"), ("autograd", "samples", "step")):
        mine = [r for r in good if r.section == section]
        if mine:
            made.append(_bars(plt, mine, key, unit, out / f"{section}.png", section))
    return made, None


def _groups(rows):
    return list(dict.fromkeys(r.params["group"] for r in rows))


def _series(rows):
    impls = list(dict.fromkeys(r.impl for r in rows))
    for impl in impls:
        mine = sorted((r for r in rows if r.impl == impl), key=lambda r: r.params["n"])
        yield impl, mine


def _color(i):
    import matplotlib
    return matplotlib.colormaps["tab20"](i % 20)


def _style(i, impl=""):
    markers = "os^vD<>phx*+"
    mine = impl.startswith("mojolite")
    return dict(marker=markers[i % len(markers)], color=_color(i),
                linewidth=2.6 if mine else 1.3, linestyle="-" if mine else "--")


def _gd_time(plt, rows, path, scale):
    groups = _groups(rows)
    cols = 2
    nrows = (len(groups) + cols - 1) // cols
    fig, axes = plt.subplots(nrows, cols, figsize=(13, 4.8 * nrows), squeeze=False)
    order = list(dict.fromkeys(r.impl for r in rows))
    for ax, g in zip(axes.flat, groups):
        sub = [r for r in rows if r.params["group"] == g]
        for impl, mine in _series(sub):
            i = order.index(impl)
            xs = [r.params["n"] for r in mine]
            ys = [r.per_unit_us() for r in mine]
            line, = ax.plot(xs, ys, label=impl, **_style(i, impl))
            for r, x, y in zip(mine, xs, ys):
                if r.extrapolated:
                    ax.plot([x], [y], marker=_style(i)["marker"], markerfacecolor="white",
                            color=line.get_color(), linestyle="none")
        ax.set_xscale("log")
        ax.set_yscale(scale)
        ax.set_xlabel("N (points)")
        ax.set_ylabel("µs per iteration")
        ax.set_title(f"gd, {g} ({'log' if scale == 'log' else 'linear'} time axis)")
        ax.grid(True, which="both", alpha=0.3)
    for ax in list(axes.flat)[len(groups):]:
        ax.axis("off")
    _legend(fig, axes, nrows)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _legend(fig, axes, nrows):
    seen = {}
    for ax in axes.flat:
        for h, label in zip(*ax.get_legend_handles_labels()):
            seen.setdefault(label, h)
    fig.legend(list(seen.values()), list(seen), loc="lower center", ncol=3, fontsize=8)
    fig.tight_layout(rect=(0, 0.17 / nrows + 0.02, 1, 1))


def _gd_speedup(plt, rows, path):
    rows = [r for r in rows if r.params.get("dtype") == "float64" and "vs_numpy" in r.params]
    if not rows:
        return None
    groups = _groups(rows)
    order = list(dict.fromkeys(r.impl for r in rows))
    fig, axes = plt.subplots(1, len(groups), figsize=(6.5 * len(groups), 5.5), squeeze=False)
    for ax, g in zip(axes.flat, groups):
        sub = [r for r in rows if r.params["group"] == g]
        sizes = sorted({r.params["n"] for r in sub})
        impls = list(dict.fromkeys(r.impl for r in sub))
        width = 0.8 / max(1, len(impls))
        for i, impl in enumerate(impls):
            vals = []
            for n in sizes:
                r = next((r for r in sub if r.impl == impl and r.params["n"] == n), None)
                vals.append(r.params["vs_numpy"] if r else 0)
            ax.bar([k + i * width for k in range(len(sizes))], vals, width, label=impl,
                   color=_color(order.index(impl)))
        ax.axhline(1.0, color="black", linewidth=0.8)
        ax.set_yscale("log")
        ax.set_xticks([k + 0.4 - width / 2 for k in range(len(sizes))])
        ax.set_xticklabels([f"N={n}" for n in sizes])
        ax.set_ylabel("speed-up over the best NumPy form (×)")
        ax.set_title(f"gd, {g}")
        ax.grid(True, axis="y", which="both", alpha=0.3)
    _legend(fig, axes, 1)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _bars(plt, rows, key, unit, path, title):
    cases = sorted({r.params[key] for r in rows})
    impls = list(dict.fromkeys(r.impl for r in rows))
    width = 0.8 / max(1, len(impls))
    fig, ax = plt.subplots(figsize=(10, 6.5))
    for i, impl in enumerate(impls):
        xs, ys = [], []
        for k, c in enumerate(cases):
            r = next((r for r in rows if r.impl == impl and r.params[key] == c), None)
            if r:
                xs.append(k + i * width)
                ys.append(r.per_unit_us())
        ax.bar(xs, ys, width, label=impl, color=_color(i))
    ax.set_yscale("log")
    ax.set_xticks([k + 0.4 - width / 2 for k in range(len(cases))])
    ax.set_xticklabels([f"{key}={c}" for c in cases])
    ax.set_ylabel(f"µs per {unit} (median, log scale)")
    ax.set_title(title)
    ax.grid(True, axis="y", which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _rows_from_json(path):
    import json
    from .harness import Row
    data = json.loads(Path(path).read_text())
    rows = []
    for d in data["rows"]:
        d = {k: (float("nan") if v is None and k.endswith("_s") else v) for k, v in d.items()}
        rows.append(Row(**d))
    return rows


if __name__ == "__main__":      # python -m benchmarks.plots DIR: redraw DIR's charts
    import sys
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "results")
    made, why = make_all(_rows_from_json(out / "results.json"), out)
    print(why or "\n".join(str(p) for p in made))

"""Tables and raw data: `Row`s -> markdown (stdout and results.md), CSV and JSON.

In: the machine header, the rows of every section and the captured text of the
script-style sections (calls, parallel, simd). Out: strings and files; the plots are
`plots.py`'s.
"""
from __future__ import annotations

import csv
import json
import math
from dataclasses import asdict

from .harness import Row, fmt_time, fmt_us

MARKS = """Marks: `*` extrapolated from a subset of the iterations (see "timed iters"); `✗` the
result did not match the reference (the row is still timed, see its check column); `–` not run
(the reasons are in the notes at the end)."""


def header(machine: dict, command: str, date: str) -> str:
    lines = [f"Command: `{command}`  ", f"Date: {date}  ",
             f"Machine: {machine['cpu']}, {machine['cores']} logical cores, SIMD: "
             f"{machine['simd']}, {machine['os']}  ",
             "Versions: " + ", ".join(f"{k} {machine[k]}" for k in
                                      ("python", "numpy", "llvmlite", "numba", "jax", "torch",
                                       "matplotlib", "mojolite")) + f", {machine['g++']}"]
    return "\n".join(lines)


LABELS = {"n": "N"}


def _cell(r: Row | None, value: str) -> str:
    if r is None or not r.timed:
        return "–"
    mark = ""
    if r.extrapolated:
        mark += "*"
    if not r.verified:
        mark += " ✗"
    return value + mark


def pivot(rows: list[Row], section: str, key: str, column: str, cell, title: str) -> str:
    """A table with one line per implementation and one column per `column` param."""
    mine = [r for r in rows if r.section == section]
    if not mine:
        return ""
    cols = sorted({r.params.get(column) for r in mine if column in r.params})
    groups = list(dict.fromkeys(r.params.get(key) for r in mine if key in r.params))
    out = []
    for g in groups:
        sub = [r for r in mine if r.params.get(key) == g]
        impls = list(dict.fromkeys(r.impl for r in sub if r.timed))
        if not impls:
            continue
        lines = [f"**{title} — {g}**", "",
                 "| implementation | " + " | ".join(f"{LABELS.get(column, column)}={c}" for c in cols)
                 + " |",
                 "|---|" + "---:|" * len(cols)]
        for impl in impls:
            cells = []
            for c in cols:
                r = next((r for r in sub if r.impl == impl and r.params.get(column) == c), None)
                cells.append(_cell(r, cell(r)) if r is not None else "")
            lines.append(f"| {impl} | " + " | ".join(cells) + " |")
        out.append("\n".join(lines))
    return "\n\n".join(out)


def detail(rows: list[Row], section: str, unit: str = "iter") -> str:
    mine = [r for r in rows if r.section == section]
    if not mine:
        return ""
    lines = ["| case | implementation | check | first call | median (whole run) | min – max "
             f"| runs | µs/{unit} | vs baseline |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in mine:
        if r.skipped:
            continue                                   # listed once in the notes
        if not r.timed:
            lines.append(f"| {r.case} | {r.impl} | {r.check} | {first_call(r)} "
                         "| – | – | 0 | – | – |")
            continue
        extra = f" * ({r.params.get('timed_iters')} of {r.units} timed)" if r.extrapolated \
            else ""
        ratio = r.params.get("vs_numpy", r.params.get("vs_baseline"))
        ratio_s = f"{ratio:.2f}×" if ratio is not None and not math.isnan(ratio) else "–"
        lines.append(
            f"| {r.case} | {r.impl} | {r.check} | {first_call(r)} | "
            f"{fmt_time(r.total())}{extra} | {fmt_time(r.total('min'))} – "
            f"{fmt_time(r.total('max'))} | {r.runs} | {fmt_us(r.per_unit_us())} | {ratio_s} |")
    return "\n".join(lines)


def first_call(r: Row) -> str:
    """The first call's time; the iterations it ran when that was a probe (gd), and the
    compile time when it was spent before the call (`mojolite.load`)."""
    compile_s = r.params.get("compile_s")
    text = fmt_time(r.first_s)
    if r.params.get("first_iters"):
        text += f" ({r.params['first_iters']} it.)"
    return text + (f" (+ {fmt_time(compile_s)} compile)" if compile_s else "")


def skip_notes(rows: list[Row]) -> list[str]:
    """One line per (section, implementation, reason), naming the cases."""
    seen: dict = {}
    for r in rows:
        if r.skipped:
            seen.setdefault((r.section, r.impl, r.check), []).append(r.case)
    out = []
    for (section, impl, why), cases in seen.items():
        where = cases[0] if len(cases) == 1 else f"{len(cases)} cases"
        out.append(f"{section}: {impl} — {why} ({where})")
    return out


def markdown(machine_header: str, sections: list[tuple[str, str]], notes: list[str]) -> str:
    parts = ["# mojolite benchmarks", "", machine_header, ""]
    for title, body in sections:
        if body:
            parts += [f"## {title}", "", body, ""]
    if notes:
        parts += ["## Notes", ""] + [f"- {n}" for n in notes] + [""]
    return "\n".join(parts)


def write_csv(rows: list[Row], path):
    keys = sorted({k for r in rows for k in r.params})
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["section", "case", "impl", "check", "first_s", "median_s", "min_s",
                    "max_s", "runs", "scale", "units", *keys])
        for r in rows:
            w.writerow([r.section, r.case, r.impl, r.check, r.first_s, r.median_s, r.min_s,
                        r.max_s, r.runs, r.scale, r.units,
                        *[r.params.get(k, "") for k in keys]])


def write_json(rows: list[Row], machine: dict, texts: dict, path):
    def clean(v):
        if isinstance(v, float) and math.isnan(v):
            return None
        return v
    data = {"machine": machine, "texts": texts,
            "rows": [{k: clean(v) for k, v in asdict(r).items()} for r in rows]}
    with open(path, "w") as f:
        json.dump(data, f, indent=1, default=str)

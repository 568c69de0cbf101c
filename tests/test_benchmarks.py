"""The benchmark harness cannot rot: a tiny `--check-only` run of gd and linreg through the
real command line entry (every implementation checked against the reference, tables and
CSV/JSON written), the method's bookkeeping (a wrong result is reported, not hidden), and
the project's own reference engines against independent oracles. Nothing here is timed.
"""
from __future__ import annotations

import csv
import json
import math

import numpy as np
import pytest

from benchmarks import autograd_ref as ag
from benchmarks import gd, report
from benchmarks.__main__ import main
from benchmarks.harness import Row, close, measure


def test_smoke_gd_and_linreg_check_only(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("OMP_WAIT_POLICY", "PASSIVE")      # main() would set it process-wide
    rc = main(["--only", "gd,linreg", "--quick", "--check-only", "--sizes", "10", "--iters", "5",
               "--dtypes", "float64,float32", "--blas-threads", "0",
               "--out", str(tmp_path), "--quiet"])
    assert rc == 0
    md = (tmp_path / "results.md").read_text()
    assert md.startswith("# mojolite benchmarks") and md in capsys.readouterr().out
    rows = list(csv.DictReader(open(tmp_path / "results.csv")))
    gd_rows = [r for r in rows if r["section"] == "gd"]
    # N=10, dims 2 and 3, float64 and float32: the NumPy forms always run
    for dim in (2, 3):
        for dtype in ("float64", "float32"):
            for impl in ("NumPy broadcast", "NumPy Gram"):
                r = next(r for r in gd_rows
                         if r["impl"] == impl and r["case"] == f"N=10 dim={dim} {dtype}")
                assert r["check"].startswith("ok"), r
    pure = [r for r in gd_rows if r["impl"].startswith("pure Python")]
    assert pure and all(r["check"].startswith("ok") for r in pure if "float64" in r["case"])
    # nothing that ran disagrees with the reference
    ran = [r for r in rows if not r["check"].startswith("skipped")]
    assert all(r["check"].startswith("ok") for r in ran), [r for r in ran
                                                          if not r["check"].startswith("ok")]
    assert any(r["section"] == "linreg" and r["impl"].startswith("NumPy") for r in ran)
    data = json.loads((tmp_path / "results.json").read_text())
    assert data["machine"]["cores"] and len(data["rows"]) == len(rows)
    assert "Machine:" in md and "NumPy Gram" in md


def test_mismatch_is_reported_and_still_timed():
    ref = np.arange(4.0)
    good = measure(Row("t", "c", "good"), lambda: (ref.copy(),), lambda x: x,
                   lambda out: close(out, ref, 1e-12), min_runs=5, max_runs=5, target_s=0)
    bad = measure(Row("t", "c", "bad"), lambda: (ref.copy(),), lambda x: x + 1e-6,
                  lambda out: close(out, ref, 1e-12), min_runs=5, max_runs=5, target_s=0)
    assert good.check.startswith("ok") and good.runs == 5
    assert bad.check.startswith("MISMATCH") and bad.runs == 5 and bad.timed
    table = report.detail([good, bad], "t")
    assert "MISMATCH" in table
    bad.params["group"] = "g"
    bad.params["n"] = 1
    assert "✗" in report.pivot([bad], "t", "group", "n", lambda r: "1", "x")


def test_failure_is_a_row_not_a_crash():
    def boom(x):
        raise ValueError("no")
    r = measure(Row("t", "c", "boom"), lambda: (1,), boom, None)
    assert r.check.startswith("FAILED: ValueError") and not r.timed


@pytest.mark.parametrize("fn", [gd.gd_numpy_broadcast, gd.gd_numpy_gram])
def test_gd_numpy_forms_match_the_seed_loops(fn):
    p = gd.problem(12, 3, "float64", 3)
    want = gd.gd_python(p.x0.tolist(), p.d.tolist(), p.lr, 3)
    loops = gd.gd_numpy_loops(p.x0.copy(), p.d, p.lr, 3)
    got = fn(p.x0.copy(), p.d * p.d, p.lr, 3)
    assert np.allclose(loops, want, rtol=0, atol=1e-14)
    assert np.allclose(got, want, rtol=0, atol=1e-12)


def test_gd_reference_matches_the_broadcast_form_at_every_state():
    p = gd.problem(150, 3, "float64", 40)           # 150 rows: two blocks, the second partial
    ref = gd.Reference(p.x0, p.d, p.lr)
    for k in (40, 7, 0, 23):                        # any order: states are kept
        want = gd.gd_numpy_broadcast(p.x0.copy(), p.d * p.d, p.lr, k)
        got = ref.at(k)
        assert np.abs(got - want).max() <= 1e-13 * np.abs(want).max()
    got = ref.at(40)
    got += 1.0                                      # a copy: the kept state is unchanged
    assert np.array_equal(ref.at(40), gd.reference(p.x0, p.d, p.lr, 40))


@pytest.mark.parametrize("n,d", [(1, 16), (7, 17), (37, 50), (130, 8), (1001, 100), (64, 3)])
def test_linreg_kernels_match_numpy(n, d):
    """Row kernel edge cases: n below and not a multiple of the 8-row groups or the 16
    blocks, d not a multiple of the vector width (padded), d below SMALL_D (columns)."""
    from benchmarks import linreg, linreg_kernels as K
    rng = np.random.default_rng(n * 1000 + d)
    x = rng.uniform(-1.0, 1.0, (n, d))
    y = rng.standard_normal(n)
    want = linreg.numpy_gd(x, y, np.zeros(d), 0.1, 6)
    runs = [lambda w, g: K.linreg_simd(x, y, w, g, 0.1, 6),
            lambda w, g: K.linreg_parallel(x, y, w, g, 0.1, 6),
            lambda w, g: K.descend_blocks[16, 2](x, y, w, g, 0.1, 6),
            lambda w, g: K.descend_blocks[3, 1](np.asfortranarray(x), y, w, g, 0.1, 6)]
    for run in runs:
        w, g = np.zeros(d), np.zeros(d)
        run(w, g)
        assert np.abs(w - want).max() <= 1e-12 * max(np.abs(want).max(), 1e-300)


def test_gd_learning_rate_converges():
    p = gd.problem(100, 2, "float64", 300)
    x = gd.reference(p.x0, p.d, p.lr, 300)
    assert gd.loss(x, p.d) < 0.05 * gd.loss(p.x0, p.d)


def test_micrograd_readme_golden_values():
    a, b = ag.Value(-4.0), ag.Value(2.0)
    c = a + b
    d = a * b + b ** 3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e ** 2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert abs(g.data - 24.7041) < 1e-4
    assert abs(a.grad - 138.8338) < 1e-4 and abs(b.grad - 645.5773) < 1e-4


@pytest.mark.parametrize("op", ["add", "mul", "pow", "relu", "tanh", "exp", "log", "div", "sub"])
def test_reference_engine_backward_by_central_differences(op):
    fns = {"add": lambda x, y: x + y, "mul": lambda x, y: x * y, "pow": lambda x, y: x ** 3,
           "relu": lambda x, y: (x * y).relu(), "tanh": lambda x, y: (x * y).tanh(),
           "exp": lambda x, y: (x * y).exp(), "log": lambda x, y: (x * y).log(),
           "div": lambda x, y: x / y, "sub": lambda x, y: x - y * x}
    f = fns[op]
    x0, y0 = 0.7, 1.3
    x, y = ag.Value(x0), ag.Value(y0)
    out = f(x, y) * f(x, y)                     # each node used twice: gradients accumulate
    out.backward()
    h = 1e-6

    def val(a, b):
        v = f(ag.Value(a), ag.Value(b))
        return v.data * v.data
    dx = (val(x0 + h, y0) - val(x0 - h, y0)) / (2 * h)
    dy = (val(x0, y0 + h) - val(x0, y0 - h)) / (2 * h)
    assert math.isclose(x.grad, dx, rel_tol=1e-6, abs_tol=1e-8)
    assert math.isclose(y.grad, dy, rel_tol=1e-6, abs_tol=1e-8)


def test_reference_engines_agree_step_by_step():
    x, y = ag.moons(12)
    w = ag.init_weights()
    py = ag.train_python(x, y, w, 4)
    nps = ag.train_numpy(x, y, w, 4)
    for (lp, ap), (ln, an) in zip(py, nps):
        assert abs(lp - ln) <= 1e-12 * abs(ln) and ap == an
    assert nps[-1][0] < nps[0][0]

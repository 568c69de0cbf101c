"""The autograd showcase (examples/autograd/*.ml, driven by examples/autograd.py).

Checks both engines (scalar tape, batched matrices) against micrograd's README values,
central differences, each other, a pure-Python micrograd-semantics engine and a NumPy
implementation; node reuse; constant memory over many steps; the moons accuracy; bad
input; the decision-boundary PNG. The long runs (full 100 x 100 comparison with pure
Python, spirals) are marked slow.
"""
from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT
from mojolite import RuntimeFault

_spec = importlib.util.spec_from_file_location("autograd_example", ROOT / "examples" / "autograd.py")
ag = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ag)

OPS = ag.OPS
GOLDEN = (24.7041, 138.8338, 645.5773)


@pytest.fixture(scope="module")
def moons():
    X, y = ag.make_moons(100, 0.1, 1)
    return X, y, ag.init_params(seed=2)


# ------------------------------------------------------------------ golden values

@pytest.mark.parametrize("kind", ["scalar", "batched"])
@pytest.mark.parametrize("reference", [False, True])
def test_micrograd_readme_expression(kind, reference):
    out = np.zeros(3)
    ag.engine(kind, reference).micrograd_readme(out)
    assert out == pytest.approx(GOLDEN, abs=1e-4)


def test_op_codes_match_the_ml_files():
    for path in (ag.SCALAR_ML, ag.BATCHED_ML):
        found = dict(re.findall(r"^alias (\w+) = (\d+)$", path.read_text(), re.M))
        for name, code in found.items():
            if name in OPS:
                assert OPS[name] == int(code), (path.name, name)
    assert set(ag.SCALAR_OPS) <= set(dict(re.findall(r"^alias (\w+) = (\d+)$",
                                                          ag.SCALAR_ML.read_text(), re.M)))


# ------------------------------------------------------------------ central differences

SCALAR_CASES = [  # op, x, y, k
    ("ADD", 0.7, -1.3, 0.0), ("SUB", 0.7, -1.3, 0.0), ("MUL", 0.7, -1.3, 0.0),
    ("DIV", 0.7, -1.3, 0.0), ("POW", 1.7, 0.0, 3.0), ("POW", 1.7, 0.0, -1.5),
    ("NEG", 0.4, 0.0, 0.0), ("RELU", 0.4, 0.0, 0.0), ("RELU", -0.4, 0.0, 0.0),
    ("TANH", 0.3, 0.0, 0.0), ("EXP", -0.6, 0.0, 0.0), ("LOG", 2.5, 0.0, 0.0),
]


@pytest.mark.parametrize("reference", [False, True])
@pytest.mark.parametrize("op,x,y,k", SCALAR_CASES)
def test_scalar_op_gradients(op, x, y, k, reference):
    m = ag.engine("scalar", reference)
    out = np.zeros(3)

    def f(a, b):
        m.op_grad(OPS[op], a, b, k, out)
        return out[0]

    h = 1e-6
    num = ((f(x + h, y) - f(x - h, y)) / (2 * h), (f(x, y + h) - f(x, y - h)) / (2 * h))
    f(x, y)
    assert out[1] == pytest.approx(num[0], rel=1e-6, abs=1e-8)
    assert out[2] == pytest.approx(num[1], rel=1e-6, abs=1e-8)


def _batched_case(op, rng):
    """Inputs (A, B) away from kinks and outside the domain boundaries, and the output weights W."""
    A = rng.uniform(-1, 1, (3, 4))
    B = rng.uniform(-1, 1, (3, 4))
    if op in ("DIV", "LOG", "POW"):
        A = rng.uniform(0.5, 2, (3, 4))
        B = rng.uniform(0.5, 2, (3, 4))
    if op == "RELU":
        A = np.sign(A) * (0.1 + np.abs(A))
    if op == "MATMUL":
        B = rng.uniform(-1, 1, (4, 2))
    if op == "BIAS":
        B = rng.uniform(-1, 1, (1, 4))
    if op == "NLL":
        B = np.array([[2.0], [0.0], [3.0]])
    if op == "SVM":
        A = np.array([[0.3], [1.8], [-0.4], [0.6], [-2.0]])
        B = np.array([[1.0], [1.0], [-1.0], [-1.0], [-1.0]])
    out_shape = {"MATMUL": (3, 2)}.get(op, A.shape)
    return A, B, rng.uniform(-1, 1, out_shape)


BATCHED_OPS = ["ADD", "SUB", "MUL", "DIV", "POW", "NEG", "RELU", "TANH", "EXP", "LOG",
               "MATMUL", "BIAS", "SUM", "MEAN", "SUMSQ", "LOGSOFTMAX", "NLL", "SVM"]


@pytest.mark.parametrize("op", BATCHED_OPS)
def test_batched_op_gradients(op):
    m = ag.engine("batched")
    A, B, W = _batched_case(op, np.random.default_rng(OPS[op]))
    k = 2.5
    gA, gB = np.zeros_like(A), np.zeros_like(B)
    m.op_grad(OPS[op], A, B, W, k, gA, gB)
    scratch = (np.zeros_like(A), np.zeros_like(B))
    h = 1e-6
    for X, G in ((A, gA), (B, gB)):
        if op in ("NLL", "SVM") and X is B:
            continue                      # labels: no gradient
        num = np.zeros_like(X)
        for idx in np.ndindex(X.shape):
            old = X[idx]
            X[idx] = old + h
            up = m.op_grad(OPS[op], A, B, W, k, *scratch)
            X[idx] = old - h
            down = m.op_grad(OPS[op], A, B, W, k, *scratch)
            X[idx] = old
            num[idx] = (up - down) / (2 * h)
        np.testing.assert_allclose(G, num, rtol=1e-6, atol=1e-8, err_msg=op)


@pytest.mark.parametrize("op", ["MATMUL", "LOGSOFTMAX", "NLL"])
def test_batched_reference_mode_agrees(op):
    A, B, W = _batched_case(op, np.random.default_rng(7))
    results = []
    for reference in (False, True):
        gA, gB = np.zeros_like(A), np.zeros_like(B)
        v = ag.engine("batched", reference).op_grad(OPS[op], A, B, W, 1.0, gA, gB)
        results.append((v, gA, gB))
    assert results[0][0] == pytest.approx(results[1][0], rel=1e-14)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("kind", ["scalar", "batched"])
def test_mlp_loss_gradient_central_differences(kind, moons):
    X, y, p = moons
    X, y = X[:20], y[:20]
    m = ag.engine(kind)
    s = ag.sizes_array()
    grad = np.zeros_like(p)
    m.loss_and_grad(X, y, s, p, grad)
    h = 1e-6
    scratch = np.zeros_like(p)
    for i in (0, 1, 2, 17, 50, 100, 200, 300, len(p) - 2, len(p) - 1):
        q = p.copy()
        q[i] += h
        up = m.loss_and_grad(X, y, s, q, scratch)
        q[i] -= 2 * h
        down = m.loss_and_grad(X, y, s, q, scratch)
        assert grad[i] == pytest.approx((up - down) / (2 * h), rel=1e-5, abs=1e-8), i


def test_engines_agree_on_loss_and_gradient(moons):
    X, y, p = moons
    s = ag.sizes_array()
    gs, gb = np.zeros_like(p), np.zeros_like(p)
    ls = ag.engine("scalar").loss_and_grad(X, y, s, p, gs)
    lb = ag.engine("batched").loss_and_grad(X, y, s, p, gb)
    assert ls == pytest.approx(lb, rel=1e-13)
    np.testing.assert_allclose(gs, gb, rtol=1e-10, atol=1e-13)
    assert np.any(gs != 0)


@pytest.mark.parametrize("reference", [False, True])
@pytest.mark.parametrize("n", [1, 5, 16, 19])
def test_fused_dot_node_is_micrograd_bit_for_bit(n, reference):
    m = ag.engine("scalar", reference)
    rng = np.random.default_rng(n)
    u, v = rng.uniform(-1, 1, n + 1), rng.uniform(-1, 1, n)
    grads = {}
    for fused in (True, False):
        gu, gv = np.zeros(n + 1), np.zeros(n)
        grads[fused] = (m.dot_grad(u, v, gu, gv, fused), gu, gv)
    assert grads[True][0] == grads[False][0]
    np.testing.assert_array_equal(grads[True][1], grads[False][1])
    np.testing.assert_array_equal(grads[True][2], grads[False][2])
    h = 1e-6
    scratch = (np.zeros(n + 1), np.zeros(n))
    for X, G in ((u, grads[True][1]), (v, grads[True][2])):
        for i in range(len(X)):
            old = X[i]
            X[i] = old + h
            up = m.dot_grad(u, v, *scratch, True)
            X[i] = old - h
            down = m.dot_grad(u, v, *scratch, True)
            X[i] = old
            assert G[i] == pytest.approx((up - down) / (2 * h), rel=1e-6, abs=1e-9)


def test_node_reuse_accumulates():
    for reference in (False, True):
        out = np.zeros(3)
        ag.engine("scalar", reference).reuse(out)
        assert list(out) == [6.0, 2.0, 33.0]


# ------------------------------------------------------------------ training vs oracles

def test_scalar_engine_matches_pure_python_micrograd(moons):
    X, y, p = moons
    X, y = X[::10], y[::10]                # 10 samples, 6 steps: fast
    ts, ps = ag.train(X, y, p, 6, "scalar")
    tp, pp = ag.py_train(X, y, p, 6)
    np.testing.assert_allclose(ts[:, 0], tp[:, 0], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(ts[:, 1], tp[:, 1])
    np.testing.assert_allclose(ps, pp, rtol=0, atol=1e-12)


@pytest.mark.slow
def test_scalar_engine_matches_pure_python_micrograd_full_run(moons):
    X, y, p = moons
    ts, ps = ag.train(X, y, p, 100, "scalar")
    tp, pp = ag.py_train(X, y, p, 100)
    np.testing.assert_allclose(ts[:, 0], tp[:, 0], rtol=0, atol=1e-9)
    np.testing.assert_array_equal(ts[:, 1], tp[:, 1])
    assert tp[-1, 1] == 1.0


@pytest.mark.parametrize("kind", ["scalar", "batched"])
def test_moons_100_steps_match_numpy_and_reach_full_accuracy(kind, moons):
    X, y, p = moons
    t, q = ag.train(X, y, p, 100, kind)
    tn, qn = ag.numpy_train(X, y, p, 100)
    np.testing.assert_allclose(t[:, 0], tn[:, 0], rtol=0, atol=1e-9)
    np.testing.assert_allclose(q, qn, rtol=0, atol=1e-9)
    assert t[0, 0] > 10 * t[-1, 0]
    assert t[-1, 1] == 1.0
    out = ag.scores(X, q, kind)
    assert np.mean(np.sign(out) == y) == 1.0


def test_reference_mode_trains_like_the_jit(moons):
    X, y, p = moons
    X, y = X[::10], y[::10]
    for kind in ("scalar", "batched"):
        tj, pj = ag.train(X, y, p, 3, kind)
        tr, pr = ag.train(X, y, p, 3, kind, reference=True)
        np.testing.assert_allclose(tj[:, :2], tr[:, :2], rtol=1e-13, atol=0)
        np.testing.assert_allclose(pj, pr, rtol=1e-12, atol=1e-15)


def test_train_updates_only_the_copy(moons):
    X, y, p = moons
    before = p.copy()
    _, q = ag.train(X, y, p, 2, "scalar")
    np.testing.assert_array_equal(p, before)
    assert np.any(q != p)


# ------------------------------------------------------------------ memory

def _rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


@pytest.mark.parametrize("kind", ["scalar", "batched"])
def test_graph_is_rebuilt_in_the_same_memory(kind, moons):
    X, y, p = moons
    t, _ = ag.train(X, y, p, 300, kind)
    assert np.all(t[:, 2] == t[0, 2])          # nodes on the tape after each step's graph
    assert t[0, 2] > (5000 if kind == "scalar" else 20)
    assert np.all(t[:, 3] == t[0, 3])          # tape capacity / live buffers
    ag.train(X, y, p, 50, kind)                 # warm the allocator
    rss = _rss_bytes()
    for _ in range(5):
        ag.train(X, y, p, 200, kind)
    assert _rss_bytes() - rss < 8 << 20


# ------------------------------------------------------------------ bad input

def test_wrong_number_of_parameters(moons):
    X, y, p = moons
    with pytest.raises(ValueError, match="337 parameters"):
        ag.train(X, y, p[:-1], 1, "scalar")
    for kind in ("scalar", "batched"):
        with pytest.raises(RuntimeFault, match="wrong number of parameters"):
            ag.engine(kind).train(X, y, ag.sizes_array(), p[:-1].copy(), 1, np.zeros((1, 4)))


def test_batched_shape_mismatches_and_non_scalar_backward():
    m = ag.engine("batched")
    z = np.zeros
    with pytest.raises(RuntimeFault, match="shape mismatch in @"):
        m.op_grad(OPS["MATMUL"], z((3, 4)), z((3, 4)), z((3, 4)), 0.0, z((3, 4)), z((3, 4)))
    with pytest.raises(RuntimeFault, match=r"shape mismatch in \+"):
        m.op_grad(OPS["ADD"], z((3, 4)), z((2, 4)), z((3, 4)), 0.0, z((3, 4)), z((2, 4)))
    with pytest.raises(RuntimeFault, match="shape mismatch in svm"):
        m.op_grad(OPS["SVM"], z((3, 2)), z((3, 2)), z((1, 1)), 0.0, z((3, 2)), z((3, 2)))
    with pytest.raises(RuntimeFault, match="backward"):
        m.backward_non_scalar()
    X, y = ag.make_moons(10)
    with pytest.raises(RuntimeFault, match="same number of rows"):
        m.train(X, y[:5].copy(), ag.sizes_array(), ag.init_params(), 1, np.zeros((1, 4)))


@pytest.mark.parametrize("kind", ["scalar", "batched"])
def test_log_of_non_positive_is_an_error(kind):
    m = ag.engine(kind)
    with pytest.raises(RuntimeFault, match="log of a non-positive"):
        if kind == "scalar":
            m.op_grad(OPS["LOG"], 0.0, 0.0, 0.0, np.zeros(3))
        else:
            A = np.array([[1.0, -2.0]])
            m.op_grad(OPS["LOG"], A, A, A, 0.0, np.zeros_like(A), np.zeros_like(A))


# ------------------------------------------------------------------ the programs and the plot

def test_scalar_program_runs_from_the_command_line():
    out = subprocess.run([sys.executable, "-m", "mojolite", "run", "examples/autograd/scalar.ml",
                          "--steps", "100"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert "g = 24.70408" in lines[0]
    assert lines[-1].startswith("step 99 ") and lines[-1].endswith("accuracy 100.0 %")


def test_plot_writes_a_png(tmp_path, moons):
    # matplotlib is in the `test` extra: this test must run, not skip
    X, y, p = moons
    _, q = ag.train(X, y, p, 100, "batched")
    path = tmp_path / "boundary.png"
    ag.plot_boundary(path, X, y, q, "batched", h=0.1)
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width >= 200 and height >= 200


@pytest.mark.slow
def test_spirals_classifier():
    m = ag.engine("batched")
    X, y = np.zeros((3000, 2)), np.zeros(3000)
    m.make_spirals(X, y, 3, 0.2, 1)
    s = ag.sizes_array((64, 64, 3))
    p = np.zeros(m.num_params(2, s))
    m.init_params(2, s, p, 2)
    trace = np.zeros((300, 2))
    m.train_classifier(X, y, s, p, 300, 0.1, 1e-4, trace)
    assert trace[-1, 1] >= 0.98
    logits = np.zeros((3000, 3))
    m.predict(X, s, p, logits)
    assert np.mean(logits.argmax(1) == y) >= 0.98


def test_classifier_matches_numpy():
    m = ag.engine("batched")
    X, y = np.zeros((300, 2)), np.zeros(300)
    m.make_spirals(X, y, 3, 0.2, 1)
    assert sorted(set(y)) == [0.0, 1.0, 2.0]
    s = ag.sizes_array((16, 16, 3))
    p = np.zeros(m.num_params(2, s))
    m.init_params(2, s, p, 2)
    trace, q = np.zeros((20, 2)), p.copy()
    m.train_classifier(X, y, s, q, 20, 0.1, 1e-4, trace)
    tn, qn = ag.numpy_train_classifier(X, y, p, 20, 0.1, 1e-4, (16, 16, 3))
    np.testing.assert_allclose(trace[:, 0], tn[:, 0], rtol=1e-10)
    np.testing.assert_array_equal(trace[:, 1], tn[:, 1])
    np.testing.assert_allclose(q, qn, rtol=1e-9, atol=1e-12)
    assert trace[-1, 0] < trace[0, 0]


@pytest.mark.parametrize("kind", ["scalar", "batched"])
def test_scores_match_a_numpy_forward_pass(kind, moons):
    X, _, p = moons
    h = X
    layers = ag.unpack(p)
    for i, (W, b) in enumerate(layers):
        h = h @ W + b
        h = np.maximum(h, 0.0) if i != len(layers) - 1 else h
    np.testing.assert_allclose(ag.scores(X, p, kind), h[:, 0], rtol=1e-12, atol=1e-14)

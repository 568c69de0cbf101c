"""examples/gd.ml and examples/gd.py: the headline example.

Every kernel against an independent NumPy reference from the same X0; the seed's circle-10
loss; the reference interpreter against the JIT on the SIMD and parallel paths; the command
lines, their pictures (opened with PIL) and their errors on bad input.

Tolerances. float64: final loss within 1e-9 relative and every coordinate within 1e-12 of
the reference (the kernels differ from it only in rounding: SIMD sums and fma). float32:
final loss within 5e-3 relative and every coordinate within 1e-5 of the float64 reference
(measured worst cases: 6e-4 and 8e-7, at circle-10 after 1000 steps, loss 3.3e-6).
"""
import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT, SHARED

import mojolite

GD_ML = ROOT / "examples" / "gd.ml"
GD_PY = ROOT / "examples" / "gd.py"
FLAME_CSV = SHARED / "data" / "flame.csv"
MODULAR_CSV = SHARED / "data" / "modular.csv"
KERNELS = ("plain", "simd", "parallel")
SEED_CIRCLE10 = 3.2985025544e-06      # the seed's final loss: circle, N=10, lr 0.001, 1000 steps


@pytest.fixture(scope="module")
def gd():
    return mojolite.load(GD_ML)


@pytest.fixture(scope="module")
def ref():
    return mojolite.load(GD_ML, reference=True)


@pytest.fixture(scope="module")
def driver(gd):
    spec = importlib.util.spec_from_file_location("gd_driver", GD_PY)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod._MODULE["m"] = gd          # the module the other tests compiled, not a second one
    return mod


# -- an independent reference --------------------------------------------------------------------

def reference(x0, d, lr, iters):
    """The problem statement, literally: G_i = 4 sum_j (|X_i - X_j|^2 - D_ij^2)(X_i - X_j)."""
    x = x0.astype(np.float64).copy()
    d2 = d * d
    for _ in range(iters):
        diff = x[:, None, :] - x[None, :, :]
        c = 4.0 * ((diff ** 2).sum(-1) - d2)
        x -= lr * (c[:, :, None] * diff).sum(1)
    return x


def loss(x, d):
    diff = x[:, None, :] - x[None, :, :]
    return float((((diff ** 2).sum(-1) - d * d) ** 2).sum())


def numpy_distances(p):
    return np.sqrt(((p[:, None, :] - p[None, :, :]) ** 2).sum(-1))


def case(gd, name):
    """(target points, dim, iterations): loss still far above the rounding floor at the end."""
    if name == "circle-10":
        return np.asarray(gd.shape_points("circle", 10)), 2, 1000
    if name == "circle-100":
        return np.asarray(gd.shape_points("circle", 100)), 2, 100
    if name == "sphere-100":
        return np.asarray(gd.shape_points("sphere", 100)), 3, 100
    if name == "flame.csv-307":
        return np.loadtxt(FLAME_CSV, delimiter=","), 2, 100
    if name == "flame-37-dim5":        # the any-dim row kernel, and every tail of the j loop
        return np.asarray(gd.shape_points("flame", 37)), 5, 100
    raise KeyError(name)


CASES = ("circle-10", "circle-100", "sphere-100", "flame.csv-307", "flame-37-dim5")


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("name", CASES)
def test_kernels_match_numpy_float64(gd, name, kernel):
    p, dim, iters = case(gd, name)
    d = numpy_distances(p)
    lr = gd.step_size(d, dim)
    np.random.seed(42)
    x0 = np.random.rand(len(p), dim)
    want = reference(x0, d, lr, iters)
    x = x0.copy()
    assert gd.descend_f64(x, d, lr, iters, kernel) == -1
    got, ref = gd.loss_f64(x, d), loss(want, d)
    assert abs(got - ref) <= 1e-9 * ref, (got, ref)
    assert np.abs(x - want).max() <= 1e-12
    assert abs(got - loss(x, d)) <= 1e-12 * ref       # gd.ml's loss is the formula's


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("name", CASES)
def test_kernels_match_numpy_float32(gd, name, kernel):
    p, dim, iters = case(gd, name)
    d = numpy_distances(p)
    lr = gd.step_size(d, dim)
    np.random.seed(42)
    x0 = np.random.rand(len(p), dim)
    want = reference(x0, d, lr, iters)
    x = x0.astype(np.float32)
    assert gd.descend_f32(x, d.astype(np.float32), lr, iters, kernel) == -1
    got, ref = gd.loss_f32(x, d.astype(np.float32)), loss(want, d)
    assert abs(got - ref) <= 5e-3 * ref, (got, ref)
    assert np.abs(x - want).max() <= 1e-5


@pytest.mark.parametrize("kernel", KERNELS)
def test_seed_circle10(gd, kernel):
    """The seed's defaults (circle, N=10, lr 0.001, 1000 steps, np.random.seed(42)) reach
    its final loss."""
    p = np.asarray(gd.shape_points("circle", 10))
    d = np.asarray(gd.distances_f64(p))
    assert gd.step_size(d, 2) == 0.001
    np.random.seed(42)
    x = np.random.rand(10, 2)
    gd.descend_f64(x, d, 0.001, 1000, kernel)
    assert gd.loss_f64(x, d) == pytest.approx(SEED_CIRCLE10, rel=1e-9)


@pytest.mark.parametrize("kernel", ("simd", "parallel"))
def test_gradients_match_each_other(gd, kernel):
    """One gradient, each kernel, both dtypes, N=45 (16-wide blocks, an 8-wide one, a tail)."""
    np.random.seed(3)
    for dim in (1, 2, 3, 4, 6):
        x = np.random.rand(45, dim)
        d2 = numpy_distances(np.random.rand(45, 2)) ** 2
        diff = x[:, None, :] - x[None, :, :]
        want = 4.0 * ((((diff ** 2).sum(-1) - d2))[:, :, None] * diff).sum(1)
        g = np.zeros_like(x)
        getattr(gd, f"grad_{kernel}_f64")(x, d2, g)
        assert np.abs(g - want).max() <= 1e-12 * np.abs(want).max()
        g32 = np.zeros((45, dim), np.float32)
        getattr(gd, f"grad_{kernel}_f32")(x.astype(np.float32), d2.astype(np.float32), g32)
        assert np.abs(g32 - want).max() <= 1e-5 * np.abs(want).max()
        gp = np.zeros_like(x)
        gd.grad_plain_f64(x, d2, gp)
        assert np.abs(gp - want).max() <= 1e-12 * np.abs(want).max()


def test_reference_interpreter_agrees_bit_for_bit(gd, ref):
    """The SIMD and parallel paths (every width of the j loop; dims 1, 2, 3 and the any-dim
    kernel) in the reference interpreter and in the JIT."""
    p = np.asarray(gd.shape_points("flame", 37))
    d = np.asarray(gd.distances_f64(p))
    np.random.seed(1)
    for dim in (1, 2, 3, 5):
        x0 = np.random.rand(37, dim)
        for kernel in ("simd", "parallel"):
            for f, dt in (("descend_f64", np.float64), ("descend_f32", np.float32)):
                a, b = x0.astype(dt), x0.astype(dt)
                getattr(gd, f)(a, d.astype(dt), 0.001, 2, kernel)
                getattr(ref, f)(b, d.astype(dt), 0.001, 2, kernel)
                assert np.array_equal(a, b), (dim, kernel, f)


def test_kernel_arguments_are_checked(gd):
    x = np.random.rand(5, 2)
    with pytest.raises(mojolite.RaisedError, match="D must be N x N"):
        gd.descend_f64(x, np.zeros((4, 4)), 0.001, 1, "simd")
    with pytest.raises(mojolite.RaisedError, match="unknown kernel"):
        gd.descend_f64(x, np.zeros((5, 5)), 0.001, 1, "fast")
    with pytest.raises(mojolite.RaisedError, match="the step lr must be >= 0"):
        gd.descend_f64(x, np.zeros((5, 5)), -1.0, 1, "simd")
    with pytest.raises(TypeError, match="descend_f32"):
        gd.descend_f32(x, np.zeros((5, 5)), 0.001, 1, "simd")       # float64 arrays
    assert gd.descend_f64(x, np.zeros((5, 5)), 0.001, 0, "plain") == -1


def test_shapes(gd):
    c = np.asarray(gd.shape_points("circle", 12))
    a = 2 * np.pi * np.arange(12) / 12
    assert np.allclose(c, 0.5 * np.stack([np.cos(a), np.sin(a)], 1), atol=1e-15)
    s = np.asarray(gd.shape_points("sphere", 50))
    i = np.arange(50)
    phi = np.arccos(1 - 2 * i / 50)
    theta = np.sqrt(50 * np.pi) * phi
    want = 0.5 * np.stack([np.cos(theta) * np.sin(phi), np.sin(theta) * np.sin(phi),
                           np.cos(phi)], 1)
    assert np.allclose(s, want, atol=1e-15)
    for n in (1, 2, 7, 300):
        f = np.asarray(gd.shape_points("flame", n))
        assert f.shape == (n, 2) and np.isfinite(f).all()
        assert np.abs(f).max() <= 0.55
    f = np.asarray(gd.shape_points("flame", 400))
    assert len(np.unique(f.round(9), axis=0)) == 400         # no repeated points
    assert np.allclose(np.asarray(gd.distances_f64(f)), numpy_distances(f), atol=1e-15)


def test_step_size_rule(gd):
    """min(0.001, 0.1 / (N max(mean D^2, dim/6))) to 2 digits: the seed's 0.001 at N=10, the 0.0003
    that the seed found for its 1000-point logo, and a step that converges there."""
    p = np.loadtxt(MODULAR_CSV, delimiter=",")
    d = numpy_distances(p)
    assert gd.step_size(d, 2) == 0.0003
    p = np.loadtxt(FLAME_CSV, delimiter=",")
    d = numpy_distances(p)
    assert 0.1 / (307 * max((d * d).mean(), 2 / 6)) == pytest.approx(0.000977, rel=1e-3)
    assert gd.step_size(d, 2) == 0.00097              # 2 significant digits, rounded down
    s = numpy_distances(np.asarray(gd.shape_points("sphere", 1000)))
    assert gd.step_size(s, 3) == 0.0002
    c = numpy_distances(np.asarray(gd.shape_points("circle", 10)))
    assert gd.step_size(c, 2) == 0.001


@pytest.mark.parametrize("kernel", ("simd", "parallel"))
def test_modular_logo_converges_at_the_rule_and_diverges_at_seed_lr(gd, kernel):
    p = np.loadtxt(MODULAR_CSV, delimiter=",")
    d = numpy_distances(p)
    np.random.seed(42)
    x0 = np.random.rand(1000, 2)
    x = x0.copy()
    assert gd.descend_f64(x, d, 0.001, 1000, kernel) > 0          # diverges, as in the seed
    x = x0.copy()
    assert gd.descend_f64(x, d, gd.step_size(d, 2), 1000, kernel) == -1
    assert gd.loss_f64(x, d) < 1e-2 * gd.loss_f64(x0, d)


# -- gd.ml from the command line -----------------------------------------------------------------

def run_ml(*args):
    env = {k: v for k, v in os.environ.items() if k != "MOJOLITE_DEBUG"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "mojolite", "run", str(GD_ML), *map(str, args)],
                          capture_output=True, text=True, env=env, timeout=300)


def final_loss(out: str) -> float:
    return float(next(l for l in out.splitlines() if l.startswith("final loss")).split()[-1])


def test_ml_default_command():
    r = run_ml()
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("gd: circle N = 10 dim = 2 float64 kernel parallel lr 0.001")
    assert sum(l.startswith("iteration") for l in lines) == 11        # 0, 100, ... 1000
    assert final_loss(r.stdout) < 1e-5
    assert "time per iteration:" in lines[-1] and lines[-1].endswith(" us")


def run_main(module, capfd, **kwargs) -> str:
    """main(...) in this process (a subprocess per run would compile gd.ml each time)."""
    module.main(**kwargs)
    out = capfd.readouterr()
    assert out.err == ""
    return out.out


def test_ml_kernels_and_dtypes_agree(gd, capfd):
    out = {}
    for kernel in KERNELS:
        for dtype in ("float64", "float32"):
            text = run_main(gd, capfd, shape="sphere", n=40, dim=3, iters=200, kernel=kernel,
                            dtype=dtype)
            out[kernel, dtype] = final_loss(text)
    base = out["plain", "float64"]
    for (kernel, dtype), v in out.items():
        assert v == pytest.approx(base, rel=1e-9 if dtype == "float64" else 5e-3)


def test_ml_reference_mode_prints_the_same(gd, ref, capfd):
    args = dict(shape="flame", n=21, iters=6, every=3, kernel="simd")
    a, b = run_main(gd, capfd, **args), run_main(ref, capfd, **args)
    strip = lambda s: [l for l in s.splitlines() if not l.startswith("time per iteration")]  # noqa
    assert strip(a) == strip(b) and len(strip(a)) == 6


def test_ml_bad_input_from_the_command_line():
    # About the command line's report, so at -O0 (a third of the compile time); the
    # message and its place at the default level: test_ml_bad_input, test_ml_default_command
    r = run_ml("--shape", "square", "--n", "5", "-O0")
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.startswith("runtime error: unknown shape: the built-in shapes are circle, "
                               "sphere and flame")
    assert "examples/gd.py --shape points.csv" in r.stderr
    assert "gd.ml:" in r.stderr and "^^^" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("args, message", [
    (dict(shape="square"), "unknown shape: the built-in shapes are circle, sphere and flame"),
    (dict(shape="points.csv"), "examples/gd.py --shape points.csv"),
    (dict(n=0), "--n must be at least 1"),
    (dict(dim=0), "--dim must be at least 1"),
    (dict(lr=-0.001), "--lr must be a finite step >= 0"),
    (dict(lr=float("nan")), "--lr must be a finite step >= 0"),
    (dict(kernel="gpu"), "unknown kernel: use plain, simd or parallel"),
    (dict(dtype="float16"), "unknown dtype: use float64 or float32"),
    (dict(iters=-5), "--iters, --every and --threads must be >= 0"),
])
def test_ml_bad_input(gd, capfd, args, message):
    with pytest.raises(mojolite.RaisedError) as e:
        gd.main(**args)
    assert message in str(e.value) and "gd.ml:" in str(e.value)
    assert capfd.readouterr().out == ""                 # checked before any work


def test_ml_divergence_names_the_iteration(gd, capfd):
    with pytest.raises(mojolite.RaisedError, match="gradient descent diverged"):
        gd.main(n=50, lr=0.05, iters=100)
    out = capfd.readouterr().out
    assert "diverged: the loss became inf/nan at iteration" in out
    assert "try a smaller step, e.g. --lr" in out


# -- gd.py -----------------------------------------------------------------------------------

def run_py(driver, capsys, *args):
    code = driver.run([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_py_seed_run_prints_both_losses(driver, capsys):
    code, out, err = run_py(driver, capsys, "--kernel", "simd")
    assert code == 0, err
    mine = next(l for l in out.splitlines() if l.startswith("final loss   mojolite"))
    numpy = next(l for l in out.splitlines() if l.startswith("final loss   NumPy"))
    assert float(mine.split()[3]) == pytest.approx(SEED_CIRCLE10, rel=1e-9)
    assert float(numpy.split()[3]) == pytest.approx(SEED_CIRCLE10, rel=1e-9)


def test_py_plot_animation_and_loss_curve_2d(driver, capsys, tmp_path):
    from PIL import Image
    png, gif, curve = tmp_path / "p.png", tmp_path / "a.gif", tmp_path / "l.png"
    code, out, err = run_py(driver, capsys, "--shape", "flame", "--n", "40", "--iters", "120",
                            "--frame-every", "10", "--plot", png, "--animate", gif,
                            "--loss-plot", curve, "--no-reference")
    assert code == 0, err
    with Image.open(png) as im:
        assert im.format == "PNG" and im.size == (800, 400)
    with Image.open(gif) as im:
        assert im.format == "GIF" and im.n_frames == 13 and im.size == (320, 320)
    with Image.open(curve) as im:
        assert im.format == "PNG" and im.size == (480, 320)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.gif", "l.png", "p.png"]


def test_py_animation_3d_rotates(driver, capsys, tmp_path):
    from PIL import Image, ImageChops
    gif = tmp_path / "s.gif"
    code, out, err = run_py(driver, capsys, "--shape", "sphere", "--n", "30", "--iters", "40",
                            "--frame-every", "10", "--animate", gif, "--plot", tmp_path / "s.png")
    assert code == 0, err
    with Image.open(gif) as im:
        assert im.n_frames == 5
        im.seek(3)
        a = im.convert("RGB")
        im.seek(4)
        b = im.convert("RGB")
    assert ImageChops.difference(a, b).getbbox() is not None     # the view moves


def test_py_csv_shape(driver, capsys, tmp_path):
    csv = tmp_path / "tri.csv"
    csv.write_text("# a triangle\n0,0\n1,0\n\n0.5,0.8\n")
    code, out, err = run_py(driver, capsys, "--shape", csv, "--iters", "300")
    assert code == 0, err
    assert "gd: tri.csv, N = 3, dim = 2" in out
    code, out, err = run_py(driver, capsys, "--shape", csv, "--n", "5")
    assert code == 2 and "--n applies to the built-in shapes" in err


@pytest.mark.parametrize("content, message", [
    ("1,2,3,4\n5,6,7,8\n", "tri.csv:1: 4 columns; a point is 2 or 3 comma-separated numbers"),
    ("1,2\n3,4,5\n", "tri.csv:2: 3 columns, but the first point has 2"),
    ("1,2\n3,four\n", "tri.csv:2: 'four' is not a number"),
    ("x,y\n1,2\n", "tri.csv:1: 'x' is not a number (header lines are not supported)"),
    ("", "tri.csv: no points in the file"),
    ("\n# nothing\n", "tri.csv: no points in the file"),
    ("1,2\nnan,3\n", "tri.csv:2: coordinates must be finite numbers"),
])
def test_py_malformed_csv(driver, capsys, tmp_path, content, message):
    csv = tmp_path / "tri.csv"
    csv.write_text(content)
    out_png = tmp_path / "out.png"
    code, out, err = run_py(driver, capsys, "--shape", csv, "--plot", out_png)
    assert code == 2 and message in err and out == ""
    assert not out_png.exists()


@pytest.mark.parametrize("args, message", [
    (("--shape", "square"), "unknown shape 'square': use circle, sphere, flame or a CSV"),
    (("--shape", "missing/points.csv"), "missing/points.csv: no such file"),
    (("--n", "0"), "--n 0: the number of points must be at least 1"),
    (("--lr", "-1"), "--lr -1.0: the step size must be a finite number >= 0"),
    (("--dim", "0"), "--dim 0: the dimension of the solution must be at least 1"),
    (("--plot", "out.gif"), "--plot out.gif: the file name must end in .png"),
])
def test_py_bad_input(driver, capsys, tmp_path, args, message):
    out_png = tmp_path / "out.png"
    code, out, err = run_py(driver, capsys, *args, "--loss-plot", out_png)
    assert code == 2 and message in err and out == ""
    assert not out_png.exists()


def test_py_divergence_writes_nothing(driver, capsys, tmp_path):
    png, gif = tmp_path / "p.png", tmp_path / "a.gif"
    code, out, err = run_py(driver, capsys, "--n", "50", "--lr", "0.05", "--iters", "100",
                            "--plot", png, "--animate", gif)
    assert code == 1
    assert "diverged: the loss became inf/nan at iteration" in err and "--lr" in err
    assert list(tmp_path.iterdir()) == []


def test_py_command_line():
    """The script as a user runs it: its own process, no tracebacks."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, str(GD_PY), "--n", "12", "--iters", "50"],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "final loss   NumPy" in r.stdout
    r = subprocess.run([sys.executable, str(GD_PY), "--shape", "hexagon"], capture_output=True,
                       text=True, env=env, timeout=300)
    assert r.returncode == 2 and "gd.py: error: unknown shape 'hexagon'" in r.stderr


@pytest.mark.slow
@pytest.mark.parametrize("kernel", KERNELS)
def test_kernels_match_numpy_on_the_1000_point_logo(gd, kernel):
    p = np.loadtxt(MODULAR_CSV, delimiter=",")
    d = numpy_distances(p)
    lr = gd.step_size(d, 2)
    np.random.seed(42)
    x0 = np.random.rand(1000, 2)
    want = reference(x0, d, lr, 200)
    x = x0.copy()
    assert gd.descend_f64(x, d, lr, 200, kernel) == -1
    assert gd.loss_f64(x, d) == pytest.approx(loss(want, d), rel=1e-9)
    assert np.abs(x - want).max() <= 1e-12

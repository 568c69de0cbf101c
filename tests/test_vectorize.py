"""`vectorize`: the main-loop-plus-tail schedule, metamorphic tests over widths
and lengths (elementwise results identical, reductions close), reference vs
JIT, the IR of a width-8 float64 loop, and the Python kernel spelling."""
from __future__ import annotations

import re
import textwrap

import numpy as np
import pytest

import mojolite
from mojolite.api import dump_stage

MODES = {"ref": dict(reference=True), "O3": dict(opt=3), "O0": dict(opt=0)}
WIDTHS = (1, 2, 4, 8, 16, 32)


def compile_(src: str, mode: str = "O3", **kw):
    return mojolite.compile(textwrap.dedent(src), "t.ml", **{**MODES[mode], **kw})


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("call", ["vectorize[body, 4](n)", "vectorize[body, 4](size=n)",
                                  "vectorize[4, body](n)"])
def test_schedule_main_loop_then_tail(mode, call, capsys):
    """10 elements at width 4: body[4] at 0 and 4, body[1] at 8 and 9 (spec, section 5)."""
    m = compile_(f"""\
        from algorithm import vectorize
        fn run(n: Int):
            @parameter
            fn body[width: Int](i: Int):
                print(width, i)
            {call}
        """, mode)
    m.run(10)
    assert capsys.readouterr().out == "4 0\n4 4\n1 8\n1 9\n"
    for n, want in ((0, ""), (-3, ""), (3, "1 0\n1 1\n1 2\n"), (4, "4 0\n")):
        m.run(n)
        assert capsys.readouterr().out == want


KERNEL = """\
from algorithm import vectorize
from math import sqrt

fn elementwise(a: Float64, x: Tensor[DType.float64], y: Tensor[DType.float64],
               out: Tensor[DType.float64]):
    @parameter
    fn body[width: Int](i: Int):
        var xv = x.load[width=width](i)
        var v = a * xv + y.load[width=width](i)
        out.store[width=width](i, (v > 0.0).select(sqrt(v), -v * xv))
    vectorize[body, W](x.dim(0))

fn dot(x: Tensor[DType.float64], y: Tensor[DType.float64]) -> Float64:
    var acc = SIMD[DType.float64, W](0.0)
    var tail: Float64 = 0.0
    @parameter
    fn body[width: Int](i: Int):
        if width == 1:          # a compile-time constant: each instance keeps one arm
            tail += x[i] * y[i]
        else:
            acc += (x.load[width=width](i) * y.load[width=width](i)).cast[DType.float64]()
    vectorize[body, W](x.dim(0))
    return acc.reduce_add() + tail

fn count(x: Tensor[DType.int32], lim: Int32) -> Int:
    var total = 0
    @parameter
    fn body[width: Int](i: Int):
        var m = x.load[width=width](i) < lim
        total += Int(m.select(SIMD[DType.int32, width](1), 0).reduce_add())
    vectorize[body, W](x.dim(0))
    return total
"""


def _lengths(w: int):
    return sorted({0, 1, max(w - 1, 0), w, w + 1, 97})


@pytest.mark.parametrize("mode", ["ref", "O3"])
def test_metamorphic_widths(mode):
    results = {}
    for w in WIDTHS:
        m = compile_(KERNEL.replace("W]", f"{w}]"), mode)
        for n in _lengths(32) + _lengths(w):
            rng = np.random.default_rng(n)        # the same inputs at every width
            x, y = rng.standard_normal(n), rng.standard_normal(n)
            xi = rng.integers(-50, 50, n).astype(np.int32)
            out = np.zeros(n)
            m.elementwise(1.5, x, y, out)
            v = 1.5 * x + y
            want = np.where(v > 0, np.sqrt(np.maximum(v, 0)), -v * x)
            assert np.array_equal(out, want), (w, n)
            assert m.dot(x, y) == pytest.approx(float(x @ y), rel=1e-12, abs=1e-12)
            assert m.count(xi, 7) == int((xi < 7).sum())
            results.setdefault(n, []).append((w, out.tobytes()))
    for n, per_width in results.items():
        assert len({b for _, b in per_width}) == 1, n


def test_nonuniform_dot_uses_both_vector_and_tail_paths():
    """The `if width == 1` inside the body: only body[1] touches `tail`."""
    m = compile_(KERNEL.replace("W]", "8]"))
    x = np.arange(1.0, 12.0)
    assert m.dot(x, x) == float(x @ x)


def test_reference_and_jit_agree_bitwise_on_sums():
    rng = np.random.default_rng(3)
    x, y = rng.standard_normal(1001), rng.standard_normal(1001)
    src = KERNEL.replace("W]", "16]")
    assert compile_(src, "ref").dot(x, y) == compile_(src, "O3").dot(x, y)


def test_ir_width8_float64_main_loop_and_scalar_tail():
    src = """\
        from algorithm import vectorize
        fn axpy(a: Float64, x: UnsafePointer[Float64], y: UnsafePointer[Float64], n: Int):
            @parameter
            fn body[width: Int](i: Int):
                y.store[width=width](i, a * x.load[width=width](i) + y.load[width=width](i))
            vectorize[body, 8](n)
        """
    text = dump_stage(compile_(src), "opt", "axpy")
    lines = text.splitlines()
    patterns = [r"load <8 x double>", r"fmul <8 x double>", r"load <8 x double>",
                r"fadd <8 x double>", r"store <8 x double>",
                r"load double", r"fmul double", r"load double", r"fadd double",
                r"store double"]
    pos = 0
    for pat in patterns:
        pos = next(k for k in range(pos, len(lines)) if re.search(pat, lines[k])) + 1
    assert not re.search(r'call .*@"?ml\.axpy\.body', text)    # both instances inlined


def _kernel_source() -> str:
    return '''
import mojolite
from mojolite import DType, Float64, Int, Param, Tensor, Alias, parameter, simdwidthof, vectorize

@mojolite.fn
def total(a: Tensor[DType.float64]) -> Float64:
    s: Float64 = 0.0
    W: Alias = simdwidthof[DType.float64]()
    @parameter
    def body(i: Int, width: Param[Int]):
        s += a.load[width](i).reduce_add()
    vectorize[body, W](a.dim(0))
    return s

@mojolite.fn(fastmath=True)
def saxpy(a: Float64, x: Tensor[DType.float64], y: Tensor[DType.float64]):
    @parameter
    def body(i: Int, width: Param[Int]):
        y.store[width](i, a * x.load[width](i) + y.load[width](i))
    vectorize[body, 8](x.dim(0))
'''


def test_python_kernels(tmp_path, monkeypatch):
    path = tmp_path / "simd_kernels.py"
    path.write_text(_kernel_source())
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib
    mod = importlib.import_module("simd_kernels")
    x = np.arange(23.0)
    assert mod.total(x) == x.sum()
    y = np.ones(23)
    mod.saxpy(2.0, x, y)
    assert np.allclose(y, 2 * x + 1)

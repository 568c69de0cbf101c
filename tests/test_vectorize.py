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
                                  "vectorize[4, body](n)", "algorithm.vectorize[body, 4](n)",
                                  "alg.vectorize[body, 4](size=n)",
                                  "vectorize[body, 4, unroll_factor=2](n)",
                                  "vectorize[body, 4, unroll_factor=3](size=n)"])
def test_schedule_main_loop_then_tail(mode, call, capsys):
    """10 elements at width 4: body[4] at 0 and 4, body[1] at 8 and 9 (spec, section 5);
    an unroll factor changes the loops, not the calls."""
    m = compile_(f"""\
        from algorithm import vectorize
        import algorithm
        import algorithm as alg
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


PARAMETER_IF = """\
from algorithm import vectorize

fn kind[w: Int]() -> Int:
    @parameter
    if w == 1:
        return 1
    elif w == 4:
        var v = SIMD[DType.float64, w](1.0)
        return Int(v.reduce_add()) * 10
    else:
        return undefined_name_never_checked(w)

fn main():
    print(kind[1](), kind[4]())
    var total = 0.0
    @parameter
    fn body[width: Int](i: Int):
        @parameter
        if width == 1:
            total += 1.0
        else:
            total += SIMD[DType.float64, width](2.0).reduce_add()
    vectorize[body, 4](10)
    print(total)
"""


@pytest.mark.parametrize("mode", MODES)
def test_parameter_if_keeps_only_the_branch_its_parameters_choose(mode, capsys):
    # kind[8] would reach the `else` branch, which names nothing that exists: it is
    # never instantiated, so it is never checked. vectorize over 10 at width 4:
    # two bodies of 4 lanes (8.0 each) and two scalar ones (1.0 each).
    compile_(PARAMETER_IF, mode).main()
    assert capsys.readouterr().out == "1 40\n18.0\n"


@pytest.mark.parametrize("src, message, where", [
    (PARAMETER_IF.replace("kind[4]())", "kind[8]())"),
     "undefined_name_never_checked", (11, 16)),
    ("fn f(x: Int) -> Int:\n    @parameter\n    if x > 0:\n        return 1\n    return 0\n",
     "not a compile-time constant", (3, 8)),
    ("fn f() -> Int:\n    @always_inline\n    if True:\n        return 1\n    return 0\n",
     "only `@parameter` can decorate an `if`", (2, 5)),
])
def test_parameter_if_errors(src, message, where):
    assert_compile_error(src, message, where)


def assert_compile_error(src: str, message: str, where: tuple[int, int]):
    """`src` fails to compile; its first error says `message` at (line, column)."""
    with pytest.raises(mojolite.CompileError) as info:
        mojolite.compile(src, "t.ml")
    err = info.value.errors[0]
    assert message in err.message, err.message
    assert (err.span.line, err.span.column) == where


PARAMETER_FOR = """\
alias N = 4

fn weighted[n: Int](v: SIMD[DType.float64, n]) -> Float64:
    var s = 0.0
    @parameter
    for i in range(n):
        s += v[i] * Float64(i + 1)
    return s

fn main():
    print(weighted[4](SIMD[DType.float64, 4](1.0, 2.0, 3.0, 4.0)))
    var acc = 0
    @parameter
    for k in range(1, N + 1, 2):
        var sq = k * k
        acc += sq
        for j in range(10):
            if j == k:
                break
            acc += 1
    print(acc)
"""


@pytest.mark.parametrize("mode", MODES)
def test_parameter_for_unrolls_with_the_index_as_a_constant(mode, capsys):
    # weighted: 1*1 + 2*2 + 3*3 + 4*4; acc: k = 1 and 3, each adding k*k and k
    # (the inner loop is a real loop: its `break` is its own).
    compile_(PARAMETER_FOR, mode).main()
    assert capsys.readouterr().out == "30.0\n14\n"


@pytest.mark.parametrize("body, message, where", [
    ("    @parameter\n    for i in range(n):\n        break\n",
     "'break' cannot leave a `@parameter for`", (5, 9)),
    ("    @parameter\n    for i in range(m):\n        pass\n",
     "not a compile-time constant", (4, 20)),
    ("    @parameter\n    for i in range(5000):\n        pass\n",
     "would unroll 5000 copies", (4, 14)),
])
def test_parameter_for_errors(body, message, where):
    assert_compile_error("fn f(m: Int):\n    alias n = 3\n" + body, message, where)

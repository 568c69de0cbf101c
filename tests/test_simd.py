"""SIMD vectors: programs run by the reference mode and the JIT (-O0, -O3) with
identical output, vector math within its ulp bound, IR checks (vector types,
simdwidthof folded, fast-math flags) and the errors of bad SIMD code."""
from __future__ import annotations

import re
import struct
import textwrap

import numpy as np
import pytest

import mojolite
from mojolite import RuntimeFault
from mojolite.api import dump_stage
from mojolite.errors import CompileError
from mojolite.codegen.vecmath import ULP_BOUNDS
from mojolite.target import simd_width
from mojolite.typesys import DType

MODES = {"ref": dict(reference=True), "O3": dict(opt=3), "O0": dict(opt=0)}


def compile_(src: str, mode: str = "O3", **kw):
    return mojolite.compile(textwrap.dedent(src), "t.ml", **{**MODES[mode], **kw})


def outputs(src: str, capsys) -> dict[str, str]:
    out = {}
    for mode in MODES:
        compile_(src, mode).main()
        out[mode] = capsys.readouterr().out
    return out


def same_everywhere(src: str, capsys) -> str:
    out = outputs(src, capsys)
    assert out["O3"] == out["ref"], (out["ref"], out["O3"])
    assert out["O0"] == out["ref"]
    return out["ref"]


def check_ordered(text: str, patterns: list[str]):
    """Each pattern (a regex) matches a line after the previous pattern's line."""
    lines = text.splitlines()
    pos = 0
    for pat in patterns:
        for k in range(pos, len(lines)):
            if re.search(pat, lines[k]):
                pos = k + 1
                break
        else:
            raise AssertionError(f"CHECK not found in order: {pat}\n{text}")


# ------------------------------------------------------------------ programs
def test_arithmetic_comparison_reduction_select(capsys):
    out = same_everywhere("""\
        fn main():
            var a = SIMD[DType.float64, 4](1.0, 2.0, 3.0, 4.0)
            var b = SIMD[DType.float64, 4](0.5)
            var c = a + b * 2.0 - 1
            print(c, c / 3.0, -c)
            print(c > 2.0, c == a)
            print(c.reduce_add(), c.reduce_mul(), c.reduce_min(), c.reduce_max())
            c[2] = 10.0
            c[0] += 5.0
            print(c, c[2])
            print((c > 5.0).select(c, a), (a < 3.0).select(a, 0.0))
            print(c.cast[DType.int32](), c.cast[DType.float32]())
        """, capsys)
    assert out.splitlines()[0] == ("[1.0, 2.0, 3.0, 4.0] [0.3333333333333333, "
                                   "0.6666666666666666, 1.0, 1.3333333333333333] "
                                   "[-1.0, -2.0, -3.0, -4.0]")
    assert out.splitlines()[1] == "[False, False, True, True] [True, True, True, True]"
    assert out.splitlines()[2] == "10.0 24.0 1.0 4.0"
    assert out.splitlines()[3] == "[6.0, 2.0, 10.0, 4.0] 10.0"


def test_scalar_is_a_one_lane_vector(capsys):
    """`Scalar[dt]` is `SIMD[dt, 1]`: `x[0]` reads and writes it, also as the
    width-1 instance of a generic function (a vectorize tail)."""
    out = same_everywhere("""\
        fn first[w: Int](v: SIMD[DType.int32, w]) -> Int32:
            return v[0]
        fn main():
            var s: Scalar[DType.float32] = 2.5
            var f: Float64 = 1.5
            print(s[0], f[0])
            f[0] = 3.0
            f[0] += 0.5
            var k = 0
            s[k] = 4.0
            print(f, s, first(Int32(7)), first(SIMD[DType.int32, 4](9, 8, 7, 6)))
        """, capsys)
    assert out == "2.5 1.5\n3.5 4.0 7 9\n"


def test_int_variables_convert_in_a_vector_constructor(capsys):
    """Mojo's `SIMD.__init__(Int)`: an Int or UInt variable splats into a vector
    of any number dtype, and is a lane of a lane list, converted (wrapping)."""
    out = same_everywhere("""\
        fn main():
            var k = 300
            var u = UInt(7)
            print(SIMD[DType.float32, 4](k), SIMD[DType.int8, 2](k))
            print(SIMD[DType.float64, 4](k, 1, u, k + 1))
        """, capsys)
    assert out == "[300.0, 300.0, 300.0, 300.0] [44, 44]\n[300.0, 1.0, 7.0, 301.0]\n"


def test_integer_lanes_wrap_floor_and_shift(capsys):
    out = same_everywhere("""\
        fn main():
            var v = SIMD[DType.int8, 8](127, -128, 7, -7, 100, 3, 0, -1)
            var d = SIMD[DType.int8, 8](2, 3, -2, 2, 7, -3, 5, 1)
            print(v + 1, v * 2)
            print(v // d, v % d)
            print(v << 1, v >> 2, v >> 9, ~v, -v)
            print(abs(v), max(v, 0), min(v, d))
            var u = SIMD[DType.uint16, 4](0, 1, 65535, 300)
            print(u - 1, u ** 2, (u & 255) | 1, u ^ 3)
            print(v.reduce_add(), v.reduce_max(), u.reduce_min(), u.reduce_mul())
            var f = SIMD[DType.float64, 4](-7.5, 7.5, 0.0, -1.0)
            print(f // 2.0, f % 2.0, f ** 2.0, f ** 3, f ** 0.5, d ** 2, d ** 3, u ** 3)
        """, capsys)
    assert out.splitlines()[0] == ("[-128, -127, 8, -6, 101, 4, 1, 0] "
                                   "[-2, 0, 14, -14, -56, 6, 0, -2]")
    assert out.splitlines()[1] == "[63, -43, -4, -4, 14, -1, 0, -1] [1, 1, -1, 1, 2, 0, 0, 0]"


def test_bool_vectors_and_math(capsys):
    same_everywhere("""\
        from math import sqrt, floor, ceil, fma, isnan, trunc
        fn main():
            var x = SIMD[DType.float32, 8](-2.5, -0.0, 0.0, 1.5, 2.25, 1e30, -1e-30, 9.0)
            print(sqrt(x), abs(x), floor(x), ceil(x), trunc(x))
            print(fma(x, x, 1.0), min(x, 1.0), max(x, 0.0), isnan(sqrt(x)))
            var m = (x > 0.0) & (x < 5.0)
            print(m, m | (x == 9.0), m ^ True, m.reduce_or(), m.reduce_and())
        """, capsys)


def test_vectors_as_params_returns_fields_and_pointer_elements(capsys):
    out = same_everywhere("""\
        @value
        struct Particle:
            var pos: SIMD[DType.float32, 4]
            var vel: SIMD[DType.float32, 4]

        fn step(p: Particle, dt: Float32) -> Particle:
            return Particle(p.pos + p.vel * dt, p.vel)

        fn twice[w: Int](x: SIMD[DType.int64, w]) -> SIMD[DType.int64, w]:
            return x + x

        fn main():
            var p = Particle(SIMD[DType.float32, 4](0.0), SIMD[DType.float32, 4](1, 2, 3, 4))
            p = step(p, 0.5)
            print(p.pos)
            print(twice(SIMD[DType.int64, 2](20, 21)), twice(Int64(4)))
            var q = UnsafePointer[SIMD[DType.float64, 2]].alloc(3)
            q[1] = SIMD[DType.float64, 2](1.5, -1.5)
            print(q[1] * 2.0)
            q.free()
        """, capsys)
    assert out.splitlines() == ["[0.5, 1.0, 1.5, 2.0]", "[40, 42] 8", "[3.0, -3.0]"]


def test_loads_and_stores(capsys):
    out = same_everywhere("""\
        fn main():
            var p = UnsafePointer[Float64].alloc(10)
            for i in range(10):
                p[i] = Float64(i)
            var v = p.load[width=4](3)
            p.store(0, v * 2.0)
            p.store[width=2](8, SIMD[DType.float64, 2](-1.0))
            print(v, p.load[8](1), p[9])
            var t = Tensor[DType.int16](3, 5)
            t.store[width=4](1, 1, SIMD[DType.int16, 4](1, 2, 3, 4))
            t.store[4](2, 0, t.load[width=4](1, 1) * 3)
            print(t.load[width=4](1, 1), t[1, 4], t.load[width=4](2, 0), t[2, 4])
            var b = Tensor[DType.bool](8)
            b.store(0, SIMD[DType.int32, 8](0, 1, 2, 3, 4, 5, 6, 7) % 3 == 0)
            print(b.load[width=8](0), b[3])
            p.free()
        """, capsys)
    assert out.splitlines() == [
        "[3.0, 4.0, 5.0, 6.0] [8.0, 10.0, 12.0, 4.0, 5.0, 6.0, 7.0, -1.0] -1.0",
        "[1, 2, 3, 4] 4 [3, 6, 9, 12] 0",
        "[True, False, False, True, False, False, True, False] True"]


def test_wide_vectors_split_by_llvm(capsys):
    same_everywhere("""\
        fn main():
            var x = SIMD[DType.float32, 64](0.25)
            var y = SIMD[DType.uint8, 64](200)
            print((x * 3.0).reduce_add(), (y + y).reduce_max(), (y + y)[63])
        """, capsys)


def test_tensor_view_with_non_unit_stride():
    """A NumPy view whose last axis is strided takes the lane-by-lane path."""
    src = """\
        fn f(t: Tensor[DType.float64]) -> Float64:
            var v = t.load[width=4](1, 0)
            t.store[width=4](0, 0, v * 10.0)
            return v.reduce_add()
        """
    for mode in MODES:
        base = np.arange(32.0).reshape(2, 16)
        view = base[:, ::2]
        assert compile_(src, mode).f(view) == 16 + 18 + 20 + 22
        assert list(base[0, 0:8:2]) == [160.0, 180.0, 200.0, 220.0]
        assert base[0, 1] == 1.0


# ------------------------------------------------------------------ vector math
VM_FUNCTIONS = ["exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "tanh", "sinh",
                "cosh", "sin", "cos"]


def _ulps(a: float, b: float) -> float:
    if a == b or (a != a and b != b):
        return 0.0
    if a != a or b != b or np.isinf(a) or np.isinf(b):
        return float("inf")
    ia, ib = (struct.unpack("<q", struct.pack("<d", v))[0] for v in (a, b))
    ia = ia if ia >= 0 else -(ia & 0x7FFFFFFFFFFFFFFF)
    ib = ib if ib >= 0 else -(ib & 0x7FFFFFFFFFFFFFFF)
    return float(abs(ia - ib))


@pytest.mark.parametrize("name", VM_FUNCTIONS)
def test_vector_math_agrees_with_reference_within_bound(name):
    """The JIT computes vectors with vecmath, the reference with libm per lane:
    they agree within vecmath's documented bound plus libm's own error (1 ulp);
    special values (inf, nan, signed zeros, overflow) exactly."""
    src = f"""\
        from math import {name}
        fn f(x: Tensor[DType.float64], y: Tensor[DType.float64]):
            for i in range(0, x.dim(0), 8):
                y.store[width=8](i, {name}(x.load[width=8](i)))
        """
    rng = np.random.default_rng(5)
    x = np.concatenate([rng.uniform(-20, 20, 400), rng.uniform(0, 3, 200),
                        [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-310, 700.0, -745.5, 1e6,
                         5e-324, 2.0 ** 40, 1.0, -1.0, 0.5]])
    x = np.concatenate([x, np.zeros((-len(x)) % 8)])
    ref, jit = np.zeros_like(x), np.zeros_like(x)
    compile_(src, "ref").f(x, ref)
    compile_(src, "O3").f(x, jit)
    bound = ULP_BOUNDS[(name, "float64")]
    worst = max(_ulps(a, b) for a, b in zip(ref, jit))
    assert worst <= bound + 1.0 + 0.5, (name, worst)


def test_vector_math_is_not_libm_per_lane():
    text = dump_stage(compile_("""\
        from math import exp, tanh
        fn f(p: UnsafePointer[Float64]):
            p.store(0, exp(p.load[width=8](0)) + tanh(p.load[width=8](8)))
        """), "ll")
    assert '@"mojolite.vm.exp.v8f64"' in text and '@"mojolite.vm.tanh.v8f64"' in text
    assert not re.search(r'call double @"?(exp|tanh)"?\(', text)


# ------------------------------------------------------------------ IR
def test_simdwidthof_is_folded_in_ir():
    src = """\
        from sys import simdwidthof
        alias w = simdwidthof[DType.float64]()
        fn lanes() -> Int:
            return w * 100 + simdwidthof[DType.float32]()
        """
    m = compile_(src)
    expected = simd_width(DType.float64) * 100 + simd_width(DType.float32)
    assert m.lanes() == expected
    text = dump_stage(m, "ll", "lanes")
    check_ordered(text, [rf"i64 {simd_width(DType.float64)}, 100",
                         rf"add i64 %[\".0-9]+, {simd_width(DType.float32)}\b"])


def test_simdwidthof_constant_in_function_ir():
    text = dump_stage(compile_("""\
        from sys import simdwidthof
        fn lanes() -> Int:
            return simdwidthof[DType.float64]()
        """), "ll", "lanes")
    check_ordered(text, [r"define .*@\"ml\.lanes",
                         rf"insertvalue .*i64 {simd_width(DType.float64)}, 0"])


def test_fastmath_sets_flags_only_when_asked():
    src = """\
        fn f(x: SIMD[DType.float64, 8], y: Float64) -> Float64:
            return (x * y + x).reduce_add() + y * y
        fn g(a: Float64) -> Float64:
            return a * a + 1.0
        """
    plain = dump_stage(compile_(src), "ll")
    fast = dump_stage(compile_(src, fastmath=True), "ll")
    assert "reassoc" not in plain
    check_ordered(fast, [r"define .*@\"ml\.f", r"fmul reassoc nsz arcp contract afn <8 x double>",
                         r"fadd reassoc nsz arcp contract afn <8 x double>",
                         r"call (afn |arcp |contract |nsz |reassoc ){5}double "
                         r"@\"llvm\.vector\.reduce\.fadd"])
    assert compile_(src, fastmath=True).g(3.0) == 10.0


# ------------------------------------------------------------------ errors
ERRORS = [
    ("""\
        fn main():
            var a = SIMD[DType.float32, 8](1.0)
            var b = SIMD[DType.float32, 4](1.0)
            var c = a + b
        """, "cannot add SIMD[DType.float32, 8] and SIMD[DType.float32, 4]", 4, 13,
     "lane counts differ (8 vs 4)"),
    ("""\
        fn main():
            var a = SIMD[DType.float32, 6](1.0)
        """, "SIMD width must be a power of two from 1 to 64, not 6", 2, 33, ""),
    ("""\
        fn main():
            var n = 4
            var p = UnsafePointer[Float64].alloc(8)
            var v = p.load[width=n](0)
        """, "a SIMD width must be a compile-time value", 4, 26, "known only at run time"),
    ("""\
        fn main():
            var a = SIMD[DType.float64, 4](1.0)
            if a > 0.0:
                print(a)
        """, "a condition must be Bool, not SIMD[DType.bool, 4]", 3, 8, ""),
    ("""\
        fn main():
            var a = SIMD[DType.float64, 4](1.0)
            var b = SIMD[DType.float32, 4](1.0)
            print(a * b)
        """, "cannot multiply SIMD[DType.float64, 4] and SIMD[DType.float32, 4]", 4, 11,
     "element types differ"),
    ("""\
        fn main():
            var a = SIMD[DType.int32, 4](1, 2, 3)
        """, "SIMD[DType.int32, 4](...) takes one value to splat or 4 lanes, got 3", 2, 13, ""),
    ("""\
        fn main():
            var x = 1.5
            var a = SIMD[DType.float32, 4](x)
        """, "expected Float32 for a lane of SIMD[DType.float32, 4], found Float64", 3, 36,
     "Float32(x)"),
    ("""\
        fn main():
            var k = 1
            var a = SIMD[DType.bool, 4](k)
        """, "expected Bool for a lane of SIMD[DType.bool, 4], found Int", 3, 33, "Bool(k)"),
    ("""\
        fn main():
            var a = SIMD[DType.int32, 4](1)
            print(a[4])
        """, "lane 4 is out of range for SIMD[DType.int32, 4]", 3, 13, ""),
    ("""\
        fn main():
            var f = 1.0
            f[1] = 2.0
        """, "lane 1 is out of range for Float64", 3, 7, "a scalar has one lane, 0"),
    ("""\
        from algorithm import vectorize
        fn main():
            var n = 3
            @parameter
            fn body[w: Int](i: Int):
                pass
            vectorize[body, n](10)
        """, "a SIMD width must be a compile-time value", 7, 21, ""),
    ("""\
        from algorithm import vectorize
        fn main():
            @parameter
            fn body[w: Int](i: Int):
                pass
            vectorize[body, 3](10)
        """, "SIMD width must be a power of two from 1 to 64, not 3", 6, 21, ""),
    ("""\
        from algorithm import vectorize
        fn main():
            @parameter
            fn body[w: Int](i: Int):
                pass
            vectorize[body, 4, unroll_factor=0](10)
        """, "unroll_factor must be at least 1, not 0", 6, 38, ""),
    ("""\
        from algorithm import vectorize
        fn main():
            @parameter
            fn body[w: Int](i: Int):
                pass
            vectorize[body, 4, unroll=2](10)
        """, "vectorize takes a function and a width: `vectorize[body, width](n)`", 6, 5,
     "unroll_factor=k"),
    ("""\
        from algorithm import vectorize
        fn main():
            @parameter
            fn body[w: DType](i: Int):
                pass
            vectorize[body, 4](10)
        """, "'body' must take the width as its one compile-time parameter", 6, 15,
     "fn body[width: Int](i: Int)"),
    ("""\
        from algorithm import vectorize
        fn main():
            @parameter
            fn body[w: Int](i: Int) -> Int:
                return i
            vectorize[body, 4](10)
        """, "'body' must take one Int and return nothing", 6, 15, ""),
]


@pytest.mark.parametrize("src,message,line,col,label", ERRORS,
                         ids=[e[1][:40] for e in ERRORS])
def test_errors(src, message, line, col, label):
    with pytest.raises(CompileError) as info:
        compile_(src)
    first = info.value.errors[0]
    assert first.message == message
    assert (first.span.line, first.span.column) == (line, col)
    text = str(info.value)
    assert f"t.ml:{line}:{col}" in text and "^" in text
    assert label in text
    assert "mojolite/" not in text


def test_vector_if_condition_hint():
    with pytest.raises(CompileError, match="reduce_or"):
        compile_("fn main():\n    var a = SIMD[DType.float64, 4](1.0)\n"
                 "    if a > 0.0:\n        pass\n")


@pytest.mark.parametrize("mode", MODES)
def test_load_past_end_faults_with_index_and_length(mode):
    src = """\
        fn f(t: Tensor[DType.float64], i: Int) -> Float64:
            return t.load[width=8](i).reduce_add()
        fn g(t: Tensor[DType.float64], i: Int):
            t.store[width=4](0, i, SIMD[DType.float64, 4](1.0))
        """
    m = compile_(src, mode)
    assert m.f(np.ones(20), 12) == 8.0
    with pytest.raises(RuntimeFault) as info:
        m.f(np.ones(20), 13)
    assert info.value.message == ("a vector of 8 lanes at index 13 runs past the end of axis 0 "
                                  "with size 20")
    assert (info.value.span.line, info.value.span.column) == (2, 12)
    with pytest.raises(RuntimeFault, match="index 20 is out of bounds for axis 0 with size 20"):
        m.f(np.ones(20), 20)
    with pytest.raises(RuntimeFault, match="at index 3 runs past the end of axis 1 with "
                                           "size 6"):
        m.g(np.ones((2, 6)), 3)


@pytest.mark.parametrize("mode", MODES)
def test_lane_index_out_of_range_at_run_time(mode):
    m = compile_("fn f(i: Int) -> Int64:\n    var v = SIMD[DType.int64, 4](5, 6, 7, 8)\n"
                 "    return v[i]\n", mode)
    assert m.f(3) == 8
    with pytest.raises(RuntimeFault, match="lane index 4 is out of range for a SIMD width of 4"):
        m.f(4)
    m = compile_("fn f(i: Int) -> Float64:\n    var x = 2.5\n    return x[i]\n", mode)
    assert m.f(0) == 2.5
    with pytest.raises(RuntimeFault, match="lane index -1 is out of range for a SIMD width of 1"):
        m.f(-1)


# ------------------------------------------------------------------ differential fuzzing
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_INT_OPS = ["+", "-", "*", "&", "|", "^", "<<", ">>", "//", "%"]
_FLOAT_OPS = ["+", "-", "*", "/", "//", "%"]


@st.composite
def _vector_expr(draw, depth, is_float):
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        leaf = draw(st.sampled_from(["a", "b", "c"]))
        if leaf == "c":
            return f"Float64({draw(st.floats(-4, 4).map(lambda x: round(x, 2)))!r})" \
                if is_float else f"Int32({draw(st.integers(-9, 9))})"
        return leaf
    kind = draw(st.integers(0, 5))
    x = draw(_vector_expr(depth - 1, is_float))
    y = draw(_vector_expr(depth - 1, is_float))
    if kind == 0:
        return f"min({x}, {y})" if draw(st.booleans()) else f"max({x}, {y})"
    if kind == 1:
        cmp = draw(st.sampled_from(["<", "<=", "==", "!=", ">", ">="]))
        return f"(({x}) {cmp} ({y})).select({x}, {y})"
    if kind == 2:
        return f"abs({x})" if not is_float else f"(-({x}))"
    op = draw(st.sampled_from(_FLOAT_OPS if is_float else _INT_OPS))
    return f"(({x}) {op} ({y}))"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ie=_vector_expr(3, False), fe=_vector_expr(3, True))
def test_random_lane_expressions_agree(ie, fe):
    """Random lane-wise expressions: the reference and the JIT (-O0, -O3) print the
    same lanes (integer division by a zero lane faults the same way in all)."""
    src = f"""\
        fn f(x: Int32, y: Float64):
            var a = SIMD[DType.int32, 8](x, -x, 3, -7, 100, 0, 2147483647, -2147483648)
            var b = SIMD[DType.int32, 8](5, x, -2, 7, 31, 33, 1, -1)
            var r = SIMD[DType.int32, 8]({ie})
            print(r, r.reduce_add())
        fn g(y: Float64):
            var a = SIMD[DType.float64, 4](y, -y, 0.5, -0.0)
            var b = SIMD[DType.float64, 4](3.0, y * y, -1.5, 1e300)
            var r = SIMD[DType.float64, 4]({fe})
            print(r, r.reduce_add())
        """
    results = []
    for mode in MODES:
        m = compile_(src, mode)
        got = []
        for call in (lambda: m.f(13, 1.25), lambda: m.g(2.5), lambda: m.g(-0.0)):
            import io
            import contextlib
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                try:
                    call()
                except RuntimeFault as e:
                    print("fault:", e.message)
            got.append(buf.getvalue())
        results.append(got)
    assert results[0] == results[1] == results[2], (ie, fe, results)


def test_cli_fastmath_flag(tmp_path, capsys):
    from mojolite import cli
    path = tmp_path / "fm.ml"
    path.write_text("fn main():\n    var v = SIMD[DType.float64, 4](1.5)\n"
                    "    print((v * 2.0 + 1.0).reduce_add())\n")
    assert cli.main(["run", str(path), "--fastmath"]) == 0
    assert capsys.readouterr().out == "16.0\n"
    assert cli.main(["ir", str(path), "--stage", "ll", "--fastmath"]) == 0
    assert "fmul reassoc nsz arcp contract afn <4 x double>" in capsys.readouterr().out
    assert cli.main(["ir", str(path), "--stage", "ll"]) == 0
    assert "reassoc" not in capsys.readouterr().out


VECTORS_FROM_PYTHON = """\
fn scaled(v: SIMD[DType.float32, 4], k: Float32) -> SIMD[DType.float32, 4]:
    return v * k

fn wide(x: Float64) -> SIMD[DType.float64, 16]:     # 128 bytes: wider than the result slot
    var v = SIMD[DType.float64, 16](x)
    for i in range(16):
        v[i] = x + Float64(i)
    return v

fn above(v: SIMD[DType.int8, 64], t: Int8) -> SIMD[DType.bool, 64]:
    return v > t

fn count(m: SIMD[DType.bool, 8], mut w: SIMD[DType.uint32, 2]) -> Int:
    w = w + 1
    var n = 0
    for i in range(8):
        if m[i]:
            n += Int(w[1])
    return n
"""


@pytest.mark.parametrize("mode", ["ref", "O0", "O3"])
def test_vectors_cross_into_python_as_arrays_of_lanes(mode):
    """A SIMD parameter takes a NumPy array or a sequence of its lanes (or one value for
    every lane); a SIMD result is a NumPy array of its lanes with the vector's dtype."""
    m = compile_(VECTORS_FROM_PYTHON, mode)
    r = m.scaled(np.array([1, 2, 3, 4], np.float32), 0.5)
    assert r.dtype == np.float32 and r.tolist() == [0.5, 1.0, 1.5, 2.0]
    assert m.scaled([1, 2, 3, 4.25], 2).tolist() == [2.0, 4.0, 6.0, 8.5]
    assert m.scaled(0.1, 1).tolist() == [float(np.float32(0.1))] * 4
    for x in (0.5, -1.0):                    # a frame is reused: the second call's lanes
        w = m.wide(x)
        assert w.dtype == np.float64 and w.tolist() == [x + i for i in range(16)]
    v = np.arange(-32, 32, dtype=np.int8)
    mask = m.above(v, 10)
    assert mask.dtype == np.bool_ and mask.tolist() == [x > 10 for x in range(-32, 32)]
    assert m.count([True, False, True, True, False, False, False, True], [7, 20]) == 4 * 21


@pytest.mark.parametrize("mode", ["ref", "O3"])
@pytest.mark.parametrize("arg, message", [
    ([1, 2, 3], r"scaled\(\): parameter 'v' expects SIMD\[DType.float32, 4\] \(4 lanes: a "
                r"sequence or NumPy array of 4 values, or one value for every lane\), got "
                r"list \[1, 2, 3\] \(3 values\)$"),
    (np.zeros((2, 2), np.float32), r", got ndarray of float32 with shape \(2, 2\)$"),
    ([1, 2, "x", 4], r"every lane\): lane 2, got str 'x'$"),
    ("abcd", r"every lane\), got str 'abcd'$"),
    (bytearray(b"abcd"), r"every lane\), got bytearray bytearray\(b'abcd'\)$"),
    ({4.0, 3.0, 2.0, 1.0}, r"every lane\), got set \{"),       # unordered: no lanes
    (dict.fromkeys([1, 2, 3, 4]), r"every lane\), got dict \{1: None"),
])
def test_vector_arguments_are_checked(mode, arg, message):
    m = compile_(VECTORS_FROM_PYTHON, mode)
    with pytest.raises(TypeError, match=message):
        m.scaled(arg, 1.0)
    with pytest.raises(TypeError, match=r"above\(\): parameter 'v' .*: lane 63 \(-128 to 127\), "
                                        r"got int 200: out of range$"):
        m.above([0] * 63 + [200], 0)


def test_index_dtype_vectors(capsys):
    """`DType.index` (and current Mojo's `DType.int`, `DType.uint`): the element
    types of Int and UInt, as SIMD lanes, a Scalar (which is Int) and a Tensor's
    elements; a vector of them is indexed as any vector, an Int is not."""
    src = """\
        fn total[dt: DType](v: SIMD[dt, 4]) -> Scalar[dt]:
            return v.reduce_add()

        fn main():
            var v = SIMD[DType.index, 4](1, 2, 3, 4)
            var i: Int = total(v)
            var s: Scalar[DType.int] = 5
            var k: Int = s + 1
            var u = SIMD[DType.uint, 2](3, 4)
            v[2] = 30
            var t = Tensor[DType.int](3)
            t[1] = 9
            print(v, i, k, v[2] * 2, u, UInt(7) + u[1], t[1] + 1, v.cast[DType.float64]())
            print(Int.MAX == Scalar[DType.index].MAX, DType.int == DType.index)
        """
    assert same_everywhere(src, capsys) == \
        "[1, 2, 30, 4] 10 6 60 [3, 4] 11 10 [1.0, 2.0, 30.0, 4.0]\nTrue True\n"
    with pytest.raises(CompileError, match="Int cannot be indexed"):
        compile_("fn main():\n    var n = 3\n    print(n[0])\n")

"""Differential tests for the newer language features: the reference mode, JIT -O0
and JIT -O3 agree on random well-typed programs with structs (a method and an
operator), SIMD vectors (elementwise arithmetic, shifts, min/max/abs, comparisons, select,
casts, lane reads and writes, reductions at widths 2..16), Tensors indexed in range (1-D and 2-D),
`vectorize` bodies (loads, arithmetic, stores) and `parallelize` bodies that each
write their own element, so every result is deterministic.

The scalar sub-expressions come from the generator of tests/test_differential.py
(every scalar type, literals near the limits, casts, math functions); arguments are
drawn with its bias towards ±0, ±inf, NaN, subnormals, INT_MIN and -1, so
`INT_MIN // -1` and `INT_MIN % -1` turn up in scalars and lanes alike. Vector math
functions (exp, log, ... on SIMD values) are left out: the spec lets them differ
within their ulp bounds; every other float result must agree bit for bit.

Budget: MOJOLITE_FUZZ_CASES (default 50) examples per property and type group (int,
float), so 100 programs per property in CI;
`MOJOLITE_FUZZ_CASES=10000 python -m pytest -q tests/test_differential_features.py`
is the long run. With MOJOLITE_FUZZ_STATS=<file>, each property appends its counts
(programs compared, argument tuples run) as JSON lines to that file.
"""
from __future__ import annotations

import json
import os
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mojolite
from test_differential import (FLOAT_TYPES, INT_TYPES, Gen, Limits, _numbered, _settings,
                               assert_modes_agree, is_float, value_strategy)

CASES = int(os.environ.get("MOJOLITE_FUZZ_CASES", "50"))
SIZED = ("Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64") + FLOAT_TYPES
SCALAR = Limits(depth=2, stmts=3, nest=0, loops=False, helpers=False)
STATS: dict[str, list[int]] = {}


def _record(prop: str, inputs: int):
    n = STATS.setdefault(prop, [0, 0])
    n[0] += 1
    n[1] += inputs
    path = os.environ.get("MOJOLITE_FUZZ_STATS")
    if path and n[0] % 10 == 0:
        with open(path, "a") as f:
            f.write(json.dumps({"property": prop, "programs": n[0], "inputs": n[1]}) + "\n")


def dtype(t: str) -> str:
    return "DType." + t.lower()


class FeatureGen(Gen):
    """Gen with scalar variables declared by hand (names may be `self.x`, `t[i]`)."""

    def __init__(self, draw, t: str):
        super().__init__(draw, t, SCALAR)
        self.callable = set()
        self.returns = False

    def with_vars(self, names: list[str]):
        self.scopes = [{}]
        for n in names:
            self.declare(n, self.t, assignable=False)

    def scalar(self, depth: int = 2) -> str:
        return self.typed(self.expr(self.t, self.draw(st.integers(0, depth))), self.t).text

    def header(self, extra: list[str] = ()) -> list[str]:
        imports = [f"from math import {', '.join(sorted(self.imports))}"] if self.imports else []
        return imports + list(extra)

    # -- SIMD expressions over named vectors of type SIMD[dt, width]
    def vexpr(self, vecs: list[str], width: str, depth: int) -> str:
        t, dt = self.t, dtype(self.t)
        if depth <= 0 or self.chance(25):
            if self.chance(80):
                return self.pick(vecs)
            return f"SIMD[{dt}, {width}]({self.scalar(1)})"
        kinds = ["bin", "bin", "bin", "scalar_rhs", "neg", "select", "cast", "minmax", "abs"]
        kind = self.pick(kinds)
        d = depth - 1
        if kind == "neg":
            return f"(-{self.vexpr(vecs, width, d)})"
        if kind == "abs":
            return f"abs({self.vexpr(vecs, width, d)})"
        if kind == "minmax":
            return (f"{self.pick(['min', 'max'])}({self.vexpr(vecs, width, d)}, "
                    f"{self.vexpr(vecs, width, d)})")
        if kind == "select":
            cmp = self.pick(["<", "<=", ">", ">=", "==", "!="])
            return (f"({self.vexpr(vecs, width, d)} {cmp} {self.vexpr(vecs, width, d)})"
                    f".select({self.vexpr(vecs, width, d)}, {self.vexpr(vecs, width, d)})")
        if kind == "cast":
            u = self.pick(SIZED)
            return f"{self.vexpr(vecs, width, d)}.cast[{dtype(u)}]().cast[{dt}]()"
        if is_float(t):
            op = self.pick(["+", "-", "*", "/"])
        else:
            op = self.pick(["+", "-", "*", "//", "%", "&", "|", "^", "<<", ">>"])
        if kind == "scalar_rhs":
            return f"({self.vexpr(vecs, width, d)} {op} {self.pick(self.vars_of(t))})"
        return f"({self.vexpr(vecs, width, d)} {op} {self.vexpr(vecs, width, d)})"


def reductions(t: str) -> list[str]:
    return ["reduce_add", "reduce_mul", "reduce_min", "reduce_max"]


PARAMS = [("a", False), ("b", False), ("c", False)]


def fn_header(t: str) -> str:
    return f"fn f(a: {t}, b: {t}, c: {t}) raises -> {t}:"


# ------------------------------------------------------------------ generators
def gen_struct(draw, t: str) -> str:
    g = FeatureGen(draw, t)
    g.with_vars(["self.x", "self.y", "k"])
    method = g.scalar()
    g.with_vars(["self.x", "self.y", "o.x", "o.y"])
    add_x, add_y = g.scalar(), g.scalar()
    g.with_vars(["a", "b", "c"])
    p_args = [g.scalar(1), g.scalar(1)]
    q_args = [g.scalar(1), g.scalar(1)]
    k = g.scalar(1)
    lines = g.header() + [
        "@value", "struct P:", f"    var x: {t}", f"    var y: {t}", "",
        f"    fn m(self, k: {t}) -> {t}:", f"        return {method}", "",
        "    fn __add__(self, o: P) -> P:", f"        return P({add_x}, {add_y})", "",
        fn_header(t),
        f"    var p = P({p_args[0]}, {p_args[1]})",
        f"    var q = P({q_args[0]}, {q_args[1]})",
        "    var s = p + q",
        "    print(s.x, s.y, p.m(c))",
        "    q.x = s.m(a)" if g.chance(50) else "    s += p" if g.chance(50) else "    pass",
        "    print(q.x, s.y)",
        f"    return (s + q).m({k})",
    ]
    return "\n".join(lines) + "\n"


def gen_simd(draw, t: str) -> str:
    g = FeatureGen(draw, t)
    g.with_vars(["a", "b", "c"])
    w = g.pick([2, 4, 8, 16])     # SIMD[dt, 1] is the scalar type itself
    dt = dtype(t)
    body = []
    for name in ("x", "y"):
        lanes = [g.pick(["a", "b", "c"]) if g.chance(70) else g.scalar(1) for _ in range(w)]
        body.append(f"    var {name} = SIMD[{dt}, {w}]({', '.join(lanes)})")
    z = g.vexpr(["x", "y"], str(w), 3)
    body.append(f"    var z = {z}")
    body.append("    print(z)")
    cmp = g.pick(["<", "<=", ">", ">=", "==", "!="])
    body.append(f"    print(z {cmp} x, (z {cmp} y).select(x, z))")
    lane = g.draw(st.integers(0, w - 1))
    if g.chance(50):
        body.append(f"    z[{lane}] = {g.scalar(1)}")
    reds = ", ".join(f"z.{r}()" for r in reductions(t))
    body.append(f"    print({reds})")
    red = g.pick(reductions(t))
    body.append(f"    return z[{lane}] + x.{red}()" if g.chance(50) else f"    return z.{red}()")
    return "\n".join(g.header() + [fn_header(t)] + body) + "\n"


def gen_tensor(draw, t: str) -> str:
    g = FeatureGen(draw, t)
    dt = dtype(t)
    n = g.draw(st.integers(1, 12))
    rows, cols = g.draw(st.integers(1, 4)), g.draw(st.integers(1, 4))
    g.with_vars(["a", "b", "c", "ti"])
    fill = g.scalar()
    g.with_vars(["a", "b", "c", "t1[i]", "t1[j]"])
    fill2 = g.scalar()
    g.with_vars(["a", "b", "c", "t1[i]", "t2[r, q]"])
    acc = g.scalar()
    body = [
        fn_header(t),
        f"    var t1 = Tensor[{dt}]({n})",
        f"    var t2 = Tensor[{dt}]({rows}, {cols})",
        f"    for i in range({n}):",
        f"        var ti = {t}(i)",
        f"        t1[i] = {fill}",
        f"    for r in range({rows}):",
        f"        for q in range({cols}):",
        f"            var i = (r * {cols} + q) % {n}",
        f"            var j = (i * 7 + 3) % {n}",
        f"            t2[r, q] = {fill2}",
        f"    var s = t1[{n - 1}]",
        f"    for r in range({rows}):",
        f"        for q in range({cols}):",
        f"            var i = (q * {rows} + r) % {n}",
        f"            s = {acc}" if g.chance(50) else f"            t1[i] = {acc}",
        f"    print(t1[0], t2[{rows - 1}, {cols - 1}], t1.dim(0), t2.dim(1))",
        f"    for i in range({n}):",
        "        print(t1[i])",
        "    return s",
    ]
    return "\n".join(g.header() + body) + "\n"


def gen_vectorize(draw, t: str) -> str:
    g = FeatureGen(draw, t)
    dt = dtype(t)
    n = g.draw(st.integers(0, 37))
    w = g.pick([1, 2, 4, 8, 16])
    g.with_vars(["a", "b", "c", "ti"])
    fx, fy = g.scalar(), g.scalar()
    g.with_vars(["a", "b", "c"])
    v = g.vexpr(["xv", "yv"], "width", 3)
    body = [
        fn_header(t),
        f"    var x = Tensor[{dt}]({n})",
        f"    var y = Tensor[{dt}]({n})",
        f"    var out = Tensor[{dt}]({n})",
        f"    for i in range({n}):",
        f"        var ti = {t}(i)",
        f"        x[i] = {fx}",
        f"        y[i] = {fy}",
        "    @parameter",
        "    fn body[width: Int](i: Int):",
        "        var xv = x.load[width=width](i)",
        "        var yv = y.load[width=width](i)",
        f"        out.store[width=width](i, {v})",
        f"    vectorize[body, {w}]({n})",
        "    var s = a",
        f"    for i in range({n}):",
        "        print(out[i])",
        "        s = out[i]",
        "    return s",
    ]
    return "\n".join(g.header(["from algorithm import vectorize"]) + body) + "\n"


def gen_parallelize(draw, t: str) -> str:
    g = FeatureGen(draw, t)
    dt = dtype(t)
    n = g.draw(st.integers(0, 40))
    g.with_vars(["a", "b", "c", "ti"])
    fx = g.scalar()
    g.with_vars(["a", "b", "c", "ti", "x[i]"])
    fo = g.scalar()
    workers = g.pick(["", ", 1", ", 3", ", 64"])
    body = [
        fn_header(t),
        f"    var x = Tensor[{dt}]({n})",
        f"    var out = Tensor[{dt}]({n})",
        f"    for i in range({n}):",
        f"        var ti = {t}(i)",
        f"        x[i] = {fx}",
        "    @parameter",
        "    fn body(i: Int):",
        f"        var ti = {t}(i)",
        f"        out[i] = {fo}",
        f"    parallelize[body]({n}{workers})",
        "    var s = a",
        f"    for i in range({n}):",
        "        print(out[i])",
        "        s = out[i]",
        "    return s",
    ]
    return "\n".join(g.header(["from algorithm import parallelize"]) + body) + "\n"


GENERATORS = {"struct": gen_struct, "simd": gen_simd, "tensor": gen_tensor,
              "vectorize": gen_vectorize, "parallelize": gen_parallelize}
GROUPS = {"int": ("Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64"),
          "float": FLOAT_TYPES}


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("prop", GENERATORS)
@_settings(CASES)
@given(data=st.data())
def test_feature_programs_agree(prop, group, data, capsys):
    t = data.draw(st.sampled_from(GROUPS[group]), label="type")
    src = data.draw(st.composite(lambda draw: GENERATORS[prop](draw, t))(), label="program")
    values = value_strategy(t)
    inputs = data.draw(st.lists(st.tuples(values, values, values), min_size=2, max_size=4),
                       label="inputs")
    assert_modes_agree(src, [("f", inputs)], capsys)
    _record(f"{prop}-{group}", len(inputs))


# ------------------------------------------------------------------ special inputs
SPECIAL = """\
fn f(a: {t}, b: {t}, c: {t}) raises -> {t}:
    var v = SIMD[{dt}, 4](a, b, c, a)
    var w = SIMD[{dt}, 4](b, b, a, c)
    print(v + w, v - w, v * w)
    print(v < w, v == w, (v > w).select(v, w))
    print(v.reduce_add(), v.reduce_mul(), v.reduce_min(), v.reduce_max())
    return {last}
"""
FLOAT_SPECIAL = [0.0, -0.0, float("inf"), float("-inf"), float("nan"), 5e-324, -5e-324,
                 1e-310, 1.1754943508222875e-38, 1e-45, 1.0, -1.0]


@pytest.mark.parametrize("t", FLOAT_TYPES)
def test_simd_special_float_inputs(t, capsys):
    """±0, ±inf, NaN and subnormals in every lane position: bit-exact everywhere."""
    src = SPECIAL.format(t=t, dt=dtype(t), last="(v / w).reduce_add()")
    rnd = random.Random(10)
    inputs = [(rnd.choice(FLOAT_SPECIAL), rnd.choice(FLOAT_SPECIAL), rnd.choice(FLOAT_SPECIAL))
              for _ in range(40)]
    assert_modes_agree(src, [("f", inputs)], capsys)


@pytest.mark.parametrize("t", ["Int8", "Int16", "Int32", "Int64"])
def test_int_min_by_minus_one_in_lanes_and_scalars(t, capsys):
    """INT_MIN // -1 and INT_MIN % -1 (and by zero) agree in scalars and SIMD lanes."""
    bits = INT_TYPES[t][0]
    lo = -(1 << (bits - 1))
    src = SPECIAL.format(t=t, dt=dtype(t),
                         last="(v // w).reduce_add() + (v % w)[0] + a // b + a % b")
    inputs = [(lo, -1, 1), (lo, -1, lo), (-1, lo, -1), (lo, 1, -1), (7, 0, 1), (lo, lo, lo)]
    assert_modes_agree(src, [("f", inputs)], capsys)


def test_the_feature_generators_write_programs_that_compile():
    """Guards the generators themselves: a sample of each compiles in the reference mode."""
    from hypothesis import Phase, find, settings
    # find()'s explain phase only annotates a failure, and here every example is found:
    # without it, the same simplest program in a tenth of the time, every run.
    quick = settings(max_examples=2000, phases=[p for p in Phase if p is not Phase.explain])
    for prop, gen in GENERATORS.items():
        for t in ("Int8", "UInt64", "Float32", "Float64"):
            src = find(st.composite(lambda draw: gen(draw, t))(), lambda s: True, settings=quick)
            try:
                mojolite.compile(src, "t.ml", reference=True)
            except mojolite.CompileError as e:
                raise AssertionError(f"{prop}/{t}:\n{e}\n{_numbered(src)}") from None


def test_a_wrong_simd_oracle_is_caught(monkeypatch, capsys):
    """Break the reference mode's lane reductions on purpose: the harness goes red."""
    from mojolite import reference_simd
    real = reference_simd.reduce_lanes

    def off_by_one(op, lanes, dt):
        r = real(op, lanes, dt)
        return r + 1 if op == "add" and dt.is_int else r
    monkeypatch.setattr(reference_simd, "reduce_lanes", off_by_one)
    src = SPECIAL.format(t="Int32", dt="DType.int32", last="a")
    with pytest.raises(AssertionError, match="disagree"):
        assert_modes_agree(src, [("f", [(1, 2, 3)])], capsys)


_UCEILDIV = """from math import ceildiv
fn f8(a: UInt8, b: UInt8) -> UInt8:
    return ceildiv(a, b)
fn f64(a: UInt64, b: UInt64) -> UInt64:
    return ceildiv(a, b)
fn v16(a: UInt16, b: UInt16) -> UInt16:
    var v = ceildiv(SIMD[DType.uint16, 4](a, a, b, 1), SIMD[DType.uint16, 4](b, 1, a, b))
    return v.reduce_max()
"""


@pytest.mark.parametrize("options", [dict(reference=True), dict(opt=0), dict(opt=3)])
def test_unsigned_ceildiv_rounds_up_without_overflow(options):
    m = mojolite.compile(_UCEILDIV, "u.ml", **options)
    for a in range(256):
        for b in (1, 2, 3, 7, 128, 255):
            assert m.f8(a, b) == -(-a // b)
    top = 2 ** 64 - 1
    for a, b in [(top, 1), (top, 2), (top, top), (top - 1, top), (0, top), (2 ** 63 + 1, 2)]:
        assert m.f64(a, b) == -(-a // b)
    assert m.v16(65535, 2) == 65535 and m.v16(7, 65535) == 9363   # 65535 / 7, up
    with pytest.raises(mojolite.RuntimeFault, match="integer division by zero"):
        m.f8(3, 0)
    with pytest.raises(mojolite.RuntimeFault, match="integer division by zero"):
        m.v16(3, 0)

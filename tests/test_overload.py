"""Overloaded functions and methods beyond the program corpus (tests/programs/
overload_*.ml): called from Python, named in the dumps and the IR, and kept
apart in the disk cache."""
import re

import numpy as np
import pytest

import mojolite
from mojolite.api import dump_stage

PROGRAM = """\
fn f(x: Int) -> Int:
    return x * 2

fn f(x: Float64) -> Float64:
    return x / 2

fn g(a: Int) -> Int:
    return a

fn g(a: Int, b: Int) -> Int:
    return a + b

fn both() -> Float64:
    return Float64(f(3)) + f(3.0)
"""


@pytest.mark.parametrize("reference", [True, False])
def test_python_picks_the_overload_by_the_argument_types(reference):
    m = mojolite.compile(PROGRAM, "o.ml", reference=reference)
    assert m.f(1.5) == 0.75 and type(m.f(1.5)) is float
    assert m.f(2) == 4 and type(m.f(2)) is int
    assert m.f(np.float64(3.0)) == 1.5
    assert m.f(np.int64(3)) == 6
    assert m.g(3) == 3 and m.g(3, 4) == 7 and m.g(a=3, b=5) == 8
    assert m.both() == 7.5
    with pytest.raises(TypeError, match=r"f\(\) is overloaded, and no overload takes \(str\): "
                                        r"the candidates are fn f\(x: Int\) -> Int; "
                                        r"fn f\(x: Float64\) -> Float64"):
        m.f("x")
    with pytest.raises(TypeError, match=r"no overload takes \(int, int, int\)"):
        m.g(1, 2, 3)


@pytest.mark.parametrize("reference", [True, False])
def test_python_reports_a_tie_between_overloads(reference):
    m = mojolite.compile("fn h(a: Int, b: Float64) -> Int:\n    return 1\n\n"
                         "fn h(a: Float64, b: Int) -> Int:\n    return 2\n",
                         "t.ml", reference=reference)
    assert m.h(1, 2.0) == 1 and m.h(1.0, 2) == 2
    with pytest.raises(TypeError, match=r"h\(\) is overloaded, and \(int, int\) fits "
                                        r"fn h\(a: Int, b: Float64\) -> Int; "
                                        r"fn h\(a: Float64, b: Int\) -> Int equally well"):
        m.h(1, 2)


def test_overloads_have_distinct_names_in_the_dumps_and_unique_symbols():
    m = mojolite.compile(PROGRAM, "o.ml")
    typed = dump_stage(m, "typed", "f")
    assert "fn f(x: Int) -> Int  [ml.f(Int)]" in typed
    assert "fn f(x: Float64) -> Float64  [ml.f(Float64)]" in typed
    ir = dump_stage(m, "ll", "g")
    assert '@"ml.g(Int)"(' in ir and '@"ml.g(Int, Int)"(' in ir
    symbols = [f.symbol for f in m.program.functions]
    assert len(symbols) == len(set(symbols))
    module = str(m.full().lowered().module)
    defined = re.findall(r'^define .*?@("[^"]*"|[\w.]+)\(', module, re.M)
    assert len(defined) == 10 and len(set(defined)) == 10


def test_a_method_overload_symbol_names_its_parameter_types():
    m = mojolite.compile("struct P:\n    var x: Int\n"
                         "    fn __init__(out self, x: Int):\n        self.x = x\n"
                         "    fn __init__(out self, x: Float64):\n        self.x = Int(x)\n"
                         "    fn get(self) -> Int:\n        return self.x\n\n"
                         "fn main():\n    print(P(1).get() + P(2.5).get())\n", "p.ml")
    symbols = {f.symbol for f in m.program.functions}
    assert {"ml.P.__init__(Int)", "ml.P.__init__(Float64)", "ml.P.get"} <= symbols


def test_overloads_are_cached_apart(tmp_path, monkeypatch):
    monkeypatch.setenv("MOJOLITE_CACHE", "1")
    monkeypatch.setenv("MOJOLITE_CACHE_DIR", str(tmp_path / "c"))
    first = mojolite.compile(PROGRAM, "o.ml")
    assert (first.f(2), first.f(2.0), first.both()) == (4, 1.0, 7.5)
    again = mojolite.compile(PROGRAM, "o.ml")
    assert type(again).__name__ == "CachedModule"
    assert (again.f(2), again.f(2.0), again.g(1, 2), again.both()) == (4, 1.0, 3, 7.5)

"""`@mojolite.struct`: structs written as Python classes, used by kernels.

Each test writes a .py module of structs and kernels, imports it, and runs the
kernels in the JIT and in the reference mode (which must agree)."""
from __future__ import annotations

import importlib.util
import itertools
import textwrap

import pytest

import mojolite

_counter = itertools.count()

HEADER = """\
from __future__ import annotations
import math
import mojolite
from mojolite import (Bool, DType, Float32, Float64, Int, Mut, Out, Param, Scalar, Self,
                      UnsafePointer)
"""


def load_py(tmp_path, text: str, reference: bool, monkeypatch):
    monkeypatch.setenv("MOJOLITE_REFERENCE", "1" if reference else "0")
    monkeypatch.setenv("MOJOLITE_CACHE", "0")
    name = f"structs_{next(_counter)}"
    path = tmp_path / f"{name}.py"
    path.write_text(HEADER + textwrap.dedent(text))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


POINT = """
@mojolite.struct
class Point:
    \"\"\"A point in the plane.\"\"\"
    x: Float64
    y: Float64

    def __init__(self, x: Float64, y: Float64):
        self.x = x
        self.y = y

    def norm(self) -> Float64:
        return math.sqrt(self.x * self.x + self.y * self.y)

    def scale(self: Mut, k: Float64):
        self.x *= k
        self.y *= k

    @staticmethod
    def origin() -> Point:
        return Point(0.0, 0.0)

    def __add__(self, other: Point) -> Point:
        return Point(self.x + other.x, self.y + other.y)

    def __sub__(self, other: Self) -> Self:
        return Point(self.x - other.x, self.y - other.y)

    def __mul__(self, k: Float64) -> Point:
        return Point(self.x * k, self.y * k)

    def __rmul__(self, k: Float64) -> Point:
        return Point(self.x * k, self.y * k)

    def __neg__(self) -> Point:
        return Point(-self.x, -self.y)

    def __iadd__(self: Mut, other: Point):
        self.x += other.x
        self.y += other.y

    def __eq__(self, other: Point) -> Bool:
        return self.x == other.x and self.y == other.y

    def __getitem__(self, i: Int) -> Float64:
        return self.x if i == 0 else self.y
"""


@pytest.mark.parametrize("reference", [False, True])
def test_methods_operators_and_struct_locals(tmp_path, monkeypatch, reference):
    m = load_py(tmp_path, POINT + """
@mojolite.fn
def run(a: Float64, b: Float64) -> Float64:
    p = Point(a, b)
    q = Point.origin()
    q += p                      # __iadd__ on a mut self
    q.scale(2.0)                # (2a, 2b)
    r = q - p                   # (a, b)
    s = 2.0 * r + (-p) * 0.5    # __rmul__, __neg__, __mul__: (1.5a, 1.5b)
    copy = s                    # a value: the copy does not follow s
    s.scale(0.0)
    if r == p and not (s == copy):
        return copy.norm() + copy[0] * 100.0 + copy[1] * 10000.0
    return -1.0
""", reference, monkeypatch)
    assert m.run(3.0, 4.0) == pytest.approx(7.5 + 450.0 + 60000.0)


@pytest.mark.parametrize("reference", [False, True])
def test_structs_pass_between_kernels_and_methods_call_kernels(tmp_path, monkeypatch,
                                                               reference):
    m = load_py(tmp_path, POINT + """
@mojolite.fn
def square(v: Float64) -> Float64:
    return v * v

@mojolite.struct
class Segment:
    a: Point
    b: Point

    def length2(self) -> Float64:
        return square(self.b.x - self.a.x) + square(self.b.y - self.a.y)

@mojolite.fn
def midpoint(s: Segment) -> Point:
    return (s.a + s.b) * 0.5

@mojolite.fn
def stretch(p: Mut[Point], k: Float64):
    p.scale(k)

@mojolite.fn
def run(x: Float64) -> Float64:
    seg = Segment(Point(0.0, 0.0), Point(x, 2.0 * x))     # field-wise __init__
    mid = midpoint(seg)
    stretch(mid, 4.0)
    return seg.length2() + mid.x + mid.y * 10.0
""", reference, monkeypatch)
    assert m.run(1.0) == 5.0 + 2.0 + 40.0
    assert m.midpoint.__name__ == "midpoint"
    with pytest.raises(TypeError, match=r"midpoint\(\): parameter 's' expects Segment, a struct, "
                                        r"which cannot be passed from Python"):
        m.midpoint(1.0)


@pytest.mark.parametrize("reference", [False, True])
def test_generic_struct_with_param_fields_and_explicit_out_self(tmp_path, monkeypatch,
                                                                reference):
    m = load_py(tmp_path, """
@mojolite.struct
class Buffer:
    dtype: Param[DType]
    size: Param[Int] = 4
    data: UnsafePointer[Scalar[dtype]]

    def __init__(self: Out, fill: Scalar[dtype]):
        self.data = UnsafePointer[Scalar[dtype]].alloc(size)
        for i in range(size):
            self.data[i] = fill

    def __getitem__(self, i: Int) -> Scalar[dtype]:
        return self.data[i]

    def __setitem__(self, i: Int, v: Scalar[dtype]):
        self.data[i] = v

    def __len__(self) -> Int:
        return size

    def total(self) -> Scalar[dtype]:
        acc: Scalar[dtype] = 0
        for i in range(size):
            acc += self.data[i]
        return acc

    def release(self):
        self.data.free()

@mojolite.fn
def run(x: Float32) -> Float64:
    b = Buffer[DType.float32, 3](x)
    b[1] = 10.0
    c = Buffer[DType.float64](0.5)
    out = Float64(b.total()) + c.total() + Float64(len(b) * 1000 + len(c) * 100)
    b.release()
    c.release()
    return out
""", reference, monkeypatch)
    assert m.run(1.5) == 1.5 + 10.0 + 1.5 + 2.0 + 3400.0


def test_struct_defined_inside_a_function_and_quoted_annotations(tmp_path, monkeypatch):
    path = tmp_path / "nested_structs.py"
    path.write_text(textwrap.dedent("""\
        import mojolite
        from mojolite import Float64, Int

        def make():
            @mojolite.struct
            class Counter:
                n: Int

                def bumped(self, k: Int) -> "Counter":
                    return Counter(self.n + k)

            @mojolite.fn
            def count(k: Int) -> Int:
                c = Counter(1)
                return c.bumped(k).bumped(k).n
            return count
        """))
    spec = importlib.util.spec_from_file_location("nested_structs", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setenv("MOJOLITE_CACHE", "0")
    assert module.make()(5) == 11


def test_errors_in_a_struct_point_into_its_file(tmp_path, monkeypatch):
    m = load_py(tmp_path, """
@mojolite.struct
class Bad:
    x: Float64

    def twice(self) -> Int:
        return self.x * 2

@mojolite.fn
def run() -> Int:
    return Bad(1.0).twice()
""", False, monkeypatch)
    with pytest.raises(mojolite.CompileError) as info:
        m.run()
    text = str(info.value)
    lines = open(m.__file__).read().splitlines()
    line = next(i for i, s in enumerate(lines, 1) if "return self.x * 2" in s)
    col = lines[line - 1].index("self.x * 2") + 1
    assert f"{m.__file__}:{line}:{col}" in text and "expected Int, found Float64" in text


def test_python_side_misuse_is_a_clear_type_error(tmp_path, monkeypatch):
    m = load_py(tmp_path, POINT, False, monkeypatch)
    with pytest.raises(TypeError, match="Point is a mojolite struct: build it inside an "
                                        "@mojolite.fn kernel"):
        m.Point(1.0, 2.0)
    with pytest.raises(TypeError, match="@mojolite.struct needs a class, got function"):
        mojolite.struct(lambda: 0)
    with pytest.raises(TypeError, match="already a mojolite struct"):
        mojolite.struct(m.Point)
    assert repr(m.Point).startswith("<mojolite struct Point")
    # A kernel returning a struct to Python: refused after the arguments are checked.
    m2 = load_py(tmp_path, POINT + """
@mojolite.fn
def make(x: Float64) -> Point:
    return Point(x, x)
""", True, monkeypatch)
    with pytest.raises(TypeError, match=r"make\(\) returns Point, a struct, which cannot be "
                                        r"returned to Python"):
        m2.make(1.0)
    with pytest.raises(TypeError, match=r"make\(\): parameter 'x' expects Float64"):
        m2.make("a")


def test_a_struct_of_a_loaded_module_is_named_as_a_struct():
    """`m.Vec2` on a module whose program defines `struct Vec2` says it is a
    struct Python cannot build, not that the module has no such function."""
    m = mojolite.compile("struct Vec2:\n    var x: Float64\n\n"
                         "fn norm1(x: Float64) -> Float64:\n    return abs(x)\n", "v.ml")
    assert not hasattr(m, "Vec2") and m.norm1(-2.0) == 2.0
    with pytest.raises(AttributeError, match="'Vec2' is a struct of this mojolite module, "
                                             "not a function"):
        m.Vec2
    with pytest.raises(AttributeError, match="has no function 'Vec3'"):
        m.Vec3

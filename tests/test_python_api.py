"""The Python surface with scalars: `@mojolite.fn`, its spellings, errors and options.

Kernels live in small .py files written to tmp_path and imported, so that the
tests control (and can assert) the exact line and column of every error.
Tensor arguments and results are in test_python_tensors.py.
"""
from __future__ import annotations

import inspect
import importlib.util
import itertools
import math
import os
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

import mojolite
from mojolite import CompileError, RuntimeFault

_counter = itertools.count()


def load_py(tmp_path, text: str, name: str | None = None, header: bool = True):
    """Write HEADER and `text` (dedented) to a .py file in tmp_path and import it."""
    name = name or f"kernels_{next(_counter)}"
    path = tmp_path / f"{name}.py"
    path.write_text((HEADER.lstrip("\n") if header else "") + textwrap.dedent(text))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def line_col(module, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """1-based line and column of `needle` in the module's file."""
    lines = open(module.__file__).read().splitlines()
    hits = [(i + 1, line.index(needle) + 1) for i, line in enumerate(lines) if needle in line]
    return hits[occurrence]


HEADER = """
import math
import mojolite
from mojolite import (Bool, DType, Float32, Float64, Int, Int8, Int32, Int64, Mut, Param,
                      UInt8, UInt64, Alias, SIMD, Tensor)
"""


# ------------------------------------------------------------------ import and markers
def test_import_and_decorating_stay_light(tmp_path):
    path = tmp_path / "k.py"
    path.write_text(HEADER + "\n@mojolite.fn\ndef f(x: Float64) -> Float64:\n    return x\n")
    code = (f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import k; "
            "heavy = [m for m in ('lark', 'llvmlite', 'numpy') if m in sys.modules]; "
            "print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=str(tmp_path), env={"PYTHONPATH": str(_root())})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_import_mojolite_imports_neither_pathlib_nor_threading(tmp_path):
    # docs/cache.md's start-up row; -S: without `site`, which may import both itself
    path = tmp_path / "k.py"
    path.write_text(HEADER + "\n@mojolite.fn\ndef f(x: Float64) -> Float64:\n    return x\n")
    code = (f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import k; "
            "print([m for m in ('pathlib', 'threading') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True,
                         cwd=str(tmp_path), env={"PYTHONPATH": str(_root())})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def _root():
    from pathlib import Path
    return Path(mojolite.__file__).resolve().parent.parent


def test_markers_print_as_the_language_spells_them():
    from mojolite import DType, Int, List, Mut, Param, SIMD, Scalar, Tensor, UnsafePointer
    assert repr(SIMD[DType.float32, 8]) == "SIMD[DType.float32, 8]"
    assert repr(Tensor[DType.float64]) == "Tensor[DType.float64]"
    assert repr(Scalar[DType.int8]) == "Scalar[DType.int8]"
    assert repr(UnsafePointer[mojolite.Float64]) == "UnsafePointer[Float64]"
    assert repr(List[Int]) == "List[Int]"
    assert repr(Mut[Int]) == "Mut[Int]" and repr(Param[DType]) == "Param[DType]"
    assert repr(DType.bool) == "DType.bool" and repr(mojolite.UInt64) == "UInt64"
    with pytest.raises(TypeError, match="mojolite name"):
        mojolite.vectorize(1)
    with pytest.raises(TypeError, match="not a mojolite type parameter"):
        SIMD["x", 4]


# ------------------------------------------------------------------ scalar kernels
def test_scalar_kernels_convert_arguments_and_results(tmp_path):
    m = load_py(tmp_path, """
        @mojolite.fn
        def add(a: Float64, b: Float64) -> Float64:
            return a + b

        @mojolite.fn
        def mix(a: Int8, b: UInt64, c: Bool, d: Float32 = 0.1) -> Float32:
            if c:
                return Float32(a) + d
            return Float32(b) - d

        @mojolite.fn
        def wrap(a: Int8) -> Int8:
            return a + 1

        @mojolite.fn
        def nothing(a: Int):
            pass
        """)
    assert m.add(1.0, 2.5) == 3.5
    assert m.add(1, 2) == 3.0 and type(m.add(1, 2)) is float
    assert m.add(b=2.0, a=1.0) == 3.0
    import numpy as np
    assert m.add(np.float64(1.5), np.int32(2)) == 3.5
    f32 = float(np.float32(0.1))
    assert m.mix(3, 0, True) == float(np.float32(3.0) + np.float32(0.1))
    assert m.mix(3, 2**64 - 1, False, 0.5) == float(np.float32(2.0**64) - np.float32(0.5))
    assert f32 != 0.1
    assert m.wrap(127) == -128
    assert m.nothing(1) is None


def test_argument_errors_name_function_parameter_expected_and_given(tmp_path):
    m = load_py(tmp_path, """
        @mojolite.fn
        def f(a: Int32, b: Float64, c: Bool) -> Int:
            return 1
        """)
    assert m.f(1, 2.0, True) == 1
    cases = [
        ((2**31, 1.0, True), r"f\(\): parameter 'a' expects Int32 \(-2147483648 to 2147483647\), "
                             r"got int 2147483648: out of range"),
        (("x", 1.0, True), r"f\(\): parameter 'a' expects Int32, got str 'x'"),
        ((True, 1.0, True), r"f\(\): parameter 'a' expects Int32, got bool True"),
        ((1.5, 1.0, True), r"f\(\): parameter 'a' expects Int32, got float 1.5"),
        ((1, "2", True), r"f\(\): parameter 'b' expects Float64, got str '2'"),
        ((1, True, True), r"f\(\): parameter 'b' expects Float64, got bool True"),
        ((1, 2.0, 1), r"f\(\): parameter 'c' expects Bool, got int 1"),
        ((1, 10**400, True), r"f\(\): parameter 'b' expects Float64, got int .*too large"),
        # A NumPy bool is a bool (as for Int), and an array's own refusal to become a
        # float is the parameter's TypeError, not NumPy's bare one.
        ((1, np.bool_(True), True), r"f\(\): parameter 'b' expects Float64, got bool np.True_"),
        ((1, np.array([1.0, 2.0]), True),
         r"f\(\): parameter 'b' expects Float64, got ndarray of float64 with shape \(2,\)"),
        # So is a 0-d bool array (it gave 1.0 for the Float64).
        ((1, np.array(True), True),
         r"f\(\): parameter 'b' expects Float64, got ndarray of bool with shape \(\)"),
        ((np.array(False), 1.0, True),
         r"f\(\): parameter 'a' expects Int32, got ndarray of bool with shape \(\)"),
    ]
    for args, message in cases:
        with pytest.raises(TypeError, match=message):
            m.f(*args)
    assert m.f(np.array(2), np.array(2.5), np.array(True)) == 1     # 0-d arrays of each kind
    # Too few: the missing parameters by name, as Python says it.
    with pytest.raises(TypeError, match=r"^f\(\) missing 1 required positional argument: 'c'$"):
        m.f(1, 2.0)
    with pytest.raises(TypeError, match=r"^f\(\) missing 2 required positional arguments: 'b' and 'c'$"):
        m.f(1)
    with pytest.raises(TypeError, match=r"^f\(\) missing 3 required positional arguments: 'a', 'b', and 'c'$"):
        m.f()
    with pytest.raises(TypeError, match=r"^f\(\) missing 2 required positional arguments: 'a' and 'c'$"):
        m.f(b=1.0)
    with pytest.raises(TypeError, match=r"f\(\) takes 3 arguments, but 4 were given"):
        m.f(1, 2.0, True, 4)
    with pytest.raises(TypeError, match=r"f\(\) got an unexpected keyword argument 'd'"):
        m.f(1, 2.0, d=True)
    with pytest.raises(TypeError, match=r"f\(\) got multiple values for argument 'a'"):
        m.f(1, 2.0, a=True)
    with pytest.raises(TypeError, match=r"f\(\) missing 1 required positional argument: 'b'"):
        m.f(1, c=True)
    assert m.f(c=False, b=1.0, a=3) == 1
    assert m.f(1, 2.0, True) == 1       # still callable after the errors


def test_int_range_is_checked_for_every_width(tmp_path):
    m = load_py(tmp_path, """
        @mojolite.fn
        def u8(a: UInt8) -> UInt8:
            return a

        @mojolite.fn
        def i64(a: Int64) -> Int64:
            return a

        @mojolite.fn
        def u64(a: UInt64) -> UInt64:
            return a
        """)
    assert m.u8(255) == 255 and m.i64(-2**63) == -2**63 and m.u64(2**64 - 1) == 2**64 - 1
    for f, bad in ((m.u8, 256), (m.u8, -1), (m.i64, 2**63), (m.u64, -1), (m.u64, 2**64)):
        with pytest.raises(TypeError, match="out of range"):
            f(bad)


def test_ints_past_pythons_4300_digits_are_user_errors(tmp_path):
    # found by fuzzing: repr() of such an int raises ValueError, which reached the user
    m = load_py(tmp_path, """
        N = 10 ** 5000

        @mojolite.fn
        def f(a: Int8, v: SIMD[DType.int32, 2]) -> Int:
            return 1

        @mojolite.fn
        def g() -> Int:
            return N

        @mojolite.fn
        def h(x: Int, k: Param[Int] = 2) -> Int:
            return x * k
        """)
    with pytest.raises(TypeError, match=r"expects Int8 \(-128 to 127\), got int of 16610 bits: "
                                        r"out of range"):
        m.f(10 ** 5000, [1, 2])
    with pytest.raises(TypeError, match=r"lane 1 \(-2147483648 to 2147483647\), got int of 16610 bits"):
        m.f(1, [1, 10 ** 5000])
    # At the kernel's use of the global and at the parameter, not in the made-up text
    # spelling the value (`alias N = 0x...`, thousands of digits in the message).
    (line, col), (pline, pcol) = line_col(m, "return N"), line_col(m, "k: Param")
    for call, where in ((m.g, (line, col + 7)), (lambda: m.h[-10 ** 5000](1), (pline, pcol))):
        with pytest.raises(CompileError, match="integer literal is too large") as info:
            call()
        span = info.value.errors[0].span
        assert (span.source.name, span.line, span.column) == (m.__file__, *where)
        assert "an int of 16610 bits" in str(info.value) and len(str(info.value)) < 400
    # Up to 2**4096 it is a literal, too large for the Int: its digits are abbreviated,
    # there and in an argument's TypeError (all 1234 of them were in the messages).
    with pytest.raises(CompileError, match=r"^error: integer literal 1044388881\.\.\.3154190336 "
                                           r"\(1234 digits\) does not fit in Int\n") as info:
        m.h[2 ** 4096](1)
    assert len(str(info.value)) < 400
    with pytest.raises(TypeError, match=r"^f\(\): parameter 'a' expects Int8 \(-128 to 127\), "
                                        r"got int -1000000000\.\.\.0000000000 \(1001 digits\): "
                                        r"out of range$"):
        m.f(-10 ** 1000, [1, 2])


# ------------------------------------------------------------------ bad decorations
def test_kernel_without_source_points_to_compile():
    ns = {"mojolite": mojolite}
    exec("@mojolite.fn\ndef z(a: mojolite.Int) -> mojolite.Int:\n    return a\n", ns)
    with pytest.raises(CompileError) as info:
        ns["z"](1)
    text = str(info.value)
    assert "cannot read the source of kernel 'z'" in text
    assert "mojolite.compile" in text and "exec()" in text


def test_lambda_and_methods_are_refused_at_decoration():
    with pytest.raises(TypeError, match="lambda"):
        mojolite.fn(lambda x: x)
    with pytest.raises(TypeError, match="method C.m"):
        class C:
            @mojolite.fn
            def m(self, x: mojolite.Int) -> mojolite.Int:
                return x
    with pytest.raises(TypeError, match="method"):
        class D:
            @mojolite.fn
            def m(x: mojolite.Int) -> mojolite.Int:        # no self, still in a class
                return x

    def local():
        class E:
            @mojolite.fn
            def m(self, x: mojolite.Int) -> mojolite.Int:
                return x
    with pytest.raises(TypeError, match="method"):
        local()
    with pytest.raises(TypeError, match="method"):
        mojolite.fn(staticmethod(lambda: 1))
    with pytest.raises(TypeError, match="needs a Python function"):
        mojolite.fn(print)


@pytest.mark.parametrize("opt", [4, -1, "3", 2.0, True])
def test_opt_outside_0_to_3_is_refused_at_once(opt):
    # docs/python.md: `opt` is LLVM's level, 0 to 3; not a silent level or an internal error
    with pytest.raises(ValueError, match=r"opt is the optimisation level, 0 to 3, got"):
        mojolite.fn(opt=opt)
    with pytest.raises(ValueError, match=r"opt is the optimisation level, 0 to 3, got"):
        mojolite.compile("fn f() -> Int:\n    return 1\n", opt=opt)


# ------------------------------------------------------------------ compile errors in .py files
def test_compile_error_reports_the_python_file_line_and_column(tmp_path):
    m = load_py(tmp_path, """
        def outer():
            @mojolite.fn(
                opt=1,
            )
            def bad(a: Int, b: Float64) -> Float64:
                return a + b
            return bad
        """)
    with pytest.raises(CompileError) as info:
        m.outer()(1, 2.0)
    line, col = line_col(m, "a + b")
    text = str(info.value)
    assert f"{m.__file__}:{line}:{col}" in text
    assert f" {line} |         return a + b\n" in text
    assert "\n" + " " * len(str(line)) + "  |" + " " * col + "^^^^^ Int + Float64" in text
    assert "cannot add Int and Float64" in text


def test_grammar_error_in_a_kernel_points_into_the_file(tmp_path):
    m = load_py(tmp_path, """
        @mojolite.fn
        def comp(a: Int) -> Int:
            return [x for x in a]
        """)
    with pytest.raises(CompileError) as info:
        m.comp(1)
    line, col = line_col(m, "for x in a")
    assert f"{m.__file__}:{line}:{col}" in str(info.value)


def test_compile_errors_in_a_called_kernel_point_into_its_own_file(tmp_path):
    lib = load_py(tmp_path, """
        @mojolite.fn
        def helper(a: Int) -> Int:
            return a + 1.5
        """, name="lib_helper")
    sys.modules["lib_helper"] = lib
    try:
        m = load_py(tmp_path, """
            from lib_helper import helper

            @mojolite.fn
            def main(a: Int) -> Int:
                return helper(a)
            """)
        with pytest.raises(CompileError) as info:
            m.main(1)
    finally:
        del sys.modules["lib_helper"]
    line, col = line_col(lib, "1.5")
    assert f"{lib.__file__}:{line}:{col}" in str(info.value)


def test_unusable_globals_are_named(tmp_path):
    m = load_py(tmp_path, """
        import numpy as np
        TABLE = np.zeros(3)

        def plain(x):
            return x

        @mojolite.fn
        def uses_array(i: Int) -> Float64:
            return TABLE[i]

        @mojolite.fn
        def uses_function(i: Int) -> Int:
            return plain(i)
        """)
    with pytest.raises(CompileError) as info:
        m.uses_array(0)
    line, col = line_col(m, "TABLE[i]")
    text = str(info.value)
    assert "the kernel uses the Python global 'TABLE', which is a numpy.ndarray" in text
    assert f"{m.__file__}:{line}:{col}" in text and "pass 'TABLE' to the kernel" in text
    with pytest.raises(CompileError, match="Python function plain .*not a kernel"):
        m.uses_function(0)


def test_unusable_closure_variables_are_not_called_globals(tmp_path):
    m = load_py(tmp_path, """
        import numpy as np

        def make():
            table = np.zeros(3)

            @mojolite.fn
            def uses_array(i: Int) -> Float64:
                return table[i]
            return uses_array

        def make_struct():
            table = np.zeros(3)

            @mojolite.struct
            class Holder:
                x: Float64

                def get(self, i: Int) -> Float64:
                    return table[i]

            @mojolite.fn
            def uses_holder(i: Int) -> Float64:
                return Holder(1.0).get(i)
            return uses_holder
        """)
    for kernel in (m.make(), m.make_struct()):
        with pytest.raises(CompileError) as info:
            kernel(0)
        text = str(info.value)
        assert "the kernel uses the Python variable 'table' of an enclosing function, " \
               "which is a numpy.ndarray" in text, text
        line, col = line_col(m, "table[i]", 0 if kernel.__name__ == "uses_array" else 1)
        assert f"{m.__file__}:{line}:{col}" in text and "pass 'table' to the kernel" in text


# ------------------------------------------------------------------ names a kernel may use
def test_kernels_call_kernels_and_use_module_constants(tmp_path):
    m = load_py(tmp_path, """
        from math import sqrt
        from math import floor as fl
        from mojolite import Float64 as F

        N = 10
        SCALE = 2.5
        NEG = -3
        ON = True
        BIG = 1e300
        VEC = SIMD[DType.float32, 4]
        DT = DType.int32

        @mojolite.fn
        def square(x: F) -> F:
            return x * x

        @mojolite.fn
        def hyp(a: F, b: F) -> F:
            return sqrt(square(a) + square(b))

        @mojolite.fn
        def consts(x: Int) -> F:
            s = 0.0
            for i in range(N):
                s += Float64(i)
            if ON:
                s += Float64(NEG)
            return s * SCALE + fl(1.5) + math.pi * 0.0 + Float64(x) + BIG * 0.0

        @mojolite.fn
        def fact(n: Int) -> Int:
            return 1 if n <= 1 else n * fact(n - 1)

        @mojolite.fn
        def even(n: Int) -> Bool:
            return True if n == 0 else odd(n - 1)

        @mojolite.fn
        def odd(n: Int) -> Bool:
            return False if n == 0 else even(n - 1)

        @mojolite.fn
        def types(x: Float32) -> Int:
            v: VEC = VEC(x)
            y: Scalar[DT] = 7
            return Int(y)
        """.replace("Scalar[DT]", "mojolite.Scalar[DT]"))
    assert m.hyp(3.0, 4.0) == 5.0
    assert m.consts(1) == (45.0 - 3.0) * 2.5 + 1.0 + 1.0
    assert m.fact(10) == 3628800
    assert m.even(10) is True and m.odd(7) is True
    ir = m.consts.ir("ast")
    assert "AliasDef name='N'" in ir and "ImportFrom" in ir


def test_types_and_simd_spellings(tmp_path):
    m = load_py(tmp_path, """
        VEC = SIMD[DType.float32, 4]

        @mojolite.fn
        def lanes(x: Float32) -> Float32:
            v: VEC = VEC(x)
            return v.reduce_add()

        @mojolite.fn
        def doubled(v: VEC) -> VEC:
            return v + v
        """)
    assert m.lanes(1.5) == 6.0
    out = m.doubled([1, 2, 3, 4.5])
    assert out.dtype == np.float32 and out.tolist() == [2.0, 4.0, 6.0, 9.0]


def test_same_names_from_different_modules_do_not_clash(tmp_path):
    a = load_py(tmp_path, """
        K = 1

        @mojolite.fn
        def value() -> Int:
            return K
        """, name="clash_a")
    sys.modules["clash_a"] = a
    try:
        b = load_py(tmp_path, """
            import clash_a
            K = 100
            other = clash_a.value

            @mojolite.fn
            def value() -> Int:
                return K + other()
            """)
        assert b.value() == 101
        assert a.value() == 1
    finally:
        del sys.modules["clash_a"]


def test_names_read_through_python_modules(tmp_path):
    lib = load_py(tmp_path, """
        SCALE = 0.5
        F = Float64

        @mojolite.fn
        def triple(x: Float64) -> Float64:
            return 3.0 * x

        @mojolite.struct
        class Pair:
            a: Float64
            b: Float64
        """, name="attr_lib")
    sys.modules["attr_lib"] = lib
    try:
        m = load_py(tmp_path, """
            import numpy as np
            import attr_lib
            import attr_lib as L

            @mojolite.fn
            def f(x: attr_lib.F) -> Float64:
                p = L.Pair(attr_lib.triple(x), np.pi)
                return p.a * L.SCALE + p.b

            @mojolite.fn
            def missing(x: Float64) -> Float64:
                return attr_lib.trple(x)

            @mojolite.fn
            def ufunc(x: Float64) -> Float64:
                return np.sqrt(x)
            """)
        assert m.f(2.0) == 3.0 + math.pi
        with pytest.raises(CompileError) as info:
            m.missing(1.0)
        line, col = line_col(m, "attr_lib.trple")
        assert "module 'attr_lib' has no attribute 'trple'" in str(info.value)
        assert f"{m.__file__}:{line}:{col}" in str(info.value)
        with pytest.raises(CompileError) as info:
            m.ufunc(1.0)
        assert "the kernel uses the Python global 'np.sqrt', which is a numpy.ufunc" \
            in str(info.value)
        assert "use the language's `math.sqrt`" in str(info.value)
    finally:
        del sys.modules["attr_lib"]


@pytest.mark.parametrize("body, needle, message, hint", [
    ("def k(x: float) -> Float64:\n    return x\n", "float)", "unknown name 'float'",
     "the type is `Float64` (or `Float32`); convert with `Float64(x)`"),
    ("def k(x: Float64) -> Int:\n    return int(x)\n", "int(x)", "unknown name 'int'",
     "convert with `Int(x)`"),
    ("def k(x: Int) -> tuple[Int, Int]:\n    return x, x\n", "tuple[",
     "'tuple[Int, Int]' is not a type", "the type is `Tuple[Int, Float64]`"),
    ("def k(x: Int) -> Int:\n    raise ValueError(\"no\")\n", "ValueError",
     "unknown name 'ValueError'", "raise `Error(\"message\")`: the language has one error type"),
    ("def k(x: Int) -> Int:\n    assert x > 0\n    return x\n", "assert",
     "'assert' is not supported", "`if not (x > 0): raise Error("),
    ("def k(a: Tensor[DType.float64]) -> Int:\n    return a.shape[0]\n", "a.shape",
     "Tensor[DType.float64] has no attribute 'shape'", "the size of axis k is `t.dim(k)`"),
    ("def k(a: Tensor[DType.float64]) -> Int:\n    return a.ndim\n", "a.ndim",
     "Tensor[DType.float64] has no attribute 'ndim'", "the number of axes is `t.rank()`"),
])
def test_python_habits_are_answered_with_the_languages_spelling(tmp_path, body, needle,
                                                                message, hint):
    m = load_py(tmp_path, "@mojolite.fn\n" + body)
    with pytest.raises(CompileError) as info:
        m.k(np.zeros(2) if "Tensor" in body else 1)
    text = str(info.value)
    line, col = line_col(m, needle)
    assert f"error: {message}" in text and f"{m.__file__}:{line}:{col}" in text, text
    assert hint in text.partition("= help: ")[2], text


def test_catching_a_python_exception_class_is_one_error(tmp_path):
    m = load_py(tmp_path, """
        @mojolite.fn
        def k(x: Float64) -> Float64:
            try:
                if x < 0.0:
                    raise Error("negative")
                return x
            except ValueError as e:
                return -1.0
        """)
    with pytest.raises(CompileError) as info:
        m.k(1.0)
    text = str(info.value)
    line, col = line_col(m, "ValueError")
    assert text.startswith("error: only `Error` can be caught"), text
    assert f"{m.__file__}:{line}:{col}" in text
    assert "reach its end" not in text and text.count("error:") == 1, text


@pytest.mark.parametrize("name", ["ValueError", "Exception", "ZeroDivisionError", "KeyError"])
def test_except_a_python_exception_class_without_as_is_an_error(tmp_path, name):
    # Was Mojo's `except e:`, binding every error to a variable named ValueError.
    m = load_py(tmp_path, f"""
        @mojolite.fn
        def k(x: Float64) -> Float64:
            try:
                if x < 0.0:
                    raise Error("negative")
                return x
            except {name}:
                return -1.0
        """)
    with pytest.raises(CompileError) as info:
        m.k(1.0)
    text = str(info.value)
    line, col = line_col(m, f"except {name}:")
    assert text.startswith("error: only `Error` can be caught"), text
    assert f"{m.__file__}:{line}:{col + len('except ')}" in text
    assert "write `except e:`" in text and text.count("error:") == 1, text
    # In a .ml file, as in Mojo, the name is the caught error's.
    src = (f"fn k(x: Float64) raises -> String:\n    try:\n        raise Error('no')\n"
           f"    except {name}:\n        return String({name})\n")
    assert mojolite.compile(src).k(1.0) == "no"


def test_mojolite_attribute_spellings(tmp_path):
    m = load_py(tmp_path, header=False, text="""
        import mojolite as ml

        @ml.fn
        def f(x: ml.Float64, n: ml.Mut[ml.Int]) -> ml.Float64:
            return x * ml.Float64(n)
        """)
    assert m.f(1.5, 2) == 3.0
    assert m.f.signature == "fn f(x: Float64, mut n: Int) raises -> Float64"


def test_standard_names_under_the_package(tmp_path):
    m = load_py(tmp_path, header=False, text="""
        import mojolite
        import mojolite as ml
        from mojolite import Int, Param, parameter

        @mojolite.fn
        def widths(n: Int) -> Int:
            s = 0
            @parameter
            def body(i: Int, w: Param[Int]):
                s += w
            ml.vectorize[body, 4](n)
            t = ml.Tensor[ml.DType.int64](n)
            @parameter
            def one(i: Int):
                t[i] = 1
            mojolite.parallelize[one](n)
            for i in range(n):
                s += Int(t[i]) * 100
            return s + ml.simdwidthof[ml.DType.int8]() * 0
        """)
    assert m.widths(10) == 10 + 1000


def test_simd_width_of_is_current_mojos_simdwidthof(tmp_path):
    m = load_py(tmp_path, header=False, text="""
        from mojolite import DType, Int, fn, simd_width_of, simdwidthof

        @fn
        def widths() -> Int:
            return simd_width_of[DType.float32]() * 100 + simdwidthof[DType.float32]()
        """)
    w = m.widths() % 100
    assert w >= 1 and m.widths() == w * 101


def test_unimported_standard_names_advise_python_imports(tmp_path):
    m = load_py(tmp_path, header=False, text="""
        import mojolite
        from mojolite import Float64, Int, Param, parameter

        @mojolite.fn
        def f(n: Int) -> Int:
            @parameter
            def body(i: Int, w: Param[Int]):
                pass
            vectorize[body, 4](n)
            seed(3)
            x = rsqrt(2.0)
            y = sqrt(2.0)
            z = random.random_float64()
            return now()
        """)
    with pytest.raises(CompileError) as info:
        m.f(1)
    assert [e.hint for e in info.value.errors] == [
        "add `from mojolite import vectorize` at the top of the file",
        "add `from mojolite import seed` at the top of the file",
        "add `import math` at the top of the file and write `math.rsqrt`",
        "add `from math import sqrt` at the top of the file",
        "add `import mojolite` at the top of the file and write `mojolite.NAME` for "
        "`random.NAME`",
        "add `from mojolite import now` at the top of the file"]


def test_advice_on_declarations_and_conventions_is_spelt_in_python(tmp_path):
    m = load_py(tmp_path, """
        from mojolite import List

        @mojolite.struct
        class P:
            x: Int

            def bump(self):
                self.x += 1

        @mojolite.fn
        def takes(a: Mut[List[Int]], b: List[Int]):
            pass

        @mojolite.fn
        def f(x: Int, c: Bool, l: List[Int]) -> Int:
            x = 2
            y: Int
            if c:
                y = 1
            l.append(1)
            k = List[Int]()
            takes(k, k)
            p = P(1)
            p.bump()
            return y
        """)
    with pytest.raises(CompileError) as info:
        m.f(1, True)
    assert [e.hint for e in info.value.errors] == [
        "copy it first (`x2 = x`) or declare it `x: Owned[Int]`",
        "declare the argument `l: Mut[List[Int]]`",
        "copy it first: `k2 = k`",
        "give it a value first, e.g. `y: Int = 0`",
        "declare the method `def ...(self: Mut, ...)`"]


def test_advice_on_parallel_and_vectorize_bodies_is_spelt_in_python(tmp_path):
    m = load_py(tmp_path, """
        from mojolite import parallelize, parameter, vectorize

        @mojolite.fn
        def unmarked(n: Int):
            def row(i: Int):
                pass
            parallelize[row](n)

        @mojolite.fn
        def takes_float(n: Int):
            @parameter
            def row(x: Float64):
                pass
            parallelize[row](n)

        @mojolite.fn
        def no_width(n: Int):
            @parameter
            def body(i: Int):
                pass
            vectorize[body, 4](n)
        """)
    hints = []
    for kernel in (m.unmarked, m.takes_float, m.no_width):
        with pytest.raises(CompileError) as info:
            kernel(1)
        hints.append(info.value.errors[0].hint)
    assert hints == ["write `@parameter` on the line above `def row(i: Int)`",
                     "declare it `def row(i: Int):`",
                     "declare it `def body(i: Int, width: Param[Int])`"]


def test_non_finite_constants(tmp_path):
    m = load_py(tmp_path, """
        POS = float("inf")
        NEG = float("-inf")
        NAN = float("nan")

        @mojolite.fn
        def f(i: Int) -> Float64:
            if i == 0:
                return POS
            if i == 1:
                return NEG
            return NAN
        """)
    assert m.f(0) == math.inf and m.f(1) == -math.inf and math.isnan(m.f(2))


# ------------------------------------------------------------------ Python spellings
def test_mut_parameters(tmp_path):
    m = load_py(tmp_path, """
        from mojolite import Inout, Owned

        @mojolite.fn
        def bump(x: Mut[Int], by: Int = 1):
            x += by

        @mojolite.fn
        def twice(x: Inout[Int]):
            bump(x)
            bump(x, 10)

        @mojolite.fn
        def run(a: Int) -> Int:
            y = a
            twice(y)
            return y

        @mojolite.fn
        def consume(x: Owned[Int]) -> Int:
            x += 1
            return x
        """)
    assert m.run(5) == 16
    assert m.bump(1) is None            # from Python a mut scalar is a copy
    assert m.bump.signature == "fn bump(mut x: Int, by: Int = 1) raises"
    assert m.consume(1) == 2


def test_param_annotations_become_compile_time_parameters(tmp_path):
    from mojolite import syntax as S
    from mojolite.kernel import compile_unit
    m = load_py(tmp_path, """
        from mojolite import parameter, vectorize

        @mojolite.fn
        def scale(x: Float64, k: Param[Int] = 2) -> Float64:
            return x * Float64(k)

        @mojolite.fn
        def body_user(n: Int) -> Int:
            total: Int = 0
            @parameter
            def body(i: Int, width: Param[Int]):
                pass
            vectorize[body, 4](n)
            return total
        """)
    tree = compile_unit(m.scale).tree
    (fn,) = [s for s in tree.body if isinstance(s, S.FnDef)]
    assert [p.name for p in fn.params] == ["x"]
    assert [(p.name, p.type.id) for p in fn.ct_params] == [("k", "Int")]
    assert isinstance(fn.ct_params[0].default, S.IntLit)
    assert m.scale(1.5) == 3.0 and m.scale[4](1.5) == 6.0
    assert m.scale[4].signature == "fn scale[4](x: Float64) raises -> Float64"
    assert m.scale[4] is m.scale[4]
    tree = compile_unit(m.body_user).tree
    imports = [s for s in tree.body if isinstance(s, S.ImportFrom)]
    assert imports and imports[0].module == "algorithm"
    (fn,) = [s for s in tree.body if isinstance(s, S.FnDef)]
    body = [s for s in fn.body if isinstance(s, S.FnDef)][0]
    assert [p.name for p in body.params] == ["i"]
    assert [p.name for p in body.ct_params] == ["width"]
    assert body.decorators[0].name == "parameter"


def test_closures_may_declare_nonlocal(tmp_path):
    """A Python programmer's closure says `nonlocal s` before changing `s`: accepted
    (closures capture by reference either way), also in a vectorize body."""
    m = load_py(tmp_path, """
        from mojolite import vectorize

        @mojolite.fn
        def vsum(a: Tensor[DType.float64]) -> Float64:
            s = 0.0
            calls = 0
            @parameter
            def body(i: Int, width: Param[Int]):
                nonlocal s, calls
                s += a.load[width](i).reduce_add()
                calls += 1
            vectorize[body, 4](a.dim(0))
            return s + Float64(calls) * 1000.0

        @mojolite.fn
        def counter(n: Int) -> Int:
            c = 0
            def bump():
                nonlocal c
                c += 1
            for _ in range(n):
                bump()
            return c
        """)
    assert m.vsum(np.arange(11.0)) == 55.0 + 5000.0
    assert m.counter(7) == 7


def test_generic_kernels_from_python(tmp_path):
    m = load_py(tmp_path, header=False, text="""
        from __future__ import annotations     # annotations that name compile-time parameters
        import mojolite
        from mojolite import DType, Float64, Int, Param, Scalar

        @mojolite.fn
        def times(x: Scalar[dt], dt: Param[DType], k: Param[Int] = 3) -> Scalar[dt]:
            return x * Scalar[dt](k)

        @mojolite.fn
        def needs(x: Float64, k: Param[Int]) -> Float64:
            return x * Float64(k)

        @mojolite.fn
        def caller(x: Float64) -> Float64:
            return needs[2](x) + times[DType.float64, 10](x)

        @mojolite.fn
        def plain(x: Float64) -> Float64:
            return x
        """)
    from mojolite import DType
    assert m.times[DType.float32](1.5) == 4.5
    assert m.times[DType.int8, 100](2) == -56                  # Int8 arithmetic wraps
    assert m.times[DType.int8, 100].signature == \
        "fn times[DType.int8, 100](x: Int8) raises -> Int8"
    assert m.caller(1.0) == 12.0 and m.needs[3](2.0) == 6.0
    with pytest.raises(CompileError) as info:
        m.needs(1.0)
    line, col = line_col(m, "k: Param[Int])")
    assert f"{m.__file__}:{line}:{col}" in str(info.value)
    assert "called from Python without its compile-time parameter k" in str(info.value)
    with pytest.raises(CompileError, match="'plain' has no compile-time parameters"):
        m.plain[3](1.0)
    # An instance's argument errors name the kernel (not the entry synthesised for it).
    with pytest.raises(TypeError, match=r"^times\(\): parameter 'x' expects Int8 \(-128 to "
                                        r"127\), got int 300: out of range$"):
        m.times[DType.int8](300)
    with pytest.raises(TypeError, match=r"^times\(\) got an unexpected keyword argument 'y'$"):
        m.times[DType.float64](y=1.0)


@pytest.mark.parametrize("reference", [False, True])
def test_named_results_are_what_python_calls_return(tmp_path, monkeypatch, reference):
    """Mojo's `out r: T` (a kernel's `r: Out[T]`) is the result: not a parameter."""
    monkeypatch.setenv("MOJOLITE_REFERENCE", "1" if reference else "0")
    monkeypatch.setenv("MOJOLITE_CACHE", "0")
    m = load_py(tmp_path, header=False, text="""
        from __future__ import annotations
        import mojolite
        from mojolite import DType, Int, Out, Param, Scalar

        @mojolite.fn
        def incr(a: Int, b: Out[Int]):
            b = a + 1

        @mojolite.fn
        def times(x: Scalar[dt], y: Out[Scalar[dt]], dt: Param[DType]):
            y = x * 2
        """)
    assert m.incr(3) == 4 and m.incr(a=4) == 5
    assert str(inspect.signature(m.incr)) == "(a: 'Int') -> 'Int'"
    assert m.incr.signature == "fn incr(a: Int, out b: Int) raises"
    assert m.times.signature == "fn times[dt: DType](x: Scalar[dt], out y: Scalar[dt]) raises"
    assert m.times[mojolite.DType.int8].signature == \
        "fn times[DType.int8](x: Int8, out y: Int8) raises"
    assert m.times[mojolite.DType.int8](100) == -56 and m.times(1.5) == 3.0
    assert list(inspect.signature(m.times[mojolite.DType.float32]).parameters) == ["x", "dt"]
    with pytest.raises(TypeError, match=r"incr\(\) takes 1 argument, but 2 were given"):
        m.incr(1, 2)
    src = mojolite.compile("""
fn incr(a: Int, out b: Int):
    b = a + 1
fn evens(n: Int, out l: List[Int]):
    l = List[Int]()
    for i in range(0, n, 2):
        l.append(i)
fn twice[dt: DType](x: Scalar[dt], out y: Scalar[dt]):
    y = x * 2
""", reference=reference)
    assert src.incr(3) == 4 and src.evens(5) == [0, 2, 4] and src.twice(2.5) == 5.0
    assert list(inspect.signature(src.incr).parameters) == ["a"]


@pytest.mark.parametrize("cached", [False, True])
def test_signature_text_shows_a_named_result_as_written(tmp_path, monkeypatch, cached):
    """`fn incr(a: Int, out b: Int)` was shown as `fn incr(a: Int) -> Int`: the
    named result is shown where it is written (also from the disk cache, and in
    the candidates an overloaded call lists)."""
    monkeypatch.setenv("MOJOLITE_CACHE", "1" if cached else "0")
    monkeypatch.setenv("MOJOLITE_CACHE_DIR", str(tmp_path / "c"))
    for _ in range(2):          # the second from the disk cache (where it is on)
        m = load_py(tmp_path, name="named_result_text", text="""
            from mojolite import Out

            @mojolite.fn
            def first(r: Out[Float64], x: Float64, y: Float64 = 2.0):
                r = x * y

            @mojolite.fn
            def kw(a: Int, r: Out[Int], *, k: Int = 2):
                r = a * k
            """)
        assert m.first.signature == "fn first(out r: Float64, x: Float64, y: Float64 = 2.0) raises"
        assert m.kw.signature == "fn kw(a: Int, out r: Int, *, k: Int = 2) raises"
        assert m.first(1.5) == 3.0 and m.kw(3, k=3) == 9
    src = mojolite.compile("fn f(a: Int, out b: Int):\n    b = a\n"
                           "fn f(a: Float64, out b: Float64):\n    b = a\n")
    with pytest.raises(TypeError, match=r"the candidates are fn f\(a: Int, out b: Int\); "
                                        r"fn f\(a: Float64, out b: Float64\)$"):
        src.f("x")


@pytest.mark.parametrize("reference", [False, True])
def test_positional_only_parameters_from_python(tmp_path, monkeypatch, reference):
    """Before a `/`, by position only: a keyword is Python's TypeError."""
    monkeypatch.setenv("MOJOLITE_REFERENCE", "1" if reference else "0")
    monkeypatch.setenv("MOJOLITE_CACHE", "0")
    m = load_py(tmp_path, header=False, text="""
        from __future__ import annotations
        import mojolite
        from mojolite import DType, Int, Param, Scalar

        @mojolite.fn
        def m(a: Int, b: Int, /, c: Int = 0) -> Int:
            return a * 10 + b + c

        @mojolite.fn
        def times(x: Scalar[dt], /, dt: Param[DType], k: Int = 2) -> Scalar[dt]:
            return x * Scalar[dt](k)
        """)
    src = mojolite.compile("fn m(a: Int, b: Int, /, c: Int = 0) -> Int:\n"
                           "    return a * 10 + b + c\n", reference=reference)
    P = inspect.Parameter
    for f in (m.m, src.m):
        assert f(1, 2) == 12 and f(1, 2, c=3) == 15
        assert [p.kind for p in inspect.signature(f).parameters.values()] == \
            [P.POSITIONAL_ONLY, P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD]
        with pytest.raises(TypeError, match=r"^m\(\) got some positional-only arguments "
                                            r"passed as keyword arguments: 'a, b'$"):
            f(a=1, b=2)
    assert m.m.signature == "fn m(a: Int, b: Int, /, c: Int = 0) raises -> Int"
    assert m.times(1.5) == 3.0 and m.times(2.5, k=3) == 7.5
    assert m.times.signature == "fn times[dt: DType](x: Scalar[dt], /, k: Int = 2) raises " \
                                "-> Scalar[dt]"
    with pytest.raises(TypeError, match="positional-only arguments passed as keyword "
                                        "arguments: 'x'"):
        m.times[mojolite.DType.float64](x=1.5)


def test_generic_kernels_infer_their_parameters_from_python_arguments(tmp_path):
    m = load_py(tmp_path, header=False, text="""
        from __future__ import annotations
        import math
        import mojolite
        from mojolite import DType, Int, Param, Scalar, SIMD, Tensor

        @mojolite.fn
        def gsum(a: Tensor[dt], dt: Param[DType]) -> Scalar[dt]:
            s = Scalar[dt](0)
            for i in range(a.dim(0)):
                s += a[i]
            return s

        @mojolite.fn
        def scale(a: Tensor[dt], k: Scalar[dt], dt: Param[DType]) -> Scalar[dt]:
            return a[0] * k

        @mojolite.fn
        def hsum(v: SIMD[dt, w], dt: Param[DType], w: Param[Int]) -> Scalar[dt]:
            return v.reduce_add()

        @mojolite.fn
        def pick(a: Tensor[dt], k: Param[Int], dt: Param[DType]) -> Scalar[dt]:
            return a[k]

        @mojolite.fn
        def times(x: Scalar[dt], dt: Param[DType], k: Param[Int] = 3) -> Scalar[dt]:
            return x * Scalar[dt](k)

        @mojolite.fn
        def root(a: Tensor[dt], dt: Param[DType]) -> Scalar[dt]:
            return math.sqrt(a[0])

        @mojolite.fn(reference=True)
        def rsum(a: Tensor[dt], dt: Param[DType]) -> Scalar[dt]:
            return gsum(a)

        @mojolite.fn
        def two(x: Scalar[dt], y: Scalar[dt], dt: Param[DType]) -> Scalar[dt]:
            return x + y
        """)
    from mojolite import DType
    x = np.arange(4.0)
    assert m.gsum(x) == 6.0 and m.gsum(a=x) == 6.0 and m.rsum(x) == 6.0
    assert m.gsum(np.arange(5, dtype=np.int8)) == 10
    # The instance inferred is the one given in brackets: compiled once, cached alike.
    assert set(m.gsum._instances) == {"DType.float64", "DType.int8"}
    assert m.gsum[DType.float32](x.astype(np.float32)) == 6.0
    assert m.gsum[DType.float64].signature == "fn gsum[DType.float64](a: Tensor[DType.float64]) " \
        "raises -> Float64"
    # A Python number gives a DType only where nothing else does.
    assert m.scale(x.astype(np.float32) + 1, 2.5) == 2.5
    assert m.times(1.5) == 4.5 and m.times(np.int8(100)) == 44 and m.times(2) == 6
    assert m.two(2, 1.5) == 3.5 and m.two(np.float32(2), 1.5) == 3.5   # as Python promotes
    assert m.hsum(np.arange(4, dtype=np.int32)) == 6 and m.hsum([1.5, 2.5]) == 4.0
    assert m.pick[2](x) == 2.0                    # k given, dt inferred
    for call, message in [
            (lambda: m.scale(x, np.float32(2)),
             r"^scale\(\): compile-time parameter 'dt' is ambiguous: DType.float64 from argument "
             r"'a' \(ndarray of float64 with shape \(4,\)\) and DType.float32 from argument 'k'"),
            (lambda: m.gsum([1.0]), r"^gsum\(\): cannot infer compile-time parameter 'dt' from "
                                    r"argument 'a' \(list \[1.0\]\)"),
            (lambda: m.gsum(), r"^gsum\(\) missing 1 required positional argument: 'a'$"),
            (lambda: m.root(np.arange(3, dtype=np.int8)),
             r"^root\(\): the arguments give compile-time parameter 'dt' as DType.int8, and "
             r"root\[DType.int8\] does not compile:\nerror: sqrt\(\) needs a floating-point"),
            (lambda: m.gsum(2.5), r"^gsum\(\): parameter 'a' expects Tensor\[DType.float64\]")]:
        with pytest.raises(TypeError, match=message):
            call()
    assert m.root(np.array([9.0])) == 3.0


@pytest.mark.parametrize("reference", [False, True])
def test_a_generic_kernel_shows_its_generic_signature_and_asks_for_an_instance_ir(
        tmp_path, monkeypatch, reference):
    # Both said "'gsum' is called from Python without its compile-time parameter dt".
    monkeypatch.setenv("MOJOLITE_REFERENCE", "1" if reference else "0")
    m = load_py(tmp_path, header=False, text="""
        from __future__ import annotations
        import mojolite
        from mojolite import DType, Float64, Int, Mut, Param, Scalar, Tensor

        @mojolite.fn
        def gsum(a: Tensor[dt], dt: Param[DType]) -> Scalar[dt]:
            s = Scalar[dt](0)
            for i in range(a.dim(0)):
                s += a[i]
            return s

        @mojolite.fn
        def times(x: Scalar[dt], mut_: Mut[Int], dt: Param[DType], k: Param[Int] = 3, *,
                  lo: Float64 = -0.5) -> Scalar[dt]:
            return x * Scalar[dt](k)

        @mojolite.fn
        def fl(x: Float64, f: Param[Float64]) -> Float64:
            return x * f
        """)
    from mojolite import DType
    want = "fn gsum[dt: DType](a: Tensor[dt]) raises -> Scalar[dt]"
    assert m.gsum.signature == want
    assert m.times.signature == "fn times[dt: DType, k: Int = 3](x: Scalar[dt], mut mut_: " \
        "Int, *, lo: Float64 = -0.5) raises -> Scalar[dt]"
    for call, hint in [(lambda: m.gsum.ir(), "gsum[DType.float64].ir()"),
                       (lambda: m.gsum.asm(), "gsum[DType.float64].asm()"),
                       (lambda: m.fl.ir("typed"), "fl[1.0].ir()")]:
        with pytest.raises(TypeError) as info:
            call()
        assert "is generic: " in str(info.value) and str(info.value).endswith(
            "give its compile-time parameters first: " + hint)
    assert m.gsum(np.arange(4.0)) == 6.0 and m.gsum.signature == want     # after a call too
    assert "gsum" in m.gsum[DType.float64].ir("typed")
    with pytest.raises(CompileError, match="without its compile-time parameter dt"):
        m.gsum.module


def test_an_inferred_generic_kernel_that_does_not_read_is_its_own_error(tmp_path):
    # Which instance a call needs is read off Python's parse of the def: a kernel
    # the language cannot read is still the error it was, not a TypeError about
    # the instance the arguments give.
    m = load_py(tmp_path, header=False, text="""
        from __future__ import annotations
        import mojolite
        from mojolite import DType, Param, Scalar, Tensor

        @mojolite.fn
        def first(a: Tensor[dt], dt: Param[DType]) -> Scalar[dt]:
            return (lambda: a[0])()
        """)
    with pytest.raises(CompileError, match="lambda is not supported"):
        m.first(np.arange(3.0))


def test_a_compile_time_parameter_given_a_value_of_another_kind_names_it(tmp_path):
    """`scale[True]` for `k: Param[Int]`: the parameter and the type it expects, at its
    declaration (the checker used to suggest `Int(k: Param[Int] = 2)`)."""
    m = load_py(tmp_path, """
        @mojolite.fn
        def scale(x: Int, k: Param[Int] = 2) -> Int:
            return x * k

        @mojolite.fn
        def pick(x: Float64, dt: Param[DType], flag: Param[Bool] = False) -> Float64:
            return x
        """)
    from mojolite import DType
    cases = [
        (lambda: m.scale[True](4), "k", "scale", "an Int, got bool True"),
        (lambda: m.scale[np.bool_(False)](4), "k", "scale", "an Int, got bool False"),
        (lambda: m.scale[DType.int8](4), "k", "scale", "an Int, got DType DType.int8"),
        (lambda: m.scale[mojolite.Float64](4), "k", "scale", "an Int, got type Float64"),
        (lambda: m.scale[1.5](4), "k", "scale", "an Int, got float 1.5"),
        (lambda: m.pick[3](1.0), "dt", "pick", "a DType, got int 3"),
        (lambda: m.pick[DType.int8, 1](1.0), "flag", "pick", "a Bool, got int 1"),
    ]
    for call, param, kernel, want in cases:
        with pytest.raises(CompileError) as info:
            call()
        assert str(info.value).startswith(
            f"error: compile-time parameter '{param}' of '{kernel}' expects {want}\n"), \
            str(info.value)
        assert "convert explicitly" not in str(info.value)
        span = info.value.errors[0].span
        assert (span.line, span.column) == line_col(m, f"{param}: Param")
    assert m.scale[3](4) == 12 and m.pick[DType.int8, True](1.0) == 1.0


@pytest.mark.parametrize("reference", [False, True])
def test_python_numbers_for_float_compile_time_parameters(tmp_path, reference):
    """`fl[1.5]`, `fl[2]` and a NumPy float for `f: Param[Float64]`: each the value it
    is, spelled exactly in the instance's name (and cache key)."""
    m = load_py(tmp_path, f"""
        @mojolite.fn(reference={reference})
        def fl(x: Float64, f: Param[Float64]) -> Float64:
            return x * f

        @mojolite.fn(reference={reference})
        def f32(x: Float32, f: Param[Float32] = 1) -> Float32:
            return x * f
        """)
    near = 0.1 + 2 ** -56
    assert m.fl[1.5](2.0) == 3.0 and m.fl[2](1.5) == 3.0 and m.fl[-0.5](1.0) == -0.5
    assert m.fl[0.1](1.0) == 0.1 and m.fl[near](1.0) == near != 0.1
    assert m.fl[near].__qualname__ == f"fl[{near!r}]" and m.fl[near] is not m.fl[0.1]
    assert m.fl[np.float32(0.1)](1.0) == float(np.float32(0.1))
    assert m.f32[0.1](1.0) == float(np.float32(0.1)) and m.f32(3.0) == 3.0
    assert m.fl[1.5].signature == "fn fl[1.5](x: Float64) raises -> Float64"
    with pytest.raises(TypeError, match="nan cannot be a mojolite compile-time parameter"):
        m.fl[float("nan")]
    g = mojolite.compile("fn scale[f: Float64](x: Float64) -> Float64:\n    return x * f\n",
                         "gen.ml", reference=reference)
    assert g.scale[0.25](2.0) == 0.5 and g.scale[3](2.0) == 6.0


def test_local_alias_spelling(tmp_path):
    m = load_py(tmp_path, """
        @mojolite.fn
        def f(x: Int) -> Int:
            K: Alias = 6 * 7
            W: Alias[Int] = 2
            return x + K * W
        """)
    assert m.f(1) == 85
    from mojolite import syntax as S
    from mojolite.kernel import compile_unit
    fn = compile_unit(m.f).tree.body[-1]
    assert [type(s) for s in fn.body[:2]] == [S.AliasDef, S.AliasDef]


# ------------------------------------------------------------------ runtime faults
def test_runtime_fault_points_into_the_python_file(tmp_path):
    m = load_py(tmp_path, """
        @mojolite.fn
        def div(a: Int, b: Int) -> Int:
            return a // b

        @mojolite.fn(reference=True)
        def div_ref(a: Int, b: Int) -> Int:
            return a // b
        """)
    for f in (m.div, m.div_ref):
        with pytest.raises(RuntimeFault) as info:
            f(1, 0)
        line, col = line_col(m, "a // b", 0 if f is m.div else 1)
        assert info.value.message == "integer division by zero"
        assert (info.value.span.line, info.value.span.column) == (line, col)
        assert f"{m.__file__}:{line}:{col}" in str(info.value)
        assert f(7, 2) == 3


# ------------------------------------------------------------------ options and modes
KERNELS = """
@mojolite.fn
def poly(x: Float64, n: Int) -> Float64:
    s = 0.0
    p = 1.0
    for i in range(n):
        s += p / Float64(i + 1)
        p *= x
    return s

@mojolite.fn
def bits(a: UInt64, k: Int) -> UInt64:
    return (a << UInt64(k)) ^ (a >> UInt64(3))
"""


def test_reference_mode_from_the_environment_agrees_with_the_jit(tmp_path, monkeypatch):
    jit = load_py(tmp_path, KERNELS)
    jit.poly(1.0, 1)             # the mode is fixed when a kernel compiles: its first call
    jit.bits(1, 1)
    monkeypatch.setenv("MOJOLITE_REFERENCE", "1")
    ref = load_py(tmp_path, KERNELS)
    args = [(0.5, 10), (-1.25, 7), (3.0, 0)]
    for a in args:
        assert jit.poly(*a) == ref.poly(*a)
    for a in [(2**64 - 1, 5), (12345, 63)]:
        assert jit.bits(*a) == ref.bits(*a)
    assert ref.poly.module.options.reference and not jit.poly.module.options.reference


def test_per_kernel_options(tmp_path):
    m = load_py(tmp_path, """
        @mojolite.fn(reference=True)
        def r(x: Float64) -> Float64:
            return x * 2.0

        @mojolite.fn(opt=0, fastmath=True, boundscheck=False)
        def o(x: Float64) -> Float64:
            return x * 2.0

        @mojolite.fn()
        def d(x: Float64) -> Float64:
            return x * 2.0
        """)
    assert m.r(2.0) == m.o(2.0) == m.d(2.0) == 4.0
    assert m.r.module.options.reference
    opts = m.o.module.options
    assert (opts.opt, opts.fastmath, opts.boundscheck) == (0, True, False)
    assert m.d.module.options.boundscheck and not m.d.module.options.fastmath


def test_compile_and_load_modules_share_the_conversions(tmp_path):
    src = "fn f(a: Int32, b: Float32 = 0.5) -> Float32:\n    return Float32(a) + b\n"
    path = tmp_path / "m.ml"
    path.write_text(src)
    for module in (mojolite.compile(src, "m.ml"), mojolite.load(path),
                   mojolite.compile(src, "m.ml", reference=True)):
        assert module.f(3) == 3.5 and module.f(3, 0.25) == 3.25 and module.f(a=1, b=1.0) == 2.0
        with pytest.raises(TypeError, match=r"f\(\): parameter 'a' expects Int32"):
            module.f(2**40)
        with pytest.raises(TypeError, match="parameter 'b' expects Float32, got str"):
            module.f(1, "x")
        assert module.f(0, 1e300) == math.inf          # rounds to float32 as a C call would


@pytest.mark.parametrize("reference", [False, True])
def test_generic_functions_of_a_module_are_called_as_generic_kernels(reference):
    from mojolite import DType
    m = mojolite.compile("fn twice[k: Int](x: Int) -> Int:\n    return x * k\n\n"
                         "fn times[dt: DType, k: Int = 3](x: Scalar[dt]) -> Scalar[dt]:\n"
                         "    return x * Scalar[dt](k)\n", "gen.ml", reference=reference)
    assert m.twice[3](2) == 6 and m.twice[3](x=5) == 15 and m.twice[4](1) == 4
    assert m.times[DType.float32](1.5) == 4.5 and m.times[DType.int8, 100](2) == -56
    with pytest.raises(TypeError, match=r"^times\(\): parameter 'x' expects Int8"):
        m.times[DType.int8](300)
    with pytest.raises(CompileError, match="called from Python without its compile-time "
                                           "parameter k") as info:
        m.twice(2)
    assert "gen.ml:1:10" in str(info.value)
    assert not hasattr(m, "thrice")
    # Parameters that the arguments' types give are inferred, as for a kernel.
    assert m.times(np.float32(1.5)) == 4.5 and m.times(2) == 6
    g = mojolite.compile("fn add[dt: DType](a: Tensor[dt], b: Tensor[dt]) -> Scalar[dt]:\n"
                         "    return a[0] + b[1]\n\n"
                         "fn pick[k: Int, dt: DType](a: Tensor[dt]) -> Scalar[dt]:\n"
                         "    return a[k]\n", "add.ml", reference=reference)
    x = np.arange(3.0)
    assert g.add(x, x) == 1.0 and g.add(x.astype(np.int16), b=x.astype(np.int16)) == 1
    assert g.pick[2](x) == 2.0
    with pytest.raises(TypeError, match=r"^add\(\): compile-time parameter 'dt' is ambiguous: "
                                        r"DType.float64 from argument 'a' .* and DType.float32 "
                                        r"from argument 'b'"):
        g.add(x, x.astype(np.float32))


@pytest.mark.parametrize("reference", [False, True])
def test_quoted_annotations_are_the_types_they_hold(tmp_path, reference):
    # Python's forward references: `x: "Int"` was "'"Int"' is not a type", and
    # `Mut["Int"]` a TypeError when Python ran the `def`; a struct read only a quoted
    # name (`-> "Point"`), not `"Tensor[DType.float64]"`.
    m = load_py(tmp_path, header=False, text=f"""
        import numpy as np
        import mojolite
        from mojolite import DType, Float64, Int, Mut, Param, Scalar, Tensor

        @mojolite.fn(reference={reference})
        def total(a: "Tensor[DType.float64]", k: 'Int') -> "Float64":
            s: "Float64" = 0.0
            for i in range(a.dim(0)):
                s += a[i]
            return s * Float64(k)

        @mojolite.fn(reference={reference})
        def bump(x: Mut["Int"]) -> "Int":       # Python evaluates Mut["Int"]
            x += 1
            return x

        @mojolite.fn(reference={reference})
        def twice(x: "Scalar[dt]", dt: "Param[DType]") -> "Scalar[dt]":
            return x + x

        @mojolite.fn(reference={reference})
        def spread(x: Float64) -> Float64:
            p = make(x).swapped()
            return p.x - p.y

        @mojolite.fn(reference={reference})
        def make(x: Float64) -> "Point":
            return Point(x, 2.0 * x)

        @mojolite.struct
        class Point:
            x: "Float64"
            y: Float64

            def swapped(self) -> "Point":
                return Point(self.y, self.x)

        @mojolite.fn(reference={reference})
        def bad(x: "Int + ") -> Int:
            return 1
        """)
    assert m.total(np.arange(4.0), 2) == 12.0 and m.bump(3) == 4
    assert m.twice(1.5) == 3.0 and m.twice[mojolite.DType.int8](100) == -56
    assert m.spread(1.0) == 1.0
    assert m.total.signature == "fn total(a: Tensor[DType.float64], k: Int) raises -> Float64"
    with pytest.raises(CompileError) as info:
        m.bad(1)
    line, col = line_col(m, "def bad")
    # the caret under the `)` the text lacks before, the line shown as the file has it
    assert f":{line}:{col + 19}\n" in str(info.value), str(info.value)
    assert 'def bad(x: "Int + ") -> Int:' in str(info.value)


@pytest.mark.parametrize("reference", [False, True])
def test_generic_kernels_take_keyword_only_arguments(tmp_path, reference):
    # The generated entry passed them by position: "takes 1 positional argument, but 2 were
    # given", a CompileError on every call.
    m = load_py(tmp_path, header=False, text=f"""
        from __future__ import annotations
        import mojolite
        from mojolite import DType, Int, Param, Scalar

        @mojolite.fn(reference={reference})
        def t(x: Scalar[dt], dt: Param[DType], *, k: Int = 2) -> Scalar[dt]:
            return x * Scalar[dt](k)
        """)
    from mojolite import DType
    assert m.t[DType.float64](1.5, k=3) == 4.5 and m.t[DType.float64](1.5) == 3.0
    assert m.t[DType.float32](x=1.5, k=3) == 4.5 and m.t(1.5, k=3) == 4.5
    with pytest.raises(TypeError, match=r"^t\(\) takes 1 positional argument but 2 were given"):
        m.t[DType.float64](1.5, 3)
    g = mojolite.compile("fn scale[k: Int](x: Int, *, by: Int, plus: Int = 1) -> Int:\n"
                         "    return x * k * by + plus\n", "kw.ml", reference=reference)
    assert g.scale[2](3, by=5) == 31 and g.scale[2](3, plus=0, by=5) == 30
    with pytest.raises(TypeError, match=r"missing 1 required keyword-only argument: 'by'$"):
        g.scale[2](3)


@pytest.mark.parametrize("reference", [False, True])
def test_a_compile_time_parameter_may_name_one_before_it(tmp_path, reference):
    # It said "unknown name 'dt'"; from Python, a default naming one (`w`) did too.
    m = load_py(tmp_path, header=False, text=f"""
        from __future__ import annotations
        import mojolite
        from mojolite import DType, Param, Scalar

        @mojolite.fn(reference={reference})
        def sc(dt: Param[DType], v: Param[Scalar[dt]]) -> Scalar[dt]:
            return v

        @mojolite.fn(reference={reference})
        def times(x: Scalar[dt], dt: Param[DType], k: Param[Scalar[dt]] = 2) -> Scalar[dt]:
            return x * k
        """)
    from mojolite import DType
    assert m.sc[DType.float32, 1.5]() == 1.5 and m.sc[DType.int8, 7]() == 7
    assert m.times(np.float32(1.5)) == 3.0 and m.times[DType.float64, 0.5](3.0) == 1.5
    g = mojolite.compile("from sys import simdwidthof\n\n"
                         "fn lanes[dt: DType, w: Int = simdwidthof[dt]()](v: SIMD[dt, w]) "
                         "-> Int:\n    return w\n", "lanes.ml", reference=reference)
    from mojolite import target, typesys
    w = target.simd_width(typesys.DType.float32)
    assert g.lanes[DType.float32](np.ones(w, np.float32)) == w
    assert g.lanes(np.ones(w, np.float32)) == w and g.lanes[DType.float32, 2]([1, 2]) == 2


@pytest.mark.parametrize("reference", [False, True])
def test_a_bad_compile_time_value_from_python_is_shown_in_the_file(reference):
    # The value given in brackets is blamed where the parameter is declared or
    # used, not on a made-up `<f[...] from Python>` line. (A value of the wrong kind
    # is said at the declaration, naming the parameter: the checker said "expected
    # Int, found DType", and "expected a DType" at the parameter's use.)
    from mojolite import DType
    m = mojolite.compile("fn f[n: Int](x: Int) -> Int:\n    return x + n\n\n"
                         "fn h[dt: DType](x: Scalar[dt]) -> Int:\n    return 1\n\n"
                         "fn g[w: Int](x: SIMD[DType.int8, w]) -> Int:\n    return 1\n",
                         "gen.ml", reference=reference)
    for call, message, where in [
            (lambda: m.f[DType.int8](1), "parameter 'n' of 'f' expects an Int, got DType "
                                         "DType.int8", "gen.ml:1:6"),
            (lambda: m.h[5](1), "parameter 'dt' of 'h' expects a DType, got int 5", "gen.ml:4:6"),
            (lambda: m.g[3](1), "SIMD width must be a power of two", "gen.ml:7:34")]:
        with pytest.raises(CompileError) as info:
            call()
        text = str(info.value)
        assert message in text and where in text and "from Python>" not in text, text


def test_a_bad_compile_time_value_for_a_kernel_is_shown_in_its_python_file(tmp_path):
    m = load_py(tmp_path, header=False, text="""
        from __future__ import annotations
        import mojolite
        from mojolite import DType, Int, Param, SIMD

        @mojolite.fn
        def lanes(x: SIMD[DType.int8, n], n: Param[Int]) -> Int:
            return n
        """)
    import numpy as np
    with pytest.raises(CompileError) as info:
        m.lanes[3](np.zeros(3, np.int8))
    text = str(info.value)
    line, col = line_col(m, "n], n: Param")
    assert "SIMD width must be a power of two" in text and "from Python>" not in text
    assert f"{m.__file__}:{line}:{col}" in text, text

@pytest.mark.parametrize("reference", [False, True])
def test_numpy_integers_are_compile_time_parameters(reference):
    """A NumPy integer or bool (`a.shape` of an array NumPy made, `a.sum()`) in
    brackets is the integer it holds; a NumPy float is a float, no Int."""
    import numpy as np
    from mojolite import DType, SIMD
    m = mojolite.compile("fn twice[k: Int, neg: Bool = False](x: Int) -> Int:\n"
                         "    return -x * k if neg else x * k\n", "gen.ml",
                         reference=reference)
    assert m.twice[np.int64(3)](2) == 6 and m.twice[np.uint8(4), np.bool_(True)](1) == -4
    assert repr(SIMD[DType.float32, np.int32(8)]) == "SIMD[DType.float32, 8]"
    with pytest.raises(CompileError, match="'k' of 'twice' expects an Int, got float 2.0"):
        m.twice[np.float64(2.0)]


# ------------------------------------------------------------------ introspection
def test_signature_ir_and_asm(tmp_path):
    m = load_py(tmp_path, KERNELS)
    assert m.poly.signature == "fn poly(x: Float64, n: Int) raises -> Float64"
    assert m.bits.signature == "fn bits(a: UInt64, k: Int) raises -> UInt64"
    line, _ = line_col(m, "s += p / Float64(i + 1)")
    opt = m.poly.ir()
    assert "define" in opt and "__entry_" in opt
    assert f"; line {line}: s += p / Float64(i + 1)" in opt
    assert "fdiv double" in m.poly.ir("ll")
    assert "FnDef name='poly'" in m.poly.ir("ast")
    assert "fn poly(x: Float64, n: Int) -> Float64" in m.poly.ir("typed")
    asm = m.poly.asm()
    assert f"# line {line}:" in asm and ("ret" in asm)
    with pytest.raises(ValueError, match="unknown stage"):
        m.poly.ir("bogus")
    assert repr(m.poly).startswith("<mojolite kernel") and m.poly.__name__ == "poly"


@pytest.mark.parametrize("reference", [False, True])
def test_signature_shows_defaults_as_folded_values(tmp_path, reference):
    # They were left out: `fn clamp(x: Float64, lo: Float64) raises -> Float64`.
    m = load_py(tmp_path, f"""
        from mojolite import String
        LO = 0.0

        @mojolite.fn(reference={reference})
        def clamp(x: Float64, lo: Float64 = LO, f: Float32 = 0.1, n: Int = -3, b: Bool = True,
                  s: String = "it's", big: Float64 = 1e300 * 10.0) -> Float64:
            return max(x, lo)
        """)
    assert m.clamp(-1.0) == 0.0
    assert m.clamp.signature == (
        "fn clamp(x: Float64, lo: Float64 = 0.0, f: Float32 = 0.1, n: Int = -3, "
        "b: Bool = True, s: String = \"it's\", big: Float64 = 1e+301) raises -> Float64")
    v = mojolite.compile("fn f(v: SIMD[DType.float32, 4] = 1.5, w: SIMD[DType.int8, 2] = "
                         "SIMD[DType.int8, 2](1, 2)) -> Int:\n    return 0\n",
                         reference=reference)
    from mojolite.kernel import signature_of
    assert signature_of(v.program.get("f")) == \
        "fn f(v: SIMD[DType.float32, 4] = SIMD[DType.float32, 4](1.5), " \
        "w: SIMD[DType.int8, 2] = SIMD[DType.int8, 2](1, 2)) -> Int"


@pytest.mark.parametrize("reference,cached", [(False, False), (True, False), (False, True)])
def test_signature_shows_a_bare_star_and_a_variadic_parameter(tmp_path, monkeypatch,
                                                              reference, cached):
    # The `*` was left out: `fn kw(x: Int, k: Int = 2)` said k may come by position.
    monkeypatch.setenv("MOJOLITE_REFERENCE", "1" if reference else "0")
    monkeypatch.setenv("MOJOLITE_CACHE", "1" if cached else "0")
    monkeypatch.setenv("MOJOLITE_CACHE_DIR", str(tmp_path / "c"))
    text = """
        @mojolite.fn
        def kw(x: Int, *, k: Int = 2) -> Int:
            return x * k

        @mojolite.fn
        def va(a: Int, *xs: Int, k: Int) -> Int:
            return a + len(xs) + k
        """
    for _ in range(2):          # the second from the disk cache (where it is on)
        m = load_py(tmp_path, text, name="signature_star")
        assert m.kw.signature == "fn kw(x: Int, *, k: Int = 2) raises -> Int"
        assert m.va.signature == "fn va(a: Int, *xs: Int, k: Int) raises -> Int"
        assert m.kw(3, k=4) == 12


@pytest.mark.parametrize("native", ["1", "0"])
def test_module_functions_have_their_signature(monkeypatch, native):
    """`inspect.signature` (and `help`) of a compiled module's function show its
    parameters, defaults and types; they used to show `(*args, **kwargs)`, or
    fail on a native caller (a builtin, which shows names and defaults)."""
    import inspect
    monkeypatch.setenv("MOJOLITE_NATIVE_CALLS", native)
    m = mojolite.compile(textwrap.dedent("""
        @value
        struct P:
            var x: Int

        fn f(x: Int, y: Int = 3) -> Int:
            return x * y

        fn g(a: Tensor[DType.float64], v: SIMD[DType.float32, 4], s: String = "a"):
            pass

        fn mk() -> P:
            return P(1)
        """))
    assert str(inspect.signature(m.g)) == \
        "(a: Tensor[DType.float64], v: SIMD[DType.float32, 4], s: String = 'a')"
    assert str(inspect.signature(m.mk)) == "() -> P"
    builtin = isinstance(m.f, type(len))
    assert builtin == (native == "1" and sys.implementation.name == "cpython"
                       and sys.maxsize > 2**32)
    want = "(x, y=3)" if builtin else "(x: Int, y: Int = 3) -> Int"
    assert str(inspect.signature(m.f)) == want
    # No annotations on a builtin: its doc (`help`) shows the types, as the Python caller's.
    assert m.f.__doc__ == "Calls the compiled f(x: Int, y: Int = 3) -> Int."
    assert m.f(2) == 6 and m.f(2, y=4) == 8
    ref = mojolite.compile("fn f(x: Int, y: Int = 3) -> Int:\n    return x * y\n",
                           reference=True)
    assert str(inspect.signature(ref.f)) == "(x: Int, y: Int = 3) -> Int"


@pytest.mark.parametrize("warm", [False, True])
def test_a_module_refuses_pickling_by_name_and_deep_copies_as_itself(warm):
    """Pickling a module failed with "attribute lookup g on mojolite.api failed", and
    deepcopy with a ctypes ValueError (llvmlite complaining as the half-copies died)."""
    import copy
    import pickle
    m = mojolite.compile("fn f(x: Int) -> Int:\n    return x + 1\n", "pickled.ml")
    if warm:
        assert m.f(1) == 2
    with pytest.raises(TypeError, match=r"^cannot pickle the mojolite module pickled\.ml: its "
                                        r"machine code lives in this process"):
        pickle.dumps(m)
    assert copy.deepcopy(m) is m and copy.deepcopy([m])[0] is m
    assert copy.copy(m).f(2) == 3 and m.f(3) == 4


@pytest.mark.parametrize("cached", [False, True])
@pytest.mark.parametrize("reference", [False, True])
def test_a_program_function_named_as_a_module_attribute_is_the_programs(
        tmp_path, monkeypatch, reference, cached):
    """`m.call(1)` was the module's own `call` ("missing 1 required positional
    argument: 'args'"), `m.source()` "'Source' object is not callable", `m.function(2)`
    "no function named '2'": the program's names could not be reached."""
    import copy
    import pickle
    monkeypatch.setenv("MOJOLITE_CACHE", "1" if cached else "0")
    monkeypatch.setenv("MOJOLITE_CACHE_DIR", str(tmp_path / "c"))
    (tmp_path / "names.ml").write_text(
        "fn call(x: Int) -> Int:\n    return x + 1\n\nfn source() -> Int:\n    return 7\n\n"
        "fn function(x: Int) -> Int:\n    return x * 3\n\nfn tree[k: Int](x: Int) -> Int:\n"
        "    return x * k\n\nfn plain(x: Int) -> Int:\n    return call(x) + source()\n")
    for _ in range(2 if cached else 1):         # cached: the second from the disk cache
        m = mojolite.load(tmp_path / "names.ml", reference=reference)
        assert (m.call(1), m.source(), m.function(2), m.tree[3](2), m.tree[4](2),
                m.plain(1)) == (2, 7, 6, 6, 8, 9)
        assert {"call", "source", "function", "tree", "plain"} <= set(dir(m))
        assert m.options.reference is reference      # the module's other attributes
        assert copy.deepcopy(m) is m
        with pytest.raises(TypeError, match=r"^cannot pickle the mojolite module"):
            pickle.dumps(m)
    plain = mojolite.compile("fn f(x: Int) -> Int:\n    return x\n", reference=reference)
    assert "f" in dir(plain) and type(plain).__name__ in ("Module", "CachedModule")


def test_kernels_pickle_by_reference(tmp_path, monkeypatch):
    """As Python functions do (multiprocessing sends them so): a module-level kernel
    and an instance `f[...]` unpickle as the same kernel; one defined in a function
    is refused by name. (Pickling used to fail with "it's not the same object as
    mojolite.kernel.Kernel", the class of a called kernel.)"""
    import copy
    import pickle
    m = load_py(tmp_path, """
        from __future__ import annotations
        import mojolite
        from mojolite import DType, Int, Param, Scalar

        @mojolite.fn
        def sq(x: Int) -> Int:
            return x * x

        @mojolite.fn
        def times(x: Scalar[dt], dt: Param[DType], k: Param[Int] = 3) -> Scalar[dt]:
            return x * Scalar[dt](k)

        def make():
            @mojolite.fn
            def inner(x: Int) -> Int:
                return x
            return inner
        """, header=False)
    monkeypatch.setitem(sys.modules, m.__name__, m)
    assert pickle.loads(pickle.dumps(m.sq)) is m.sq              # before its first call
    assert m.sq(3) == 9
    assert pickle.loads(pickle.dumps(m.sq)) is m.sq              # and after
    assert copy.deepcopy(m.sq) is m.sq
    inst = pickle.loads(pickle.dumps(m.times[mojolite.DType.int8, 100]))
    assert inst is m.times[mojolite.DType.int8, 100] and inst(2) == -56
    with pytest.raises(pickle.PicklingError, match=r"cannot pickle kernel make\.<locals>\.inner: "
                                                   "it is defined inside a function"):
        pickle.dumps(m.make())


def test_kernel_keeps_working_across_threads(tmp_path):
    m = load_py(tmp_path, KERNELS)
    want = m.poly(0.5, 50)
    results = []

    def worker():
        results.append(all(m.poly(0.5, 50) == want for _ in range(2000)))
    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 4


def test_compile_takes_text_or_utf8_bytes():
    assert mojolite.compile(b"fn f() -> Int:\n    return 7\n").f() == 7
    for wrong in (None, 123, ["fn f():", "    pass"]):
        with pytest.raises(TypeError, match=r"compile\(\) takes the program's text \(a str\), "
                                            f"got {type(wrong).__name__}"):
            mojolite.compile(wrong)
    for wrong in (None, 5):         # found by fuzzing (an AttributeError before)
        with pytest.raises(TypeError, match=r"compile\(\) takes the file name its errors show "
                                            f"\\(a str\\), got {type(wrong).__name__}"):
            mojolite.compile("fn f():\n    pass\n", wrong)
    for bom in (b"", b"\xef\xbb\xbf"):             # a byte order mark is skipped
        with pytest.raises(CompileError, match=r"not UTF-8 text \(byte 0xff\)") as info:
            mojolite.compile(bom + b"fn f():\n    print('\xff')\n", "k.ml")
        assert info.value.errors[0].span.location() == "k.ml:2:12"
        assert mojolite.compile(bom + b"fn f() -> Int:\n    return 7\n").f() == 7


def test_load_takes_a_path_as_str_bytes_or_pathlike(tmp_path):
    path = tmp_path / "k.ml"
    path.write_text("fn f() -> Int:\n    return 7\n")
    for p in (path, str(path), bytes(path)):    # bytes: found by fuzzing (a TypeError before)
        assert mojolite.load(p).f() == 7
    with pytest.raises(TypeError, match="expected str, bytes or os.PathLike object, not NoneType"):
        mojolite.load(None)


def test_runaway_recursions_in_several_threads_are_faults(tmp_path):
    """Reference-mode calls in four threads each recurse without end at once: four
    faults. (Each call used to put Python's one recursion limit back when it ended,
    under the others still running deep: the interpreter aborted with a fatal
    "Cannot recover from stack overflow".) In a child process, as an abort would
    end this one."""
    code = textwrap.dedent("""
        import sys, threading, mojolite
        m = mojolite.compile("fn down(n: Int) -> Int:\\n    return down(n + 1) + 1\\n",
                             reference=True)
        limit, faults = sys.getrecursionlimit(), []
        def work():
            for _ in range(3):
                try:
                    m.down(0)
                except mojolite.RuntimeFault as e:
                    faults.append(e.message.split(" (")[0])
        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(len(faults), set(faults), sys.getrecursionlimit() == limit)
        """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=str(tmp_path), env={"PYTHONPATH": str(_root())}, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["12", "{'recursion", "too", "deep'}", "True"]


def test_first_call_compiles_once_under_threads(tmp_path):
    m = load_py(tmp_path, KERNELS)
    out = []
    threads = [threading.Thread(target=lambda: out.append(m.poly(2.0, 3))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == [1.0 + 2.0 / 2.0 + 4.0 / 3.0] * 4


@pytest.mark.parametrize("delay", [0.02, 0.1])
def test_a_fork_while_another_thread_compiles_waits_for_the_compile(tmp_path, delay):
    """A thread makes a kernel's first call (a compile: the cache is empty) and the
    main thread forks meanwhile: the child's calls run. (The child used to inherit
    the locks the compiling thread held, ours, llvmlite's and the import system's,
    and hang on its first call.) The child ends itself if it hangs. logging, imported
    after mojolite, takes its lock before mojolite waits for the compile, and Lark logs
    while it compiles: the fork must not wait for it there."""
    code = textwrap.dedent("""
        import os, signal, sys, threading, time
        import mojolite
        import logging
        from mojolite import Int

        @mojolite.fn
        def add(a: Int, b: Int) -> Int:
            return a + b

        @mojolite.fn
        def mul(a: Int, b: Int) -> Int:
            return a * b

        compiling = threading.Thread(target=add, args=(1, 2))
        compiling.start()
        time.sleep(float(sys.argv[1]))
        pid = os.fork()
        if pid == 0:
            signal.alarm(60)
            m = mojolite.compile("fn sub(a: Int, b: Int) -> Int:\\n    return a - b\\n")
            os.write(1, f"child {add(2, 3)} {mul(2, 3)} {m.sub(2, 3)}\\n".encode())
            os._exit(0)
        compiling.join()
        _, status = os.waitpid(pid, 0)
        print("parent", add(4, 5), os.waitstatus_to_exitcode(status))
        """)
    (tmp_path / "forks.py").write_text(code)
    env = {"PYTHONPATH": str(_root()), "MOJOLITE_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "forks.py", str(delay)], capture_output=True, text=True,
                         cwd=str(tmp_path), env=env, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.splitlines() == ["child 5 6 -1", "parent 9 0"]


# ------------------------------------------------------------------ the two call paths
BOUNDARY = """
@mojolite.fn
def mix(a: Int8, b: UInt64, c: Bool, d: Float32, e: Int) -> Float64:
    if c:
        return Float64(a) + Float64(d) + Float64(e)
    return Float64(b) - Float64(d)

@mojolite.fn
def flag(a: Int) -> Bool:
    return a > 2

@mojolite.fn
def unsigned(a: UInt64) -> UInt64:
    return a * 3

@mojolite.fn
def nothing(a: Int):
    pass

@mojolite.fn
def div(a: Int, b: Int) -> Int:
    return a // b
"""

BOUNDARY_CALLS = [
    ("mix", (1, 2, True, 0.5, 3), {}), ("mix", (-128, 2**64 - 1, False, 1.5, 0), {}),
    ("mix", (127, 0, True, 1e300, -2**63), {}), ("mix", (128, 0, True, 0.5, 1), {}),
    ("mix", (1, -1, True, 0.5, 1), {}), ("mix", (1, 2**64, True, 0.5, 1), {}),
    ("mix", (1, 2, 1, 0.5, 1), {}), ("mix", (1, 2, True, "x", 1), {}),
    ("mix", (1, 2, True, 0.5, 2**63), {}), ("mix", (1, 2, True, 0.5), {}),
    ("mix", (1, 2, True, 0.5, 1, 2), {}), ("mix", (1, 2, True), {"d": 0.5, "e": 1}),
    ("mix", (True, 2, True, 0.5, 1), {}), ("mix", (1.0, 2, True, 0.5, 1), {}),
    ("flag", (3,), {}), ("flag", (2,), {}), ("unsigned", (2**63,), {}),
    ("unsigned", (2**64 - 1,), {}), ("nothing", (1,), {}), ("div", (7, -2), {}),
    ("div", (1, 0), {}), ("div", (-2**63, -1), {}),
]


def _outcome(module, name, args, kwargs):
    try:
        r = getattr(module, name)(*args, **kwargs)
        return ("ok", type(r).__name__, r)
    except (TypeError, RuntimeFault) as e:
        return (type(e).__name__, str(e).replace(module.__file__, "FILE"))


def test_native_and_python_callers_agree(tmp_path, monkeypatch):
    monkeypatch.delenv("MOJOLITE_NATIVE_CALLS", raising=False)
    monkeypatch.setenv("MOJOLITE_NATIVE_AFTER", "1")        # native from the first call
    native = load_py(tmp_path, BOUNDARY)
    for name in ("mix", "flag", "unsigned", "nothing", "div"):
        getattr(native, name).module        # compiled now, before the variable is set
    monkeypatch.setenv("MOJOLITE_NATIVE_CALLS", "0")
    python = load_py(tmp_path, BOUNDARY)
    for name, args, kwargs in BOUNDARY_CALLS:
        want = _outcome(python, name, args, kwargs)
        assert _outcome(native, name, args, kwargs) == want, (name, args)
    # Where the interpreter's layouts check out (CPython on 64 bits), the kernel's
    # `__call__` is a builtin generated in LLVM IR; with the variable set, Python.
    builtin = type(len)
    assert not isinstance(type(python.mix).__dict__["__call__"], builtin)
    if sys.implementation.name == "cpython" and sys.maxsize > 2**32:
        assert isinstance(type(native.mix).__dict__["__call__"], builtin)
    import numpy as np
    assert native.mix(np.int8(1), np.uint64(2), np.bool_(True), np.float32(0.5), 1) == 2.5


def test_native_calls_keep_reference_counts(tmp_path):
    m = load_py(tmp_path, BOUNDARY)
    x, y = 10**12, 2.5
    m.mix(1, x, False, y, 1)
    before = (sys.getrefcount(x), sys.getrefcount(y))
    for _ in range(1000):
        m.mix(1, x, False, y, 1)
        m.nothing(x)
        with pytest.raises(RuntimeFault):
            m.div(x, 0)
    assert (sys.getrefcount(x), sys.getrefcount(y)) == before


def _count_native_compiles(monkeypatch) -> list:
    """The list `pynative._compile` (LLVM compiling a native caller) appends to."""
    from mojolite import pynative
    compiled, compile = [], pynative._compile

    def counting(*args):
        compiled.append(args[-1])
        return compile(*args)
    monkeypatch.setattr(pynative, "_compile", counting)
    return compiled


def test_the_native_caller_is_built_on_the_nth_call(tmp_path, monkeypatch):
    """A kernel called fewer than MOJOLITE_NATIVE_AFTER times never compiles its
    native caller; the Nth call builds it once, the kernel's `__call__` and the
    module's function become it, and a reference taken before goes on working."""
    monkeypatch.setenv("MOJOLITE_NATIVE_AFTER", "3")
    compiled = _count_native_compiles(monkeypatch)
    builtin = type(len)
    k = load_py(tmp_path, BOUNDARY)
    assert k.mix(1, 2, True, 0.5, 1) == 2.5 and k.mix(1, 2, False, 0.5, 1) == 1.5
    assert compiled == [] and not isinstance(type(k.mix).__dict__["__call__"], builtin)
    assert k.mix(3, 2, True, 0.5, 1) == 4.5               # the third call: built, then used
    assert len(compiled) == 1 and isinstance(type(k.mix).__dict__["__call__"], builtin)
    for _ in range(5):
        assert k.mix(1, 2, True, 0.25, 1) == 2.25
    assert len(compiled) == 1

    m = mojolite.compile("fn twice(x: Float64) -> Float64:\n    return 2.0 * x\n", "t.ml")
    held = m.twice
    assert [held(float(i)) for i in range(2)] == [0.0, 2.0]
    assert not isinstance(m.twice, builtin)
    assert held(4.0) == 8.0 and len(compiled) == 2
    assert isinstance(m.twice, builtin) and m.twice(5.0) == 10.0 and held(6.0) == 12.0
    with pytest.raises(TypeError, match="twice"):
        held("x")


def test_threads_reaching_the_nth_call_together_build_one_native_caller(tmp_path,
                                                                         monkeypatch):
    monkeypatch.setenv("MOJOLITE_NATIVE_AFTER", "10")
    compiled = _count_native_compiles(monkeypatch)
    k = load_py(tmp_path, BOUNDARY)
    assert k.flag(3) is True
    barrier, results = threading.Barrier(4), []

    def work():
        barrier.wait()
        results.append([k.flag(i) for i in range(50)])
    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [[i > 2 for i in range(50)]] * 4
    assert len(compiled) == 1 and isinstance(type(k.flag).__dict__["__call__"], type(len))


def test_a_failing_native_build_warns_and_keeps_the_python_caller(tmp_path, monkeypatch):
    from mojolite import pynative
    monkeypatch.setenv("MOJOLITE_NATIVE_AFTER", "2")
    monkeypatch.delenv("MOJOLITE_DEBUG", raising=False)
    tries = []

    def broken(*args):
        tries.append(1)
        raise ValueError("no code today")
    monkeypatch.setattr(pynative, "_compile", broken)
    k = load_py(tmp_path, BOUNDARY)
    assert k.unsigned(2) == 6
    with pytest.warns(RuntimeWarning, match=r"no native caller for unsigned .*"
                                            r"ValueError: no code today"):
        assert k.unsigned(3) == 9
    assert [k.unsigned(i) for i in range(4)] == [0, 3, 6, 9] and tries == [1]


def test_a_cached_native_caller_is_used_from_the_first_call(tmp_path, monkeypatch):
    monkeypatch.setenv("MOJOLITE_CACHE", "1")
    monkeypatch.setenv("MOJOLITE_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("MOJOLITE_NATIVE_AFTER", "2")
    compiled = _count_native_compiles(monkeypatch)
    src = "fn neg(x: Float64) -> Float64:\n    return -x\n"
    first = mojolite.compile(src, "neg.ml")
    assert first.neg(1.0) == -1.0 and first.neg(2.0) == -2.0 and len(compiled) == 1
    again = mojolite.compile(src, "neg.ml")
    assert isinstance(again.function("neg"), type(len)) and again.neg(3.0) == -3.0
    assert len(compiled) == 1


# ------------------------------------------------------------------ String parameters
@pytest.mark.parametrize("reference", [False, True])
def test_string_parameters_and_defaults(tmp_path, monkeypatch, reference):
    monkeypatch.setenv("MOJOLITE_REFERENCE", "1" if reference else "0")
    m = load_py(tmp_path, """
        from mojolite import String

        @mojolite.fn
        def greet(name: String, n: Int = 1, suffix: String = "!") -> Int:
            if name == "alice":
                print("hello", name, suffix, sep="")
                return n * 2
            print("who is ", name, suffix, sep="")
            return n
        """)
    src = mojolite.compile('fn main(name: String = "bob") -> Int:\n'
                           '    print(name)\n    return 1 if name == "bob" else 0\n')
    assert m.greet("alice") == 2
    assert m.greet("bob", 3) == 3
    assert m.greet("ü-é", suffix="?") == 1
    assert m.greet(name="alice", n=5, suffix="") == 10
    assert src.main() == 1 and src.main("alice") == 0 and src.main(name="bob") == 1
    with pytest.raises(TypeError, match=r"greet\(\): parameter 'name' expects String "
                                        r"\(a str\), got int 3"):
        m.greet(3)
    with pytest.raises(TypeError, match=r"parameter 'suffix' expects String \(a str\), "
                                        r"got bytes b'x'"):
        m.greet("a", 1, b"x")
    with pytest.raises(TypeError, match="not valid UTF-8 text"):
        m.greet("\ud800")


@pytest.mark.parametrize("reference", [False, True])
def test_simd_defaults_are_passed_as_lanes(tmp_path, reference):
    # A SIMD default left out crashed: 'tuple' object has no attribute 'tobytes' (JIT),
    # "argument (0.0, 0.0) is not a SIMD[DType.float64, 2]" (reference mode).
    m = load_py(tmp_path, f"""
        @mojolite.fn(reference={reference})
        def s2(x: Float64, v: SIMD[DType.float64, 2] = 0) -> Float64:
            return x + v.reduce_add()
        """)
    assert m.s2(1.5) == 1.5 and m.s2(x=1.5) == 1.5 and m.s2(1.5, [1, 2]) == 4.5
    src = mojolite.compile(
        "fn s3(x: Float64, v: SIMD[DType.float64, 2] = SIMD[DType.float64, 2](1, 2)) "
        "-> Float64:\n    return x + v.reduce_add()\n\n"
        "fn s4(*, v: SIMD[DType.float32, 4] = SIMD[DType.float32, 4](1, 2, 3, 0.1)) "
        "-> SIMD[DType.float32, 4]:\n    return v\n\n"
        "fn s5(m: SIMD[DType.bool, 4] = SIMD[DType.bool, 4](True, False, True, True)) "
        "-> SIMD[DType.bool, 4]:\n    return m\n", "simd_defaults.ml", reference=reference)
    assert src.s3(1.5) == 4.5 and src.s3(x=0.5) == 3.5
    r = src.s4()
    assert r.dtype == np.float32 and r.tolist() == [1.0, 2.0, 3.0, float(np.float32(0.1))]
    assert src.s5().tolist() == [True, False, True, True]


@pytest.mark.parametrize("reference", [False, True])
def test_python_signature_shows_simd_and_float32_defaults_as_written(monkeypatch, reference):
    # `__signature__` showed `v: SIMD[DType.float64, 2] = (1.0, 2.0)` and
    # `f: Float32 = 0.10000000149011612` where `signature` says `SIMD[...](1.0, 2.0)`, `0.1`.
    import inspect
    src = mojolite.compile(
        "fn s3(x: Float64, v: SIMD[DType.float64, 2] = SIMD[DType.float64, 2](1, 2), "
        "f: Float32 = 0.1, w: SIMD[DType.int8, 4] = 3, n: Int = 2) -> Float64:\n"
        "    return x + v.reduce_add() + Float64(f) + Float64(w.reduce_add()) + Float64(n)\n",
        reference=reference)
    for _ in range(2):          # the Python caller, then (JIT) the native one
        sig = inspect.signature(src.s3)
        assert str(sig) == ("(x: Float64, v: SIMD[DType.float64, 2] = SIMD[DType.float64, 2]"
                            "(1.0, 2.0), f: Float32 = 0.1, w: SIMD[DType.int8, 4] = "
                            "SIMD[DType.int8, 4](3), n: Int = 2) -> Float64")
        bound = sig.bind(1.0)
        bound.apply_defaults()      # the defaults are still the values a call takes
        assert src.s3(*bound.args) == src.s3(1.0) == 18.0 + float(np.float32(0.1))
    g = mojolite.compile("fn g(x: Float64, f: Float32 = 0.1) -> Float64:\n    return x\n",
                         reference=reference)
    monkeypatch.setenv("MOJOLITE_NATIVE_AFTER", "1")
    for _ in range(3):          # the JIT's native caller (a builtin) reads a text signature
        shown = str(inspect.signature(g.g))
        assert shown.endswith(("f=0.1)", "f: Float32 = 0.1) -> Float64")) and g.g(2.0) == 2.0


@pytest.mark.parametrize("reference", [False, True])
def test_constructor_defaults_are_compiled_from_the_source(tmp_path, reference):
    # Python runs the `def` and so evaluates its defaults: a constructor there failed with
    # "'SIMD[DType.float64, 2]' is a mojolite name: it works inside an @mojolite.fn kernel".
    m = load_py(tmp_path, f"""
        @mojolite.fn(reference={reference})
        def s3(x: Float64, v: SIMD[DType.float64, 2] = SIMD[DType.float64, 2](1, 2)) -> Float64:
            return x + v.reduce_add()

        @mojolite.fn(reference={reference})
        def f(x: Float64 = Float64(1.5), n: Int = Int(3), k: Int8 = Int8(-2)) -> Float64:
            return x * Float64(n + Int(k))
        """)
    assert m.s3(1.5) == 4.5 and m.s3(0.5, [2, 2]) == 4.5
    assert m.f() == 1.5 and m.f(2.0, 4) == 4.0
    assert m.f.signature == "fn f(x: Float64 = 1.5, n: Int = 3, k: Int8 = -2) raises -> Float64"
    # Python's value of such a default prints as written and refuses any use in Python
    v = mojolite.SIMD[mojolite.DType.float64, 2](1, 2)
    assert repr(v) == "SIMD[DType.float64, 2](1, 2)" and repr(mojolite.Float64(1.5)) == \
        "Float64(1.5)"
    for use in (lambda: v + 1, lambda: float(mojolite.Float64(1.5)), lambda: v[0],
                lambda: bool(mojolite.Int8(300)), lambda: 2 * mojolite.Int(3)):
        with pytest.raises(TypeError, match=r"is a mojolite value: .*Python code cannot use it"):
            use()


def test_a_constructor_default_is_checked_as_written(tmp_path):
    m = load_py(tmp_path, """
        @mojolite.fn
        def g(k: Int8 = Int8(300)) -> Int:
            return Int(k)
        """)
    with pytest.raises(CompileError, match="integer literal 300 does not fit in Int8") as e:
        m.g()
    line, col = line_col(m, "Int8(300)")
    assert "kernels_" in str(e.value) and f":{line}:{col}" in str(e.value)


def test_ir_and_asm_annotate_lines_of_every_file_of_a_unit(tmp_path, monkeypatch):
    monkeypatch.setenv("MOJOLITE_CACHE", "0")
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "mf_helpers.py").write_text(
        "import mojolite\nfrom mojolite import Float64\n\n\n"
        "@mojolite.fn\ndef cube(x: Float64) -> Float64:\n    y = x * x + 0.5\n    return y * x\n")
    (tmp_path / "mf_main.py").write_text(
        "import mojolite\nfrom mojolite import Float64\nfrom mf_helpers import cube\n\n\n"
        "@mojolite.fn\ndef outer(x: Float64) -> Float64:\n    return cube(x) - 1.0\n")
    import importlib
    m = importlib.import_module("mf_main")
    assert m.outer(2.0) == 8.0
    for stage in ("ll", "opt"):
        text = m.outer.ir(stage)
        assert "; mf_helpers.py line 7: y = x * x + 0.5" in text, text
        assert "; line 8: return cube(x) - 1.0" in text
    asm = m.outer.asm()
    assert "# mf_helpers.py line 8: return y * x" in asm
    assert "# line 8: return cube(x) - 1.0" in asm


def test_string_arguments_through_the_low_level_entry():
    m = mojolite.compile('fn f(s: String, n: Int = 2) -> Int:\n'
                         '    return n if s == "yes" else -n\n', reference=False)
    entry = m.jit().entry(m.program.get("f"))
    assert entry(["yes"])[:2] == (True, 2) and entry(["no", 5])[:2] == (True, -5)


@pytest.mark.parametrize("reference", [False, True])
def test_function_values_across_the_python_boundary_are_type_errors(reference):
    """A function-typed parameter or result has no Python value: calling such a
    function from Python is a TypeError naming it (was: an internal error)."""
    m = mojolite.compile("fn apply(f: fn (Float64) -> Float64, x: Float64) -> Float64:\n"
                         "    return f(x)\n"
                         "fn dbl(x: Float64) -> Float64:\n    return 2.0 * x\n"
                         "fn pick(k: Int) -> fn (Float64) -> Float64:\n    return dbl\n",
                         reference=reference)
    assert m.dbl(1.5) == 3.0
    for arg in (m.dbl, None):
        with pytest.raises(TypeError, match=r"apply\(\): parameter 'f' expects fn \(Float64\) "
                                            r"-> Float64, a function, which cannot be passed"):
            m.apply(arg, 1.0)
    with pytest.raises(TypeError, match=r"pick\(\) returns fn \(Float64\) -> Float64, a "
                                        r"function, which cannot be returned to Python"):
        m.pick(1)
    with pytest.raises(TypeError, match=r"pick\(\): parameter 'k' expects Int"):
        m.pick("a")


@pytest.mark.parametrize("reference", [False, True])
def test_error_values_across_the_python_boundary_are_type_errors(reference):
    """An Error parameter or result has no Python value: a TypeError naming the
    function, not an internal error; its message as a String crosses."""
    m = mojolite.compile("fn mk(n: Int) -> Error:\n    return Error(\"e\" + String(n))\n"
                         "fn text(n: Int) -> String:\n    return String(mk(n))\n"
                         "fn size(e: Error) -> Int:\n    return len(String(e))\n",
                         reference=reference)
    assert m.text(12) == "e12"
    with pytest.raises(TypeError, match=r"mk\(\) returns an Error, which cannot be returned "
                                        r"to Python"):
        m.mk(1)
    with pytest.raises(TypeError, match=r"size\(\): parameter 'e' expects Error, which "
                                        r"cannot be passed from Python"):
        m.size("x")


def test_parameter_if_and_for_have_a_python_spelling(tmp_path):
    # `@parameter` cannot decorate a Python statement: `if parameter(c):` and
    # `for i in parameter(range(n)):` spell them; the loop is unrolled, the branch
    # chosen per copy (an odd index subtracts).
    k = load_py(tmp_path, """
        from mojolite import parameter

        @mojolite.fn
        def alternating(v: Tensor[DType.float64], n: Param[Int] = 4) -> Float64:
            s: Float64 = 0.0
            for i in parameter(range(n)):
                if parameter(i % 2 == 0):
                    s += v[i]
                else:
                    s -= v[i]
            return s
        """)
    assert k.alternating(np.array([1.0, 2.0, 3.0, 4.0])) == -2.0
    assert k.alternating[3](np.array([1.0, 2.0, 3.0])) == 2.0


@pytest.mark.parametrize("reference", [False, True])
def test_nested_defs_raise_like_the_kernel(tmp_path, monkeypatch, reference):
    # A nested `def` raises, as Mojo's `def` does: a closure may call another
    # kernel (every kernel raises) or `raise`, in a loop, `parallelize` or
    # `vectorize`, and the error reaches Python from the kernel call.
    monkeypatch.setenv("MOJOLITE_REFERENCE", "1" if reference else "0")
    k = load_py(tmp_path, """
        from mojolite import parallelize, parameter, vectorize

        @mojolite.fn
        def sq(x: Float64) -> Float64:
            if x < 0.0:
                raise Error("negative")
            return x * x

        @mojolite.fn
        def squares(t: Tensor[DType.float64]):
            @parameter
            def body(i: Int):
                t[i] = sq(t[i])
            parallelize[body](t.dim(0))

        @mojolite.fn
        def widths(n: Int, bad: Int) -> Int:
            s = 0
            @parameter
            def body(i: Int, width: Param[Int]):
                if i == bad:
                    raise Error("bad index")
                s += width
            vectorize[body, 4](n)
            return s
        """)
    a = np.arange(5.0)
    k.squares(a)
    assert a.tolist() == [0.0, 1.0, 4.0, 9.0, 16.0]
    with pytest.raises(RuntimeFault, match="negative") as info:
        k.squares(np.array([1.0, -1.0]))
    assert info.value.span.line == line_col(k, 'raise Error("negative")')[0]
    assert k.widths(10, -1) == 10
    with pytest.raises(RuntimeFault, match="bad index"):
        k.widths(10, 9)


def test_threads_making_the_first_call_together_share_one_compile(monkeypatch):
    """Four threads call a function nobody has called yet, at once: one compile, the
    others wait for it (they used to compile a copy each, one after the other)."""
    from mojolite import jit
    compiles = []
    real = jit.compile_ir
    monkeypatch.setattr(jit, "compile_ir", lambda *a, **k: compiles.append(1) or real(*a, **k))
    m = mojolite.compile("fn tri(n: Int) -> Int:\n    return n * (n + 1) // 2\n", "tri.ml")
    start, results = threading.Barrier(4), {}

    def call(i):
        start.wait()
        results[i] = m.tri(i + 10)

    threads = [threading.Thread(target=call, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {i: (i + 10) * (i + 11) // 2 for i in range(4)}
    assert len(compiles) == 1


def test_compile_errors_carry_no_frames_of_the_compiler(tmp_path):
    """A CompileError from `mojolite.compile` / `load` / a module's function shows the
    caller's frames and the API's boundary only, as Python's own `compile` does."""
    import traceback
    path = tmp_path / "bad.ml"
    path.write_text("fn f() -> Int:\n    return x\n")
    generic = mojolite.compile("fn f[k: Int](x: Int) -> Int:\n    return x * k\n")
    calls = [lambda: mojolite.compile(path.read_text()), lambda: mojolite.load(path),
             lambda: generic.f[mojolite.DType.int8](1)]
    for call in calls:
        with pytest.raises(CompileError) as info:
            call()
        inside = [f.filename for f in traceback.extract_tb(info.value.__traceback__)
                  if "mojolite" + os.sep in f.filename and not f.filename.endswith(
                      (os.sep + "__init__.py", os.sep + "api.py"))]
        assert inside == [], inside


@pytest.mark.parametrize("reference", [False, True])
def test_runtime_faults_carry_no_frames_of_the_interpreter(tmp_path, reference):
    """A fault or a `raise` in a kernel shows the caller's frames and the API's
    boundary only, in the reference mode as in the JIT: it showed every frame the
    interpreter was in when the fault happened (`reference.py ... visit_Index`)."""
    import traceback
    k = load_py(tmp_path, f"""
        @mojolite.fn(reference={reference})
        def at(a: Tensor[DType.float64], i: Int) -> Float64:
            return a[i]

        @mojolite.fn(reference={reference})
        def boom(x: Int) -> Int:
            if x > 2:
                raise Error("too big")
            return x
        """)
    m = mojolite.compile("fn q(a: Int, b: Int) -> Int:\n    return a // b\n",
                         reference=reference)
    calls = [(RuntimeFault, lambda: k.at(np.zeros(3), 3)),
             (mojolite.RaisedError, lambda: k.boom(5)), (RuntimeFault, lambda: m.q(1, 0))]
    for kind, call in calls:
        with pytest.raises(kind) as info:
            call()
        inside = [f.filename for f in traceback.extract_tb(info.value.__traceback__)
                  if "mojolite" + os.sep in f.filename and not f.filename.endswith(
                      tuple(os.sep + n for n in ("kernel.py", "api.py", "pycall.py", "pynative.py")))]
        assert inside == [], inside


# ------------------------------------------------------------------ tuple results
TUPLE_SRC = """
fn dm(a: Int, b: Int) -> (Int, Int):
    return a // b, a % b

fn mixed(x: Float64) -> Tuple[Float64, Bool, UInt8, Float32]:
    return x * 2, x > 0, 255, 1.5

fn lanes(x: Float64) -> (SIMD[DType.float64, 16], SIMD[DType.bool, 4], Int):
    return SIMD[DType.float64, 16](x), SIMD[DType.bool, 4](True, False, True, True), 42

fn tensors(n: Int) -> (Tensor[DType.float32], Int):
    var t = Tensor[DType.float32](n)
    t[0] = 3.0
    return t, n

fn texts(n: Int) -> (String, Int, String):
    return "n = " + String(n), n, "x"

fn lists() -> (List[Int], Int):
    return List[Int](1), 1
"""


@pytest.mark.parametrize("reference", [False, True])
def test_tuple_results_come_back_as_python_tuples(reference):
    """Numbers, SIMD vectors and Tensors in a tuple result: a Python tuple of
    what each would be alone (a SIMD wider than the result slot included),
    through the Python caller and, past its first calls, the native one."""
    m = mojolite.compile(TUPLE_SRC, "t.ml", reference=reference)
    for _ in range(150):
        assert m.dm(17, 5) == (3, 2)
    assert m.dm(-17, 5) == (-4, 3) and type(m.dm(1, 1)) is tuple
    assert m.mixed(1.25) == (2.5, True, 255, 1.5)
    v, b, n = m.lanes(2.0)
    assert v.tolist() == [2.0] * 16 and b.tolist() == [True, False, True, True] and n == 42
    t, n = m.tensors(3)
    assert t.dtype == np.float32 and t.tolist() == [3.0, 0.0, 0.0] and n == 3
    assert m.texts(7) == ("n = 7", 7, "x")
    assert m.lists() == ([1], 1)


LIST_RESULT_SRC = """
@value
struct P:
    var x: Int

fn squares(n: Int) -> List[Int]:
    var l = List[Int]()
    for i in range(n):
        l.append(i * i)
    return l

fn small() -> (List[Float32], List[UInt8], List[Bool], List[Int8]):
    return List[Float32](0.1, 1e39), List[UInt8](255, 0), List[Bool](True, False), List[Int8](-1)

fn names(n: Int) -> List[String]:
    var l = List[String]()
    for i in range(n):
        l.append("item " + String(i))
    l.append("é")
    return l

fn grid(n: Int) -> List[List[String]]:
    var g = List[List[String]]()
    for i in range(n):
        var row = List[String]()
        for j in range(i):
            row.append(String(j))
        g.append(row)
    return g

fn vectors() -> List[SIMD[DType.float32, 4]]:
    return List[SIMD[DType.float32, 4]](SIMD[DType.float32, 4](1.0, 2.0, 3.0, 4.0),
                                        SIMD[DType.float32, 4](5.0))

fn cleared() -> List[Int]:
    var l = List[Int](1, 2, 3)
    l.clear()
    return l

fn in_tuple(n: Int) -> (List[String], Int, List[List[Float64]]):
    return List[String]("a", "b" + String(n)), n, List[List[Float64]](List[Float64](0.5), [])

fn points() -> List[P]:
    return List[P](P(1))
"""


@pytest.mark.parametrize("reference", [False, True])
def test_list_results_come_back_as_python_lists(reference):
    """A List result is a Python list of what each element would be alone
    (int, float, bool, str, a NumPy array for a SIMD vector, a list for a
    List), in a tuple result too; a List of structs is still a TypeError."""
    m = mojolite.compile(LIST_RESULT_SRC, "l.ml", reference=reference)
    for _ in range(150):                        # past where a native caller would be built
        assert m.squares(4) == [0, 1, 4, 9]
    assert type(m.squares(2)) is list and m.squares(0) == [] and m.cleared() == []
    f32, u8, flags, i8 = m.small()
    assert f32 == [float(np.float32(0.1)), float("inf")] and type(f32[0]) is float
    assert u8 == [255, 0] and type(u8[0]) is int and i8 == [-1]
    assert flags == [True, False] and type(flags[0]) is bool
    assert m.names(2) == ["item 0", "item 1", "é"]
    assert m.grid(3) == [[], ["0"], ["0", "1"]]
    v = m.vectors()
    assert type(v) is list and [x.tolist() for x in v] == [[1, 2, 3, 4], [5, 5, 5, 5]]
    assert all(type(x) is np.ndarray and x.dtype == np.float32 for x in v)
    v[0][0] = 9.0                               # arrays of their own
    assert v[1].tolist() == [5, 5, 5, 5]
    assert m.in_tuple(3) == (["a", "b3"], 3, [[0.5], []])
    with pytest.raises(TypeError, match=r"points\(\) returns List\[P\], which cannot be "
                                        "returned to Python yet"):
        m.points()
    with pytest.raises(TypeError, match="expects Int"):      # the arguments are checked first
        m.squares("x")


def _nested_list_result(depth: int, in_tuple: bool = False) -> str:
    t, value = "List[" * depth + "Int" + "]" * depth, "[" * depth + "7" + "]" * depth
    return (f"fn f() -> Tuple[Int, {t}]:\n    return (1, {value})\n" if in_tuple else
            f"fn f() -> {t}:\n    return {value}\n")


@pytest.mark.parametrize("reference", [False, True])
def test_lists_nested_too_deeply_for_python_are_a_type_error(reference):
    # Decoding a List result recurses once per level: a List nested 1,000 deep
    # was a RecursionError out of the compiler's own frames (its type's `str`
    # too, and the reference mode's caller failed before the call).
    m = mojolite.compile(_nested_list_result(100), "l.ml", reference=reference)
    r, depth = m.f(), 0
    while isinstance(r, list):
        r, depth = r[0], depth + 1
    assert (r, depth) == (7, 100)
    for src, holding in [(_nested_list_result(101), ""),       # (Lists nest at most 256 deep)
                         (_nested_list_result(256, in_tuple=True), "a tuple holding ")]:
        m = mojolite.compile(src, "l.ml", reference=reference)
        depth = "256" if holding else "101"
        with pytest.raises(TypeError, match=rf"^f\(\) returns {holding}Lists nested {depth} "
                                            r"deep \(Python takes at most 100\), which cannot be "
                                            "returned to Python yet"):
            m.f()


STRING_RESULT_SRC = """
fn greet(n: Int) -> String:
    return "hi " + String(n)

fn constant() -> String:
    return "const"

fn echo(t: String) -> String:
    return t
"""


@pytest.mark.parametrize("reference", [False, True])
def test_string_results_come_back_as_str(reference):
    """A String result is a Python str: a computed one (whose block the caller
    gives back), a constant, an argument passed through; past the 100th call
    too (where other functions get the native caller)."""
    m = mojolite.compile(STRING_RESULT_SRC, "s.ml", reference=reference)
    for i in range(150):
        assert m.greet(i) == f"hi {i}"
    assert m.constant() == "const" and m.echo("h\u00e9llo") == "h\u00e9llo"


@pytest.mark.parametrize("reference", [False, True])
def test_kernel_returns_a_tuple(tmp_path, reference):
    mod = load_py(tmp_path, f"""
        from mojolite import Tuple

        @mojolite.fn(reference={reference})
        def divmod_like(a: Int, b: Int) -> Tuple[Int, Float64]:
            return a // b, Float64(a % b)

        @mojolite.fn(reference={reference})
        def scaled(a: Int, b: Int) -> Tuple[Int, Float64]:
            q, r = divmod_like(a, b)
            return q * 10, r
        """)
    assert mod.divmod_like(17, 5) == (3, 2.0)
    assert mod.scaled(17, 5) == (30, 2.0)


def test_an_unreadable_program_file_is_an_oserror(tmp_path):
    """`mojolite.load` of a file that cannot be read raises what `open` would
    let a caller catch (an OSError with its errno and file name), which is also
    a MojoliteError with the CLI's one-line message."""
    import errno
    missing = tmp_path / "missing.ml"
    with pytest.raises(OSError) as info:
        mojolite.load(missing)
    e = info.value
    assert isinstance(e, mojolite.MojoliteError) and e.errno == errno.ENOENT
    assert e.filename == str(missing)
    assert str(e) == f"error: cannot read {missing}: No such file or directory"
    with pytest.raises(OSError) as info:
        mojolite.load(tmp_path)
    assert info.value.errno == errno.EISDIR


def test_writing_a_loop_element_hints_indexing_in_python(tmp_path):
    """`for ref x in xs` is not Python: in a kernel, the hint to change a List's
    elements is to index it."""
    mod = load_py(tmp_path, """
        @mojolite.fn
        def bump(n: Int) -> Int:
            xs = List[Int](1, 2)
            for x in xs:
                x += 1
            return n
        """)
    with pytest.raises(mojolite.CompileError) as info:
        mod.bump(1)
    assert "cannot assign to 'x': it is read-only" in str(info.value)
    assert "index the List: `for i in range(len(xs)):` and `xs[i]`" in str(info.value)


@pytest.mark.parametrize("reference", [False, True])
def test_slices_in_kernels(tmp_path, monkeypatch, reference):
    """Python's slice syntax is the language's: `l[a:b:s]`, `s[::-1]` in a
    kernel; a slice of a Tensor is an error at the slice, in the .py file."""
    monkeypatch.setenv("MOJOLITE_REFERENCE", "1" if reference else "0")
    m = load_py(tmp_path, """
        from mojolite import List, String

        @mojolite.fn
        def middle(a: Int, b: Int) -> Int:
            xs = List[Int](1, 2, 3, 4, 5)
            total = 0
            for x in xs[a:b]:
                total = total * 10 + x
            return total * 1000 + len(xs[::-2]) * 100 + xs[::-1][0]

        @mojolite.fn
        def mirror(s: String, k: Int) -> String:
            return s[::-1] + "|" + s[k:] + "|" + s[:k]

        @mojolite.fn
        def bad(t: Tensor[DType.float64]) -> Float64:
            return t[1:2]
        """)
    assert m.middle(1, 4) == 234_305 and m.middle(-2, 100) == 45_305
    assert m.mirror("kernel", 2) == "lenrek|rnel|ke" and m.mirror("ab", -5) == "ba|ab|"
    with pytest.raises(CompileError) as info:
        m.bad(np.zeros(3))
    line, col = line_col(m, "1:2")
    assert f"{m.__file__}:{line}:{col}" in str(info.value)
    assert "Tensor[DType.float64] cannot be sliced" in str(info.value)


def test_compile_stages_pause_the_garbage_collector_and_restore_it():
    """Each stage runs with the cyclic collector paused; afterwards it is as it was,
    nested stages and a user's own gc.disable() included."""
    import gc

    from mojolite.api import _timed
    seen = []
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            with _timed(None, "outer"):
                seen.append(gc.isenabled())
                with _timed(None, "inner"):
                    seen.append(gc.isenabled())
                seen.append(gc.isenabled())
            assert gc.isenabled() is enabled
            mojolite.compile("fn f(x: Int) -> Int:\n    return x + 1\n").f(1)
            assert gc.isenabled() is enabled
        finally:
            gc.enable()
    assert seen == [False] * 6


KEYWORD_ONLY = "fn f(x: Int, *, z: Int = 1) -> Int:\n    return 10 * x + z\n\n" \
               "fn g(a: Tensor[DType.float64], *, k: Float64) -> Float64:\n" \
               "    return a[0] * k\n"


@pytest.mark.parametrize("reference", [False, True])
def test_keyword_only_parameters_are_keyword_only_from_python(reference):
    """After a bare `*`, Python must name the argument, as for a Python function."""
    import inspect
    m = mojolite.compile(KEYWORD_ONLY, "kw.ml", reference=reference)
    assert (m.f(1), m.f(1, z=2), m.f(x=3, z=4)) == (11, 12, 34)
    assert m.g(np.array([2.0]), k=1.5) == 3.0
    for _ in range(3):              # the Python caller's first calls and after
        with pytest.raises(TypeError, match=r"f\(\) takes 1 positional argument but 2 were "
                                            r"given"):
            m.f(1, 2)
        with pytest.raises(TypeError, match=r"g\(\) takes 1 positional argument but 2 were "
                                            r"given"):
            m.g(np.array([2.0]), 1.5)
    kinds = [p.kind for p in inspect.signature(m.f).parameters.values()]
    assert kinds == [inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY]


@pytest.mark.parametrize("reference", [False, True])
def test_a_keyword_only_parameter_without_a_default_may_follow_a_default(tmp_path, reference):
    """As in Python: `kw(a: Int = 1, *, b: Int)` takes `kw(b=3)`; `kw()` misses 'b'."""
    import inspect
    m = mojolite.compile("fn kw(a: Int = 1, *, b: Int) -> Int:\n    return a + b\n",
                         "kw.ml", reference=reference)
    k = load_py(tmp_path, header=False, text=f"""
        import mojolite
        from mojolite import Int

        @mojolite.fn(reference={reference})
        def kw(a: Int = 1, *, b: Int) -> Int:
            return a + b
        """)
    for f in (m.kw, k.kw):
        assert (f(b=3), f(5, b=3), f(b=2, a=7)) == (4, 8, 9)
        assert str(inspect.signature(f)) == "(a: Int = 1, *, b: Int) -> Int"
        for args in ((), (1,)):
            with pytest.raises(TypeError,
                               match=r"^kw\(\) missing 1 required keyword-only argument: 'b'$"):
                f(*args)


# ------------------------------------------------------------------ Lists from Python
LIST_KERNELS = """
    from mojolite import List, Owned

    @mojolite.fn
    def total(l: List[Float64]) -> Float64:
        s = 0.0
        for x in l:
            s += x
        return s

    @mojolite.fn
    def trues(l: List[Bool]) -> Int:
        n = 0
        for x in l:
            if x:
                n += 1
        return n

    @mojolite.fn
    def vsum(*vals: Int) -> Int:
        s = 0
        for v in vals:
            s += v
        return s

    @mojolite.fn
    def scaled(a: Int, *vals: Int, k: Int = 2) -> List[Int]:
        out = List[Int]()
        for v in vals:
            out.append(a + k * v)
        return out

    @mojolite.fn
    def grow(l: Mut[List[Int]], n: Int):
        for i in range(n):
            l.append(i)
        l[0] = 99

    @mojolite.fn
    def grow_then_fail(l: Mut[List[Int]]):
        l.append(7)
        print(l[5])

    @mojolite.fn
    def kept(l: Owned[List[Int]]) -> Int:
        l.append(5)
        return len(l)
    """


@pytest.mark.parametrize("reference,cached", [(False, False), (True, False), (False, True)])
def test_python_lists_pass_to_list_and_variadic_parameters(tmp_path, monkeypatch, reference,
                                                           cached):
    """A Python list (tuple, 1-d array) for a List parameter is a copy in; a `mut`
    one's final elements are written back into the Python list, in place, also
    when the call fails; a variadic parameter takes the positional arguments."""
    import numpy as np
    monkeypatch.setenv("MOJOLITE_REFERENCE", "1" if reference else "0")
    monkeypatch.setenv("MOJOLITE_CACHE", "1" if cached else "0")
    monkeypatch.setenv("MOJOLITE_CACHE_DIR", str(tmp_path / "c"))
    for _ in range(2):          # the second from the disk cache (where it is on)
        m = load_py(tmp_path, LIST_KERNELS, name="python_lists")
        assert m.total([1.0, 2.5]) == 3.5 and m.total((1, 2)) == 3.0
        assert m.total([]) == 0.0 and m.total(np.array([0.5, 0.25])) == 0.75
        assert m.trues([True, False, True]) == 2
        assert m.vsum() == 0 and m.vsum(1, 2, 3) == 6
        assert m.scaled(1, 2, 3) == [5, 7] and m.scaled(1, 2, 3, k=10) == [21, 31]
        assert m.scaled(1) == []
        l = [1, 2]
        assert m.grow(l, 3) is None and l == [99, 2, 0, 1, 2]
        l = [1]
        with pytest.raises(mojolite.RuntimeFault, match="List index 5 is out of range"):
            m.grow_then_fail(l)
        assert l == [1, 7]
        l = [1, 2]
        assert m.kept(l) == 3 and l == [1, 2]          # an owned List is the kernel's copy
        for _ in range(150):        # past the calls that build a native caller
            assert m.total([1.0, 2.0]) == 3.0 and m.vsum(4, 5) == 9


@pytest.mark.parametrize("reference", [False, True])
def test_python_list_arguments_of_the_wrong_kind_are_type_errors(tmp_path, monkeypatch,
                                                                 reference):
    monkeypatch.setenv("MOJOLITE_REFERENCE", "1" if reference else "0")
    m = load_py(tmp_path, LIST_KERNELS, name="python_list_errors")
    cases = [
        (lambda: m.total([1.0, "a"]),
         "total(): parameter 'l' expects List[Float64]: element 1, got str 'a'"),
        (lambda: m.total(3), "total(): parameter 'l' expects List[Float64] (a list, a tuple "
                             "or a 1-d NumPy array), got int 3"),
        (lambda: m.trues([1, 0]), "trues(): parameter 'l' expects List[Bool]: element 0, "
                                  "got int 1"),
        (lambda: m.vsum(1, 2.5), "vsum(): parameter '*vals' expects Int: value 1, "
                                 "got float 2.5"),
        (lambda: m.vsum(vals=[1]), "vsum() got an unexpected keyword argument 'vals': pass "
                                   "its values by position"),
        (lambda: m.grow((1, 2), 1), "grow(): parameter 'l' expects List[Int] (a Python list, "
                                    "which the call changes in place), got tuple (1, 2)"),
    ]
    for call, message in cases:
        with pytest.raises(TypeError) as info:
            call()
        assert str(info.value) == message


NESTED_LIST_KERNELS = """
    from mojolite import List, Owned, String

    @mojolite.fn
    def joined(l: List[String]) -> String:
        s = String("")
        for x in l:
            s = s + x + ","
        return s

    @mojolite.fn
    def echo(l: List[String]) -> List[String]:
        return l

    @mojolite.fn
    def shout(l: Mut[List[String]], extra: String):
        for i in range(len(l)):
            l[i] = l[i] + "!"
        l.append(extra)

    @mojolite.fn
    def total(g: List[List[Float64]]) -> Float64:
        s = 0.0
        for row in g:
            for x in row:
                s += x
        return s

    @mojolite.fn
    def grow(g: Mut[List[List[Int]]]):
        for i in range(len(g)):
            g[i].append(i)
        g.append(List[Int](7, 8))

    @mojolite.fn
    def grow_then_fail(g: Mut[List[List[String]]]):
        g[0].append("z" + String(len(g)))
        g.append(List[String]("q"))
        print(g[9][0])

    @mojolite.fn
    def kept(g: Owned[List[List[Int]]]) -> List[List[Int]]:
        g[0].append(5)
        return g

    @mojolite.fn
    def count(*names: String) -> Int:
        return len(names)
    """


@pytest.mark.parametrize("reference", [False, True])
def test_python_lists_of_strings_and_of_lists_pass_to_list_parameters(tmp_path, monkeypatch,
                                                                      reference):
    """A list of str is a List[String], a list of lists (or an n-d array) a
    List[List[T]]: a copy in; a `mut` one's final elements are written back into
    the Python list in place (its inner lists are new), also when the call fails."""
    import numpy as np
    monkeypatch.setenv("MOJOLITE_REFERENCE", "1" if reference else "0")
    monkeypatch.setenv("MOJOLITE_CACHE", "0")
    m = load_py(tmp_path, NESTED_LIST_KERNELS, name="nested_lists")
    assert m.joined(["a", "bé", ""]) == "a,bé,," and m.joined(()) == ""
    assert m.echo(("x", "yz")) == ["x", "yz"] and m.echo(np.array(["ab", "c"])) == ["ab", "c"]
    l = ["a", "b"]
    assert m.shout(l, "ñ") is None and l == ["a!", "b!", "ñ"]
    assert m.total([[1.0, 2.0], [], (3.5,)]) == 6.5 and m.total([]) == 0.0
    assert m.total(np.ones((2, 3))) == 6.0 and m.total([np.ones(2), [1]]) == 3.0
    g = [[1], [], [2, 3]]
    assert m.grow(g) is None and g == [[1, 0], [1], [2, 3, 2], [7, 8]]
    g = [["a"], ["b", "c"]]
    with pytest.raises(mojolite.RuntimeFault, match="List index 9 is out of range"):
        m.grow_then_fail(g)
    assert g == [["a", "z2"], ["b", "c"], ["q"]]
    g = [[1]]
    assert m.kept(g) == [[1, 5]] and g == [[1]]     # an owned List is the kernel's copy
    assert m.count() == 0 and m.count("a", "b") == 2
    for _ in range(150):        # past the calls that build a native caller
        assert m.total([[1.0], [2.0]]) == 3.0 and m.joined(["a"]) == "a,"
    vectors = mojolite.compile("fn v(l: List[SIMD[DType.float32, 4]]) -> Int:\n"
                               "    return len(l)\n", reference=reference)
    cases = [
        (lambda: m.joined(["a", 1]), "joined(): parameter 'l' expects List[String]: element 1 "
                                     "(a str), got int 1"),
        (lambda: m.joined("ab"), "joined(): parameter 'l' expects List[String] (a list, a tuple "
                                 "or a 1-d NumPy array), got str 'ab'"),
        (lambda: m.total([[1.0], 3]), "total(): parameter 'g' expects List[List[Float64]]: "
                                      "element [1] (a list, a tuple or a 1-d NumPy array), "
                                      "got int 3"),
        (lambda: m.total([[1.0, "x"]]), "total(): parameter 'g' expects List[List[Float64]]: "
                                        "element [0][1], got str 'x'"),
        (lambda: m.total(np.ones(3)), "total(): parameter 'g' expects List[List[Float64]] (a "
                                      "list, a tuple or a 2-d NumPy array), got ndarray of "
                                      "float64 with shape (3,)"),
        (lambda: m.grow(([1],)), "grow(): parameter 'g' expects List[List[Int]] (a Python list, "
                                 "which the call changes in place), got tuple ([1],)"),
        (lambda: m.shout(["\ud800"], ""), "shout(): parameter 'l' expects List[String]: "
                                           "element 0, got str '\\ud800', which is not valid "
                                           "UTF-8 text (surrogates not allowed)"),
        (lambda: m.count("a", 2), "count(): parameter '*names' expects String: value 1 "
                                  "(a str), got int 2"),
        (lambda: vectors.v([]), "v(): parameter 'l' expects List[SIMD[DType.float32, 4]], which "
                                "cannot be passed from Python yet (a List of numbers, Bools, "
                                "Strings or such Lists can)"),
    ]
    for call, message in cases:
        with pytest.raises(TypeError) as info:
            call()
        assert str(info.value) == message


# ------------------------------------------------------------------ Ctrl-C
INTERRUPTED = """
import sys, traceback
import mojolite
from mojolite import Int, String

@mojolite.fn
def chatty(n: Int) -> Int:
    s = 0
    for i in range(n):
        s += i
        print(i)
    return s

@mojolite.fn
def formats(n: Int) -> Int:
    s = 0
    for i in range(n):
        s += len(String(i))
        if i == 1000:
            print("started")
    return s

try:
    {call}(10 ** 12)
except KeyboardInterrupt as e:
    files = [f.filename for f in traceback.extract_tb(e.__traceback__)]
    print("KeyboardInterrupt", [f for f in files if "codegen" in f or "reference" in f],
          file=sys.stderr)
    print(chatty(1), file=sys.stderr)      # the next call runs as ever
"""


@pytest.mark.parametrize("mode", ["jit", "native", "reference", "cached"])
@pytest.mark.parametrize("call", ["chatty", "formats"])
def test_ctrl_c_stops_a_kernel_that_prints_with_a_keyboard_interrupt_at_the_call(
        tmp_path, mode, call):
    """It went on printing ("Exception ignored on calling ctypes callback function"),
    the KeyboardInterrupt raised inside the print callback and dropped by ctypes; the
    reference mode's traceback ran through the interpreter."""
    import signal
    import time
    (tmp_path / "main.py").write_text(INTERRUPTED.replace("{call}", call))
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOJOLITE_")}
    env.update(PYTHONPATH=str(_root()), MOJOLITE_CACHE="1" if mode == "cached" else "0",
               MOJOLITE_CACHE_DIR=str(tmp_path / "c"),
               MOJOLITE_REFERENCE="1" if mode == "reference" else "0",
               MOJOLITE_NATIVE_AFTER="1" if mode == "native" else "100")
    for _ in range(2 if mode == "cached" else 1):       # cached: the second from the cache
        p = subprocess.Popen([sys.executable, "main.py"], cwd=tmp_path, env=env, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        p.stdout.readline()             # the kernel runs
        time.sleep(0.2)
        p.send_signal(signal.SIGINT)
        try:
            out, err = p.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            p.kill()
            pytest.fail("the kernel went on after Ctrl-C: " + p.communicate()[1][-2000:])
        assert p.returncode == 0, err
        assert err.splitlines() == ["KeyboardInterrupt []", "0"], err


LAST_PRINT = """
fn f(x: Int) -> Int:
    print(x)
    return x * 2

fn none(x: Int):
    print(x)

fn scaled(t: Tensor[DType.float64]) -> Tensor[DType.float64]:
    var r = Tensor[DType.float64](t.dim(0))
    for i in range(t.dim(0)):
        r[i] = t[i] * 2.0
    print(t.dim(0))
    return r

fn text(x: Int) -> String:
    var s = String(x)
    return s + "!"

fn then_fails(x: Int) -> Int:
    print(x)
    return x // (x - x)
"""


@pytest.mark.parametrize("native", [True, False])
def test_ctrl_c_in_a_calls_last_print_is_raised_at_that_call(native, monkeypatch, capsys):
    """A KeyboardInterrupt kept after the last print's check stayed kept, and the
    next print of a later, unrelated call raised it. Forced here: every check
    passes, then keeps one, as Ctrl-C landing just after it would."""
    from mojolite import errors
    from mojolite.codegen import runtime
    m = mojolite.compile(LAST_PRINT, "last_print.ml")
    calls = [(lambda: m.function("f", native)(3), 6),
             (lambda: m.function("none", native)(3), None),
             (lambda: m.function("scaled", native)(np.arange(3.0)).tolist(), [0.0, 2.0, 4.0]),
             (lambda: m.function("text", native)(42), "42!"),
             (lambda: m.function("then_fails", native)(3), None)]

    def late_check():
        raised = errors.callback_raised()
        errors.keep_callback_exception(KeyboardInterrupt("late"))
        return raised
    for call, value in calls:
        with monkeypatch.context() as patch:
            patch.setattr(runtime, "callback_raised", late_check)
            with pytest.raises(KeyboardInterrupt, match="late"):
                call()
        if value is not None:
            assert call() == value          # nothing left kept for the next call
    with pytest.raises(mojolite.RuntimeFault, match="division by zero"):
        calls[-1][0]()
    capsys.readouterr()


@pytest.mark.parametrize("reference", [False, True])
def test_a_stdout_that_raises_is_the_callers_exception_in_both_modes(reference, monkeypatch):
    """The reference mode reported a stdout that raises as an internal compiler error."""
    m = mojolite.compile("fn f(x: Int):\n    print(x)\n", reference=reference)

    class Closed:
        def write(self, text):
            raise ValueError("stdout is closed")

        def flush(self):
            pass
    monkeypatch.setattr(sys, "stdout", Closed())
    with pytest.raises(ValueError, match="stdout is closed"):
        m.f(3)


@pytest.mark.parametrize("reference", [False, True])
def test_missing_arguments_are_named_as_python_names_them(reference):
    """Python's wording: the positional parameters left out if any, else the
    keyword-only ones (`missing 2 required keyword-only arguments: 'b' and 'c'`)."""
    m = mojolite.compile("fn kw(x: Int, y: Int = 0, *, b: Int, c: Int) -> Int:\n"
                         "    return x + y + b + c\n", "kw.ml", reference=reference)
    for _ in range(2):          # the Python caller, then the native one (conftest)
        for call, message in [
                (lambda: m.kw(), "missing 1 required positional argument: 'x'"),
                (lambda: m.kw(b=1, c=2), "missing 1 required positional argument: 'x'"),
                (lambda: m.kw(1), "missing 2 required keyword-only arguments: 'b' and 'c'"),
                (lambda: m.kw(1, 2, c=3), "missing 1 required keyword-only argument: 'b'")]:
            with pytest.raises(TypeError) as e:
                call()
            assert str(e.value) == "kw() " + message
        assert m.kw(1, b=2, c=3) == 6


@pytest.mark.parametrize("reference", [False, True])
def test_a_kernel_as_deep_as_python_compiles_it_compiles(tmp_path, monkeypatch, reference):
    # Reading a kernel's tree (before the pipeline's raised recursion limit)
    # recursed once per operator: a sum of 2,500 terms, which Python compiles,
    # was a RecursionError out of the compiler's frames.
    monkeypatch.setenv("MOJOLITE_REFERENCE", "1" if reference else "0")
    module = load_py(tmp_path, "@mojolite.fn\ndef long_sum(x: Int) -> Int:\n    return "
                     + " + ".join(["x"] * 2_500) + "\n")
    assert module.long_sum(3) == 7_500

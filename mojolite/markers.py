"""The names `@mojolite.fn` kernels are annotated with, as Python objects.

In: nothing (importing this module builds the table). Out: `MARKERS`, the
language's names (`Float64`, `SIMD`, `Tensor`, `DType.float32`, `Mut`, `Param`,
`vectorize` ...) as `Marker` objects whose `repr` is the language's spelling,
which `mojolite` re-exports; `spell`, a bracket parameter Python gives
(`kernel[DType.float32, 8]`) as the language writes it; `Written`, what
`Float64(1.5)` is when Python evaluates a kernel's default. Python only needs
these names to exist: the kernel's own text is what compiles. Importing this
module imports neither Lark, LLVM nor NumPy.
"""
from __future__ import annotations


class Marker:
    """A name kernels use in annotations; Python only needs it to exist.

    `kind` says what the language name is: "type" (a complete type such as
    Float64 or `SIMD[DType.float32, 8]`), "generic" (SIMD, Tensor ... before
    `[...]`), "dtype" (`DType.float32`), "convention" (Mut, Inout, Owned),
    "param" (Param), "alias" (Alias), "std" (a standard library function such
    as vectorize; `module` says which), "builtin" (parameter, Error). `DType`
    itself is a `DTypeNames` namespace of dtype markers.
    """

    __slots__ = ("name", "spelling", "kind", "module", "args")

    def __init__(self, name: str, kind: str, spelling: str | None = None,
                 module: str | None = None, args: tuple = ()):
        self.name, self.kind, self.module, self.args = name, kind, module, args
        self.spelling = spelling or name

    def __repr__(self) -> str:
        return self.spelling

    def __getitem__(self, params):
        if self.kind not in ("generic", "convention", "param", "alias", "std"):
            raise TypeError(f"{self.spelling} takes no [...] parameters")
        params = params if isinstance(params, tuple) else (params,)
        # where the parameters are types, a string is a forward reference, as in
        # Python's typing (`Mut["Point"]`, `List["Point"]`): the kernel's text reads
        # it unquoted (`kernel.unquote_annotations`); `SIMD["x", 4]` stays an error
        takes_types = self.kind != "generic" or self.name in TYPE_GENERICS
        shown = [p if isinstance(p, str) and takes_types else spell(p) for p in params]
        spelling = f"{self.spelling}[{', '.join(shown)}]"
        kind = "type" if self.kind == "generic" else self.kind + "[]"
        return Marker(self.name, kind, spelling, self.module, params)

    def __call__(self, *args, **kwargs):
        if self.name == "parameter" and len(args) == 1 and callable(args[0]):
            return args[0]        # `@parameter` on a nested def Python never runs
        if self.kind in ("type", "generic"):
            return Written(self, args, kwargs)  # a default Python evaluates (see Written)
        raise TypeError(f"'{self.spelling}' is a mojolite name: it works inside an "
                        "@mojolite.fn kernel, not in Python code")


class Written:
    """`Float64(1.5)`, `SIMD[DType.float64, 2](1, 2)` evaluated by Python: what a
    kernel's parameter default is when Python runs the `def`. The kernel compiles the
    default from its source text, so this only needs to exist and to print as the
    language spells it; Python code cannot compute with it (any use but `repr` is
    a TypeError saying so), so a conversion written in plain Python still fails."""

    __slots__ = ("marker", "args", "kwargs")

    def __init__(self, marker: Marker, args: tuple, kwargs: dict):
        self.marker, self.args, self.kwargs = marker, args, kwargs

    def __repr__(self) -> str:
        said = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"{self.marker.spelling}({', '.join(said)})"

    def _refuse(self, *_args, **_kwargs):
        raise TypeError(f"{self!r} is a mojolite value: it may be the default of an "
                        "@mojolite.fn kernel's parameter, but Python code cannot use it "
                        "(convert with Python's own float(), int(), bool())")

    for _op in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "lshift",
                "rshift", "and", "or", "xor", "matmul", "divmod"):
        locals()[f"__{_op}__"] = locals()[f"__r{_op}__"] = _refuse
    for _op in ("neg", "pos", "abs", "invert", "bool", "float", "int", "index", "complex",
                "lt", "le", "gt", "ge", "len", "iter", "getitem", "call", "round"):
        locals()[f"__{_op}__"] = _refuse
    del _op


def spell(p) -> str:
    """A parameter given in brackets as the language writes it: a float as the repr
    that reads back to it exactly (the instance's name and cache key tell 0.1 from
    0.1 + 2**-56)."""
    if isinstance(p, (Marker, DTypeNames)):
        return repr(p)
    p = python_scalar(p)
    if isinstance(p, bool):
        return repr(p)
    if isinstance(p, int):
        return int_text(p)
    if isinstance(p, float):
        if p - p == 0:          # finite: inf and nan have no literal
            return repr(p)
        raise TypeError(f"{p!r} cannot be a mojolite compile-time parameter (a Float "
                        "parameter takes a finite value)")
    raise TypeError(f"{p!r} is not a mojolite type parameter (expected a type, a DType "
                    "such as DType.float32, or a number)")


class DTypeNames:
    """`DType.float32` ... as markers; `DType` itself is a namespace."""

    def __init__(self):
        for n in ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                  "uint64", "float16", "float32", "float64"):
            setattr(self, n, Marker(n, "dtype", f"DType.{n}"))

    def __repr__(self) -> str:
        return "DType"


SCALAR_TYPES = ("Bool", "Int", "UInt", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16",
                "UInt32", "UInt64", "Float32", "Float64")
GENERIC_TYPES = ("SIMD", "Scalar", "Tensor", "UnsafePointer", "DTypePointer", "List", "Tuple")
TYPE_GENERICS = ("UnsafePointer", "List", "Tuple")      # those whose parameters are types
# Standard-library names without a Python twin: using one in a kernel adds its import.
STD_NAMES = {"vectorize": "algorithm", "parallelize": "algorithm", "simdwidthof": "sys",
             "simd_width_of": "sys",
             "num_physical_cores": "sys", "num_logical_cores": "sys",
             "memset_zero": "memory", "memcpy": "memory",
             **{n: "random" for n in ("seed", "random_float64", "random_si64", "random_ui64",
                                      "randn_float64", "rand", "randn")},
             "now": "time", "perf_counter_ns": "time"}

MARKERS: dict[str, object] = {}
for _n in SCALAR_TYPES + ("String",):
    MARKERS[_n] = Marker(_n, "type")
for _n in GENERIC_TYPES:
    MARKERS[_n] = Marker(_n, "generic")
MARKERS["DType"] = DTypeNames()
for _n in ("Mut", "Inout", "Owned", "Out"):      # Out: `self: Out` (pystruct.py)
    MARKERS[_n] = Marker(_n, "convention")
MARKERS["Param"] = Marker("Param", "param")
MARKERS["Alias"] = Marker("Alias", "alias")
for _n, _m in STD_NAMES.items():
    MARKERS[_n] = Marker(_n, "std", module=_m)
MARKERS["parameter"] = Marker("parameter", "builtin")
MARKERS["Error"] = Marker("Error", "builtin")
MARKERS["Self"] = Marker("Self", "type")          # a struct's own type, in its methods
del _n, _m

# `Mut[T]` etc. as parameter annotations: the argument convention they mean.
CONVENTIONS = {"Mut": "mut", "Inout": "mut", "Owned": "owned", "Out": "out"}




def python_scalar(value):
    """A NumPy bool, integer or float scalar as the Python value it holds;
    anything else as it is."""
    if type(value).__module__ == "numpy" and hasattr(value, "dtype") and \
            getattr(value, "shape", None) == () and value.dtype.kind in "biuf":
        return value.item()
    return value


def int_text(value: int) -> str:
    """An int as a literal; in hex past 4096 bits, which Python converts at any length
    (such a value spells an instance's or a cache key's text; as a literal it is refused,
    at the kernel's line, by `_check_literal_size`)."""
    return hex(value) if value.bit_length() > 4096 else str(value)

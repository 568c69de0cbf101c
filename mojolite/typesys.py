"""Types as immutable values whose `str` is the user's spelling.

In: nothing. Out: `DType`, the type classes and the names every program sees
(`Int`, `Float64`, `Scalar[DType.x]` ...). Invariants: a scalar is a SIMD of
width 1 (`Float64 is SIMD[DType.float64, 1]`), types compare structurally, and
no type ever prints as LLVM spells it.
"""
from __future__ import annotations

import enum


class DType(enum.Enum):
    bool = "bool"
    int8 = "int8"
    int16 = "int16"
    int32 = "int32"
    int64 = "int64"
    uint8 = "uint8"
    uint16 = "uint16"
    uint32 = "uint32"
    uint64 = "uint64"
    float16 = "float16"
    float32 = "float32"
    float64 = "float64"
    index = "index"      # the element type of `Int`: 64-bit signed, distinct from int64
    uindex = "uindex"    # the element type of `UInt`

    # Members are singletons: identity hashing is correct and much faster than
    # Enum's default, which matters in the reference interpreter's hot loop.
    __hash__ = object.__hash__

    # Set for every member below: bits, is_float, is_int, is_signed, int_range.
    bits: int
    is_float: bool
    is_int: bool
    is_signed: bool
    int_range: tuple[int, int]

    def __str__(self) -> str:
        return f"DType.{self.value}"


_BITS = {DType.bool: 1, DType.int8: 8, DType.int16: 16, DType.int32: 32, DType.int64: 64,
         DType.uint8: 8, DType.uint16: 16, DType.uint32: 32, DType.uint64: 64,
         DType.float16: 16, DType.float32: 32, DType.float64: 64, DType.index: 64,
         DType.uindex: 64}

for _dt in DType:
    _dt.bits = _BITS[_dt]
    _dt.is_float = _dt in (DType.float16, DType.float32, DType.float64)
    _dt.is_int = not _dt.is_float and _dt is not DType.bool
    _dt.is_signed = _dt in (DType.int8, DType.int16, DType.int32, DType.int64, DType.index)
    _dt.int_range = ((-(1 << (_dt.bits - 1)), (1 << (_dt.bits - 1)) - 1) if _dt.is_signed
                     else (0, (1 << _dt.bits) - 1))

# The names a program may use for scalar types, and how each scalar prints.
SCALAR_NAMES = {"Bool": DType.bool, "Int": DType.index, "UInt": DType.uindex,
                "Int8": DType.int8, "Int16": DType.int16, "Int32": DType.int32,
                "Int64": DType.int64, "UInt8": DType.uint8, "UInt16": DType.uint16,
                "UInt32": DType.uint32, "UInt64": DType.uint64, "Float16": DType.float16,
                "Float32": DType.float32, "Float64": DType.float64}
_SCALAR_SPELLING = {dt: name for name, dt in SCALAR_NAMES.items()}
DTYPE_NAMES = {dt.value: dt for dt in DType if dt not in (DType.index, DType.uindex)}
# What `DType.<name>` may name: NumPy's names, and the element types of Int and UInt
# (`DType.index`, current Mojo's `DType.int`/`DType.uint`).
DTYPE_MEMBERS = {**DTYPE_NAMES, "index": DType.index, "int": DType.index,
                 "uint": DType.uindex}


class Type:
    """Base of all types. A type is a value: compared and hashed by its fields, never
    changed once made. The classes below spell out `__init__`, `__eq__` and `__hash__`
    instead of being dataclasses: defining seven dataclasses took 1.5 ms of every
    process that loads compiled code from the disk cache (about a sixth of it)."""
    __slots__ = ()
    is_literal = False

    def __repr__(self) -> str:
        args = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({args})"


class SIMD(Type):
    __slots__ = ("dtype", "width")

    def __init__(self, dtype: DType, width: int):
        self.dtype, self.width = dtype, width

    def __eq__(self, other):
        if other.__class__ is not SIMD:
            return NotImplemented
        return self.dtype is other.dtype and self.width == other.width

    def __hash__(self):
        return hash((self.dtype, self.width))

    @property
    def is_scalar(self) -> bool:
        return self.width == 1

    def with_dtype(self, dtype: DType) -> "SIMD":
        return SIMD(dtype, self.width)

    def __str__(self) -> str:
        if self.width == 1:
            return _SCALAR_SPELLING[self.dtype]
        return f"SIMD[{self.dtype}, {self.width}]"


class Pointer(Type):
    __slots__ = ("pointee",)

    def __init__(self, pointee: Type):
        self.pointee = pointee

    def __eq__(self, other):
        if other.__class__ is not Pointer:
            return NotImplemented
        return self.pointee == other.pointee

    def __hash__(self):
        return hash((Pointer, self.pointee))

    def __str__(self) -> str:
        return f"UnsafePointer[{self.pointee}]"


MAX_RANK = 4     # a Tensor has 1 to 4 axes


class Tensor(Type):
    __slots__ = ("dtype",)

    def __init__(self, dtype: DType):
        self.dtype = dtype

    def __eq__(self, other):
        if other.__class__ is not Tensor:
            return NotImplemented
        return self.dtype is other.dtype

    def __hash__(self):
        return hash((Tensor, self.dtype))

    def __str__(self) -> str:
        return f"Tensor[{self.dtype}]"


class ListType(Type):
    __slots__ = ("element",)

    def __init__(self, element: Type):
        self.element = element

    def __eq__(self, other):
        if other.__class__ is not ListType:
            return NotImplemented
        return self.element == other.element

    def __hash__(self):
        return hash((ListType, self.element))

    def __str__(self) -> str:
        return f"List[{self.element}]"


class FnType(Type):
    """A function's type. `capturing` (Mojo's `fn (Int) capturing -> None`) and
    `ct_params` (the kinds of `fn [w: Int](Int) capturing -> None`) are only for a
    compile-time parameter, whose value is a function known while compiling."""
    __slots__ = ("params", "ret", "raises", "capturing", "ct_params")

    def __init__(self, params: tuple[Type, ...], ret: Type, raises: bool = False,
                 capturing: bool = False, ct_params: tuple = ()):
        self.params, self.ret, self.raises = params, ret, raises
        self.capturing, self.ct_params = capturing, ct_params

    def _key(self):
        return (self.params, self.ret, self.raises, self.capturing, self.ct_params)

    def __eq__(self, other):
        if other.__class__ is not FnType:
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __str__(self) -> str:
        ret = "" if ret_is_none(self.ret) else f" -> {self.ret}"
        raises = " raises" if self.raises else ""
        capturing = " capturing" if self.capturing else ""
        ct = f"[{', '.join(map(str, self.ct_params))}]" if self.ct_params else " "
        return f"fn{ct}({', '.join(map(str, self.params))}){raises}{capturing}{ret}"


class Struct(Type):
    """A struct type: one per definition and compile-time parameter values.

    Equality is by `key` (the definition and the parameter values); the
    `fields` ((name, Type) in declaration order) are filled in by the checker
    once the field types are resolved (a field may point to its own struct)."""
    __slots__ = ("name", "key", "fields", "lifecycle")
    is_literal = False

    def __init__(self, name: str, key: tuple):
        self.name, self.key = name, key
        self.fields: tuple[tuple[str, Type], ...] = ()
        self.lifecycle: Lifecycle | None = None     # the user's `__del__`/`__copyinit__`

    def __eq__(self, other):
        return isinstance(other, Struct) and self.key == other.key

    def __hash__(self):
        return hash(self.key)

    def __str__(self) -> str:
        return self.name

    __repr__ = __str__

    def field_index(self, name: str) -> int | None:
        for i, (n, _) in enumerate(self.fields):
            if n == name:
                return i
        return None


class Named(Type):
    """Types without structure: String, NoneType, DType (the type of `DType.x`), Error."""
    __slots__ = ("name",)

    def __init__(self, name: str):
        self.name = name

    def __eq__(self, other):
        if other.__class__ is not Named:
            return NotImplemented
        return self.name == other.name

    def __hash__(self):
        return hash((Named, self.name))

    def __str__(self) -> str:
        return self.name


class Literal(Type):
    """The type of an integer or float literal not yet given a concrete type."""
    __slots__ = ("kind",)       # "IntLiteral" | "FloatLiteral"
    is_literal = True

    def __init__(self, kind: str):
        self.kind = kind

    def __eq__(self, other):
        if other.__class__ is not Literal:
            return NotImplemented
        return self.kind == other.kind

    def __hash__(self):
        return hash((Literal, self.kind))

    def __str__(self) -> str:
        return self.kind


def scalar(dtype: DType) -> SIMD:
    return SIMD(dtype, 1)


def numpy_dtype(dt: DType):
    """The NumPy dtype of a DType (Int's `index` is int64, UInt's `uindex` uint64);
    NumPy is imported here, on first use, not with this module."""
    import numpy
    return numpy.dtype({"index": "int64", "uindex": "uint64"}.get(dt.value, dt.value))


BOOL = scalar(DType.bool)
INT = scalar(DType.index)
UINT = scalar(DType.uindex)
INT64 = scalar(DType.int64)
FLOAT32 = scalar(DType.float32)
FLOAT64 = scalar(DType.float64)
STRING = Named("String")
NONE = Named("None")
DTYPE = Named("DType")
ERROR = Named("Error")
INT_LITERAL = Literal("IntLiteral")
FLOAT_LITERAL = Literal("FloatLiteral")


def tuple_type(elements: tuple[Type, ...]) -> Struct:
    """`Tuple[A, B, ...]` (also spelled `(A, B)`): a struct whose fields are the
    elements, named "0", "1" ... (names no program can write after a dot), so
    that tuples are copied, released and stored as every struct is. Two tuple
    types are equal when their element types are."""
    t = Struct(f"Tuple[{', '.join(map(str, elements))}]", ("Tuple", tuple(elements)))
    t.fields = tuple((str(k), e) for k, e in enumerate(elements))
    return t


def is_tuple(t: Type) -> bool:
    return t.__class__ is Struct and t.key[0] == "Tuple"


def ret_is_none(t: Type) -> bool:
    return t == NONE


def is_scalar_of(t: Type, pred) -> bool:
    return isinstance(t, SIMD) and t.width == 1 and pred(t.dtype)


def is_numeric(t: Type) -> bool:
    return isinstance(t, SIMD) and t.dtype is not DType.bool


def is_int(t: Type) -> bool:
    return isinstance(t, SIMD) and t.dtype.is_int


def is_float(t: Type) -> bool:
    return isinstance(t, SIMD) and t.dtype.is_float


def is_bool(t: Type) -> bool:
    return isinstance(t, SIMD) and t.dtype is DType.bool


class Lifecycle:
    """A struct's own `__del__` (`deinit`) and `__copyinit__` (`copy`): the
    `typed.Function`s that every drop and every copy of its values run (None
    where it has none), and whether its values may be copied at all: not with
    `__del__` and neither `__copyinit__`, `@value`/`@fieldwise_init` nor the
    `Copyable` trait (`copyable`)."""
    __slots__ = ("deinit", "copy", "copyable")

    def __init__(self, deinit=None, copy=None, copyable: bool = True):
        self.deinit, self.copy, self.copyable = deinit, copy, copyable


# Lists a type may nest (`List[List[Int]]`: 2): copying or freeing a List calls one
# helper per level (`codegen/memory.py`), each on the stack of the one before.
MAX_LIST_DEPTH = 256


def list_depth(t: Type) -> int:
    """How many Lists deep `t` nests, through List elements and tuple fields (a
    loop down a chain of Lists: one may nest deeper than Python recursion goes)."""
    n = 0
    while isinstance(t, ListType):
        t, n = t.element, n + 1
    return n + max((list_depth(f) for _, f in t.fields), default=0) if is_tuple(t) else n


def owns_memory(t: Type) -> bool:
    """Values that own memory: a Tensor, a List, a String or an Error (whose
    text may be a computed one, on the heap), or a struct holding one (in a
    field, or in a field's field), or a struct with its own `__del__` or
    `__copyinit__`. Such values are copied or counted when stored and released
    when dropped."""
    if isinstance(t, (Tensor, ListType)) or t in (STRING, ERROR):
        return True
    return isinstance(t, Struct) and (t.lifecycle is not None or
                                      any(owns_memory(ft) for _, ft in t.fields))


def has_lifecycle(t: Type, seen: frozenset = frozenset()) -> bool:
    """Whether copying or dropping a `t` runs a user's `__copyinit__` or `__del__`
    (a struct with one, in a field or a List element, at any depth; a struct
    holding a List of itself, a tree, is looked into once)."""
    if isinstance(t, ListType):
        return has_lifecycle(t.element, seen)
    if not isinstance(t, Struct) or t in seen:
        return False
    return t.lifecycle is not None or any(has_lifecycle(ft, seen | {t}) for _, ft in t.fields)


def nests_itself(t: Type, seen: frozenset = frozenset()) -> bool:
    """Whether a `t` may hold a struct that holds a List of that struct, at any
    depth (a tree): such values nest as deep as a program builds them."""
    if isinstance(t, ListType):
        return nests_itself(t.element, seen)
    if not isinstance(t, Struct):
        return False
    return t in seen or any(nests_itself(ft, seen | {t}) for _, ft in t.fields)


def drop_may_fail(t: Type) -> bool:
    """Whether copying or dropping a `t` can fault: it runs a user's method, or
    recurses once per level of a tree (too deep for the thread's stack is a
    fault, not a crash). The lowering gives such values drop flags and checks
    their copies and drops as calls."""
    return has_lifecycle(t) or nests_itself(t)


def not_copyable(t: Type, seen: frozenset = frozenset()) -> Struct | None:
    """The struct that makes a `t` impossible to copy (it has `__del__` but no way
    to copy: see `Lifecycle`), in a field or a List element; None if `t` copies."""
    if isinstance(t, ListType):
        return not_copyable(t.element, seen)
    if not isinstance(t, Struct) or t in seen:
        return None
    if t.lifecycle is not None and not t.lifecycle.copyable:
        return t
    if t.lifecycle is not None and t.lifecycle.copy is not None:
        return None
    return next((s for _, ft in t.fields if (s := not_copyable(ft, seen | {t})) is not None),
                None)


# ------------------------------------------------------------------ parameter defaults
class _Required:
    """In `Function.defaults`: a keyword-only parameter with no default of its own
    after one with a default. One value, kept as itself through a pickle (the cache)."""

    def __repr__(self) -> str:
        return "REQUIRED"

    def __reduce__(self):
        return "REQUIRED"


REQUIRED = _Required()


def default_of(fn, i: int):
    """The default of parameter `i` of `fn` (a Function, or a cached signature with
    the same `params` and `defaults`), or REQUIRED where it has none."""
    k = i - (len(fn.params) - len(fn.defaults))
    return fn.defaults[k] if k >= 0 else REQUIRED

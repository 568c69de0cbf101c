"""The memory model of the reference mode: Tensors, pointers and Lists as Python objects.

In: element types and Python values (as in `semantics`). Out: `RefTensor`,
`RefPointer`, `RefList`, and `BUILTINS`, one Python function per built-in
operation of `typed.Builtin` (the LLVM lowering has one rule per key; a test
checks the key sets match). Faults are `semantics.Fault`s whose message is
the same text the JIT reports (the `*_FAULT` templates below, filled with
`fault(template, a, b)`).

Layout, the same as the JIT's: a Tensor is a view (flat storage, offset,
shape, strides counted in elements) over storage it shares with its copies
and with the NumPy array it came from; a pointer is (storage, offset); a List
owns a Python list and is copied when a variable takes it from another.
Storage is a 1-D NumPy array for numeric elements (so a NumPy argument is
used in place, without a copy) or a Python list otherwise. The reference is
stricter than the JIT where the JIT cannot afford to check: a pointer access
outside its allocation, or after `free`, is a fault here and undefined there;
so are an order between two allocations and an equality with a freed one
(`pointer_compare`: the JIT compares addresses the reference cannot know).
"""
from __future__ import annotations

import operator
import sys

from .semantics import Fault
from .typesys import ERROR, MAX_RANK, DType, ListType, Pointer, SIMD, Type, numpy_dtype  # noqa: F401 (MAX_RANK re-exported)


TENSOR_INDEX_FAULT = "index {a} is out of bounds for axis {axis} with size {b}"
TENSOR_RANK_FAULT = "a Tensor of rank {a} indexed with {n}"     # n: index_count(k)
TENSOR_AXIS_FAULT = "axis {a} is out of range for a Tensor of rank {b}"
NEGATIVE_DIM_FAULT = "Tensor dimension {a} is negative"
LIST_INDEX_FAULT = "List index {a} is out of range for length {b}"
POP_EMPTY_FAULT = "pop from an empty List"
NEGATIVE_LENGTH_FAULT = "List length {a} is negative"
SLICE_STEP_FAULT = "slice step cannot be zero"
NEGATIVE_ALLOC_FAULT = "alloc of a negative count ({a})"
OUT_OF_MEMORY_FAULT = "out of memory (allocating {a} bytes)"
OUT_OF_MEMORY = "out of memory"         # where Python's own allocation failed
SIZE_OVERFLOW_FAULT = "size overflows Int64 (more than 2**63 - 1 bytes)"
POINTER_FAULT = "pointer access outside its allocation (reference mode check)"
FREED_FAULT = "pointer used after free (reference mode check)"
NULL_FAULT = "null pointer dereferenced"
NULL_FUNCTION_FAULT = "call of a function value that was never assigned"
ORDER_FAULT = "pointers into different allocations have no order (reference mode check)"


def index_count(n: int) -> str:
    """`1 index`, `3 indices`."""
    return f"{n} index" if n == 1 else f"{n} indices"


def fault(template: str, a: int = 0, b: int = 0, **static) -> Fault:
    return Fault(template.format(a=a, b=b, **static))


def _np():
    import numpy
    return numpy


def is_array(value) -> bool:
    """Whether `value` is a NumPy array, of a subclass too (`np.memmap`), without
    importing NumPy (no array exists before it is imported)."""
    np = sys.modules.get("numpy")
    return np is not None and isinstance(value, np.ndarray)


def _storage(t: Type, n: int):
    """`n` zeroed elements, or the JIT's faults: a size past what int64 bytes
    can count, or more than this machine has."""
    size = t.dtype.bits // 8 or 1 if isinstance(t, SIMD) else 8
    if n * size >= 1 << 63:
        raise Fault(SIZE_OVERFLOW_FAULT)
    try:
        if isinstance(t, SIMD) and t.width == 1:
            return _np().zeros(n, dtype=numpy_dtype(t.dtype))
        return [None] * n
    except (MemoryError, ValueError, OverflowError):
        raise fault(OUT_OF_MEMORY_FAULT, n * size) from None


# More elements than a Python list could hold here: fail at once, as the JIT's
# allocation does, instead of filling memory one element at a time.
MAX_LIST_LENGTH = 1 << 32


def _check_length(n: int, element: Type | None):
    """The faults of a List made `n` long: negative, a size past what int64 bytes
    count, more than this machine has."""
    if n < 0:
        raise fault(NEGATIVE_LENGTH_FAULT, n)
    size = element.dtype.bits // 8 or 1 if isinstance(element, SIMD) else 8
    if n * size >= 1 << 63:
        raise Fault(SIZE_OVERFLOW_FAULT)
    if n > MAX_LIST_LENGTH:
        raise fault(OUT_OF_MEMORY_FAULT, n * size)


def _to_python(value, t: Type):
    """A storage element as the interpreter's value for type `t`."""
    if isinstance(t, SIMD):
        if t.width > 1:         # a vector element: already a tuple of lanes
            return value
        dt = t.dtype
        return bool(value) if dt is DType.bool else (float(value) if dt.is_float
                                                     else int(value))
    return value


class Allocation:
    """Storage shared by every pointer into one `alloc` (so `free` is seen by all);
    `base` is its made-up address once `Int(p)` asked for it (`pointer_address`)."""
    __slots__ = ("data", "freed", "base")

    def __init__(self, data):
        self.data, self.freed, self.base = data, False, None


class RefPointer:
    __slots__ = ("alloc", "offset", "pointee")

    def __init__(self, alloc: Allocation | None, offset: int, pointee: Type):
        self.alloc, self.offset, self.pointee = alloc, offset, pointee

    def _check(self, i: int) -> int:
        if self.alloc is None:
            raise Fault(NULL_FAULT)
        if self.alloc.freed:
            raise Fault(FREED_FAULT)
        k = self.offset + i
        if not 0 <= k < len(self.alloc.data):
            raise Fault(POINTER_FAULT)
        return k

    def get(self, i: int):
        k = self._check(i)              # before `self.alloc.data`: alloc may be None
        value = self.alloc.data[k]
        if value is None:               # a struct, vector or pointer never stored: zeroes,
            value = self.alloc.data[k] = zero_value(self.pointee)   # as numbers read 0
        return _to_python(value, self.pointee)

    def set(self, i: int, value):
        k = self._check(i)
        self.alloc.data[k] = value


class RefTensor:
    __slots__ = ("mem", "offset", "shape", "strides", "dtype")

    def __init__(self, mem, offset: int, shape: tuple, strides: tuple, dtype: DType):
        self.mem, self.offset, self.shape, self.strides, self.dtype = \
            mem, offset, shape, strides, dtype

    @classmethod
    def zeros(cls, dtype: DType, dims: list[int]) -> "RefTensor":
        for d in dims:
            if d < 0:
                raise fault(NEGATIVE_DIM_FAULT, d)
        n = 1
        for d in dims:
            n *= d
        strides, s = [], 1
        for d in reversed(dims):
            strides.append(s)
            s *= d
        return cls(_storage(SIMD(dtype, 1), n), 0, tuple(dims), tuple(reversed(strides)), dtype)

    @classmethod
    def from_numpy(cls, arr, dtype: DType) -> "RefTensor":
        """A view of `arr`'s memory: writes through it are visible in `arr`."""
        np = _np()
        arr = arr.view(np.ndarray)    # a subclass (np.matrix) may index differently
        item = arr.itemsize
        strides = tuple(s // item for s in arr.strides)
        if arr.size == 0:
            return cls(np.zeros(0, arr.dtype), 0, arr.shape, strides, dtype)
        # The element with the lowest address starts the flat storage.
        low = sum((n - 1) * s for n, s in zip(arr.shape, strides) if s < 0)
        high = sum((n - 1) * s for n, s in zip(arr.shape, strides) if s > 0)
        first = arr[tuple(slice(n - 1, n) if s < 0 else slice(0, 1)
                          for n, s in zip(arr.shape, strides))]
        flat = np.lib.stride_tricks.as_strided(first, shape=(high - low + 1,),
                                               strides=(item,))
        return cls(flat, -low, arr.shape, strides, dtype)

    def to_numpy(self):
        np = _np()
        if not isinstance(self.mem, np.ndarray):
            raise TypeError("tensor storage is not an array")
        item = self.mem.itemsize
        return np.lib.stride_tricks.as_strided(
            self.mem[self.offset:], shape=self.shape,
            strides=tuple(s * item for s in self.strides))

    def address(self, indices) -> int:
        if len(indices) != len(self.shape):
            raise fault(TENSOR_RANK_FAULT, len(self.shape), n=index_count(len(indices)))
        k = self.offset
        for axis, (i, n, s) in enumerate(zip(indices, self.shape, self.strides)):
            if not 0 <= i < n:
                raise fault(TENSOR_INDEX_FAULT, i, n, axis=axis)
            k += i * s
        return k


class RefList:
    __slots__ = ("items",)

    def __init__(self, items: list):
        self.items = items

    def copy(self) -> "RefList":
        """A List of its own: struct elements copied too (the JIT copies their bytes)."""
        return RefList([own(x) for x in self.items])

    def check(self, i: int) -> int:
        """The position of index `i`; a negative one counts from the end (Mojo)."""
        n = len(self.items)
        k = i + n if i < 0 else i
        if not 0 <= k < n:
            raise fault(LIST_INDEX_FAULT, i, n)
        return k


def zero_value(t: Type):
    """The value of a field before `__init__` assigns it (the JIT zeroes them too)."""
    from .typesys import ListType, Struct, Tensor
    if isinstance(t, SIMD):
        lane = _to_python(0, SIMD(t.dtype, 1))
        return lane if t.width == 1 else (lane,) * t.width
    if isinstance(t, Pointer):
        return RefPointer(None, 0, t.pointee)
    if isinstance(t, Struct):
        return RefStruct([zero_value(f) for _, f in t.fields])
    if isinstance(t, ListType):
        return RefList([])
    if isinstance(t, Tensor):       # rank 0, no elements: any index faults on the rank
        return RefTensor(_storage(SIMD(t.dtype, 1), 0), 0, (), (), t.dtype)
    if t == ERROR:
        return ErrorValue("", None)
    return None


class ErrorValue:
    """The value of an `Error`: prints as its message. `span`: where it was first
    raised (None for one made by `Error(...)` and not raised yet)."""
    __slots__ = ("message", "span")

    def __init__(self, message: str, span):
        self.message, self.span = message, span

    def __str__(self) -> str:
        return self.message


def _error_value(text: str) -> ErrorValue:
    return ErrorValue(text, None)


class RefStruct:
    """A struct value: its fields in declaration order."""
    __slots__ = ("fields",)

    def __init__(self, fields: list):
        self.fields = fields

    def copy(self) -> "RefStruct":
        return RefStruct([own(f) for f in self.fields])


class RefObject(RefStruct):
    """A value of a struct with its own `__del__` or `__copyinit__`: copying it
    runs `__copyinit__` through the interpreter that made it (`interp.copy_struct`)."""
    __slots__ = ("interp", "type")

    def __init__(self, fields: list, interp, t):
        self.fields, self.interp, self.type = fields, interp, t

    def copy(self) -> "RefStruct":
        return self.interp.copy_struct(self)


def own(value):
    """What a variable holds when it takes `value` from another variable: a
    List or a struct is copied (deeply: a struct's Lists and structs too)."""
    return value.copy() if value.__class__ in (RefList, RefStruct, RefObject) else value


# ------------------------------------------------------------------ indexing
def index_get(base, indices: list, elem: Type):
    if base.__class__ is RefTensor:
        return _to_python(base.mem[base.address(indices)], elem)
    if base.__class__ is RefList:
        return base.items[base.check(indices[0])]
    return base.get(indices[0])


def index_set(base, indices: list, value):
    if base.__class__ is RefTensor:
        base.mem[base.address(indices)] = value
    elif base.__class__ is RefList:
        base.items[base.check(indices[0])] = value
    else:
        base.set(indices[0], value)


# ------------------------------------------------------------------ builtins
# Each takes (result type, argument values); a `Ref` argument arrives as a
# one-element list holding the variable's value (the interpreter writes it back).
def _tensor_new(t, *dims):
    return RefTensor.zeros(t.dtype, list(dims))


def _tensor_dim(t, x, axis):
    if not 0 <= axis < len(x.shape):
        raise fault(TENSOR_AXIS_FAULT, axis, len(x.shape))
    return x.shape[axis]


def _num_elements(t, x):
    n = 1
    for d in x.shape:
        n *= d
    return n


def _ptr_alloc(t: Pointer, n):
    if n < 0:
        raise fault(NEGATIVE_ALLOC_FAULT, n)
    return RefPointer(Allocation(_storage(t.pointee, n)), 0, t.pointee)


def _ptr_free(t, p):
    if p.alloc is None:
        return
    if p.alloc.freed:
        raise Fault(FREED_FAULT)
    p.alloc.freed = True


def pointer_compare(op, a: RefPointer, b: RefPointer) -> bool:
    """`a op b` (`op` a `semantics.COMPARE` function) as the JIT compares the two
    addresses, signed as Mojo's `Int(a) < Int(b)`: within one allocation by
    offset, and the null pointer (and what `+ k` makes of it) below every
    allocation. Two allocations are never equal; where the JIT's answer
    depends on addresses the reference cannot know, a fault: an order between
    two allocations, or an equality with a freed one (its address may be
    reused). One storage is one allocation, whichever `unsafe_ptr()` made it."""
    x, y = a.alloc, b.alloc
    if x is y or x is not None and y is not None and x.data is y.data:
        return op(a.offset, b.offset)
    if x is not None and y is not None:
        if op in (operator.eq, operator.ne):
            if x.freed or y.freed:
                raise Fault(FREED_FAULT)
            return op is operator.ne
        raise Fault(ORDER_FAULT)
    return op(0 if x is None else 1, 0 if y is None else 1)


# The made-up address of the next allocation that `Int(p)` asks the address of
# and that has none of its own (not NumPy storage): 1 TiB, then 4 GiB apart.
_next_base = [1 << 40]


def pointer_address(t, p: RefPointer) -> int:
    """`Int(p)`: the address. The reference mode knows the real one of NumPy
    storage only (a Tensor's, an `alloc` of numbers); any other allocation gets
    a made-up one, deterministic (the first asked is at 1 TiB, each next 4 GiB
    higher), the same for every pointer into it. Within one allocation, and
    from the null pointer (0), addresses step by the element's size, as in the
    JIT; across allocations they are not the JIT's (tests compare no more)."""
    from .codegen.irtypes import elem_size
    alloc, base = p.alloc, 0
    if alloc is not None and is_array(alloc.data):
        base = alloc.data.ctypes.data
    elif alloc is not None:
        if alloc.base is None:
            alloc.base, _next_base[0] = _next_base[0], _next_base[0] + (1 << 32)
        base = alloc.base
    address = (base + p.offset * elem_size(p.pointee)) & ((1 << 64) - 1)
    return address - (1 << 64) if address >> 63 else address


def _ptr_offset(t, p, k):
    return RefPointer(p.alloc, p.offset + k, p.pointee)


def _memset_zero(t, p, n):
    for i in range(n):
        p.set(i, zero_value(p.pointee))


def _memcpy(t, dest, src, n):
    values = [src.get(i) for i in range(n)]
    for i, v in enumerate(values):
        dest.set(i, v)


def _list_append(t, ref, value):
    ref[0].items.append(value)


def _list_pop(t, ref, i):
    if not ref[0].items:
        raise Fault(POP_EMPTY_FAULT)
    return ref[0].items.pop(ref[0].check(i))


def _list_filled(t, n, value):
    _check_length(n, t.element if isinstance(t, ListType) else None)
    return RefList([own(value) for _ in range(n)])


def _list_resize(t, ref, n, value):
    _check_length(n, None)
    items = ref[0].items
    del items[n:]
    items.extend(own(value) for _ in range(n - len(items)))


def python_slice(start: int, stop: int, step: int, given: int) -> slice:
    """The Python slice of `x[start:stop:step]` (`given`: 1 if start was written,
    2 if stop was; a part left out is None, whose meaning depends on the step)."""
    if step == 0:
        raise Fault(SLICE_STEP_FAULT)
    return slice(start if given & 1 else None, stop if given & 2 else None, step)


def _list_slice(t, x, start, stop, step, given):
    return RefList([own(v) for v in x.items[python_slice(start, stop, step, given)]])


# The built-ins whose element arguments the List keeps (each a copy of its own).
TAKES_ELEMENTS = frozenset({"list.new", "list.append", "list.insert"})

BUILTINS = {
    "tensor.new": _tensor_new,
    "tensor.dim": _tensor_dim,
    "tensor.rank": lambda t, x: len(x.shape),
    "tensor.num_elements": _num_elements,
    "tensor.unsafe_ptr": lambda t, x: RefPointer(Allocation(x.mem), x.offset,
                                                 SIMD(x.dtype, 1)),
    "ptr.alloc": _ptr_alloc,
    "ptr.free": _ptr_free,
    "ptr.null": lambda t: RefPointer(None, 0, t.pointee),
    "ptr.offset": _ptr_offset,
    "ptr.address": pointer_address,
    "memset_zero": _memset_zero,
    "memcpy": _memcpy,
    "list.new": lambda t, *items: RefList(list(items)),
    "list.filled": _list_filled,
    "list.append": _list_append,
    "list.pop": _list_pop,
    "list.insert": lambda t, ref, i, value: ref[0].items.insert(i, value),   # Python's clamping
    "list.extend": lambda t, ref, other: ref[0].items.extend([own(x) for x in other.items]),
    "list.resize": _list_resize,
    "list.clear": lambda t, ref: ref[0].items.clear(),
    "list.reverse": lambda t, ref: ref[0].items.reverse(),
    "list.len": lambda t, x: len(x.items),
    "list.contains": lambda t, x, item: any(v == item for v in x.items),   # `==`: NaN is in none
    "list.slice": _list_slice,
    "string.len": lambda t, x: len(x.encode("utf-8", "surrogatepass")),
    "string.concat": lambda t, x, y: x + y,
    "tuple.len": lambda t, x, n: n,                 # `x` evaluated for its effects
    "error.message": lambda t, e: e.message,
    "error.new": lambda t, text: _error_value(text),
}

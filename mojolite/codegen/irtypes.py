"""How mojolite types are laid out in LLVM.

In: a mojolite `Type`. Out: its LLVM type (`llvm_type`), how an element of it
sits in memory (`mem_type`, `elem_size`) and small IR helpers shared by the
lowering modules. Layouts (the Python API depends on them):
- scalars are LLVM scalars (Bool is i1 in registers, one byte in memory);
- `UnsafePointer[T]` is an opaque `ptr`, as is a function value (its address);
- `Tensor[dt]` is `{ptr data, i64 rank, [4 x i64] shape, [4 x i64] strides,
  ptr owner}` (88 bytes): strides count elements, unused trailing axes have
  shape 1 and stride 0, `owner` is NULL for a borrowed view (a NumPy array) or
  the heap block `{i64 refcount, ...}` holding the data at offset 64;
- `List[T]` is `{ptr data, i64 len, i64 cap}`, owning `data` (malloc'd);
- `String` is `{ptr bytes, i64 length, ptr owner}` (UTF-8, not NUL-terminated):
  `owner` is NULL for text the String borrows (a constant, a Python str) or
  the heap block `{i64 refcount, bytes}` holding a computed text (at offset
  `STRING_HEADER`), counted as a Tensor's block is;
- `Error` is `{ptr bytes, i64 length, i32 site, ptr owner}`: its message (as a
  String's fields) and the `raise`'s site.
"""
from __future__ import annotations

import functools

from llvmlite import ir

from ..errors import STRING_HEADER, InternalError  # noqa: F401 (STRING_HEADER: for lowering)
from ..typesys import (ERROR, MAX_RANK, STRING, DType, FnType, ListType, Named, Pointer, SIMD,
                       Struct, Tensor, Type, ret_is_none)

I1, I8, I16, I32, I64 = (ir.IntType(n) for n in (1, 8, 16, 32, 64))
F32, F64 = ir.FloatType(), ir.DoubleType()
PTR = ir.PointerType()
CTX_FIELDS = (I32, I32, I64, I64)       # the failure record: { i32 code; i32 site; i64 a; i64 b; }
# ctx.code: 1 for a fault, 2 for an `Error` raised (a: its message, b: its length;
# a message on the heap: a = its String block, of which ctx holds a reference,
# and b = ~length, negative), which an enclosing `try` may catch.
CODE_FAULT, CODE_RAISED = 1, 2

TENSOR_IR = ir.LiteralStructType([PTR, I64, ir.ArrayType(I64, MAX_RANK),
                                  ir.ArrayType(I64, MAX_RANK), PTR])
TENSOR_DATA, TENSOR_RANK, TENSOR_SHAPE, TENSOR_STRIDES, TENSOR_OWNER = range(5)
TENSOR_HEADER = 64           # bytes before the data in an owned block (refcount first)
LIST_IR = ir.LiteralStructType([PTR, I64, I64])
LIST_DATA, LIST_LEN, LIST_CAP = range(3)
STRING_IR = ir.LiteralStructType([PTR, I64, PTR])
STRING_BYTES, STRING_LEN, STRING_OWNER = range(3)
# An `Error` value (the error an `except e:` caught): its message's bytes and
# length, the fault site of the `raise` that made it, its message's owner.
ERROR_IR = ir.LiteralStructType([PTR, I64, I32, PTR])
ERROR_SITE, ERROR_OWNER = 2, 3

_DTYPE_IR = {
    DType.bool: I1,
    DType.int8: I8, DType.int16: I16, DType.int32: I32, DType.int64: I64,
    DType.uint8: I8, DType.uint16: I16, DType.uint32: I32, DType.uint64: I64,
    DType.index: I64, DType.uindex: I64,
    DType.float32: F32, DType.float64: F64,
}


@functools.singledispatch
def llvm_type(t: Type) -> ir.Type:
    """The LLVM type of a value of mojolite type `t` (one rule per type class)."""
    raise InternalError(f"codegen: no LLVM type for {t}")


@llvm_type.register
def _(t: SIMD) -> ir.Type:
    elem = _DTYPE_IR.get(t.dtype)
    if elem is None:
        raise InternalError(f"codegen: {t} is not supported")
    return elem if t.width == 1 else ir.VectorType(elem, t.width)


@llvm_type.register
def _(t: Pointer) -> ir.Type:
    return PTR


@llvm_type.register
def _(t: FnType) -> ir.Type:
    return PTR          # the function's address; see lower.visit_CallValue


@llvm_type.register
def _(t: Tensor) -> ir.Type:
    return TENSOR_IR


@llvm_type.register
def _(t: ListType) -> ir.Type:
    return LIST_IR


@llvm_type.register
def _(t: Struct) -> ir.Type:
    return ir.LiteralStructType([llvm_type(ft) for _, ft in t.fields])


@llvm_type.register
def _(t: Named) -> ir.Type:
    if t == STRING:
        return STRING_IR
    if t == ERROR:
        return ERROR_IR
    raise InternalError(f"codegen: no LLVM type for {t}")


def mem_type(t: Type) -> ir.Type:
    """The type of an element stored in memory (Bool is a byte there)."""
    ty = llvm_type(t)
    return I8 if ty == I1 else ty


_SIZES = {I8: 1, I16: 2, I32: 4, I64: 8, F32: 4, F64: 8, PTR: 8}


def elem_size(t: Type) -> int:
    """Bytes between consecutive elements of type `t` in memory (x86-64 layout)."""
    return _size_align(mem_type(t))[0]


def _size_align(ty: ir.Type) -> tuple[int, int]:
    """Size and alignment in bytes, as LLVM's x86-64 data layout gives them."""
    if isinstance(ty, ir.VectorType) and ty.element == I1:
        size = max(1, ty.count // 8)        # a Bool vector's lanes are bits in memory
        return size, size
    if isinstance(ty, ir.VectorType):
        size = _SIZES[ty.element] * ty.count
        return size, size
    if isinstance(ty, ir.ArrayType):
        size, align = _size_align(ty.element)
        return size * ty.count, align
    if isinstance(ty, ir.LiteralStructType):
        offset, struct_align = 0, 1
        for member in ty.elements:
            size, align = _size_align(I8 if member == I1 else member)
            offset = (offset + align - 1) // align * align + size
            struct_align = max(struct_align, align)
        return (offset + struct_align - 1) // struct_align * struct_align, struct_align
    return _SIZES[ty], _SIZES[ty]


def is_aggregate(t: Type) -> bool:
    """Values that cross the entry ABI by address (a slot holds a pointer to them)."""
    return isinstance(t, (Tensor, ListType)) or t == STRING


def result_type(ret: Type) -> ir.Type:
    """`{T, i1}` for a function returning T, `i1` for one with no result."""
    return I1 if ret_is_none(ret) else ir.LiteralStructType([llvm_type(ret), I1])


def mangle(ty: ir.Type) -> str:
    """Intrinsic name suffix: i64, f32, f64, v4f64, p0."""
    if isinstance(ty, ir.IntType):
        return f"i{ty.width}"
    if isinstance(ty, ir.VectorType):
        return f"v{ty.count}{mangle(ty.element)}"
    if isinstance(ty, ir.PointerType):
        return "p0"
    return {F32: "f32", F64: "f64"}[ty]


def int_const(ty: ir.IntType, value: int) -> ir.Constant:
    """Constant of an int type from any Python int (unsigned values are written signed)."""
    value &= (1 << ty.width) - 1
    if ty.width > 1 and value >> (ty.width - 1):
        value -= 1 << ty.width
    return ir.Constant(ty, value)

"""Lowering of Tensor values: allocation, `dim`, `rank`, `num_elements`, the data pointer.

In: `typed.Builtin` nodes named `tensor.*`, handed over through
`lower.BUILTIN_RULES` (which joins `RULES` to the other memory tables) with
their operands lowered (`irtypes.TENSOR_IR` values and i64 sizes). Out: IR in
fx's builder. The meaning of each rule is `mojolite.memory` (the reference
mode), including the fault templates.

A new Tensor is one block `{refcount 1 | pad to 64 | data}`, zeroed, row-major;
its `owner` points to the block. Indexing a Tensor (`element_address`) and
counting its references (`retain`, `release`) are `codegen/memory.py`'s: they
are shared with Lists, pointers and Strings.
"""
from __future__ import annotations

import sys

from llvmlite import ir

from .. import memory as M
from ..typesys import SIMD
from .irtypes import (I1, I8, I32, I64, PTR, TENSOR_DATA, TENSOR_HEADER, TENSOR_IR, TENSOR_OWNER,
                      TENSOR_RANK, TENSOR_SHAPE, TENSOR_STRIDES, elem_size)
from .memory import _checked_allocate, _memset, _mul_checked, helper_function, libc


# Large tensors ask Linux for transparent huge pages, as NumPy does for its arrays: with
# THP in its usual "madvise" mode, first touching a 32 MB tensor costs 16 page faults of
# 2 MB instead of 8,192 of 4 KB (gd's setup at N = 2000: 17 -> 6 ms).
HUGE_PAGES = sys.platform.startswith("linux")
HUGE_MIN = 1 << 22               # bytes: NumPy's threshold
PAGE = 4096
MADV_HUGEPAGE = 14               # Linux's value


def _huge_pages(fx):
    """    size >= HUGE_MIN → madvise(the whole pages of [block, block + size), MADV_HUGEPAGE)
    (advice only: its result is ignored)."""
    def build(fn, b):
        block, size = fn.args
        block.name, size.name = "block", "size"
        big, done = fn.append_basic_block("big"), fn.append_basic_block("done")
        b.cbranch(b.icmp_signed(">=", size, I64(HUGE_MIN)), big, done)
        b.position_at_end(big)
        start = b.and_(b.add(b.ptrtoint(block, I64), I64(PAGE - 1)), I64(-PAGE), "start")
        end = b.and_(b.add(b.ptrtoint(block, I64), size), I64(-PAGE), "end")
        b.call(libc(fx, "madvise"), [b.inttoptr(start, PTR), b.sub(end, start),
                                     I32(MADV_HUGEPAGE)])
        b.branch(done)
        b.position_at_end(done)
        b.ret_void()
    return helper_function(fx, "mojolite.tensor.huge_pages", ir.VoidType(), [PTR, I64], build,
                           inline=False)


def _tensor_new(fx, e, *dims):
    """Zeroed, row-major: block = {refcount 1 | pad to 64 | data}, strides from the right."""
    b, elem = fx.builder, SIMD(e.type.dtype, 1)
    count, overflow = I64(1), None
    for d in dims:
        fx.fault_if(b.icmp_signed("<", d, I64(0)), e.span, M.NEGATIVE_DIM_FAULT, "negdim", a=d)
        count, overflow = _mul_checked(fx, count, d, overflow)
    nbytes, overflow = _mul_checked(fx, count, I64(elem_size(elem)), overflow)
    size = b.add(nbytes, I64(TENSOR_HEADER))
    block = _checked_allocate(fx, e, size, overflow)
    if HUGE_PAGES:
        b.call(_huge_pages(fx), [block, size])
    b.store(I64(1), block)
    data = b.gep(block, [I64(TENSOR_HEADER)], source_etype=I8, name="data")
    b.call(_memset(fx), [data, I8(0), nbytes, I1(0)])
    t = b.insert_value(ir.Constant(TENSOR_IR, None), data, TENSOR_DATA)
    t = b.insert_value(t, I64(len(dims)), TENSOR_RANK)
    stride = I64(1)
    for axis in range(M.MAX_RANK - 1, -1, -1):
        if axis < len(dims):
            t = b.insert_value(t, dims[axis], [TENSOR_SHAPE, axis])
            t = b.insert_value(t, stride, [TENSOR_STRIDES, axis])
            stride = b.mul(stride, dims[axis])
        else:
            t = b.insert_value(t, I64(1), [TENSOR_SHAPE, axis])
    return b.insert_value(t, block, TENSOR_OWNER)


def _tensor_dim(fx, e, t, axis):
    b = fx.builder
    rank = b.extract_value(t, TENSOR_RANK, "rank")
    fx.fault_if(b.icmp_unsigned(">=", axis, rank), e.span, M.TENSOR_AXIS_FAULT, "axis",
                a=axis, b=rank)
    if isinstance(axis, ir.Constant) and 0 <= axis.constant < M.MAX_RANK:
        return b.extract_value(t, [TENSOR_SHAPE, axis.constant], "dim")
    shape = fx.entry_alloca(ir.ArrayType(I64, M.MAX_RANK), "shape")
    b.store(b.extract_value(t, TENSOR_SHAPE), shape)
    return b.load(b.gep(shape, [I64(0), axis], source_etype=shape.allocated_type), "dim",
                  typ=I64)


def _num_elements(fx, e, t):
    b = fx.builder
    n = b.extract_value(t, [TENSOR_SHAPE, 0])
    for axis in range(1, M.MAX_RANK):       # unused axes have size 1
        n = b.mul(n, b.extract_value(t, [TENSOR_SHAPE, axis]))
    return n


RULES = {
    "tensor.new": _tensor_new,
    "tensor.dim": _tensor_dim,
    "tensor.rank": lambda fx, e, t: fx.builder.extract_value(t, TENSOR_RANK, "rank"),
    "tensor.num_elements": _num_elements,
    "tensor.unsafe_ptr": lambda fx, e, t: fx.builder.extract_value(t, TENSOR_DATA, "data"),
}

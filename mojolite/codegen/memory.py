"""Lowering of the memory types: Tensor, UnsafePointer, List and String values.

In: `typed.Index`, `typed.Store` and `typed.Builtin` nodes, handed over by
`lower._FunctionLowering` (`fx`) with their operands already lowered. Out: IR
in fx's builder, plus helper functions emitted once per module. Layouts are in
`irtypes`; the meaning of every operation is `mojolite.memory` (the reference
mode), whose `BUILTINS` table has exactly the keys of `BUILTIN_RULES` here and
`codegen/strings.RULES` (the String operations; `lower.BUILTIN_RULES` joins them).

Ownership (the protocol `lower.py` follows): a variable owns its Tensor,
List or String. Storing a value that is not new (`typed.produces_owned` is false) first
`retain`s it: a Tensor's reference count goes up by one (atomically: parallel
bodies share tensors), a List is copied. Overwriting a variable, leaving the
function and discarding an unstored new value `release` it: a Tensor's count
goes down and the block is freed at zero; a List frees its buffer. A Tensor
whose `owner` is NULL is a borrowed view (a NumPy array): retain and release
do nothing to it. A String (or an Error's message) is counted as a Tensor is,
through its `owner`: NULL for borrowed text (a constant), or the heap block
of a computed text (`+`, `String(x)`).
A struct holding Tensors or Lists (`typesys.owns_memory`) is retained and
released field by field. A List whose elements own memory retains each element
it copies and releases each element it drops (`_retain_range`,
`_release_range`): a List of Lists is copied deeply, as Mojo's value semantics
require; its Strings and Tensors are shared and counted.
"""
from __future__ import annotations

import contextlib
import sys

from llvmlite import ir

from .. import memory as M
from ..typesys import ERROR, STRING, ListType, SIMD, Struct, Tensor, Type, owns_memory
from .irtypes import (ERROR_OWNER, I1, I8, I32, I64, LIST_CAP, LIST_DATA, LIST_IR, LIST_LEN, PTR,
                      STRING_BYTES, STRING_HEADER, STRING_IR, STRING_LEN, STRING_OWNER,
                      TENSOR_DATA, TENSOR_HEADER, TENSOR_IR, TENSOR_OWNER, TENSOR_RANK,
                      TENSOR_SHAPE, TENSOR_STRIDES, elem_size, llvm_type, mem_type)

ALIGN = 64       # bytes: every allocation starts on a cache line (and an AVX-512 vector)

_LIBC = {
    "aligned_alloc": (PTR, [I64, I64]),
    "free": (ir.VoidType(), [PTR]),
    "memcmp": (I32, [PTR, PTR, I64]),
    "memmem": (PTR, [PTR, I64, PTR, I64]),
    "madvise": (I32, [PTR, I64, I32]),
    "strtod": (ir.DoubleType(), [PTR, PTR]),
}


def libc(fx, name: str) -> ir.Function:
    ret, args = _LIBC[name]
    return fx.ml._get_or_declare(name, ir.FunctionType(ret, args), ("nounwind",))


# ------------------------------------------------------------------ elements
def load_element(fx, address, t: Type):
    v = fx.builder.load(address, typ=mem_type(t))
    return fx.builder.trunc(v, I1) if v.type != llvm_type(t) else v


def store_element(fx, value, address):
    if value.type == I1:
        value = fx.builder.zext(value, I8)
    fx.builder.store(value, address)


def element_address(fx, node, base_t: Type, base, indices):
    """Address of `base[indices]`; in checked mode a wrong rank or an index
    outside [0, size) faults with the index and the size."""
    b = fx.builder
    checks = fx.ml.checks
    if isinstance(base_t, Tensor):
        elem = SIMD(base_t.dtype, 1)
        if checks:
            rank = b.extract_value(base, TENSOR_RANK, "rank")
            fx.fault_if(b.icmp_unsigned("!=", rank, I64(len(indices))), node.span,
                        M.TENSOR_RANK_FAULT.replace("{n}", M.index_count(len(indices))),
                        "rank", a=rank)
        offset = None
        for axis, i in enumerate(indices):
            if checks:
                size = b.extract_value(base, [TENSOR_SHAPE, axis], f"dim{axis}")
                fx.fault_if(b.icmp_unsigned(">=", i, size), node.span,
                            M.TENSOR_INDEX_FAULT.replace("{axis}", str(axis)), "bounds",
                            a=i, b=size)
            stride = b.extract_value(base, [TENSOR_STRIDES, axis], f"stride{axis}")
            term = b.mul(i, stride)
            offset = term if offset is None else b.add(offset, term)
        data = b.extract_value(base, TENSOR_DATA, "data")
        return b.gep(data, [offset], source_etype=mem_type(elem), name="elem")
    if isinstance(base_t, ListType):
        (i,) = indices
        n = b.extract_value(base, LIST_LEN, "len")
        k = _list_position(fx, i, n)
        if checks:
            fx.fault_if(b.icmp_unsigned(">=", k, n), node.span, M.LIST_INDEX_FAULT, "bounds",
                        a=i, b=n)
        data = b.extract_value(base, LIST_DATA, "data")
        return b.gep(data, [k], source_etype=mem_type(base_t.element), name="elem")
    (i,) = indices
    return b.gep(base, [i], source_etype=mem_type(base_t.pointee), name="elem")


def _list_position(fx, i, n):
    """The position of List index `i`: a negative one counts from the end (Mojo);
    still outside [0, n) (unsigned) when `i` is out of range either way."""
    b = fx.builder
    return b.select(b.icmp_signed("<", i, I64(0)), b.add(i, n), i, "pos")


# ------------------------------------------------------------------ ownership
def retain(fx, value, t: Type, b: ir.IRBuilder | None = None):
    """The value a variable stores when it takes `value` from another variable
    (emitted by `b`, fx's builder unless given)."""
    b = b or fx.builder
    if isinstance(t, Tensor):
        b.call(_tensor_retain(fx), [b.extract_value(value, TENSOR_OWNER)])
        return value
    if isinstance(t, ListType):         # a new buffer; managed elements each retained
        copy = b.call(_list_copy(fx), [value, I64(elem_size(t.element))], "copy")
        if owns_memory(t.element):
            b.call(_retain_range(fx, t.element),
                   [b.extract_value(copy, LIST_DATA), I64(0), b.extract_value(copy, LIST_LEN)])
        return copy
    if t in (STRING, ERROR):
        b.call(_tensor_retain(fx), [b.extract_value(value, STRING_OWNER if t == STRING
                                                    else ERROR_OWNER)])
        return value
    if isinstance(t, Struct):           # field by field: its Lists copied, Tensors counted
        for k, (name, ft) in enumerate(t.fields):
            if owns_memory(ft):
                value = b.insert_value(value, retain(fx, b.extract_value(value, k, name), ft, b),
                                       k)
    return value


def release(fx, value, t: Type, b: ir.IRBuilder | None = None):
    b = b or fx.builder
    if isinstance(t, Tensor):
        b.call(_tensor_release(fx), [b.extract_value(value, TENSOR_OWNER)])
    elif isinstance(t, ListType):
        data = b.extract_value(value, LIST_DATA)
        if owns_memory(t.element):
            b.call(_release_range(fx, t.element),
                   [data, I64(0), b.extract_value(value, LIST_LEN)])
        b.call(libc(fx, "free"), [data])
    elif t in (STRING, ERROR):
        owner = b.extract_value(value, STRING_OWNER if t == STRING else ERROR_OWNER)
        b.call(_tensor_release(fx), [owner])
    elif isinstance(t, Struct):
        for k, (name, ft) in enumerate(t.fields):
            if owns_memory(ft):
                release(fx, b.extract_value(value, k, name), ft, b)


def _retain_range(fx, elem: Type) -> ir.Function:
    """    for k in [start, stop): data[k] = retain(data[k])
    (the elements of a List whose bytes were just copied take their own references)."""
    def body(b, address):
        b.store(retain(fx, b.load(address, typ=mem_type(elem)), elem, b), address)
    return _element_loop(fx, "retain", elem, body)


def _release_range(fx, elem: Type) -> ir.Function:
    """    for k in [start, stop): release(data[k])   (the elements a List drops)."""
    def body(b, address):
        release(fx, b.load(address, typ=mem_type(elem)), elem, b)
    return _element_loop(fx, "release", elem, body)


@contextlib.contextmanager
def counted_loop(b: ir.IRBuilder, start, stop, name: str):
    """`for k in range(start, stop)` on i64 (a phi): yields k with the builder in
    the body, which may branch; the loop goes on from the block the body ends in.

        → <name>.test ─→ <name>.body ─→ … ─→ <name>.test
                     └─→ <name>.done
    """
    fn = b.function
    test, body, done = (fn.append_basic_block(f"{name}.{s}") for s in ("test", "body", "done"))
    before = b.block
    b.branch(test)
    b.position_at_end(test)
    k = b.phi(I64, "k")
    k.add_incoming(start, before)
    b.cbranch(b.icmp_signed("<", k, stop), body, done)
    b.position_at_end(body)
    yield k
    k.add_incoming(b.add(k, I64(1)), b.block)
    b.branch(test)
    fn.blocks.remove(done)          # reading order: the loop's end after its body
    fn.blocks.append(done)
    b.position_at_end(done)


def _element_loop(fx, kind: str, elem: Type, body) -> ir.Function:
    """A helper `(data, start, stop)` doing `body(builder, &data[k])` for each k
    in [start, stop); one per element type and kind."""
    helpers, key = fx.ml.type_helpers, (kind, elem)
    if key in helpers:
        return helpers[key]

    def build(fn, b):
        data, start, stop = fn.args
        data.name, start.name, stop.name = "data", "start", "stop"
        with counted_loop(b, start, stop, "each") as k:
            body(b, b.gep(data, [k], source_etype=mem_type(elem), name="elem"))
        b.ret_void()
    # Numbered (a struct's name may not be unique), and known before it is built:
    # a struct holding a List of itself (a tree) calls it from its own body.
    fn = helpers[key] = ir.Function(fx.ml.module, ir.FunctionType(ir.VoidType(), [PTR, I64, I64]),
                                    f"mojolite.list.{kind}.{len(helpers)}")
    fn.linkage = "internal"
    fn.attributes.add("nounwind")
    if _has_element_loop(elem):     # inlined into each other, the loops of Lists nested
        fn.attributes.add("noinline")   # 100 deep cost -O3 minutes
    build(fn, ir.IRBuilder(fn.append_basic_block("entry")))
    return fn


def _has_element_loop(t: Type) -> bool:
    """Whether copying or dropping `t` loops over a List's elements that own memory."""
    if isinstance(t, ListType):
        return owns_memory(t.element)
    return isinstance(t, Struct) and any(_has_element_loop(ft) for _, ft in t.fields)


def helper_function(fx, name: str, ret: ir.Type, args: list[ir.Type], build,
                    inline: bool = True) -> ir.Function:
    """An internal function emitted once per module by `build(fn, builder)`."""
    existing = fx.ml.module.globals.get(name)
    if existing is not None:
        return existing
    fn = ir.Function(fx.ml.module, ir.FunctionType(ret, args), name)
    fn.linkage = "internal"
    fn.attributes.add("nounwind")
    if inline:
        fn.attributes.add("alwaysinline")
    build(fn, ir.IRBuilder(fn.append_basic_block("entry")))
    return fn


def _tensor_retain(fx):
    """    owner == null → done;  else atomic owner.refcount += 1"""
    def build(fn, b):
        (owner,) = fn.args
        owner.name = "owner"
        counted, done = fn.append_basic_block("counted"), fn.append_basic_block("done")
        b.cbranch(b.icmp_unsigned("==", owner, ir.Constant(PTR, None)), done, counted)
        b.position_at_end(counted)
        b.atomic_rmw("add", owner, I64(1), "monotonic")
        b.branch(done)
        b.position_at_end(done)
        b.ret_void()
    return helper_function(fx, "mojolite.tensor.retain", ir.VoidType(), [PTR], build)


def _tensor_release(fx):
    """    owner == null → done;  atomic owner.refcount -= 1; was 1 → free(owner)"""
    def build(fn, b):
        (owner,) = fn.args
        owner.name = "owner"
        counted, last, done = (fn.append_basic_block(n) for n in ("counted", "last", "done"))
        b.cbranch(b.icmp_unsigned("==", owner, ir.Constant(PTR, None)), done, counted)
        b.position_at_end(counted)
        old = b.atomic_rmw("sub", owner, I64(1), "acq_rel", "old")
        b.cbranch(b.icmp_signed("==", old, I64(1)), last, done)
        b.position_at_end(last)
        b.call(libc(fx, "free"), [owner])
        b.branch(done)
        b.position_at_end(done)
        b.ret_void()
    return helper_function(fx, "mojolite.tensor.release", ir.VoidType(), [PTR], build)


def _list_copy(fx):
    """A new buffer of `len` elements holding the same bytes: {copy, len, len}."""
    def build(fn, b):
        lst, size = fn.args
        lst.name, size.name = "list", "elem_size"
        n = b.extract_value(lst, LIST_LEN, "len")
        data = _allocate(fx, b, b.mul(n, size))
        b.call(_memmove(fx), [data, b.extract_value(lst, LIST_DATA), b.mul(n, size), I1(0)])
        b.ret(list_value(b, data, n))
    return helper_function(fx, "mojolite.list.copy", LIST_IR, [LIST_IR, I64], build)


def list_value(b, data, n):
    """The List `{data, n, n}`: `n` elements filling the buffer `data`."""
    lst = b.insert_value(ir.Constant(LIST_IR, None), data, LIST_DATA)
    return b.insert_value(b.insert_value(lst, n, LIST_LEN), n, LIST_CAP)


def new_list(fx, e, elem: Type, count):
    """A List of `count` elements of type `elem` (not yet written) and its buffer."""
    data = _checked_allocate(fx, e, fx.builder.mul(count, I64(elem_size(elem))))
    return list_value(fx.builder, data, count), data


def _memmove(fx):
    return fx.ml.intrinsic("llvm.memmove", ir.VoidType(), [PTR, PTR, I64, I1], [PTR, PTR, I64])


def _memset(fx):
    return fx.ml.intrinsic("llvm.memset", ir.VoidType(), [PTR, I8, I64, I1], [PTR, I64])


def _allocate(fx, b, nbytes):
    """`aligned_alloc(64, nbytes rounded up to 64)`; a size of 0 still gets a block."""
    rounded = b.and_(b.add(nbytes, I64(ALIGN - 1)), I64(-ALIGN))
    rounded = b.select(b.icmp_unsigned("==", rounded, I64(0)), I64(ALIGN), rounded)
    return b.call(libc(fx, "aligned_alloc"), [I64(ALIGN), rounded], "block")


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


def _checked_allocate(fx, node, nbytes, overflow=None):
    """Allocate or fault "out of memory" ("size overflows" when computing it did)."""
    b = fx.builder
    if overflow is not None:
        fx.fault_if(overflow, node.span, M.SIZE_OVERFLOW_FAULT, "overflow")
    block = _allocate(fx, b, nbytes)
    fx.fault_if(b.icmp_unsigned("==", block, ir.Constant(PTR, None)), node.span,
                M.OUT_OF_MEMORY_FAULT, "oom", a=nbytes)
    return block


def _mul_checked(fx, a, b, overflow):
    """a * b (signed i64) and whether this or an earlier product overflowed."""
    fn = fx.ml.intrinsic("llvm.smul.with.overflow", ir.LiteralStructType([I64, I1]),
                         [I64, I64], [I64])
    pair = fx.builder.call(fn, [a, b])
    flag = fx.builder.extract_value(pair, 1)
    return fx.builder.extract_value(pair, 0), (flag if overflow is None
                                               else fx.builder.or_(overflow, flag))


# ------------------------------------------------------------------ builtins
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


def _ptr_alloc(fx, e, n):
    b = fx.builder
    if fx.ml.checks:
        fx.fault_if(b.icmp_signed("<", n, I64(0)), e.span, M.NEGATIVE_ALLOC_FAULT, "negalloc",
                    a=n)
    nbytes, overflow = _mul_checked(fx, n, I64(elem_size(e.type.pointee)), None)
    return _checked_allocate(fx, e, nbytes, overflow)


def _ptr_free(fx, e, p):
    fx.builder.call(libc(fx, "free"), [p])


def _ptr_offset(fx, e, p, k):
    return fx.builder.gep(p, [k], source_etype=mem_type(e.type.pointee), name="moved")


def _memset_zero(fx, e, p, n):
    nbytes = fx.builder.mul(n, I64(elem_size(e.args[0].type.pointee)))
    fx.builder.call(_memset(fx), [p, I8(0), nbytes, I1(0)])


def _memcpy(fx, e, dest, src, n):
    nbytes = fx.builder.mul(n, I64(elem_size(e.args[0].type.pointee)))
    fx.builder.call(_memmove(fx), [dest, src, nbytes, I1(0)])


def _list_new(fx, e, *items):
    b, elem = fx.builder, e.type.element
    lst = ir.Constant(LIST_IR, None)
    if items:
        data = _checked_allocate(fx, e, I64(len(items) * elem_size(elem)))
        for k, v in enumerate(items):
            store_element(fx, v, b.gep(data, [I64(k)], source_etype=mem_type(elem)))
        lst = list_value(b, data, I64(len(items)))
    return lst


def _list_reserve(fx, e, lst, needed, size):
    """`lst` with room for `needed` elements: when full, its buffer grows to
    the larger of `needed` and double the capacity (at least 4)."""
    b = fx.builder
    cap = b.extract_value(lst, LIST_CAP, "cap")
    grow, done = fx.new_block("list.grow"), fx.new_block("list.room")
    before = b.block
    b.cbranch(b.icmp_signed(">", needed, cap), grow, done)
    b.position_at_end(grow)
    doubled = b.mul(cap, I64(2))
    new_cap = b.select(b.icmp_signed("<", doubled, I64(4)), I64(4), doubled)
    new_cap = b.select(b.icmp_signed(">", needed, new_cap), needed, new_cap, "new.cap")
    nbytes, overflow = _mul_checked(fx, new_cap, I64(size), None)
    fx.fault_if(overflow, e.span, M.SIZE_OVERFLOW_FAULT, "overflow")
    # a new aligned block, not `realloc`, whose block is only 16-byte aligned: the
    # elements' loads and stores (a SIMD vector's, 32 or 64 bytes) assume ALIGN
    data = _allocate(fx, b, nbytes)
    fx.fault_if(b.icmp_unsigned("==", data, ir.Constant(PTR, None)), e.span,
                M.OUT_OF_MEMORY_FAULT, "oom", a=nbytes)
    old = b.extract_value(lst, LIST_DATA)
    b.call(_memmove(fx), [data, old, b.mul(b.extract_value(lst, LIST_LEN), I64(size)), I1(0)])
    b.call(libc(fx, "free"), [old])
    grown = b.insert_value(b.insert_value(lst, data, LIST_DATA), new_cap, LIST_CAP)
    grown_block = b.block
    b.branch(done)
    fx.move_to_end(done)
    b.position_at_end(done)
    phi = b.phi(LIST_IR, "list")
    phi.add_incoming(lst, before)
    phi.add_incoming(grown, grown_block)
    return phi


def _list_filled(fx, e, n, value):
    """`List[T](length=n, fill=value)`: the empty List resized."""
    return _list_resized(fx, e, ir.Constant(LIST_IR, None), n, value, e.type.element)


def _list_append(fx, e, ref, value):
    """Grow when full (`_list_reserve`), then store at `len`."""
    b, elem = fx.builder, e.args[0].type.element
    lst = b.load(ref, "list", typ=LIST_IR)
    n = b.extract_value(lst, LIST_LEN, "len")
    lst = _list_reserve(fx, e, lst, b.add(n, I64(1)), elem_size(elem))
    store_element(fx, value, b.gep(b.extract_value(lst, LIST_DATA), [n],
                                   source_etype=mem_type(elem)))
    b.store(b.insert_value(lst, b.add(n, I64(1)), LIST_LEN), ref)


def _list_insert(fx, e, ref, i, value):
    """Python's `list.insert`: a negative position counts from the end, one
    outside the List is clamped to it; the elements from it move up one."""
    b, elem = fx.builder, e.args[0].type.element
    lst = b.load(ref, "list", typ=LIST_IR)
    n = b.extract_value(lst, LIST_LEN, "len")
    k = _list_position(fx, i, n)
    k = b.select(b.icmp_signed("<", k, I64(0)), I64(0), k)
    k = b.select(b.icmp_signed(">", k, n), n, k, "at")
    lst = _list_reserve(fx, e, lst, b.add(n, I64(1)), elem_size(elem))
    data = b.extract_value(lst, LIST_DATA)
    at = b.gep(data, [k], source_etype=mem_type(elem))
    b.call(_memmove(fx), [b.gep(data, [b.add(k, I64(1))], source_etype=mem_type(elem)), at,
                          b.mul(b.sub(n, k), I64(elem_size(elem))), I1(0)])
    store_element(fx, value, at)
    b.store(b.insert_value(lst, b.add(n, I64(1)), LIST_LEN), ref)


def _list_pop(fx, e, ref, i):
    """Checked in every mode (a bad position would move memory it does not own);
    the elements after it move down one (none for `pop()`, index -1)."""
    b = fx.builder
    lst = b.load(ref, "list", typ=LIST_IR)
    n = b.extract_value(lst, LIST_LEN, "len")
    fx.fault_if(b.icmp_unsigned("==", n, I64(0)), e.span, M.POP_EMPTY_FAULT, "empty")
    k = _list_position(fx, i, n)
    fx.fault_if(b.icmp_unsigned(">=", k, n), e.span, M.LIST_INDEX_FAULT, "bounds", a=i, b=n)
    data, elem = b.extract_value(lst, LIST_DATA), mem_type(e.type)
    at = b.gep(data, [k], source_etype=elem)
    value = load_element(fx, at, e.type)
    last = b.sub(n, I64(1), "last")
    after = b.gep(data, [b.add(k, I64(1))], source_etype=elem)
    b.call(_memmove(fx), [at, after, b.mul(b.sub(last, k), I64(elem_size(e.type))), I1(0)])
    b.store(b.insert_value(lst, last, LIST_LEN), ref)
    return value


def _list_extend(fx, e, ref, other):
    """`other`'s elements copied after the List's own. `l.extend(l)`: growing may
    move the buffer `other` shares, so the copy reads from where it moved to."""
    b, elem = fx.builder, e.args[0].type.element
    lst = b.load(ref, "list", typ=LIST_IR)
    n, m = b.extract_value(lst, LIST_LEN, "len"), b.extract_value(other, LIST_LEN, "other.len")
    old, src = b.extract_value(lst, LIST_DATA), b.extract_value(other, LIST_DATA, "src")
    lst = _list_reserve(fx, e, lst, b.add(n, m), elem_size(elem))
    data = b.extract_value(lst, LIST_DATA)
    src = b.select(b.icmp_unsigned("==", src, old), data, src)
    b.call(_memmove(fx), [b.gep(data, [n], source_etype=mem_type(elem)), src,
                          b.mul(m, I64(elem_size(elem))), I1(0)])
    if owns_memory(elem):           # the copies take their own references
        b.call(_retain_range(fx, elem), [data, n, b.add(n, m)])
    b.store(b.insert_value(lst, b.add(n, m), LIST_LEN), ref)


def slice_bounds(fx, e, n, start, stop, step, given: int):
    """Python's `slice.indices(n)` and the slice's length: (first position, count).
    `given`: 1 if the start was written, 2 if the stop was (a part left out is an
    end, which end depending on the step's sign). A zero step faults."""
    b = fx.builder
    fx.fault_if(b.icmp_signed("==", step, I64(0)), e.span, M.SLICE_STEP_FAULT, "step")
    back = b.icmp_signed("<", step, I64(0), "back")
    lower = b.select(back, I64(-1), I64(0), "lower")
    upper = b.select(back, b.sub(n, I64(1)), n, "upper")

    def clamp(k):
        k = b.select(b.icmp_signed("<", k, I64(0)), b.add(k, n), k)
        k = b.select(b.icmp_signed("<", k, lower), lower, k)
        return b.select(b.icmp_signed(">", k, upper), upper, k)
    start = clamp(start) if given & 1 else b.select(back, upper, lower)
    stop = clamp(stop) if given & 2 else b.select(back, lower, upper)
    extent = b.select(back, b.sub(start, stop), b.sub(stop, start), "extent")
    stride = b.select(back, b.sub(I64(0), step), step, "stride")   # unsigned: -min is 2**63
    count = b.add(b.udiv(b.sub(extent, I64(1)), stride), I64(1))
    count = b.select(b.icmp_signed(">", extent, I64(0)), count, I64(0), "count")
    return start, count


def _list_slice(fx, e, lst, start, stop, step, given):
    """A new List of the elements at start, start + step, ... (each retained
    when it owns memory, as a List's copy does)."""
    b, elem = fx.builder, e.type.element
    start, count = slice_bounds(fx, e, b.extract_value(lst, LIST_LEN, "len"), start, stop, step,
                                e.args[4].value)
    src = b.extract_value(lst, LIST_DATA)
    out, data = new_list(fx, e, elem, count)
    with counted_loop(b, I64(0), count, "slice") as k:
        at = b.add(start, b.mul(k, step))
        b.store(b.load(b.gep(src, [at], source_etype=mem_type(elem)), typ=mem_type(elem)),
                b.gep(data, [k], source_etype=mem_type(elem)))
    if owns_memory(elem):
        b.call(_retain_range(fx, elem), [data, I64(0), count])
    return out


def _list_resize(fx, e, ref, n, value):
    """Length `n`: the elements past it dropped, or copies of `value` added."""
    b = fx.builder
    b.store(_list_resized(fx, e, b.load(ref, "list", typ=LIST_IR), n, value,
                          e.args[0].type.element), ref)


def _list_resized(fx, e, lst, n, value, elem):
    """`lst` with length `n` (a fault if negative), the new elements `value`."""
    b = fx.builder
    fx.fault_if(b.icmp_signed("<", n, I64(0)), e.span, M.NEGATIVE_LENGTH_FAULT, "neglen", a=n)
    old = b.extract_value(lst, LIST_LEN, "len")
    if owns_memory(elem):           # the elements from n on are dropped (none if growing)
        b.call(_release_range(fx, elem), [b.extract_value(lst, LIST_DATA), n, old])
    lst = _list_reserve(fx, e, lst, n, elem_size(elem))
    data = b.extract_value(lst, LIST_DATA)
    with counted_loop(b, old, n, "fill") as k:
        copy = retain(fx, value, elem) if owns_memory(elem) else value
        store_element(fx, copy, b.gep(data, [k], source_etype=mem_type(elem)))
    return b.insert_value(lst, n, LIST_LEN)


def _list_clear(fx, e, ref):
    """Length 0 (the elements released); the buffer stays, for the elements
    appended next."""
    b, elem = fx.builder, e.args[0].type.element
    lst = b.load(ref, "list", typ=LIST_IR)
    if owns_memory(elem):
        b.call(_release_range(fx, elem), [b.extract_value(lst, LIST_DATA), I64(0),
                                          b.extract_value(lst, LIST_LEN)])
    b.store(b.insert_value(lst, I64(0), LIST_LEN), ref)


def _list_contains(fx, e, lst, item):
    """`item in lst` for scalar or String elements: `==` with each element in
    turn, stopping at the first equal one (a float NaN equals none)."""
    b, elem = fx.builder, e.args[0].type.element
    n, data = b.extract_value(lst, LIST_LEN, "len"), b.extract_value(lst, LIST_DATA)
    test, body, done = (fx.new_block(f"in.{name}") for name in ("test", "body", "done"))
    before = b.block
    b.branch(test)
    b.position_at_end(test)
    k = b.phi(I64, "k")
    k.add_incoming(I64(0), before)
    b.cbranch(b.icmp_signed("<", k, n), body, done)
    b.position_at_end(body)
    v = load_element(fx, b.gep(data, [k], source_etype=mem_type(elem)), elem)
    if elem == STRING:
        equal = string_equal(fx, v, item)
    elif elem.dtype.is_float:
        equal = b.fcmp_ordered("==", v, item)
    else:
        equal = b.icmp_unsigned("==", v, item)
    k.add_incoming(b.add(k, I64(1)), body)
    b.cbranch(equal, done, test)
    b.position_at_end(done)
    found = b.phi(I1, "found")
    found.add_incoming(I1(0), test)
    found.add_incoming(I1(1), body)
    return found


def print_list(fx, lst, t: ListType):
    """`[a, b, c]`, as Python prints a list: a loop over the elements, with `, `
    before each one but the first (a String element as Python's `repr`)."""
    b, elem = fx.builder, t.element
    n, data = b.extract_value(lst, LIST_LEN, "len"), b.extract_value(lst, LIST_DATA)
    fx.print_str("[")
    with counted_loop(b, I64(0), n, "print") as k:
        comma, item = fx.new_block("print.comma"), fx.new_block("print.item")
        b.cbranch(b.icmp_signed("==", k, I64(0)), item, comma)
        b.position_at_end(comma)
        fx.print_str(", ")
        b.branch(item)
        b.position_at_end(item)
        fx.print_element(load_element(fx, b.gep(data, [k], source_etype=mem_type(elem)), elem),
                         elem)
    fx.print_str("]")


def _error_message(fx, e, err):
    """The Error's message: a new reference to its text."""
    b = fx.builder
    text = ir.Constant(STRING_IR, None)
    for k, field in ((STRING_BYTES, 0), (STRING_LEN, 1), (STRING_OWNER, ERROR_OWNER)):
        text = b.insert_value(text, b.extract_value(err, field), k)
    return retain(fx, text, STRING)


def _string_concat(fx, e, x, y):
    """A new String block holding x's bytes, then y's."""
    b = fx.builder
    nx, ny = b.extract_value(x, STRING_LEN), b.extract_value(y, STRING_LEN)
    text = new_string(fx, e, b.add(nx, ny, "len"))
    dest = b.extract_value(text, STRING_BYTES)
    b.call(_memmove(fx), [dest, b.extract_value(x, STRING_BYTES), nx, I1(0)])
    b.call(_memmove(fx), [b.gep(dest, [nx], source_etype=I8), b.extract_value(y, STRING_BYTES),
                          ny, I1(0)])
    return text


# The built-ins that store their (managed) element arguments in the List: the
# lowering passes them owned (`lower.owned`), the reference mode copies them.
TAKES_ELEMENTS = M.TAKES_ELEMENTS

BUILTIN_RULES = {
    "tensor.new": _tensor_new,
    "tensor.dim": _tensor_dim,
    "tensor.rank": lambda fx, e, t: fx.builder.extract_value(t, TENSOR_RANK, "rank"),
    "tensor.num_elements": _num_elements,
    "tensor.unsafe_ptr": lambda fx, e, t: fx.builder.extract_value(t, TENSOR_DATA, "data"),
    "ptr.alloc": _ptr_alloc,
    "ptr.free": _ptr_free,
    "ptr.null": lambda fx, e: ir.Constant(PTR, None),
    "ptr.offset": _ptr_offset,
    "memset_zero": _memset_zero,
    "memcpy": _memcpy,
    "list.new": _list_new,
    "list.filled": _list_filled,
    "list.append": _list_append,
    "list.pop": _list_pop,
    "list.insert": _list_insert,
    "list.extend": _list_extend,
    "list.resize": _list_resize,
    "list.clear": _list_clear,
    "list.len": lambda fx, e, lst: fx.builder.extract_value(lst, LIST_LEN, "len"),
    "list.contains": _list_contains,
    "list.slice": _list_slice,
    "tuple.len": lambda fx, e, x, n: n,             # `x` evaluated for its effects
    "string.len": lambda fx, e, text: fx.builder.extract_value(text, STRING_LEN, "len"),
    "string.concat": _string_concat,
    "error.message": _error_message,
}


# ------------------------------------------------------------------ strings
def new_string(fx, e, n):
    """A String of `n` bytes (not yet written) in a new block {refcount 1, bytes}."""
    b = fx.builder
    block = _checked_allocate(fx, e, b.add(n, I64(STRING_HEADER)))
    b.store(I64(1), block)
    text = b.insert_value(ir.Constant(STRING_IR, None),
                          b.gep(block, [I64(STRING_HEADER)], source_etype=I8), STRING_BYTES)
    text = b.insert_value(text, n, STRING_LEN)
    return b.insert_value(text, block, STRING_OWNER)


def string_copy(fx, e, text):
    """The block of a new String holding `text`'s bytes (`raise Error(s)`'s message)."""
    b = fx.builder
    n = b.extract_value(text, STRING_LEN)
    copy = new_string(fx, e, n)
    b.call(_memmove(fx), [b.extract_value(copy, STRING_BYTES),
                          b.extract_value(text, STRING_BYTES), n, I1(0)])
    return b.extract_value(copy, STRING_OWNER)


def string_equal(fx, a, b):
    """Same length and the same bytes."""
    def build(fn, bld):
        x, y = fn.args
        x.name, y.name = "a", "b"
        bytes_, done = fn.append_basic_block("bytes"), fn.append_basic_block("done")
        entry = bld.block
        n = bld.extract_value(x, 1, "len")
        bld.cbranch(bld.icmp_unsigned("==", n, bld.extract_value(y, 1)), bytes_, done)
        bld.position_at_end(bytes_)
        diff = bld.call(libc(fx, "memcmp"), [bld.extract_value(x, 0), bld.extract_value(y, 0), n])
        same = bld.icmp_signed("==", diff, I32(0))
        bld.branch(done)
        bld.position_at_end(done)
        phi = bld.phi(I1, "equal")
        phi.add_incoming(I1(0), entry)
        phi.add_incoming(same, bytes_)
        bld.ret(phi)
    eq = helper_function(fx, "mojolite.string.eq", I1, [STRING_IR, STRING_IR], build)
    return fx.builder.call(eq, [a, b])


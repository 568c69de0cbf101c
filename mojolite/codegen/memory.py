"""Lowering shared by the memory types: blocks, elements, ownership, pointers, Strings.

In: `typed.Index`, `typed.Store` and `typed.Builtin` nodes, handed over by
`lower._FunctionLowering` (`fx`) with their operands already lowered. Out: IR
in fx's builder, plus helper functions emitted once per module. Layouts are in
`irtypes`; the meaning of every operation is `mojolite.memory` (the reference
mode), whose `BUILTINS` table has exactly the keys of the lowering's tables:
`BUILTIN_RULES` here (UnsafePointer, tuple, String and Error operations),
`codegen/tensors.RULES`, `codegen/lists.RULES` and `codegen/strings.RULES`;
`lower.BUILTIN_RULES` joins them.

What lives here is what those modules share (they import this one; it imports
none of them): `libc`, `helper_function` and `counted_loop`; allocation
(`_allocate`, `_checked_allocate`, `_mul_checked`); element addressing for all
three (`element_address`, `load_element`, `store_element`); the String blocks
(`new_string`, `string_equal`); and ownership, below. `retain` and `release`
dispatch on every memory type and recurse through a List's elements, so they
live here with the List copy and the reference-count helpers they call.

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
An `owned` parameter takes over what its caller hands it (a copy, or a new
value: `x^` loads x and leaves its slot zeroed, which releases nothing), and
the callee releases it. A struct holding Tensors or Lists
(`typesys.owns_memory`) is retained and released field by field. A List whose elements own memory retains each element
it copies and releases each element it drops (`_retain_range`,
`_release_range`): a List of Lists is copied deeply, as Mojo's value semantics
require; its Strings and Tensors are shared and counted.
A struct with its own `__copyinit__` is copied by it (`_struct_copy`), one with
`__del__` is released by calling it (which releases the fields on its way out,
`lower`); these calls take the context of the function they are emitted in
(the element loops get it as an argument). A fault inside one is the program's
fault: each such call's failure flag goes to `check` (in a function body, by
default, `fx.check_call`: out through its `fail`, as any failing call), and an
element loop stops at the first and returns the flag, which its caller checks
in turn. The element loops of a tree (a struct holding a List of its own
kind, `typesys.nests_itself`) call each other once per level: each checks the
stack first and faults (at the statement that copies or frees) where the thread
has no room left, and is checked as a `__del__` is. Other types make no such
call and check nothing.
"""
from __future__ import annotations

import contextlib

from llvmlite import ir

from .. import memory as M
from ..typesys import (ERROR, STRING, ListType, SIMD, Struct, Tensor, Type, drop_may_fail,
                       nests_itself, owns_memory)
from .stackguard import TOO_DEEP_DATA, emit_data_guard
from .irtypes import (CODE_FAULT, CODE_RAISED, ERROR_IR, ERROR_OWNER, ERROR_SITE, I1, I8, I32,
                      I64, LIST_CAP, LIST_DATA, LIST_IR, LIST_LEN, PTR, STRING_BYTES, STRING_HEADER,
                      STRING_IR, STRING_LEN, STRING_OWNER, TENSOR_DATA, TENSOR_OWNER, TENSOR_RANK,
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
    """The element of type `t` at `address`; a Bool byte is True when not zero (as
    NumPy reads a bool array's bytes, whatever wrote them)."""
    v = fx.builder.load(address, typ=mem_type(t))
    return fx.builder.icmp_unsigned("!=", v, v.type(0)) if v.type != llvm_type(t) else v


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
    if checks:
        _null_check(fx, node, base)
    return b.gep(base, [i], source_etype=mem_type(base_t.pointee), name="elem")


NULL_PAGE = 4096    # the null pointer and what a small `+ k` makes of it


def _null_check(fx, node, p):
    """Checked mode: a pointer into the null page (never an allocation) faults
    instead of crashing the process."""
    b = fx.builder
    fx.fault_if(b.icmp_unsigned("<", b.ptrtoint(p, I64), I64(NULL_PAGE)), node.span,
                M.NULL_FAULT, "null")


def _list_position(fx, i, n):
    """The position of List index `i`: a negative one counts from the end (Mojo);
    still outside [0, n) (unsigned) when `i` is out of range either way."""
    b = fx.builder
    return b.select(b.icmp_signed("<", i, I64(0)), b.add(i, n), i, "pos")


# ------------------------------------------------------------------ ownership
def retain(fx, value, t: Type, b: ir.IRBuilder | None = None, ctx=None, check=None,
           site=None):
    """The value a variable stores when it takes `value` from another variable
    (emitted by `b`, fx's builder unless given; `ctx`: the context argument of
    the function `b` is in, fx's unless given; `check(flag)`: emitted after each
    call that can fail (a user's `__copyinit__`, a tree's level: `each_element`),
    fx's `check_call` unless given; `site`: the fault site of a tree too deep,
    an i32, else one made for fx's statement)."""
    b, ctx, check = b or fx.builder, ctx or fx.ctx, check or fx.check_call
    if isinstance(t, Tensor):
        b.call(_tensor_retain(fx), [b.extract_value(value, TENSOR_OWNER)])
        return value
    if isinstance(t, ListType):         # a new buffer; managed elements each retained
        copy = b.call(_list_copy(fx), [value, I64(elem_size(t.element))], "copy")
        if owns_memory(t.element):
            each_element(b, _retain_range(fx, t.element),
                         [b.extract_value(copy, LIST_DATA), I64(0),
                          b.extract_value(copy, LIST_LEN), ctx], check, fx, site)
        return copy
    if t in (STRING, ERROR):
        b.call(_tensor_retain(fx), [b.extract_value(value, STRING_OWNER if t == STRING
                                                    else ERROR_OWNER)])
        return value
    if isinstance(t, Struct) and t.lifecycle is not None and t.lifecycle.copy is not None:
        copy = b.call(_struct_copy(fx, t), [ctx, value], "copy")     # the user's copy
        check(b.extract_value(copy, 1))
        return b.extract_value(copy, 0)
    if isinstance(t, Struct):           # field by field: its Lists copied, Tensors counted
        for k, (name, ft) in enumerate(t.fields):
            if owns_memory(ft):
                value = b.insert_value(value, retain(fx, b.extract_value(value, k, name), ft,
                                                     b, ctx, check, site), k)
    return value


def release(fx, value, t: Type, b: ir.IRBuilder | None = None, ctx=None,
            fields_only: bool = False, check=None, site=None):
    """Drop `value`: a struct with a `__del__` runs it, which then releases the
    fields (`fields_only`: the fields alone, at the end of `__del__` itself).
    `b`, `ctx`, `check`, `site`: as `retain`'s (`check` follows each `__del__`)."""
    b, ctx, check = b or fx.builder, ctx or fx.ctx, check or fx.check_call
    if isinstance(t, Tensor):
        b.call(_tensor_release(fx), [b.extract_value(value, TENSOR_OWNER)])
    elif isinstance(t, ListType):
        data = b.extract_value(value, LIST_DATA)
        if owns_memory(t.element):
            each_element(b, _release_range(fx, t.element),
                         [data, I64(0), b.extract_value(value, LIST_LEN), ctx], check, fx, site)
        b.call(libc(fx, "free"), [data])
    elif t in (STRING, ERROR):
        owner = b.extract_value(value, STRING_OWNER if t == STRING else ERROR_OWNER)
        b.call(_tensor_release(fx), [owner])
    elif isinstance(t, Struct) and not fields_only and t.lifecycle is not None and \
            t.lifecycle.deinit is not None:
        # `__del__(owned self)` releases the fields on its way out (`lower`)
        check(b.call(fx.ml.functions[t.lifecycle.deinit.symbol], [ctx, value]))
    elif isinstance(t, Struct):
        for k, (name, ft) in enumerate(t.fields):
            if owns_memory(ft):
                release(fx, b.extract_value(value, k, name), ft, b, ctx, check=check, site=site)


def keep_first_fault(fx) -> ir.Function:
    """`(ctx, scratch)`: after a drop on the way out of a failure (`lower.
    unwind_release`), a fault in `scratch` becomes ctx's failure unless ctx
    already holds a fault (the first fault is the one reported); a raised
    error it replaces gives up its message's block (code RAISED, b < 0: a is
    the block)."""
    def build(fn, b):
        ctx, scratch = fn.args
        ctx.name, scratch.name = "ctx", "scratch"
        ty = fx.ml.ctx_type

        def field(p, k, t):
            return b.load(b.gep(p, [I32(0), I32(k)], inbounds=True, source_etype=ty), typ=t)
        code = field(ctx, 0, I32)
        new = b.and_(b.icmp_signed("==", field(scratch, 0, I32), I32(CODE_FAULT)),
                     b.icmp_signed("!=", code, I32(CODE_FAULT)))
        with b.if_then(new):
            owned = b.and_(b.icmp_signed("==", code, I32(CODE_RAISED)),
                           b.icmp_signed("<", field(ctx, 3, I64), I64(0)))
            with b.if_then(owned):
                b.call(_tensor_release(fx), [b.inttoptr(field(ctx, 2, I64), PTR)])
            b.store(b.load(scratch, typ=ty), ctx)
        b.ret_void()
    return helper_function(fx, "mojolite.fault.keep", ir.VoidType(), [PTR, PTR], build,
                           inline=False)


def _struct_copy(fx, t: Struct) -> ir.Function:
    """`(ctx, value) -> {copy, failed}`: a zeroed struct that `__copyinit__(out
    self, existing)` fills, and its failure flag (ctx then holds the fault)."""
    helpers, key = fx.ml.type_helpers, ("copy", t)
    if key in helpers:
        return helpers[key]
    ty = llvm_type(t)
    pair = ir.LiteralStructType([ty, I1])
    fn = helpers[key] = ir.Function(fx.ml.module, ir.FunctionType(pair, [PTR, ty]),
                                    f"mojolite.copy.{len(helpers)}")
    fn.linkage = "internal"
    fn.attributes.add("nounwind")
    ctx, value = fn.args
    ctx.name, value.name = "ctx", "existing"
    b = ir.IRBuilder(fn.append_basic_block("entry"))
    tmp = b.alloca(ty, name="copy")
    b.store(ir.Constant(ty, None), tmp)
    failed = b.call(fx.ml.functions[t.lifecycle.copy.symbol], [ctx, tmp, value])
    b.ret(b.insert_value(b.insert_value(ir.Constant(pair, ir.Undefined),
                                        b.load(tmp, typ=ty), 0), failed, 1))
    return fn


def _retain_range(fx, elem: Type) -> ir.Function:
    """    for k in [start, stop): data[k] = retain(data[k])
    (the elements of a List whose bytes were just copied take their own references)."""
    def body(b, address, ctx, check, site):
        b.store(retain(fx, b.load(address, typ=mem_type(elem)), elem, b, ctx, check, site),
                address)
    return _element_loop(fx, "retain", elem, body)


def _release_range(fx, elem: Type) -> ir.Function:
    """    for k in [start, stop): release(data[k])   (the elements a List drops)."""
    def body(b, address, ctx, check, site):
        release(fx, b.load(address, typ=mem_type(elem)), elem, b, ctx, check=check, site=site)
    return _element_loop(fx, "release", elem, body)


def each_element(b: ir.IRBuilder, helper: ir.Function, args: list, check=None, fx=None,
                 site=None):
    """Call an element loop (`_retain_range`, `_release_range`): one over elements
    whose copy or drop can fail returns its failure flag, for `check` (a function
    body's `check_call` unless given); one over a tree's elements also takes the
    fault site of a tree too deep (`site`, else one at fx's statement)."""
    if len(helper.args) == 5:
        if site is None:
            site = I32(fx.ml.add_site(fx.where, TOO_DEEP_DATA))
        args = [*args, site]
    flag = b.call(helper, args)
    if helper.function_type.return_type == I1:
        check(flag)


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
    """A helper `(data, start, stop, ctx)` doing `body(builder, &data[k], ctx,
    check)` for each k in [start, stop); one per element type and kind. Where
    that runs a user's method it returns an i1, true once one failed: `check`
    stops the loop there (`each_element` calls it); otherwise it returns
    nothing (and `check` is never called). Over a tree's elements, it takes the
    i32 fault site of a tree too deep for the stack and checks the stack first
    (`stackguard.emit_data_guard`): the loops call each other once per level."""
    helpers, key = fx.ml.type_helpers, (kind, elem)
    if key in helpers:
        return helpers[key]
    fails, deep = drop_may_fail(elem), nests_itself(elem)

    def build(fn, b):
        data, start, stop, ctx = fn.args[:4]
        data.name, start.name, stop.name, ctx.name = "data", "start", "stop", "ctx"
        site = fn.args[4] if deep else None
        if deep:
            site.name = "site"
            emit_data_guard(fx.ml, b, ctx, site)
        failed = fn.append_basic_block("failed") if fails else None

        def check(flag):
            ok = fn.append_basic_block("each.ok")
            b.cbranch(flag, failed, ok)
            b.position_at_end(ok)
        with counted_loop(b, start, stop, "each") as k:
            body(b, b.gep(data, [k], source_etype=mem_type(elem), name="elem"), ctx, check,
                 site)
        if fails:
            b.ret(I1(0))
            fn.blocks.remove(failed)
            fn.blocks.append(failed)
            b.position_at_end(failed)
            b.ret(I1(1))
        else:
            b.ret_void()
    # Numbered (a struct's name may not be unique), and known before it is built:
    # a struct holding a List of itself (a tree) calls it from its own body.
    fntype = ir.FunctionType(I1 if fails else ir.VoidType(),
                             [PTR, I64, I64, PTR] + ([I32] if deep else []))
    fn = helpers[key] = ir.Function(fx.ml.module, fntype, f"mojolite.list.{kind}.{len(helpers)}")
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
    return isinstance(t, Struct) and (t.lifecycle is not None or
                                      any(_has_element_loop(ft) for _, ft in t.fields))


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


def _memmove(fx):
    return fx.ml.intrinsic("llvm.memmove", ir.VoidType(), [PTR, PTR, I64, I1], [PTR, PTR, I64])


def _memset(fx):
    return fx.ml.intrinsic("llvm.memset", ir.VoidType(), [PTR, I8, I64, I1], [PTR, I64])


def _allocate(fx, b, nbytes):
    """`aligned_alloc(64, nbytes rounded up to 64)`; a size of 0 still gets a block."""
    rounded = b.and_(b.add(nbytes, I64(ALIGN - 1)), I64(-ALIGN))
    rounded = b.select(b.icmp_unsigned("==", rounded, I64(0)), I64(ALIGN), rounded)
    return b.call(libc(fx, "aligned_alloc"), [I64(ALIGN), rounded], "block")


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


def _null_check_count(fx, e, p, n):
    """Checked mode: `memset_zero`/`memcpy` of `n > 0` elements at a null pointer faults."""
    if fx.ml.checks:
        b = fx.builder
        fx.fault_if(b.and_(b.icmp_signed(">", n, I64(0)),
                           b.icmp_unsigned("<", b.ptrtoint(p, I64), I64(NULL_PAGE))),
                    e.span, M.NULL_FAULT, "null")


def _memset_zero(fx, e, p, n):
    _null_check_count(fx, e, p, n)
    nbytes = fx.builder.mul(n, I64(elem_size(e.args[0].type.pointee)))
    fx.builder.call(_memset(fx), [p, I8(0), nbytes, I1(0)])


def _memcpy(fx, e, dest, src, n):
    _null_check_count(fx, e, dest, n)
    _null_check_count(fx, e, src, n)
    nbytes = fx.builder.mul(n, I64(elem_size(e.args[0].type.pointee)))
    fx.builder.call(_memmove(fx), [dest, src, nbytes, I1(0)])


def _error_message(fx, e, err):
    """The Error's message: a new reference to its text."""
    b = fx.builder
    text = ir.Constant(STRING_IR, None)
    for k, field in ((STRING_BYTES, 0), (STRING_LEN, 1), (STRING_OWNER, ERROR_OWNER)):
        text = b.insert_value(text, b.extract_value(err, field), k)
    return retain(fx, text, STRING)


def _error_new(fx, e, text):
    """`Error(s)`: a new Error owning a copy of s's bytes; its site is -1 until
    it is first raised (`lower.visit_Raise`)."""
    b = fx.builder
    block = string_copy(fx, e, text)
    err = ir.Constant(ERROR_IR, None)
    for k, value in ((0, b.gep(block, [I64(STRING_HEADER)], source_etype=I8)),
                     (1, b.extract_value(text, STRING_LEN)), (ERROR_SITE, I32(-1)),
                     (ERROR_OWNER, block)):
        err = b.insert_value(err, value, k)
    return err


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


BUILTIN_RULES = {
    "ptr.alloc": _ptr_alloc,
    "ptr.free": _ptr_free,
    "ptr.null": lambda fx, e: ir.Constant(PTR, None),
    "ptr.offset": _ptr_offset,
    "ptr.address": lambda fx, e, p: fx.builder.ptrtoint(p, I64, name="address"),
    "memset_zero": _memset_zero,
    "memcpy": _memcpy,
    "tuple.len": lambda fx, e, x, n: n,             # `x` evaluated for its effects
    "string.len": lambda fx, e, text: fx.builder.extract_value(text, STRING_LEN, "len"),
    "string.concat": _string_concat,
    "error.message": _error_message,
    "error.new": _error_new,
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

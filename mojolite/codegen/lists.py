"""Lowering of List values: literals, growth, `append`/`insert`/`pop`/`extend`,
`resize`, `clear`, `reverse`, `in`, slices and printing.

In: `typed.Builtin` nodes named `list.*`, handed over through
`lower.BUILTIN_RULES` (which joins `RULES` to the other memory tables) with
their operands lowered: a List is `{ptr data, i64 len, i64 cap}`
(`irtypes.LIST_IR`); a rule that changes the List gets the address of the
variable holding it. Out: IR in fx's builder. The meaning of each rule is
`mojolite.memory` (the reference mode), including the fault templates.

Invariants: a buffer is a 64-byte aligned block (`memory._allocate`), never
`realloc`ed; growing at least doubles the capacity. Elements that own memory
(Strings, Lists, Tensors, structs holding them) are retained when copied in and
released when dropped (`memory._retain_range`, `memory._release_range`); copying
and releasing a whole List (`retain`, `release`) is `codegen/memory.py`'s.
"""
from __future__ import annotations

from llvmlite import ir

from .. import memory as M
from ..typesys import STRING, ListType, Type, drop_may_fail, owns_memory
from .irtypes import I1, I64, LIST_CAP, LIST_DATA, LIST_IR, LIST_LEN, PTR, elem_size, mem_type
from .memory import (_allocate, _checked_allocate, _list_position, _memmove, _mul_checked,
                     _release_range, _retain_range, counted_loop, each_element, libc, list_value,
                     load_element, retain, store_element, string_equal)


def new_list(fx, e, elem: Type, count):
    """A List of `count` elements of type `elem` (not yet written) and its buffer."""
    data = _checked_allocate(fx, e, fx.builder.mul(count, I64(elem_size(elem))))
    return list_value(fx.builder, data, count), data


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
        each_element(b, _retain_range(fx, elem), [data, n, b.add(n, m), fx.ctx], fx.check_call,
                     fx)
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
        each_element(b, _retain_range(fx, elem), [data, I64(0), count, fx.ctx], fx.check_call,
                     fx)
    return out


def _list_resize(fx, e, ref, n, value):
    """Length `n`: the elements past it dropped, or copies of `value` added.
    Where dropping runs a user's `__del__`, the List is shorter before it runs
    (a fault in one leaves no dropped element in the List)."""
    b, elem = fx.builder, e.args[0].type.element
    lst = b.load(ref, "list", typ=LIST_IR)
    resized = _list_resized(fx, e, lst, n, value, elem)
    b.store(resized, ref)
    if drop_may_fail(elem):     # the elements from n on (none if growing)
        each_element(b, _release_range(fx, elem), [b.extract_value(resized, LIST_DATA), n,
                                                   b.extract_value(lst, LIST_LEN), fx.ctx],
                     fx.check_call, fx)


def _list_resized(fx, e, lst, n, value, elem):
    """`lst` with length `n` (a fault if negative), the new elements `value`."""
    b = fx.builder
    fx.fault_if(b.icmp_signed("<", n, I64(0)), e.span, M.NEGATIVE_LENGTH_FAULT, "neglen", a=n)
    old = b.extract_value(lst, LIST_LEN, "len")
    if owns_memory(elem) and not drop_may_fail(elem):   # the elements from n on are dropped
        b.call(_release_range(fx, elem), [b.extract_value(lst, LIST_DATA), n, old,
                                                fx.ctx])
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
    if drop_may_fail(elem):         # emptied first: a fault in a `__del__` leaves none
        b.store(b.insert_value(lst, I64(0), LIST_LEN), ref)
        each_element(b, _release_range(fx, elem), [b.extract_value(lst, LIST_DATA), I64(0),
                                                   b.extract_value(lst, LIST_LEN), fx.ctx],
                     fx.check_call, fx)
        return
    if owns_memory(elem):
        b.call(_release_range(fx, elem), [b.extract_value(lst, LIST_DATA), I64(0),
                                          b.extract_value(lst, LIST_LEN), fx.ctx])
    b.store(b.insert_value(lst, I64(0), LIST_LEN), ref)


def _list_reverse(fx, e, ref):
    """The elements' bytes swapped end for end (moves: no reference changes)."""
    b, elem = fx.builder, mem_type(e.args[0].type.element)
    lst = b.load(ref, "list", typ=LIST_IR)
    n, data = b.extract_value(lst, LIST_LEN, "len"), b.extract_value(lst, LIST_DATA)
    with counted_loop(b, I64(0), b.sdiv(n, I64(2)), "reverse") as k:
        front = b.gep(data, [k], source_etype=elem)
        back = b.gep(data, [b.sub(b.sub(n, I64(1)), k)], source_etype=elem)
        x, y = b.load(front, typ=elem), b.load(back, typ=elem)
        b.store(y, front)
        b.store(x, back)


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


# The built-ins that store their (managed) element arguments in the List: the
# lowering passes them owned (`lower.owned`), the reference mode copies them.
TAKES_ELEMENTS = M.TAKES_ELEMENTS


RULES = {
    "list.new": _list_new,
    "list.filled": _list_filled,
    "list.append": _list_append,
    "list.pop": _list_pop,
    "list.insert": _list_insert,
    "list.extend": _list_extend,
    "list.resize": _list_resize,
    "list.clear": _list_clear,
    "list.reverse": _list_reverse,
    "list.len": lambda fx, e, lst: fx.builder.extract_value(lst, LIST_LEN, "len"),
    "list.contains": _list_contains,
    "list.slice": _list_slice,
}

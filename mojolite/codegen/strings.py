"""Lowering of String operations beyond `+`, `==` and `len` (`string.*` built-ins).

In: `typed.Builtin` nodes named `string.*`, handed over through
`lower.BUILTIN_RULES` (which joins `RULES` to the memory tables) with their
operands lowered (`{ptr bytes, i64 length, ptr owner}` values,
`irtypes.STRING_IR`). Out: IR in fx's builder: byte loops written here,
`memcmp`/`memmem` from libc, no call back into Python. The meaning of each
rule is `mojolite.strings` (the reference mode), including the fault templates.

A rule's result is a new reference (the caller releases it): a new block
(`memory.new_string`), or, for a one-byte ASCII String (`s[i]`), borrowed text
in a module constant holding the 128 ASCII characters.
"""
from __future__ import annotations

from llvmlite import ir

from .. import strings as M
from ..memory import SIZE_OVERFLOW_FAULT
from ..typesys import STRING
from .irtypes import (F64, I1, I8, I32, I64, LIST_DATA, LIST_LEN, PTR, STRING_BYTES, STRING_IR,
                      STRING_LEN)
from .lists import new_list, slice_bounds
from .memory import (_checked_allocate, _memmove, _mul_checked, _retain_range, counted_loop, helper_function,
                     libc, new_string, retain)

ASCII = "".join(chr(k) for k in range(128))


# ------------------------------------------------------------------ helpers
def _loop(b: ir.IRBuilder, start, stop, init: tuple, body, name: str = "str") -> list:
    """    for k in [start, stop): carried = body(k, *carried)
    `memory.counted_loop` with values carried from one pass to the next (phis
    beside k's); returns their final phis. `body` returns the new values (a tuple)."""
    entry = b.block
    with counted_loop(b, start, stop, name) as k:
        each = b.block
        b.position_after(k)
        phis = [b.phi(v.type) for v in init]
        for phi, v in zip(phis, init):
            phi.add_incoming(v, entry)
        b.position_at_end(each)
        after = body(k, *phis)
        for phi, v in zip(phis, after):
            phi.add_incoming(v, b.block)
    return phis


def _byte(b, text, k):
    """The byte at position k of `text`, as an i64 in [0, 256)."""
    p = b.gep(b.extract_value(text, STRING_BYTES), [k], source_etype=I8)
    return b.zext(b.load(p, typ=I8), I64)


def _starts_char(b, text, k):
    """Whether the byte at position k of `text` starts a character: it is not
    a continuation byte (0b10xxxxxx)."""
    return b.icmp_unsigned("!=", b.and_(_byte(b, text, k), I64(0xC0)), I64(0x80))


def _ascii(fx, byte):
    """The one-byte String of ASCII `byte` (an i64 below 128): borrowed text."""
    b = fx.builder
    gv, _ = fx.ml.string(ASCII)
    p = b.gep(gv, [I64(0), byte], source_etype=gv.value_type)
    text = b.insert_value(ir.Constant(STRING_IR, None), p, STRING_BYTES)
    return b.insert_value(text, I64(1), STRING_LEN)


# ------------------------------------------------------------------ rules
def _index(fx, e, text, i):
    """`s[i]`: a negative index counts from the end; checked in checked mode,
    and always that the byte is a whole (ASCII) character."""
    b = fx.builder
    n = b.extract_value(text, STRING_LEN, "len")
    k = b.select(b.icmp_signed("<", i, I64(0)), b.add(i, n), i, "pos")
    if fx.ml.checks:
        fx.fault_if(b.icmp_unsigned(">=", k, n), e.span, M.STRING_INDEX_FAULT, "bounds",
                    a=i, b=n)
    byte = _byte(b, text, k)
    fx.fault_if(b.icmp_unsigned(">=", byte, I64(0x80)), e.span, M.STRING_BYTE_FAULT, "utf8",
                a=i)
    return _ascii(fx, byte)


def _slice(fx, e, text, start, stop, step, given):
    """`s[a:b:s]` by byte (`strings._slice`): with step 1 a view of the same text
    (one more reference), neither end inside a character; with another step a
    new String of the bytes taken, each ASCII. A cut faults at its byte."""
    b = fx.builder
    n = b.extract_value(text, STRING_LEN, "len")
    start, count = slice_bounds(fx, e, n, start, stop, step, e.args[4].value)
    fn = b.function
    unit, stride, done = (fn.append_basic_block(f"slice.{p}") for p in ("unit", "stride", "done"))
    b.cbranch(b.icmp_signed("==", step, I64(1)), unit, stride)

    def continuation(k):        # inside a character, not its first byte
        return b.not_(_starts_char(b, text, k))
    b.position_at_end(unit)     # the first byte taken, then the one after the last
    stop = b.add(start, count)
    cut_start = _and_then(b, b.icmp_signed(">", count, I64(0)),
                          lambda: continuation(start), "cut.start")
    cut_stop = _and_then(b, b.and_(b.icmp_signed(">", count, I64(0)),
                                   b.icmp_signed("<", stop, n)),
                         lambda: continuation(stop), "cut.stop")
    cut_unit = b.select(cut_start, start, b.select(cut_stop, stop, I64(-1)))
    unit_end = b.block
    b.branch(done)
    b.position_at_end(stride)   # the first byte taken that is not ASCII
    (cut_stride,) = _loop(b, I64(0), count, (I64(-1),), lambda k, cut: (b.select(
        b.and_(b.icmp_signed("<", cut, I64(0)),
               b.icmp_unsigned(">=", _byte(b, text, b.add(start, b.mul(k, step))), I64(0x80))),
        b.add(start, b.mul(k, step)), cut),), "slice.ascii")
    stride_end = b.block
    b.branch(done)
    b.position_at_end(done)
    cut = b.phi(I64, "cut")
    cut.add_incoming(cut_unit, unit_end)
    cut.add_incoming(cut_stride, stride_end)
    fx.fault_if(b.icmp_signed(">=", cut, I64(0)), e.span, M.STRING_SLICE_FAULT, "cut", a=cut)
    copy, view = (fn.append_basic_block(f"slice.{p}") for p in ("copy", "view"))
    joined = fn.append_basic_block("slice.joined")
    b.cbranch(b.icmp_signed("==", step, I64(1)), view, copy)
    b.position_at_end(view)
    shared = retain(fx, _view(b, text, start, b.add(start, count)), STRING)
    view_end = b.block
    b.branch(joined)
    b.position_at_end(copy)
    out = new_string(fx, e, count)
    dest = b.extract_value(out, STRING_BYTES)

    def each(k):
        byte = _byte(b, text, b.add(start, b.mul(k, step)))
        b.store(b.trunc(byte, I8), b.gep(dest, [k], source_etype=I8))
        return ()
    _loop(b, I64(0), count, (), each, "slice.copy")
    copy_end = b.block
    b.branch(joined)
    b.position_at_end(joined)
    result = b.phi(STRING_IR, "slice")
    result.add_incoming(shared, view_end)
    result.add_incoming(out, copy_end)
    return result


def _ord(fx, e, text):
    """The code point of a one-character String: the lead byte's length
    (1 to 4 bytes) must be the String's; its bits, then 6 per byte after."""
    def build(fn, b):
        (s,) = fn.args
        n = b.extract_value(s, STRING_LEN, "len")
        one, bad = fn.append_basic_block("one"), fn.append_basic_block("bad")
        b.cbranch(b.icmp_signed(">", n, I64(0)), one, bad)
        b.position_at_end(bad)
        b.ret(I64(-1))
        b.position_at_end(one)
        lead = _byte(b, s, I64(0))
        size, mask = I64(4), I64(0x07)
        for limit, k, m in ((0xF0, 3, 0x0F), (0xE0, 2, 0x1F), (0x80, 1, 0x7F)):
            below = b.icmp_unsigned("<", lead, I64(limit))
            size, mask = b.select(below, I64(k), size), b.select(below, I64(m), mask)
        decode = fn.append_basic_block("decode")
        b.cbranch(b.icmp_signed("==", size, n), decode, bad)
        b.position_at_end(decode)
        (cp,) = _loop(b, I64(1), n, (b.and_(lead, mask),), lambda k, cp: (
            b.or_(b.shl(cp, I64(6)), b.and_(_byte(b, s, k), I64(0x3F))),), "ord")
        b.ret(cp)
    cp = fx.builder.call(helper_function(fx, "mojolite.string.ord", I64, [STRING_IR], build),
                         [text], "ord")
    b = fx.builder
    fx.fault_if(b.icmp_signed("<", cp, I64(0)), e.span, M.ORD_FAULT, "ord",
                a=b.extract_value(text, STRING_LEN))
    return cp


def _chr(fx, e, c):
    """The String of code point c, UTF-8 encoded: 1 to 4 bytes, the lead one
    marking the count, 6 bits in each after it."""
    b = fx.builder
    bad = b.or_(b.icmp_unsigned(">", c, I64(0x10FFFF)),
                b.icmp_unsigned("==", b.and_(c, I64(~0x7FF)), I64(0xD800)))
    fx.fault_if(bad, e.span, M.CHR_FAULT, "chr", a=c)
    size = I64(1)
    for limit in (0x80, 0x800, 0x10000):
        size = b.add(size, b.zext(b.icmp_unsigned(">=", c, I64(limit)), I64))
    text = new_string(fx, e, size)
    data = b.extract_value(text, STRING_BYTES)
    last = b.sub(size, I64(1))
    # lead: the code point itself (1 byte), or 0xC0/0xE0/0xF0 | its top bits
    marker = b.select(b.icmp_unsigned("==", size, I64(1)), I64(0),
                      b.and_(b.shl(I64(0xF0), b.sub(I64(4), size)), I64(0xF0)))
    lead = b.or_(marker, b.lshr(c, b.mul(last, I64(6))))
    b.store(b.trunc(lead, I8), data)

    def each(k):
        bits = b.and_(b.lshr(c, b.mul(b.sub(last, k), I64(6))), I64(0x3F))
        b.store(b.trunc(b.or_(bits, I64(0x80)), I8), b.gep(data, [k], source_etype=I8))
        return ()
    _loop(b, I64(1), size, (), each, "chr")
    return text


def string_order(fx, a, b):
    """memcmp's sign over the shorter length, else the shorter String first:
    the order of the code points, as UTF-8 keeps it."""
    def build(fn, bld):
        x, y = fn.args
        nx, ny = bld.extract_value(x, STRING_LEN), bld.extract_value(y, STRING_LEN)
        short = bld.select(bld.icmp_signed("<", nx, ny), nx, ny)
        diff = bld.call(libc(fx, "memcmp"), [bld.extract_value(x, STRING_BYTES),
                                             bld.extract_value(y, STRING_BYTES), short])
        by_length = bld.sub(bld.zext(bld.icmp_signed(">", nx, ny), I32),
                            bld.zext(bld.icmp_signed("<", nx, ny), I32))
        bld.ret(bld.select(bld.icmp_signed("==", diff, I32(0)), by_length, diff))
    fn = helper_function(fx, "mojolite.string.order", I32, [STRING_IR, STRING_IR], build)
    return fx.builder.call(fn, [a, b], "order")


def _find_fn(fx):
    """(text, sub, start) -> the first position >= start (in [0, len]) where `sub` is in `text`, or
    -1; an empty `sub` is at `start` (memmem's NULL text would say absent)."""
    def build(fn, b):
        s, t, k = fn.args
        n, m = b.extract_value(s, STRING_LEN), b.extract_value(t, STRING_LEN)
        search, found = fn.append_basic_block("search"), fn.append_basic_block("found")
        absent = fn.append_basic_block("absent")
        empty = fn.append_basic_block("empty")
        b.cbranch(b.icmp_signed("==", m, I64(0)), empty, search)
        b.position_at_end(empty)
        b.ret(k)
        b.position_at_end(search)
        base = b.extract_value(s, STRING_BYTES)
        p = b.call(libc(fx, "memmem"), [b.gep(base, [k], source_etype=I8), b.sub(n, k),
                                        b.extract_value(t, STRING_BYTES), m])
        b.cbranch(b.icmp_unsigned("==", p, ir.Constant(PTR, None)), absent, found)
        b.position_at_end(absent)
        b.ret(I64(-1))
        b.position_at_end(found)
        b.ret(b.sub(b.ptrtoint(p, I64), b.ptrtoint(base, I64)))
    return helper_function(fx, "mojolite.string.find", I64, [STRING_IR, STRING_IR, I64], build,
                           inline=False)


def string_find(fx, text, sub, start):
    return fx.builder.call(_find_fn(fx), [text, sub, start], "found")


def _repeat(fx, e, text, n):
    """`s * n`: n copies of s's bytes ("" for n <= 0)."""
    b = fx.builder
    n = b.select(b.icmp_signed("<", n, I64(0)), I64(0), n, "times")
    size = b.extract_value(text, STRING_LEN, "len")
    total, overflow = _mul_checked(fx, size, n, None)
    fx.fault_if(overflow, e.span, SIZE_OVERFLOW_FAULT, "overflow")
    out = new_string(fx, e, total)
    dest, src = b.extract_value(out, STRING_BYTES), b.extract_value(text, STRING_BYTES)

    def each(k):
        b.call(_memmove(fx), [b.gep(dest, [b.mul(k, size)], source_etype=I8), src, size, I1(0)])
        return ()
    _loop(b, I64(0), n, (), each, "repeat")
    return out


# ------------------------------------------------------------------ methods
def _is_space(b, c):
    """ASCII whitespace (bytes.strip's): space, \\t \\n \\v \\f \\r."""
    return b.or_(b.icmp_unsigned("==", c, I64(32)), b.icmp_unsigned("<", b.sub(c, I64(9)), I64(5)))


def _view(b, text, start, stop):
    """The bytes [start, stop) of `text`, sharing its owner (not retained)."""
    p = b.gep(b.extract_value(text, STRING_BYTES), [start], source_etype=I8)
    return b.insert_value(b.insert_value(text, p, STRING_BYTES), b.sub(stop, start), STRING_LEN)


def _while(b, init: tuple, cond, step, name: str) -> list:
    """    while cond(*values): values = step(*values)
    `cond` may branch (blocks after the test); returns the values' phis."""
    fn = b.function
    head, each, done = (fn.append_basic_block(f"{name}.{part}")
                        for part in ("test", "each", "done"))
    entry = b.block
    b.branch(head)
    b.position_at_end(head)
    phis = []
    for v in init:
        phi = b.phi(v.type)
        phi.add_incoming(v, entry)
        phis.append(phi)
    b.cbranch(cond(*phis), each, done)
    b.position_at_end(each)
    after = step(*phis)
    for phi, v in zip(phis, after):
        phi.add_incoming(v, b.block)
    b.branch(head)
    b.position_at_end(done)
    return phis


def _and_then(b, first, second, name: str):
    """first && second() (second emitted only where first holds)."""
    more, join = (b.function.append_basic_block(f"{name}.{p}") for p in ("more", "join"))
    start = b.block
    b.cbranch(first, more, join)
    b.position_at_end(more)
    value = second()
    end = b.block
    b.branch(join)
    b.position_at_end(join)
    phi = b.phi(I1, name)
    phi.add_incoming(I1(0), start)
    phi.add_incoming(value, end)
    return phi


def _affix(fx, e, text, part, at_end: bool):
    """startswith / endswith: long enough, and memcmp of the part's length is 0."""
    b = fx.builder
    n, m = b.extract_value(text, STRING_LEN), b.extract_value(part, STRING_LEN)
    fits = b.icmp_signed("<=", m, n)
    at = b.select(fits, b.sub(n, m), I64(0)) if at_end else I64(0)
    p = b.gep(b.extract_value(text, STRING_BYTES), [at], source_etype=I8)
    diff = b.call(libc(fx, "memcmp"), [p, b.extract_value(part, STRING_BYTES),
                                       b.select(fits, m, I64(0))])
    return b.and_(fits, b.icmp_signed("==", diff, I32(0)))


def _find(fx, e, text, sub, start):
    """Python's `find(sub, start)`: a negative start counts from the end; one
    past the end finds nothing (an empty `sub` neither)."""
    b = fx.builder
    n = b.extract_value(text, STRING_LEN)
    k = b.select(b.icmp_signed("<", start, I64(0)), b.add(start, n), start)
    k = b.select(b.icmp_signed("<", k, I64(0)), I64(0), k)
    past = b.icmp_signed(">", k, n)
    found = string_find(fx, text, sub, b.select(past, n, k))
    return b.select(past, I64(-1), found)


def _characters(b, text):
    """The number of characters: the bytes that do not continue one (10xxxxxx)."""
    def each(k, count):
        return (b.add(count, b.zext(_starts_char(b, text, k), I64)),)
    (count,) = _loop(b, I64(0), b.extract_value(text, STRING_LEN), (I64(0),), each, "chars")
    return count


def _count(fx, e, text, sub):
    """Non-overlapping occurrences (memmem from just after each); of "", one
    more than the characters, as Python's str."""
    def build(fn, b):
        s, t = fn.args
        m = b.extract_value(t, STRING_LEN)
        empty, search = fn.append_basic_block("empty"), fn.append_basic_block("search")
        b.cbranch(b.icmp_signed("==", m, I64(0)), empty, search)
        b.position_at_end(empty)
        b.ret(b.add(_characters(b, s), I64(1)))
        b.position_at_end(search)
        first = b.call(_find_fn(fx), [s, t, I64(0)])
        _, count = _while(b, (first, I64(0)), lambda at, c: b.icmp_signed(">=", at, I64(0)),
                          lambda at, c: (b.call(_find_fn(fx), [s, t, b.add(at, m)]),
                                         b.add(c, I64(1))), "count")
        b.ret(count)
    fn = helper_function(fx, "mojolite.string.count", I64, [STRING_IR, STRING_IR], build,
                         inline=False)
    return fx.builder.call(fn, [text, sub], "count")


def _map_bytes(fx, e, text, low: int, delta: int):
    """A copy with the bytes in [low, low + 26) moved by `delta` (ASCII case)."""
    b = fx.builder
    n = b.extract_value(text, STRING_LEN)
    out = new_string(fx, e, n)
    dest = b.extract_value(out, STRING_BYTES)

    def each(k):
        c = _byte(b, text, k)
        hit = b.icmp_unsigned("<", b.sub(c, I64(low)), I64(26))
        b.store(b.trunc(b.select(hit, b.add(c, I64(delta)), c), I8),
                b.gep(dest, [k], source_etype=I8))
        return ()
    _loop(b, I64(0), n, (), each, "case")
    return out


def _strip(fx, e, text, left: bool, right: bool):
    """The bytes between the ASCII whitespace at either end: a view of the
    same text (one more reference)."""
    b = fx.builder
    n = b.extract_value(text, STRING_LEN)
    start, stop = I64(0), n
    if left:
        (start,) = _while(b, (start,), lambda k: _and_then(
            b, b.icmp_signed("<", k, n), lambda: _is_space(b, _byte(b, text, k)), "ls"),
            lambda k: (b.add(k, I64(1)),), "lstrip")
    if right:
        (stop,) = _while(b, (stop,), lambda k: _and_then(
            b, b.icmp_signed(">", k, start),
            lambda: _is_space(b, _byte(b, text, b.sub(k, I64(1)))), "rs"),
            lambda k: (b.sub(k, I64(1)),), "rstrip")
    return retain(fx, _view(b, text, start, stop), STRING)


def _copy(b, fx, dest, at, src_text, start, stop):
    """dest[at:] = src_text's bytes [start, stop); returns at + their count."""
    n = b.sub(stop, start)
    b.call(_memmove(fx), [b.gep(dest, [at], source_etype=I8),
                          b.gep(b.extract_value(src_text, STRING_BYTES), [start],
                                source_etype=I8), n, I1(0)])
    return b.add(at, n)


def _replace(fx, e, text, old, new):
    """Two passes: the occurrences counted (`_count`), then the new String
    written: the bytes between occurrences and `new` for each; an empty `old`
    puts `new` before each character and at the end, as Python's str."""
    b = fx.builder
    n, m = b.extract_value(text, STRING_LEN), b.extract_value(old, STRING_LEN)
    r = b.extract_value(new, STRING_LEN)
    grow, overflow = _mul_checked(fx, _count(fx, e, text, old), b.sub(r, m), None)
    fx.fault_if(overflow, e.span, SIZE_OVERFLOW_FAULT, "overflow")
    out = new_string(fx, e, b.add(n, grow))

    def build(fn, bb):
        dest, s, a, t = fn.args
        n, m = bb.extract_value(s, STRING_LEN), bb.extract_value(a, STRING_LEN)
        rn = bb.extract_value(t, STRING_LEN)
        empty, search = fn.append_basic_block("empty"), fn.append_basic_block("search")
        bb.cbranch(bb.icmp_signed("==", m, I64(0)), empty, search)
        bb.position_at_end(empty)

        def each(k, at):
            at = bb.select(_starts_char(bb, s, k), _copy(bb, fx, dest, at, t, I64(0), rn), at)
            return (_copy(bb, fx, dest, at, s, k, bb.add(k, I64(1))),)
        (at,) = _loop(bb, I64(0), n, (I64(0),), each, "between")
        _copy(bb, fx, dest, at, t, I64(0), rn)
        bb.ret_void()
        bb.position_at_end(search)
        first = bb.call(_find_fn(fx), [s, a, I64(0)])

        def step(hit, k, at):
            at = _copy(bb, fx, dest, _copy(bb, fx, dest, at, s, k, hit), t, I64(0), rn)
            k = bb.add(hit, m)
            return bb.call(_find_fn(fx), [s, a, k]), k, at
        _, k, at = _while(bb, (first, I64(0), I64(0)),
                          lambda hit, k, at: bb.icmp_signed(">=", hit, I64(0)), step, "repl")
        _copy(bb, fx, dest, at, s, k, n)
        bb.ret_void()
    fill = helper_function(fx, "mojolite.string.replace", ir.VoidType(),
                           [PTR, STRING_IR, STRING_IR, STRING_IR], build, inline=False)
    b.call(fill, [b.extract_value(out, STRING_BYTES), text, old, new])
    return out


def _split(fx, e, text, sep):
    """The pieces between the occurrences of `sep` (one more than they):
    views of the text, each one more reference to it."""
    b = fx.builder
    fx.fault_if(b.icmp_signed("==", b.extract_value(sep, STRING_LEN), I64(0)), e.span,
                M.EMPTY_SEPARATOR_FAULT, "sep")
    lst, data = new_list(fx, e, STRING, b.add(_count(fx, e, text, sep), I64(1)))

    def build(fn, bb):
        out, s, t = fn.args
        n, m = bb.extract_value(s, STRING_LEN), bb.extract_value(t, STRING_LEN)
        first = bb.call(_find_fn(fx), [s, t, I64(0)])

        def step(hit, k, i):
            bb.store(_view(bb, s, k, hit), bb.gep(out, [i], source_etype=STRING_IR))
            k = bb.add(hit, m)
            return bb.call(_find_fn(fx), [s, t, k]), k, bb.add(i, I64(1))
        _, k, i = _while(bb, (first, I64(0), I64(0)),
                         lambda hit, k, i: bb.icmp_signed(">=", hit, I64(0)), step, "split")
        bb.store(_view(bb, s, k, n), bb.gep(out, [i], source_etype=STRING_IR))
        bb.ret_void()
    fill = helper_function(fx, "mojolite.string.split", ir.VoidType(),
                           [PTR, STRING_IR, STRING_IR], build, inline=False)
    b.call(fill, [data, text, sep])
    b.call(_retain_range(fx, STRING), [data, I64(0), b.extract_value(lst, LIST_LEN), fx.ctx])
    return lst


def _words(fx, e, text):
    """`s.split()`: the runs of bytes that are not ASCII whitespace. One helper
    counts them (out NULL) and then stores them."""
    def build(fn, bb):
        out, s = fn.args
        n = bb.extract_value(s, STRING_LEN)

        def each(k, start, count):
            space = _is_space(bb, _byte(bb, s, k))
            in_word = bb.icmp_signed(">=", start, I64(0))
            ends = bb.and_(in_word, space)
            store, after = fn.append_basic_block("store"), fn.append_basic_block("after")
            keep = bb.and_(ends, bb.icmp_unsigned("!=", out, ir.Constant(PTR, None)))
            bb.cbranch(keep, store, after)
            bb.position_at_end(store)
            bb.store(_view(bb, s, start, k), bb.gep(out, [count], source_etype=STRING_IR))
            bb.branch(after)
            bb.position_at_end(after)
            count = bb.add(count, bb.zext(ends, I64))
            start = bb.select(space, I64(-1), bb.select(in_word, start, k))
            return start, count
        start, count = _loop(bb, I64(0), n, (I64(-1), I64(0)), each, "words")
        _last_view(fn, bb, bb.icmp_signed(">=", start, I64(0)), out, s, start, count)
    words = helper_function(fx, "mojolite.string.words", I64, [PTR, STRING_IR], build,
                            inline=False)
    return _views(fx, e, words, text)


def _last_view(fn, bb, has, out, s, start, count):
    """The end of a `_views` helper: where `has`, the view from `start` to the
    text's end is one more (stored at out[count] unless out is NULL); returns
    the count."""
    last, after = fn.append_basic_block("last"), fn.append_basic_block("end")
    bb.cbranch(bb.and_(has, bb.icmp_unsigned("!=", out, ir.Constant(PTR, None))), last, after)
    bb.position_at_end(last)
    bb.store(_view(bb, s, start, bb.extract_value(s, STRING_LEN)),
             bb.gep(out, [count], source_etype=STRING_IR))
    bb.branch(after)
    bb.position_at_end(after)
    bb.ret(bb.add(count, bb.zext(has, I64)))


def _views(fx, e, helper, text):
    """A new List of the Strings `helper(out, text)` stores at `out` (views of
    `text`, each retained), sized by a first call that only counts (out NULL)."""
    b = fx.builder
    lst, data = new_list(fx, e, STRING, b.call(helper, [ir.Constant(PTR, None), text], "count"))
    b.call(helper, [data, text])
    b.call(_retain_range(fx, STRING), [data, I64(0), b.extract_value(lst, LIST_LEN), fx.ctx])
    return lst


def _chars(fx, e, text):
    """`for c in s`: its characters, each a view of the text's bytes from one
    character's first byte to the next's. One helper counts them (out NULL)
    and then stores them."""
    def build(fn, bb):
        out, s = fn.args
        n = bb.extract_value(s, STRING_LEN)
        stores = bb.icmp_unsigned("!=", out, ir.Constant(PTR, None))

        def each(k, start, count):
            ends = bb.and_(bb.icmp_signed(">", k, I64(0)), _starts_char(bb, s, k))
            store, after = fn.append_basic_block("store"), fn.append_basic_block("after")
            bb.cbranch(bb.and_(ends, stores), store, after)
            bb.position_at_end(store)
            bb.store(_view(bb, s, start, k), bb.gep(out, [count], source_etype=STRING_IR))
            bb.branch(after)
            bb.position_at_end(after)
            return bb.select(ends, k, start), bb.add(count, bb.zext(ends, I64))
        start, count = _loop(bb, I64(0), n, (I64(0), I64(0)), each, "chars")
        _last_view(fn, bb, bb.icmp_signed(">", n, I64(0)), out, s, start, count)
    chars = helper_function(fx, "mojolite.string.chars", I64, [PTR, STRING_IR], build,
                            inline=False)
    return _views(fx, e, chars, text)


def _join(fx, e, sep, lst):
    """The elements with `sep` between them: their lengths summed, then copied."""
    b = fx.builder
    count, data = b.extract_value(lst, LIST_LEN), b.extract_value(lst, LIST_DATA)
    m = b.extract_value(sep, STRING_LEN)

    def element(k):
        return b.load(b.gep(data, [k], source_etype=STRING_IR), typ=STRING_IR)
    (total,) = _loop(b, I64(0), count, (I64(0),), lambda k, t: (
        b.add(t, b.extract_value(element(k), STRING_LEN)),), "joinlen")
    gaps = b.select(b.icmp_signed(">", count, I64(0)), b.sub(count, I64(1)), I64(0))
    out = new_string(fx, e, b.add(total, b.mul(gaps, m)))
    dest = b.extract_value(out, STRING_BYTES)

    def each(k, at):
        at = b.select(b.icmp_signed(">", k, I64(0)), _copy(b, fx, dest, at, sep, I64(0), m), at)
        x = element(k)
        return (_copy(b, fx, dest, at, x, I64(0), b.extract_value(x, STRING_LEN)),)
    _loop(b, I64(0), count, (I64(0),), each, "join")
    return out


def _isdigit(fx, e, text):
    b = fx.builder
    n = b.extract_value(text, STRING_LEN)
    (all_digits,) = _loop(b, I64(0), n, (I1(1),), lambda k, ok: (b.and_(ok, b.icmp_unsigned(
        "<", b.sub(_byte(b, text, k), I64(ord("0"))), I64(10))),), "digits")
    return b.and_(all_digits, b.icmp_signed(">", n, I64(0)))


# atol's states: the byte classes move between them; the text is an integer
# when it ends in DIGITS or AFTER.
BEFORE, SIGN, DIGITS, UNDERSCORE, AFTER, BAD = range(6)


def _atol(fx, e, text):
    """Base 10, as Python's int(): whitespace, a sign, digits with single `_`
    between them, whitespace. Accumulated negative (so -2**63 fits), with
    overflow flags; the faults are the caller's."""
    def build(fn, b):
        (s,) = fn.args
        smul = fx.ml.intrinsic("llvm.smul.with.overflow", ir.LiteralStructType([I64, I1]),
                               [I64, I64], [I64])
        ssub = fx.ml.intrinsic("llvm.ssub.with.overflow", ir.LiteralStructType([I64, I1]),
                               [I64, I64], [I64])

        def each(k, state, value, negative, overflow):
            c = _byte(b, s, k)
            digit = b.sub(c, I64(ord("0")))
            is_digit = b.icmp_unsigned("<", digit, I64(10))
            space, sign = _is_space(b, c), b.or_(b.icmp_unsigned("==", c, I64(ord("+"))),
                                                 b.icmp_unsigned("==", c, I64(ord("-"))))
            under = b.icmp_unsigned("==", c, I64(ord("_")))

            def st(x):
                return b.icmp_unsigned("==", state, I64(x))

            def pick(*cases):      # (condition, next state) ..., else BAD
                result = I64(BAD)
                for cond, nxt in reversed(cases):
                    result = b.select(cond, I64(nxt), result)
                return result
            nxt = b.select(st(BEFORE), pick((space, BEFORE), (sign, SIGN), (is_digit, DIGITS)),
                  b.select(b.or_(st(SIGN), st(UNDERSCORE)), pick((is_digit, DIGITS)),
                  b.select(st(DIGITS), pick((is_digit, DIGITS), (under, UNDERSCORE),
                                            (space, AFTER)),
                  b.select(st(AFTER), pick((space, AFTER)), I64(BAD)))))
            negative = b.or_(negative, b.and_(st(BEFORE), b.icmp_unsigned(
                "==", c, I64(ord("-")))))
            times = b.call(smul, [value, I64(10)])
            minus = b.call(ssub, [b.extract_value(times, 0), digit])
            adds = b.and_(is_digit, b.icmp_unsigned("==", nxt, I64(DIGITS)))
            value = b.select(adds, b.extract_value(minus, 0), value)
            flags = b.or_(b.extract_value(times, 1), b.extract_value(minus, 1))
            return nxt, value, negative, b.or_(overflow, b.and_(adds, flags))
        state, value, negative, overflow = _loop(
            b, I64(0), b.extract_value(s, STRING_LEN), (I64(BEFORE), I64(0), I1(0), I1(0)),
            each, "atol")
        ok = b.or_(b.icmp_unsigned("==", state, I64(DIGITS)),
                   b.icmp_unsigned("==", state, I64(AFTER)))
        # positive: -value, which overflows for -2**63
        overflow = b.or_(overflow, b.and_(b.not_(negative),
                                          b.icmp_signed("==", value, I64(-1 << 63))))
        status = b.select(ok, b.select(overflow, I64(2), I64(0)), I64(1))
        result = b.select(negative, value, b.sub(I64(0), value))
        pair = b.insert_value(ir.Constant(ir.LiteralStructType([I64, I64]), None), result, 0)
        b.ret(b.insert_value(pair, status, 1))
    fn = helper_function(fx, "mojolite.string.atol", ir.LiteralStructType([I64, I64]),
                         [STRING_IR], build, inline=False)
    b = fx.builder
    pair = b.call(fn, [text], "atol")
    status = b.extract_value(pair, 1)
    fx.fault_if(b.icmp_unsigned("==", status, I64(1)), e.span, M.ATOL_FAULT, "atol")
    fx.fault_if(b.icmp_unsigned("==", status, I64(2)), e.span, M.ATOL_RANGE_FAULT, "atol.range")
    return b.extract_value(pair, 0)


# atof's automaton (Python's float() text, as strings._decimal): byte classes,
# and for each state the class → next state moves (any other: BAD).
_CLASSES = {"space": b" \t\n\r\x0b\x0c", "sign": b"+-", "digit": b"0123456789", "dot": b".",
            "under": b"_", "e": b"eE", "i": b"iI", "n": b"nN", "f": b"fF", "t": b"tT",
            "y": b"yY", "a": b"aA"}
_MOVES = {      # state: {class: next}; the states ending with "$" end a number
    "start": {"space": "start", "sign": "sign", "digit": "int$", "dot": "dot", "i": "i",
              "n": "n"},
    "sign": {"digit": "int$", "dot": "dot", "i": "i", "n": "n"},
    "int$": {"digit": "int$", "under": "int_", "dot": "point$", "e": "e", "space": "end$"},
    "int_": {"digit": "int$"},
    "dot": {"digit": "frac$"},
    "point$": {"digit": "frac$", "e": "e", "space": "end$"},
    "frac$": {"digit": "frac$", "under": "frac_", "e": "e", "space": "end$"},
    "frac_": {"digit": "frac$"},
    "e": {"sign": "esign", "digit": "exp$"},
    "esign": {"digit": "exp$"},
    "exp$": {"digit": "exp$", "under": "exp_", "space": "end$"},
    "exp_": {"digit": "exp$"},
    "i": {"n": "in"}, "in": {"f": "inf$"}, "inf$": {"i": "infi", "space": "end$"},
    "infi": {"n": "infin"}, "infin": {"i": "infini"}, "infini": {"t": "infinit"},
    "infinit": {"y": "infinity$"}, "infinity$": {"space": "end$"},
    "n": {"a": "na"}, "na": {"n": "nan$"}, "nan$": {"space": "end$"},
    "end$": {"space": "end$"},
    "bad": {},
}


def _atof_tables(fx):
    """The module constants of atof's automaton: the class of each byte (i8 x 256),
    and the next state (i8) of each state and class, row by row."""
    states, classes = list(_MOVES), ["other", *_CLASSES]
    byte_class = bytearray(256)
    for k, name in enumerate(classes[1:], 1):
        for c in _CLASSES[name]:
            byte_class[c] = k
    moves = bytearray(states.index(_MOVES[s].get(c, "bad")) for s in states for c in classes)
    tables = []
    for name, data in (("classes", byte_class), ("moves", moves)):
        gv = fx.ml.module.globals.get(f"mojolite.atof.{name}")
        if gv is None:
            ty = ir.ArrayType(I8, len(data))
            gv = ir.GlobalVariable(fx.ml.module, ty, name=f"mojolite.atof.{name}")
            gv.linkage, gv.global_constant = "private", True
            gv.initializer = ir.Constant(ty, data)
        tables.append(gv)
    ends = [k for k, s in enumerate(states) if s.endswith("$")]
    return tables, len(classes), ends


def _atof(fx, e, text):
    """Python's float(): the automaton checks the text; its bytes but the `_`s,
    NUL-terminated in a new buffer, go to libc's strtod (correctly rounded, as
    Python's float())."""
    (classes, moves), width, ends = _atof_tables(fx)

    def build(fn, b):
        s, buf = fn.args
        n = b.extract_value(s, STRING_LEN)

        def each(k, state):
            c = b.load(b.gep(classes, [I64(0), _byte(b, s, k)], source_etype=classes.value_type),
                       typ=I8)
            at = b.add(b.mul(b.zext(state, I64), I64(width)), b.zext(c, I64))
            return (b.load(b.gep(moves, [I64(0), at], source_etype=moves.value_type), typ=I8),)
        (state,) = _loop(b, I64(0), n, (ir.Constant(I8, 0),), each, "atof")
        ok = I1(0)
        for k in ends:
            ok = b.or_(ok, b.icmp_unsigned("==", state, ir.Constant(I8, k)))

        def copy(k, at):
            c = _byte(b, s, k)
            b.store(b.trunc(c, I8), b.gep(buf, [at], source_etype=I8))
            return (b.select(b.icmp_unsigned("==", c, I64(ord("_"))), at, b.add(at, I64(1))),)
        (end,) = _loop(b, I64(0), n, (I64(0),), copy, "atof.copy")
        b.store(ir.Constant(I8, 0), b.gep(buf, [end], source_etype=I8))
        value = b.call(libc(fx, "strtod"), [buf, ir.Constant(PTR, None)], "strtod")
        pair = b.insert_value(ir.Constant(ir.LiteralStructType([F64, I1]), None), value, 0)
        b.ret(b.insert_value(pair, ok, 1))
    fn = helper_function(fx, "mojolite.string.atof", ir.LiteralStructType([F64, I1]),
                         [STRING_IR, PTR], build, inline=False)
    b = fx.builder
    buf = _checked_allocate(fx, e, b.add(b.extract_value(text, STRING_LEN), I64(1)))
    pair = b.call(fn, [text, buf], "atof")
    b.call(libc(fx, "free"), [buf])
    fx.fault_if(b.not_(b.extract_value(pair, 1)), e.span, M.ATOF_FAULT, "atof")
    return b.extract_value(pair, 0)


RULES = {
    "string.index": _index,
    "string.slice": _slice,
    "string.ord": _ord,
    "string.chr": _chr,
    "string.repeat": _repeat,
    "string.contains": lambda fx, e, text, sub: fx.builder.icmp_signed(
        ">=", string_find(fx, text, sub, I64(0)), I64(0)),
    "string.startswith": lambda fx, e, text, p: _affix(fx, e, text, p, False),
    "string.endswith": lambda fx, e, text, p: _affix(fx, e, text, p, True),
    "string.find": _find,
    "string.count": _count,
    "string.upper": lambda fx, e, text: _map_bytes(fx, e, text, ord("a"), -32),
    "string.lower": lambda fx, e, text: _map_bytes(fx, e, text, ord("A"), 32),
    "string.strip": lambda fx, e, text: _strip(fx, e, text, True, True),
    "string.lstrip": lambda fx, e, text: _strip(fx, e, text, True, False),
    "string.rstrip": lambda fx, e, text: _strip(fx, e, text, False, True),
    "string.replace": _replace,
    "string.split": _split,
    "string.words": _words,
    "string.chars": _chars,
    "string.join": _join,
    "string.isdigit": _isdigit,
    "string.atol": _atol,
    "string.atof": _atof,
}

"""Lowering of String operations beyond `+`, `==` and `len` (`string.*` built-ins).

In: `typed.Builtin` nodes named `string.*`, handed over through
`memory.BUILTIN_RULES` (which merges `RULES`) with their operands lowered
(`{ptr bytes, i64 length, ptr owner}` values, `irtypes.STRING_IR`). Out: IR in
fx's builder: byte loops written here, `memcmp`/`memmem` from libc, no call
back into Python. The meaning of each rule is `mojolite.strings` (the
reference mode), including the fault templates.

A rule's result is a new reference (the caller releases it): a new block
(`memory.new_string`), or, for a one-byte ASCII String (`s[i]`), borrowed text
in a module constant holding the 128 ASCII characters.
"""
from __future__ import annotations

from llvmlite import ir

from .. import strings as M
from ..memory import SIZE_OVERFLOW_FAULT
from .irtypes import I1, I8, I32, I64, PTR, STRING_BYTES, STRING_IR, STRING_LEN
from .memory import _memmove, _mul_checked, helper_function, libc, new_string

ASCII = "".join(chr(k) for k in range(128))


# ------------------------------------------------------------------ helpers
def _loop(b: ir.IRBuilder, start, stop, init: tuple, body, name: str = "str") -> list:
    """    for k in [start, stop): carried = body(k, *carried)
    emitted by `b` (in its current function); returns the carried values'
    final phis. `body` returns the new carried values (a tuple)."""
    fn = b.function
    head, each, done = (fn.append_basic_block(f"{name}.{part}")
                        for part in ("test", "each", "done"))
    entry = b.block
    b.branch(head)
    b.position_at_end(head)
    k = b.phi(I64, "k")
    k.add_incoming(start, entry)
    phis = []
    for v in init:
        phi = b.phi(v.type)
        phi.add_incoming(v, entry)
        phis.append(phi)
    b.cbranch(b.icmp_signed("<", k, stop), each, done)
    b.position_at_end(each)
    after = body(k, *phis)
    latch = b.block
    k.add_incoming(b.add(k, I64(1)), latch)
    for phi, v in zip(phis, after):
        phi.add_incoming(v, latch)
    b.branch(head)
    b.position_at_end(done)
    return phis


def _byte(b, text, k):
    """The byte at position k of `text`, as an i64 in [0, 256)."""
    p = b.gep(b.extract_value(text, STRING_BYTES), [k], source_etype=I8)
    return b.zext(b.load(p, typ=I8), I64)


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


def string_find(fx, text, sub, start):
    """The first position >= start (in [0, len]) where `sub` is in `text`, or
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
    fn = helper_function(fx, "mojolite.string.find", I64, [STRING_IR, STRING_IR, I64], build,
                         inline=False)
    return fx.builder.call(fn, [text, sub, start], "found")


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


RULES = {
    "string.index": _index,
    "string.ord": _ord,
    "string.chr": _chr,
    "string.repeat": _repeat,
    "string.contains": lambda fx, e, text, sub: fx.builder.icmp_signed(
        ">=", string_find(fx, text, sub, I64(0)), I64(0)),
}

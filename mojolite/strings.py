"""String operations of the reference mode (`string.*` built-ins beyond `+` and `len`).

In: Python `str` values (always valid UTF-8 text: the parser refuses lone
surrogates, and no operation here makes a String that is not UTF-8). Out:
`BUILTINS` (joined to `memory.BUILTINS` by reference.py; the JIT's rules are
`codegen/strings.py`) and the fault templates both modes report. A String is
measured, indexed and searched by UTF-8 byte, as in Mojo: positions (`s[i]`,
`find`) count bytes, so the operations work on `s.encode()` unless the text is
ASCII, where bytes and characters are the same.
"""
from __future__ import annotations

import functools

from .semantics import Fault

STRING_INDEX_FAULT = "String index {a} is out of range for length {b}"
STRING_BYTE_FAULT = ("String index {a} is inside a multi-byte character "
                     "(a String is indexed by UTF-8 byte)")
STRING_SLICE_FAULT = ("String slice cuts a multi-byte character at byte {a} "
                      "(a String is sliced by UTF-8 byte)")
ORD_FAULT = "ord() needs a String of one character, not one of {a} bytes"
EMPTY_SEPARATOR_FAULT = "split() with an empty separator"
ATOL_FAULT = "the String is not a base-10 integer (an optional sign, digits, `_` between them)"
ATOL_RANGE_FAULT = "the String's integer does not fit in Int64"
ATOF_FAULT = ("the String is not a decimal number (an optional sign, digits with an optional "
              "`.` and exponent, `inf` or `nan`)")
CHR_FAULT = "chr({a}) is not a Unicode code point (0 to 0x10FFFF, not a surrogate)"


def _fault(template: str, a: int = 0, b: int = 0) -> Fault:
    return Fault(template.format(a=a, b=b))


def _index(t, s: str, i: int) -> str:
    data = None if s.isascii() else s.encode("utf-8")
    n = len(s) if data is None else len(data)
    k = i + n if i < 0 else i
    if not 0 <= k < n:
        raise _fault(STRING_INDEX_FAULT, i, n)
    if data is None:
        return s[k]
    if data[k] >= 0x80:
        raise _fault(STRING_BYTE_FAULT, i)
    return chr(data[k])


def _slice(t, s: str, start: int, stop: int, step: int, given: int) -> str:
    """`s[start:stop:step]` by byte: the bytes taken must be whole characters
    (with step 1, neither end may fall inside one; with another step, every
    byte taken must be ASCII); a fault names the first byte that is not."""
    from .memory import python_slice
    sl = python_slice(start, stop, step, given)
    if s.isascii():
        return s[sl]
    data = _utf8(s)
    start, stop, step = sl.indices(len(data))
    taken = range(start, stop, step)
    if not taken:
        return ""
    if step == 1:
        cuts = [k for k in (start, stop) if k < len(data) and 0x80 <= data[k] < 0xC0]
    else:
        cuts = [k for k in taken if data[k] >= 0x80]
    if cuts:
        raise _fault(STRING_SLICE_FAULT, cuts[0])
    return data[sl].decode("utf-8")


def _ord(t, s: str) -> int:
    if len(s) != 1:
        raise _fault(ORD_FAULT, len(s.encode("utf-8")))
    return ord(s)


def _chr(t, c: int) -> str:
    if not 0 <= c <= 0x10FFFF or 0xD800 <= c <= 0xDFFF:
        raise _fault(CHR_FAULT, c)
    return chr(c)


def _repeat(t, s: str, n: int) -> str:
    from .memory import OUT_OF_MEMORY_FAULT, SIZE_OVERFLOW_FAULT
    size = len(s.encode("utf-8")) * max(n, 0)
    if size >= 1 << 63:
        raise Fault(SIZE_OVERFLOW_FAULT)
    try:
        return s * n
    except (MemoryError, OverflowError):
        raise _fault(OUT_OF_MEMORY_FAULT, size) from None


def _utf8(s: str) -> bytes:
    return s.encode("utf-8")


def _find(t, s: str, sub: str, start: int) -> int:
    if s.isascii() and sub.isascii():
        return s.find(sub, start)
    return _utf8(s).find(_utf8(sub), start)


def _split(t, s: str, sep: str):
    from .memory import RefList
    if not sep:
        raise Fault(EMPTY_SEPARATOR_FAULT)
    return RefList(s.split(sep))


def _list_of(items: list):
    from .memory import RefList
    return RefList(items)


def _words(t, s: str):
    """`s.split()`: the runs of ASCII whitespace (bytes.split's) separate."""
    from .memory import RefList
    return RefList([w.decode("utf-8") for w in _utf8(s).split()])


@functools.cache
def _integer():
    """Python's `int()` text of a base-10 integer (compiled on first use: `re` is
    not imported on the warm path, which imports this module)."""
    import re
    return re.compile(rb"[ \t\n\r\x0b\x0c]*[+-]?[0-9]+(?:_[0-9]+)*[ \t\n\r\x0b\x0c]*")


@functools.cache
def _decimal():
    """Python's `float()` text, in ASCII: a decimal number (`_` between digits,
    an optional exponent), `inf`, `infinity` or `nan` in any case."""
    import re
    digits = rb"[0-9]+(?:_[0-9]+)*"
    number = rb"(?:%s(?:\.(?:%s)?)?|\.%s)(?:[eE][+-]?%s)?" % (digits, digits, digits, digits)
    return re.compile(rb"[ \t\n\r\x0b\x0c]*[+-]?(?:%s|(?i:inf|infinity|nan))[ \t\n\r\x0b\x0c]*"
                      % number)


def _atof(t, s: str) -> float:
    data = _utf8(s)
    if not _decimal().fullmatch(data):
        raise Fault(ATOF_FAULT)
    return float(data)          # correctly rounded, as the JIT's strtod


def _atol(t, s: str) -> int:
    data = _utf8(s)
    if not _integer().fullmatch(data):
        raise Fault(ATOL_FAULT)
    value = int(data)
    if not -(1 << 63) <= value < 1 << 63:
        raise Fault(ATOL_RANGE_FAULT)
    return value


BUILTINS = {
    "string.index": _index,
    "string.slice": _slice,
    "string.ord": _ord,
    "string.chr": _chr,
    "string.repeat": _repeat,
    "string.contains": lambda t, s, sub: sub in s,
    "string.startswith": lambda t, s, p: s.startswith(p),
    "string.endswith": lambda t, s, p: s.endswith(p),
    "string.find": _find,
    "string.count": lambda t, s, sub: s.count(sub),   # "": one more than the characters
    "string.upper": lambda t, s: _utf8(s).upper().decode("utf-8"),   # ASCII letters only
    "string.lower": lambda t, s: _utf8(s).lower().decode("utf-8"),
    "string.strip": lambda t, s: _utf8(s).strip().decode("utf-8"),   # ASCII whitespace
    "string.lstrip": lambda t, s: _utf8(s).lstrip().decode("utf-8"),
    "string.rstrip": lambda t, s: _utf8(s).rstrip().decode("utf-8"),
    "string.replace": lambda t, s, old, new: s.replace(old, new),
    "string.split": _split,
    "string.words": _words,
    "string.chars": lambda t, s: _list_of(list(s)),
    "string.join": lambda t, sep, elems: sep.join(elems.items),
    "string.isdigit": lambda t, s: _utf8(s).isdigit(),     # ASCII digits, not empty
    "string.atol": _atol,
    "string.atof": _atof,
}

"""How values print: exactly as Python's `print` shows the same values.

In: a Python value and its mojolite type. Out: text. Float64 uses Python's
shortest round-trip repr; Float32 uses the shortest digits that round-trip as
float32, laid out by the same rule (scientific below 1e-4 and from 1e16 up).
The reference interpreter and the JIT's print runtime both call `format_value`.
"""
from __future__ import annotations

import ctypes
import math

from .typesys import STRING, DType, ListType, SIMD, Type, is_tuple


def format_float32(x: float) -> str:
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0.0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    # The fewest significant digits whose correctly rounded decimal reads back
    # as the same float32; at that length the rounded decimal is the closest.
    for precision in range(1, 10):
        text = f"{x:.{precision - 1}e}"
        if ctypes.c_float(float(text)).value == x:
            break
    mantissa, exp = text.split("e")
    sign = "-" if mantissa.startswith("-") else ""
    digits = mantissa.lstrip("-").replace(".", "")
    return _layout(sign, digits, int(exp))


def _layout(sign: str, digits: str, exp: int) -> str:
    """Python's repr layout of the decimal 0.d1d2... × 10^(exp+1)."""
    digits = digits.rstrip("0") or "0"
    if -4 <= exp < 16:
        if exp >= len(digits) - 1:
            return f"{sign}{digits}{'0' * (exp - len(digits) + 1)}.0"
        if exp >= 0:
            return f"{sign}{digits[:exp + 1]}.{digits[exp + 1:]}"
        return f"{sign}0.{'0' * (-exp - 1)}{digits}"
    mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{sign}{mant}e{'-' if exp < 0 else '+'}{abs(exp):02d}"


def format_value(value, type_: Type) -> str:
    if isinstance(type_, SIMD) and type_.width == 1:
        if type_.dtype is DType.float32:
            return format_float32(value)
        if type_.dtype is DType.bool:
            return "True" if value else "False"
        if type_.dtype.is_float:
            return repr(float(value))
        return str(int(value))
    if isinstance(type_, SIMD):
        return "[" + ", ".join(format_value(v, SIMD(type_.dtype, 1)) for v in value) + "]"
    if isinstance(type_, ListType):           # as Python prints a list
        return "[" + ", ".join(format_element(v, type_.element) for v in value.items) + "]"
    if is_tuple(type_):                       # as Python prints a tuple: `(1,)` for one
        texts = [format_element(v, e) for v, (_, e) in zip(value.fields, type_.fields)]
        return "(" + ", ".join(texts) + ("," if len(texts) == 1 else "") + ")"
    return str(value)


def format_element(value, type_: Type) -> str:
    """A List's or a tuple's element as Python prints it inside one: a String as
    its `repr`."""
    return repr(value) if type_ == STRING else format_value(value, type_)

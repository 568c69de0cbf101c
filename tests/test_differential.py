"""Differential tests: the reference interpreter, JIT -O0 and JIT -O3 agree.

A hypothesis strategy writes random WELL-TYPED programs: `fn f(a: T, b: T, c: T) -> T`
for each scalar type T, with `var`/`let`/`alias` locals, arithmetic, bitwise ops, casts
between all types, math functions, comparisons (chained too), `and`/`or`/`not`,
conditional expressions, `if`/`elif`/`else`, bounded `while` and `for ... in range(...)`
loops (negative steps, narrow types near their limits) with break/continue, early
returns, calls to a helper `h` (defaults, keyword arguments), a `mut` helper `bump`,
a bounded recursion `r`, `raise Error(...)`, and `print` of intermediate values.
Each program is run in the three modes on several argument
tuples drawn with a bias towards edge values (0, ±1, the type's min and max, INT_MIN
with -1, ±0.0, ±inf, NaN, subnormals, huge values). The modes must agree exactly:

- results: integers and Bools by value, floats bit for bit (any two NaNs are equal:
  a NaN's sign and payload are not observable from inside a program);
- a runtime fault in one mode is the same fault (message, line and column) in all;
- the printed text is identical, including what was printed before a fault.

Besides the random programs, a table test runs every operator, math function and
conversion of every scalar type on the cross product of that type's edge values.

Everything is derandomized (reproducible); `-m slow` runs many more examples
(MOJOLITE_FUZZ_CASES per type, 300 by default).
"""
from __future__ import annotations

import itertools
import math
import os
import struct
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mojolite
from mojolite import RuntimeFault

# ------------------------------------------------------------------ types
# name → (bits, signed); `Int`/`UInt` are distinct from Int64/UInt64 but the same size.
INT_TYPES = {
    "Int": (64, True), "Int8": (8, True), "Int16": (16, True), "Int32": (32, True),
    "Int64": (64, True), "UInt8": (8, False), "UInt16": (16, False), "UInt32": (32, False),
    "UInt64": (64, False), "UInt": (64, False),
}
FLOAT_TYPES = ("Float32", "Float64")
TYPES = tuple(INT_TYPES) + FLOAT_TYPES


def is_float(t: str) -> bool:
    return t in FLOAT_TYPES


def int_range(t: str) -> tuple[int, int]:
    bits, signed = INT_TYPES[t]
    return (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)


# ------------------------------------------------------------------ edge values
def int_edges(t: str) -> list[int]:
    lo, hi = int_range(t)
    bits, signed = INT_TYPES[t]
    vals = {0, 1, 2, 3, 7, hi, hi - 1, lo, lo + 1, 1 << (bits - 2), (1 << (bits // 2)) + 1}
    if signed:
        vals |= {-1, -2, -3, -7, lo // 2}
    return sorted(v for v in vals if lo <= v <= hi)


FLOAT64_EDGES = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, 3.0, 0.1, -7.5,
                 math.inf, -math.inf, math.nan, 5e-324, -5e-324, 1e-310, 2.2250738585072014e-308,
                 1e-45, 1.7976931348623157e308, -1e308, 1e300, 2.0 ** 53 + 2, 2.0 ** 63,
                 -(2.0 ** 63), 2.0 ** 64, 9.3e18, 3.4028235e38, 1e39, 123456.789]
FLOAT32_EDGES = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1.5, 2.5, -2.5, 3.0, 0.1, -7.5,
                 math.inf, -math.inf, math.nan, 1e-45, -1e-45, 1e-40, 1.1754943508222875e-38,
                 3.4028234663852886e38, -3.4028234663852886e38, 1e39, 16777217.0, 2.0 ** 31,
                 2.0 ** 63, -(2.0 ** 63), 2.0 ** 64, 5e-324, 123456.789]


def edges(t: str) -> list:
    if t == "Float64":
        return FLOAT64_EDGES
    if t == "Float32":
        return FLOAT32_EDGES
    return int_edges(t)


def value_strategy(t: str) -> st.SearchStrategy:
    """Argument values for type `t`, about half of them edge values."""
    if is_float(t):
        width = 32 if t == "Float32" else 64
        # Float32 arguments may be any double: the call rounds them to float32.
        anything = st.floats(width=64) if width == 64 else \
            st.one_of(st.floats(width=32), st.floats(width=64))
        small = st.floats(min_value=-100, max_value=100)
        return st.one_of(st.sampled_from(edges(t)), small, anything)
    lo, hi = int_range(t)
    return st.one_of(st.sampled_from(edges(t)), st.integers(max(lo, -20), min(hi, 20)),
                     st.integers(lo, hi))


# ------------------------------------------------------------------ running
MODES = (("reference", {"reference": True}), ("O0", {"opt": 0}), ("O3", {"opt": 3}))


def normalize(value):
    """A comparable form of a result: floats by their bits, every NaN alike."""
    if isinstance(value, float):
        return ("float", "nan") if value != value else ("float", struct.pack("<d", value))
    return (type(value).__name__, value)


def run_mode(module, fn: str, inputs: list[tuple], capsys) -> list[tuple]:
    """(outcome, printed text) for each argument tuple."""
    results = []
    capsys.readouterr()             # then each call's own text: read after it
    for args in inputs:
        try:
            outcome = ("value", normalize(getattr(module, fn)(*args)))
        except RuntimeFault as fault:
            outcome = ("fault", fault.message, fault.span.line, fault.span.column)
        results.append((outcome, capsys.readouterr().out))
    return results


def assert_modes_agree(src: str, calls: list[tuple[str, list[tuple]]], capsys):
    """Compile `src` in each mode and run every (function, inputs) pair; all agree."""
    per_mode = {}
    for name, options in MODES:
        try:
            module = mojolite.compile(src, "t.ml", **options)
        except mojolite.CompileError as e:
            raise AssertionError(f"generated program does not compile ({name}):\n{e}\n\n"
                                 f"{_numbered(src)}") from None
        per_mode[name] = [run_mode(module, fn, inputs, capsys) for fn, inputs in calls]
    ref = per_mode["reference"]
    for name in ("O0", "O3"):
        for (fn, inputs), want, got in zip(calls, ref, per_mode[name]):
            for args, w, g in zip(inputs, want, got):
                assert w == g, (f"reference and JIT {name} disagree on {fn}{args!r}\n"
                                f"reference: {w!r}\n{name:>9}: {g!r}\n\n{_numbered(src)}")


def _numbered(src: str) -> str:
    return "\n".join(f"{i:3} | {line}" for i, line in enumerate(src.splitlines(), 1))


# ------------------------------------------------------------------ program generator
FLOAT_MATH_1 = ("sqrt", "floor", "ceil", "trunc", "abs", "exp", "log", "sin", "cos", "tanh",
                "round", "exp2", "log2", "log10", "log1p", "expm1", "tan", "atan", "asin",
                "acos", "sinh", "cosh", "rsqrt")
FLOAT_MATH_2 = ("min", "max", "pow", "atan2")
FLOAT_MATH_3 = ("fma", "clamp")
BUILTINS = {"abs", "min", "max"}
FLOAT_CONSTS = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 10.0, 0.1, 1e-3, 1e10, 1e300, 5e-324, 1e-310,
                1e-45, 3.4028235e38, 1e39, 2.0 ** 53, 2.0 ** 63, 255.75, 1e-7)
INT_CONSTS = (0, 1, 2, 3, 4, 5, 7, 8, 10, 16, 31, 32, 63, 64, 100, 127, 128, 255, 256,
              32767, 65535, 2 ** 31 - 1, 2 ** 32 - 1, 2 ** 63 - 1, 2 ** 64 - 1)


@dataclass
class E:
    """Generated expression text; `lit` when it is a bare literal (its type is still open)."""
    text: str
    lit: bool = False


@dataclass
class Var:
    type: str
    assignable: bool


@dataclass
class Limits:
    depth: int = 3          # expression depth
    stmts: int = 6          # statements per block (upper bound)
    nest: int = 2           # nested compound statements
    loops: bool = True
    helpers: bool = True


class Gen:
    """Writes one program with hypothesis' `draw` making every choice.

    Invariants kept so every program is well typed and terminates:
    - a literal never meets another literal in an operation (it would be folded
      exactly and might not fit), and every literal fits the type it meets;
    - `while` loops count a protected counter up to at most 5, incremented first;
    - recursion goes through `r(n, x)` only, called with n in [0, 20];
    - the helpers `h` and `bump` call nothing, so nothing else recurses;
    - `bump`'s `mut` argument is always an assignable variable of type T (never a
      loop counter, so loops stay bounded).
    """

    def __init__(self, draw, t: str, limits: Limits):
        self.draw = draw
        self.t = t
        self.lim = limits
        self.scopes: list[dict[str, Var]] = [{}]
        self.counter = itertools.count()
        self.imports: set[str] = set()
        self.loop_depth = 0
        self.nest = 0
        self.callable: set[str] = set()   # helpers the current function may call
        self.returns = True                # the current function has a result
        self.raises = False                # every function is `raises`: `raise` may appear
        self.h_default = False             # h's second parameter has a default

    # -- choices
    def pick(self, seq):
        return self.draw(st.sampled_from(seq))

    def chance(self, p_percent: int) -> bool:
        return self.draw(st.integers(0, 99)) < p_percent

    def fresh(self, prefix: str) -> str:
        return f"{prefix}{next(self.counter)}"

    # -- scopes
    def declare(self, name: str, t: str, assignable: bool = True):
        self.scopes[-1][name] = Var(t, assignable)

    def visible(self, pred=lambda name, v: True) -> list[tuple[str, Var]]:
        seen = {}
        for scope in self.scopes:
            seen.update(scope)
        return sorted((n, v) for n, v in seen.items() if pred(n, v))

    def vars_of(self, t: str, assignable: bool = False) -> list[str]:
        return [n for n, v in self.visible(lambda n, v: v.type == t and
                                           (v.assignable or not assignable))]

    # -- literals
    def literal(self, t: str) -> E:
        if is_float(t):
            if self.chance(10):
                name = self.pick(("inf", "nan"))
                self.imports.add(name)
                return E(f"(-{name})" if self.chance(30) else name, lit=True)
            if self.chance(15):     # an integer literal meeting a float
                v = self.draw(st.integers(-1000, 1000))
                return E(f"({v})" if v < 0 else str(v), lit=True)
            v = self.draw(st.one_of(st.sampled_from(FLOAT_CONSTS),
                                    st.floats(-1e6, 1e6, allow_nan=False)))
            neg = self.chance(30)
            text = repr(abs(v))
            return E(f"(-{text})" if neg else text, lit=True)
        lo, hi = int_range(t)
        v = self.draw(st.one_of(st.sampled_from(INT_CONSTS), st.integers(lo, hi)))
        if INT_TYPES[t][1] and self.chance(40):
            v = -v
        if not lo <= v <= hi:
            v = self.draw(st.integers(0, 9))
        if v < 0:
            return E(f"({v})", lit=True)
        style = self.draw(st.integers(0, 9))
        text = {7: hex(v), 8: bin(v) if v < 4096 else str(v), 9: oct(v)}.get(style, str(v))
        if style == 6 and v >= 10000:
            text = f"{v:_}"
        return E(text, lit=True)

    @staticmethod
    def typed(e: E, t: str) -> E:
        """`e` with its literal-ness removed: `T(lit)` (a typed constant)."""
        return E(f"{t}({e.text})") if e.lit else e

    # -- expressions
    def expr(self, t: str, depth: int | None = None) -> E:
        if depth is None:
            depth = self.draw(st.integers(0, self.lim.depth))
        if depth <= 0:
            return self.leaf(t)
        kinds = ["leaf", "binary", "binary", "binary", "unary", "ifexp", "cast", "math"]
        if t == self.t and "h" in self.callable:
            kinds.append("call_h")
        if t == self.t and "r" in self.callable:
            kinds.append("call_r")
        if t == self.t and "bump" in self.callable and "bump_stmt_only" not in self.callable \
                and self.vars_of(t, assignable=True):
            kinds.append("call_bump")
        kind = self.pick(kinds)
        return getattr(self, "e_" + kind)(t, depth - 1)

    def leaf(self, t: str) -> E:
        names = self.vars_of(t)
        if names and self.chance(75):
            return E(self.pick(names))
        return self.literal(t)

    def e_leaf(self, t, depth):
        return self.leaf(t)

    def e_binary(self, t: str, depth: int) -> E:
        if is_float(t):
            op = self.pick(["+", "-", "*", "/", "//", "%", "**"])
        else:
            op = self.pick(["+", "-", "*", "//", "%", "**", "&", "|", "^", "<<", ">>"])
        lhs = self.expr(t, depth)
        if op == "**":
            rhs = self.exponent(t, depth)
        elif op in ("//", "%") and not is_float(t):
            rhs = self.divisor(t, depth)
        elif op in ("<<", ">>") and self.chance(60):
            bits = INT_TYPES[t][0]
            rhs = E(str(self.draw(st.integers(0, min(bits + 2, int_range(t)[1])))), lit=True)
        else:
            rhs = self.expr(t, depth)
        if lhs.lit and rhs.lit:
            lhs = self.typed(lhs, t)
        return E(f"({lhs.text} {op} {rhs.text})")

    def exponent(self, t: str, depth: int) -> E:
        if is_float(t):
            if self.chance(50):
                return E(self.pick(["2", "3", "2.0", "3.0", "0.5", "(-1.0)", "0", "1.5"]), lit=True)
            return self.expr(t, depth)
        if self.chance(85):
            return E(str(self.draw(st.integers(0, 5))), lit=True)
        return self.expr(t, depth)      # anything: huge (fine) or negative (a fault)

    def divisor(self, t: str, depth: int) -> E:
        way = self.draw(st.integers(0, 3))
        if way == 0:
            lo, hi = int_range(t)
            cands = [v for v in (1, 2, 3, 4, 7, 8, 64, 1000, -1, -2, -8, hi, lo, 0)
                     if lo <= v <= hi and (v != 0 or self.chance(20))]
            v = self.pick(cands)
            return E(f"({v})" if v < 0 else str(v), lit=True)
        if way == 1:
            return E(f"({self.typed(self.expr(t, depth), t).text} | 1)")     # never zero
        return self.expr(t, depth)

    def e_unary(self, t: str, depth: int) -> E:
        op = "-" if is_float(t) else self.pick(["-", "~"])
        x = self.typed(self.expr(t, depth), t)
        return E(f"({op}{x.text})")

    def e_ifexp(self, t: str, depth: int) -> E:
        a, b = self.expr(t, depth), self.expr(t, depth)
        if a.lit and b.lit:
            a = self.typed(a, t)
        return E(f"({a.text} if {self.cond(depth).text} else {b.text})")

    def e_cast(self, t: str, depth: int) -> E:
        src = self.pick(TYPES + ("Bool",))
        x = self.cond(depth) if src == "Bool" else self.typed(self.expr(src, depth), src)
        return E(f"{t}({x.text})")

    def e_math(self, t: str, depth: int) -> E:
        if is_float(t):
            name = self.pick(FLOAT_MATH_1 + FLOAT_MATH_2 + FLOAT_MATH_3)
            arity = 1 if name in FLOAT_MATH_1 else (2 if name in FLOAT_MATH_2 else 3)
        else:
            name = self.pick(("abs", "min", "max", "clamp", "pow"))
            arity = {"abs": 1, "min": 2, "max": 2, "clamp": 3, "pow": 2}[name]
        if name not in BUILTINS:
            self.imports.add(name)
        if name == "pow" and not is_float(t):
            args = [self.expr(t, depth), self.exponent(t, depth)]
        else:
            args = [self.expr(t, depth) for _ in range(arity)]
        if all(a.lit for a in args):
            args[0] = self.typed(args[0], t)
        return E(f"{name}({', '.join(a.text for a in args)})")

    def e_call_h(self, t: str, depth: int) -> E:
        x, y = self.expr(t, depth).text, self.expr(t, depth).text
        forms = ["h({x}, {y})", "h({x}, {y})", "h(y={y}, x={x})", "h({x}, y={y})"]
        if self.h_default:
            forms += ["h({x})", "h(x={x})"]
        return E(self.pick(forms).format(x=x, y=y))

    def e_call_bump(self, t: str, depth: int) -> E:
        """`bump` changes its `mut` argument: the order of loads around it matters."""
        return E(f"bump({self.pick(self.vars_of(t, assignable=True))}, "
                 f"{self.expr(t, depth).text})")

    def e_call_r(self, t: str, depth: int) -> E:
        return E(f"r({self.depth_arg(depth)}, {self.expr(t, depth).text})")

    def depth_arg(self, depth: int) -> str:
        """An Int in [0, 20]: a literal, or a value folded into the range."""
        if self.chance(40):
            return str(self.draw(st.integers(0, 20)))
        return f"(Int({self.typed(self.expr(self.t, depth), self.t).text}) % 21)"

    # -- conditions (Bool)
    def cond(self, depth: int | None = None) -> E:
        if depth is None:
            depth = self.draw(st.integers(0, self.lim.depth))
        kinds = ["compare", "compare", "compare", "chain", "bool_var", "lit", "bool_eq"]
        if depth > 0:
            kinds += ["not", "logic", "bitlogic", "to_bool", "fpred"]
        kind = self.pick(kinds)
        d = max(depth - 1, 0)
        if kind == "lit":
            return E(self.pick(["True", "False"]))
        if kind == "bool_var":
            names = self.vars_of("Bool")
            return E(self.pick(names)) if names else self.cond(0)
        if kind in ("compare", "chain"):
            u = self.t if self.chance(70) else self.pick(TYPES)
            n = 2 if kind == "compare" else self.draw(st.integers(3, 4))
            ops = [self.pick(["<", "<=", ">", ">=", "==", "!="]) for _ in range(n - 1)]
            operands = [self.expr(u, d) for _ in range(n)]
            if all(o.lit for o in operands):
                operands[0] = self.typed(operands[0], u)
            text = operands[0].text
            for op, o in zip(ops, operands[1:]):
                text += f" {op} {o.text}"
            return E(f"({text})")
        if kind == "bool_eq":
            n = self.draw(st.integers(2, 3))
            text = self.cond(d).text
            for _ in range(n - 1):
                text += f" {self.pick(['==', '!='])} {self.cond(d).text}"
            return E(f"({text})")
        if kind == "not":
            return E(f"(not {self.cond(d).text})")
        if kind == "logic":
            return E(f"({self.cond(d).text} {self.pick(['and', 'or'])} {self.cond(d).text})")
        if kind == "bitlogic":
            if self.chance(25):
                return E(f"(~{self.cond(d).text})")
            return E(f"({self.cond(d).text} {self.pick(['&', '|', '^'])} {self.cond(d).text})")
        if kind == "to_bool":
            u = self.pick(TYPES)
            return E(f"Bool({self.typed(self.expr(u, d), u).text})")
        u = self.pick(FLOAT_TYPES)
        name = self.pick(["isnan", "isinf", "isfinite"])
        self.imports.add(name)
        return E(f"{name}({self.typed(self.expr(u, d), u).text})")

    # -- statements
    def block(self, indent: int, min_stmts: int = 1) -> list[str]:
        self.scopes.append({})
        try:
            n = self.draw(st.integers(min_stmts, self.lim.stmts))
            lines = []
            for _ in range(n):
                lines += self.stmt(indent)
            return lines or [" " * indent + "pass"]
        finally:
            self.scopes.pop()

    def stmt(self, indent: int) -> list[str]:
        kinds = ["var", "var", "assign", "aug", "print", "print"]
        if self.nest < self.lim.nest:
            kinds += ["if", "if"]
            if self.lim.loops:
                kinds += ["while", "for"]
        if self.loop_depth:
            kinds += ["break", "continue"]
        if "bump" in self.callable:
            kinds.append("bump")
        if self.callable & {"h", "r"}:
            kinds.append("discard")
        kinds += ["swap", "alias", "let"]
        if self.returns:
            kinds.append("early_return")
        if self.raises:
            kinds.append("raise")
        return getattr(self, "s_" + self.pick(kinds))(indent)

    def s_var(self, indent: int) -> list[str]:
        t = self.t if self.chance(70) else self.pick(TYPES + ("Bool",))
        name = self.fresh("v")
        value = self.cond().text if t == "Bool" else self.expr(t).text
        self.declare(name, t)
        if t != "Bool" and self.chance(20):     # declared, then assigned
            return [" " * indent + f"var {name}: {t}", " " * indent + f"{name} = {value}"]
        return [" " * indent + f"var {name}: {t} = {value}"]

    def s_assign(self, indent: int) -> list[str]:
        names = self.visible(lambda n, v: v.assignable)
        if not names:
            return self.s_var(indent)
        name, var = self.pick(names)
        value = self.cond().text if var.type == "Bool" else self.expr(var.type).text
        return [" " * indent + f"{name} = {value}"]

    def s_aug(self, indent: int) -> list[str]:
        names = self.visible(lambda n, v: v.assignable and v.type != "Bool")
        if not names:
            return self.s_var(indent)
        name, var = self.pick(names)
        t = var.type
        if is_float(t):
            op = self.pick(["+", "-", "*", "/", "//", "%", "**"])
        else:
            op = self.pick(["+", "-", "*", "//", "%", "**", "&", "|", "^", "<<", ">>"])
        if op == "**":
            rhs = self.exponent(t, 1)
        elif op in ("//", "%") and not is_float(t):
            rhs = self.divisor(t, 1)
        else:
            rhs = self.expr(t)
        return [" " * indent + f"{name} {op}= {rhs.text}"]

    def s_print(self, indent: int) -> list[str]:
        items = []
        for _ in range(self.draw(st.integers(1, 3))):
            t = self.t if self.chance(60) else self.pick(TYPES + ("Bool", "str"))
            if t == "str":
                items.append(repr(self.pick(["x", "a b", "", "=", "ü"])).replace("'", '"'))
            elif t == "Bool":
                items.append(self.cond().text)
            else:
                items.append(self.typed(self.expr(t), t).text)
        kw = self.pick(["", "", "", ', sep=", "', ', end=" | "', ', sep=""'])
        return [" " * indent + f"print({', '.join(items)}{kw})"]

    def s_if(self, indent: int) -> list[str]:
        self.nest += 1
        try:
            lines = [" " * indent + f"if {self.cond().text}:"] + self.block(indent + 4)
            for _ in range(self.draw(st.integers(0, 2))):
                lines += [" " * indent + f"elif {self.cond().text}:"] + self.block(indent + 4)
            if self.chance(50):
                lines += [" " * indent + "else:"] + self.block(indent + 4)
            return lines
        finally:
            self.nest -= 1

    def s_while(self, indent: int) -> list[str]:
        w = self.fresh("w")
        limit = self.draw(st.integers(0, 5))
        cond = f"{w} < {limit}"
        if self.chance(30):             # bounded still: the counter is tested first
            cond += f" and {self.cond(1).text}"
        lines = [" " * indent + f"var {w} = 0", " " * indent + f"while {cond}:",
                 " " * (indent + 4) + f"{w} += 1"]
        self.declare(w, "Int", assignable=False)
        self.nest += 1
        self.loop_depth += 1
        try:
            lines += self.block(indent + 4)
        finally:
            self.nest -= 1
            self.loop_depth -= 1
        return lines

    def s_for(self, indent: int) -> list[str]:
        i = self.fresh("i")
        t = "Int"
        way = self.draw(st.integers(0, 3))
        if way == 0:                      # Int literals, negative steps too
            start, stop = self.draw(st.integers(-6, 6)), self.draw(st.integers(-6, 6))
            step = self.pick([1, 1, 2, 3, -1, -1, -2, -3])
            args = f"{start}, {stop}, {step}" if self.chance(70) or step != 1 else \
                f"{start}, {stop}"
        elif way == 1:                    # a start computed from the arguments
            start = f"(Int({self.typed(self.expr(self.t, 1), self.t).text}) % 6)"
            step = self.pick([1, -1, 2, -2])
            args = f"{start}, {-2 if step < 0 else 5}, {step}"
        elif way == 2:                    # only a stop
            args = str(self.draw(st.integers(-2, 5)))
        else:                             # a narrow type, near its limits
            t = self.pick(list(INT_TYPES))
            lo, hi = int_range(t)
            signed = INT_TYPES[t][1]
            step = self.pick([1, 2, 3, 5] + ([-1, -2, -3, -5] if signed else []))
            if step > 0:
                start = self.pick([hi - 6, hi - 3, lo, lo + 1])
                stop = max(lo, min(hi, start + self.draw(st.integers(-2, 9))))
            else:
                start = self.pick([lo + 6, lo + 3, hi, hi - 1])
                stop = max(lo, min(hi, start - self.draw(st.integers(-2, 9))))
            args = f"{t}({start}), {t}({stop}), {t}({step})"
        lines = [" " * indent + f"for {i} in range({args}):"]
        self.nest += 1
        self.loop_depth += 1
        self.scopes.append({i: Var(t, False)})
        try:
            lines += self.block(indent + 4)
        finally:
            self.scopes.pop()
            self.nest -= 1
            self.loop_depth -= 1
        return lines

    def s_break(self, indent: int) -> list[str]:
        word = self.pick(["break", "continue"])
        return [" " * indent + f"if {self.cond().text}:", " " * (indent + 4) + word]

    s_continue = s_break

    def s_bump(self, indent: int) -> list[str]:
        names = self.vars_of(self.t, assignable=True)
        if not names:
            return self.s_var(indent)
        return [" " * indent + f"bump({self.pick(names)}, {self.expr(self.t).text})"]

    def s_discard(self, indent: int) -> list[str]:
        fn = self.pick(sorted(self.callable & {"h", "r"}))
        call = getattr(self, "e_call_" + fn)(self.t, 1)
        return [" " * indent + f"_ = {call.text}"]

    def s_swap(self, indent: int) -> list[str]:
        names = self.vars_of(self.t, assignable=True)
        if len(names) < 2:
            return self.s_print(indent)
        x, y = self.draw(st.permutations(names))[:2]
        return [" " * indent + f"{x}, {y} = {y}, {self.expr(self.t, 1).text}"]

    def s_raise(self, indent: int) -> list[str]:
        return [" " * indent + f"if {self.cond().text}:",
                " " * (indent + 4) + f'raise Error("boom {next(self.counter)}")']

    def s_alias(self, indent: int) -> list[str]:
        t = self.t if self.chance(70) else self.pick(TYPES)
        name = self.fresh("K")
        self.declare(name, t, assignable=False)
        return [" " * indent + f"alias {name}: {t} = {self.literal(t).text}"]

    def s_let(self, indent: int) -> list[str]:
        t = self.t if self.chance(70) else self.pick(TYPES)
        name = self.fresh("l")
        value = self.expr(t).text
        self.declare(name, t, assignable=False)
        return [" " * indent + f"let {name}: {t} = {value}"]

    def s_early_return(self, indent: int) -> list[str]:
        return [" " * indent + f"if {self.cond().text}:",
                " " * (indent + 4) + f"return {self.expr(self.t).text}"]

    # -- functions
    def function(self, header: str, params: list[tuple[str, str, bool]], callable_: set[str],
                 ret: bool = True, prologue: list[str] = (), min_stmts: int = 1) -> list[str]:
        """`params`: (name, type, assignable) — `owned` and `mut` ones are assignable."""
        self.scopes = [{}]
        for name, t, assignable in params:
            self.declare(name, t, assignable)
        self.callable = callable_
        self.returns = ret or bool(prologue)
        lines = [header] + list(prologue) + self.block(4, min_stmts=min_stmts)
        if ret:
            lines.append(f"    return {self.expr(self.t).text}")
        return lines

    def program(self) -> str:
        t = self.t
        out: list[str] = []
        callable_: set[str] = set()
        self.raises = self.chance(30)
        raises = " raises" if self.raises else ""
        if self.lim.helpers:
            saved = self.lim
            self.lim = Limits(depth=2, stmts=3, nest=1, loops=saved.loops, helpers=False)
            if self.chance(70):
                kw = self.pick(["fn", "def"])
                self.h_default = self.chance(40)
                default = f" = {self.literal(t).text}" if self.h_default else ""
                out += self.function(f"{kw} h(x: {t}, y: {t}{default}){raises} -> {t}:",
                                     [("x", t, False), ("y", t, False)], set()) + [""]
                callable_.add("h")
            if self.chance(50):
                stop = "    if n <= 0:\n        return x"
                body = self.function(f"fn r(n: Int, x: {t}){raises} -> {t}:",
                                     [("n", "Int", False), ("x", t, False)],
                                     callable_ & {"h"}, ret=False, prologue=[stop])
                rec = self.expr(t, 1)
                body.append(f"    return {self.pick(['r(n - 1, {0})', '(r(n - 1, {0}))'])}"
                            .format(rec.text))
                out += body + [""]
                callable_.add("r")
            if self.chance(35):
                with_value = self.chance(50)
                result = f" -> {t}" if with_value else ""
                out += self.function(f"fn bump(mut x: {t}, y: {t}){raises}{result}:",
                                     [("x", t, True), ("y", t, False)], set(),
                                     ret=with_value) + [""]
                callable_.add("bump")
                if not with_value:
                    callable_.add("bump_stmt_only")
            self.lim = saved
        conv = self.pick(["", "", "", "owned "])
        out += self.function(f"fn f({conv}a: {t}, b: {t}, c: {t}){raises} -> {t}:",
                             [("a", t, bool(conv)), ("b", t, False), ("c", t, False)],
                             callable_, min_stmts=2)
        header = [f"from math import {', '.join(sorted(self.imports))}"] if self.imports else []
        return "\n".join(header + [""] + out) + "\n"


@st.composite
def programs(draw, types=TYPES, limits: Limits = Limits()):
    t = draw(st.sampled_from(types))
    src = Gen(draw, t, limits).program()
    return t, src


@st.composite
def program_and_inputs(draw, types=TYPES, limits: Limits = Limits(), n_inputs=(3, 6)):
    t, src = draw(programs(types, limits))
    values = value_strategy(t)
    inputs = draw(st.lists(st.tuples(values, values, values), min_size=n_inputs[0],
                           max_size=n_inputs[1]))
    return t, src, inputs


def _settings(n: int):
    return settings(max_examples=n, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture,
                                           HealthCheck.filter_too_much])


# ------------------------------------------------------------------ random programs
# Parametrized by type: hypothesis mutates earlier examples, so a type drawn inside
# the strategy ends up with a lopsided mix.
STRAIGHT = Limits(depth=3, stmts=5, nest=0, loops=False, helpers=False)


@pytest.mark.parametrize("t", TYPES)
@_settings(8)
@given(data=st.data())
def test_straight_line_programs_agree(t, data, capsys):
    _, src, inputs = data.draw(program_and_inputs((t,), STRAIGHT), label="program")
    assert_modes_agree(src, [("f", inputs)], capsys)


@pytest.mark.parametrize("t", TYPES)
@_settings(12)
@given(data=st.data())
def test_programs_with_control_flow_and_calls_agree(t, data, capsys):
    _, src, inputs = data.draw(program_and_inputs((t,)), label="program")
    assert_modes_agree(src, [("f", inputs)], capsys)


@pytest.mark.slow
@pytest.mark.parametrize("t", TYPES)
@_settings(int(os.environ.get("MOJOLITE_FUZZ_CASES", "300")))
@given(data=st.data())
def test_many_programs_agree(t, data, capsys):
    _, src, inputs = data.draw(program_and_inputs((t,), Limits(depth=4, stmts=7, nest=3)),
                               label="program")
    assert_modes_agree(src, [("f", inputs)], capsys)


# ------------------------------------------------------------------ operator table
def _op_program(t: str) -> tuple[str, list[str], list[str], list[str]]:
    """One function per operator / math function of `t`: (source, binary, unary, ternary)."""
    lines = []
    if is_float(t):
        binary = ["+", "-", "*", "/", "//", "%", "**"]
        unary_math = [n for n in FLOAT_MATH_1 if n != "abs"] + ["isnan", "isinf", "isfinite"]
        binary_math = list(FLOAT_MATH_2)
        ternary_math = list(FLOAT_MATH_3)
        lines.append("from math import " + ", ".join(sorted(
            set(unary_math + binary_math + ternary_math) - BUILTINS)))
    else:
        binary = ["+", "-", "*", "//", "%", "**", "&", "|", "^", "<<", ">>"]
        unary_math, binary_math, ternary_math = [], ["min", "max", "pow"], ["clamp"]
        lines.append("from math import clamp, pow")
    names = {"+": "add", "-": "sub", "*": "mul", "/": "div", "//": "floordiv", "%": "mod",
             "**": "pow_op", "&": "and_", "|": "or_", "^": "xor", "<<": "shl", ">>": "shr"}
    bin_fns, un_fns, tern_fns = [], [], []
    for op in binary:
        lines += [f"fn {names[op]}(a: {t}, b: {t}) -> {t}:", f"    return a {op} b"]
        bin_fns.append(names[op])
    for op in ("<", "<=", ">", ">=", "==", "!="):
        name = "cmp_" + {"<": "lt", "<=": "le", ">": "gt", ">=": "ge", "==": "eq", "!=": "ne"}[op]
        lines += [f"fn {name}(a: {t}, b: {t}) -> Bool:", f"    return a {op} b"]
        bin_fns.append(name)
    lines += [f"fn chain(a: {t}, b: {t}) -> Bool:", "    return a <= b < a + b != a"]
    bin_fns.append("chain")
    for name in binary_math:
        lines += [f"fn m_{name}(a: {t}, b: {t}) -> {t}:", f"    return {name}(a, b)"]
        bin_fns.append("m_" + name)
    for name in unary_math:
        ret = "Bool" if name.startswith("is") else t
        lines += [f"fn m_{name}(a: {t}) -> {ret}:", f"    return {name}(a)"]
        un_fns.append("m_" + name)
    for name, body in (("neg", "-a"), ("abs_", "abs(a)"), ("sq", "a ** 2"), ("cube", "a ** 3"),
                       ("pos", "+a"), ("to_bool", "Bool(a)")):
        ret = "Bool" if name == "to_bool" else t
        lines += [f"fn {name}(a: {t}) -> {ret}:", f"    return {body}"]
        un_fns.append(name)
    if not is_float(t):
        lines += [f"fn inv(a: {t}) -> {t}:", "    return ~a"]
        un_fns.append("inv")
        lo, hi = int_range(t)
        for k in (1, 2, 8, 64, 3, -1, -2, -64, hi, lo):
            if lo <= k <= hi and k != 0:
                tag = f"m{-k}" if k < 0 else str(k)
                lines += [f"fn fdiv_{tag}(a: {t}) -> {t}:", f"    return a // {k}",
                          f"fn fmod_{tag}(a: {t}) -> {t}:", f"    return a % {k}"]
                un_fns += [f"fdiv_{tag}", f"fmod_{tag}"]
        for k in (0, 1, 4, 5):
            lines += [f"fn pow_{k}(a: {t}) -> {t}:", f"    return a ** {k}"]
            un_fns.append(f"pow_{k}")
    else:
        for k, tag in (("2.0", "2f"), ("3.0", "3f"), ("0.5", "half"), ("-1.0", "m1")):
            lines += [f"fn pow_{tag}(a: {t}) -> {t}:", f"    return a ** {k}"]
            un_fns.append(f"pow_{tag}")
    for name in ternary_math:
        lines += [f"fn m_{name}(a: {t}, b: {t}, c: {t}) -> {t}:", f"    return {name}(a, b, c)"]
        tern_fns.append("m_" + name)
    for u in TYPES + ("Bool",):
        lines += [f"fn to_{u}(a: {t}) -> {u}:", f"    return {u}(a)"]
        un_fns.append(f"to_{u}")
    return "\n".join(lines) + "\n", bin_fns, un_fns, tern_fns


@pytest.mark.parametrize("t", TYPES)
def test_every_operator_on_edge_values(t, capsys):
    """Each operator and conversion of `t` on all pairs of `t`'s edge values."""
    src, bin_fns, un_fns, tern_fns = _op_program(t)
    e = edges(t)
    pairs = list(itertools.product(e, e))
    triples = list(itertools.product(e[:12], e[:12], e[:12]))
    calls = [(fn, pairs) for fn in bin_fns] + [(fn, [(x,) for x in e]) for fn in un_fns] + \
        [(fn, triples) for fn in tern_fns]
    assert_modes_agree(src, calls, capsys)


# ------------------------------------------------------------------ hand-picked cases
EDGE_CASES = [
    # (program, function, arguments)
    ("fn f(a: Int, b: Int) -> Int:\n    return a // b\n", "f",
     [(-(2 ** 63), -1), (-7, 2), (7, -2), (1, 0)]),
    ("fn f(a: Int8, b: Int8) -> Int8:\n    return a % b\n", "f",
     [(-128, -1), (-7, 2), (7, -2), (5, 0)]),
    ("fn f(a: Int64) -> Int64:\n    return abs(a)\n", "f", [(-(2 ** 63),), (-5,)]),
    ("fn f(a: Float32, b: Float32, c: Float32) -> Float32:\n    return a * b + c\n", "f",
     [(1e-45, 0.5, 0.0), (3.4e38, 10.0, -math.inf), (math.nan, 1.0, 2.0), (0.1, 0.2, 0.3)]),
    ("fn f(a: Float64, b: Float64, c: Float64) -> Float64:\n"
     "    print(a // b, a % b, c)\n    return a / b\n", "f",
     [(-0.0, 1.0, -0.0), (5e-324, -1.0, 1e-310), (math.inf, 2.0, math.nan), (-7.5, 2.0, 0.0),
      (1.0, 0.0, 0.0), (-1.0, -0.0, 0.0)]),
    ("fn f(a: UInt64, b: UInt64, c: UInt64) -> Float32:\n    return Float32(a) + Float32(b)\n",
     "f", [(2 ** 64 - 1, 2 ** 63 + 2 ** 39 + 1, 0), (2 ** 53 + 1, 1, 0)]),
    ("fn f(a: Int, b: Int, c: Int) -> Int:\n    var s = 0\n"
     "    for i in range(a, b, c):\n        s += i\n        if s > 1000:\n            break\n"
     "    return s\n", "f",
     [(10, 0, -3), (0, 10, 3), (2 ** 63 - 5, 2 ** 63 - 1, 2), (-(2 ** 63), -(2 ** 63) + 5, 2),
      (5, -5, -(2 ** 63)), (0, 1, 0)]),
    ("fn f(a: Int8, b: Int8, c: Int8) -> Int8:\n    var s: Int8 = 0\n"
     "    for i in range(a, b, c):\n        s += 1\n    return s\n", "f",
     [(120, 127, 3), (-128, 127, 100), (127, -128, -100), (-128, -120, -1), (0, 0, 0)]),
]


@pytest.mark.parametrize("src, fn, inputs", EDGE_CASES, ids=lambda x: None)
def test_hand_picked_edges_agree(src, fn, inputs, capsys):
    assert_modes_agree(src, [(fn, inputs)], capsys)


# ------------------------------------------------------------------ self-check
def test_a_wrong_oracle_is_caught(monkeypatch, capsys):
    """Break the reference mode's `+` on purpose: the harness must go red."""
    from mojolite import reference, semantics
    from mojolite.syntax import BinOp

    def off_by_one(op, a, b, dt):
        r = semantics.binary(op, a, b, dt)
        return r + 1 if op is BinOp.ADD and dt.is_int else r
    monkeypatch.setattr(reference, "binary", off_by_one)
    with pytest.raises(AssertionError, match="disagree"):
        assert_modes_agree("fn f(a: Int, b: Int, c: Int) -> Int:\n    return a + b\n",
                           [("f", [(1, 2, 3)])], capsys)


# ------------------------------------------------------------------ bugs found
# Found by the fuzzers: the checker used to accept values that code generation
# could not lower. Each now runs in every mode, or is refused where it is declared.
CHECKER_ACCEPTED_JIT_GAPS = [
    pytest.param('fn main():\n    var s = "hi"\n    print(s)\n', id="string-variable"),
    pytest.param('fn show(s: String):\n    print(s)\n\nfn main():\n    show("hi")\n',
                 id="string-parameter"),
    pytest.param("fn g(x: List[Int]):\n    pass\n\nfn main():\n    print(1)\n",
                 id="list-parameter-unused"),
    pytest.param('fn main():\n    var c = True\n    print("a" if c else "b")\n',
                 id="string-conditional-in-print"),
    pytest.param('fn main():\n    _ = "a"\n    print(1)\n', id="string-discarded"),
    pytest.param("fn g(x: SIMD[DType.float32, 4]) -> SIMD[DType.float32, 4]:\n"
                 "    return x + x\n\nfn main():\n    print(g(SIMD[DType.float32, 4](1.5)))\n",
                 id="simd-parameter-and-result"),
]


# Function values were refused where declared until the [structs] issue added them.
CHECKER_ACCEPTED_JIT_GAPS.append(pytest.param(
    "fn g(h: fn(Int) -> Int) -> Int:\n    return h(1)\n\nfn inc(x: Int) -> Int:\n"
    "    return x + 1\n\nfn main():\n    print(g(inc))\n", id="function-value-parameter"))


@pytest.mark.parametrize("src", CHECKER_ACCEPTED_JIT_GAPS)
def test_programs_the_checker_accepts_run_in_every_mode(src, capsys):
    assert_modes_agree(src, [("main", [()])], capsys)


@pytest.mark.parametrize("src, message, where", [
    ("fn main():\n    var d = DType.float32\n    print(1)\n",
     "a DType is a compile-time value", "t.ml:2:13"),
    ("fn g(x: NoneType):\n    pass\n\nfn main():\n    print(1)\n",
     "NoneType cannot be a parameter", "t.ml:1:9"),
])
def test_values_code_generation_cannot_hold_are_refused_where_declared(src, message, where):
    with pytest.raises(mojolite.CompileError) as info:
        mojolite.compile(src, "t.ml")
    assert message in str(info.value) and where in str(info.value)


# Found by fuzzing: a bare literal statement kept its IntLiteral/FloatLiteral type in the
# typed tree, which lowering has no LLVM type for.
@pytest.mark.parametrize("stmt", ["0", "1.5", "1 + 2"])
def test_a_bare_literal_statement_runs_in_every_mode(stmt, capsys):
    assert_modes_agree(f"fn main():\n    {stmt}\n    print(1)\n", [("main", [()])], capsys)


# Found by fuzzing: a lone surrogate escape was accepted; the reference printed it and
# the JIT failed encoding it as UTF-8. It is rejected, with the caret under the escape.
def test_a_lone_surrogate_escape_is_rejected_or_runs_in_every_mode():
    with pytest.raises(mojolite.CompileError, match="lone surrogate") as info:
        mojolite.compile('fn main():\n    print("\\ud800")\n', "t.ml")
    err = info.value.errors[0]
    assert (err.span.line, err.span.column) == (2, 12)

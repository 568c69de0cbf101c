"""Typed tree: what the checker produces and every back end consumes.

In: built by `typecheck`. Out: read by `reference` (the oracle) and
`codegen.lower` (LLVM). Invariants, checked by `verify_typed`:
- every expression has a concrete `type` (never a `Literal` type);
- every implicit conversion is an explicit `Cast`: the operands of a `Binary`
  and of each `Compare` pair have the same type, as do an assignment's target
  and value, a call's arguments and its parameters, a return value and the
  function's result type;
- aliases are folded to `Const`s; names are resolved to `Var`s or `Function`s.
Semantics of each node are in its docstring; `semantics.py` gives them as
Python functions.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .source import Span
from .syntax import BinOp, CmpOp, LogicOp, UnOp
from .typesys import Type


def _span():
    return field(default=None, kw_only=True, compare=False, repr=False)


class Var:
    """A local variable or parameter. Identity matters, not the name (shadowing)."""

    __slots__ = ("name", "type", "mutable", "span", "is_param", "by_ref")

    def __init__(self, name: str, type: Type, mutable: bool, span: Span, is_param: bool = False,
                 by_ref: bool = False):
        self.name, self.type, self.mutable, self.span, self.is_param = \
            name, type, mutable, span, is_param
        # A `mut` parameter: reads and writes go to the caller's variable.
        self.by_ref = by_ref

    def __repr__(self) -> str:
        return f"Var({self.name}: {self.type})"


@dataclass(frozen=True, slots=True)
class Node:
    span: Span = _span()


@dataclass(frozen=True, slots=True)
class Expr(Node):
    type: Type


@dataclass(frozen=True, slots=True)
class Const(Expr):
    """A constant: Python int (already in range of `type`), float (already
    representable in `type`), bool or str (type String)."""
    value: object


@dataclass(frozen=True, slots=True)
class Load(Expr):
    """The current value of a local variable."""
    var: Var


@dataclass(frozen=True, slots=True)
class Unary(Expr):
    """`-x` (wrapping for ints), `~x` (ints and Bool), `not x` (Bool). POS never appears."""
    op: UnOp
    operand: Expr


@dataclass(frozen=True, slots=True)
class Binary(Expr):
    """Same-typed operands; result type == operand type. Ints wrap; `//` and `%`
    floor (Python); division by zero is a runtime error for ints and IEEE for
    floats; `/` only on floats; `**` on ints needs a non-negative exponent;
    shifts by a count outside [0, bits) give 0 (or -1 for `>>` of a negative)."""
    op: BinOp
    lhs: Expr
    rhs: Expr


@dataclass(frozen=True, slots=True)
class Compare(Expr):
    """Chained comparison, type Bool: all operands share one type; each operand
    is evaluated at most once, left to right, stopping at the first False."""
    operands: tuple[Expr, ...]
    ops: tuple[CmpOp, ...]


@dataclass(frozen=True, slots=True)
class Logic(Expr):
    """Short-circuit `and` / `or` on Bool."""
    op: LogicOp
    lhs: Expr
    rhs: Expr


@dataclass(frozen=True, slots=True)
class IfExp(Expr):
    cond: Expr
    then: Expr
    orelse: Expr


@dataclass(frozen=True, slots=True)
class Cast(Expr):
    """Convert `value` to `type`. int→int truncates/extends (wraps); float→int
    truncates toward zero and saturates, NaN → 0; int→float rounds to nearest;
    anything→Bool is `!= 0`; Bool→number is 0 or 1."""
    value: Expr


@dataclass(frozen=True, slots=True)
class Call(Expr):
    """Call of a user function. `type` is its result type (None for no result)."""
    fn: "Function"
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Ref(Expr):
    """The caller's variable itself, passed to a `mut` parameter (appears only as
    a `Call` argument); the callee's writes to that parameter change `var`."""
    var: Var


@dataclass(frozen=True, slots=True)
class MathCall(Expr):
    """A `math` function on scalars, by name (see semantics.MATH)."""
    name: str
    args: tuple[Expr, ...]


# ------------------------------------------------------------------ statements
@dataclass(frozen=True, slots=True)
class Stmt(Node):
    pass


@dataclass(frozen=True, slots=True)
class Declare(Stmt):
    """Introduce `var`; `value` None leaves it unassigned (the checker proves it
    is assigned before use)."""
    var: Var
    value: Expr | None


@dataclass(frozen=True, slots=True)
class Assign(Stmt):
    """Evaluate every value first, then store them left to right (`a, b = b, a`).
    A target of None discards its value (`_ = e`)."""
    targets: tuple[Var | None, ...]
    values: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class ExprStmt(Stmt):
    expr: Expr


@dataclass(frozen=True, slots=True)
class Print(Stmt):
    """Python's print: str of each value joined by `sep`, then `end`."""
    values: tuple[Expr, ...]
    sep: str
    end: str


@dataclass(frozen=True, slots=True)
class If(Stmt):
    cond: Expr
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...]


@dataclass(frozen=True, slots=True)
class While(Stmt):
    cond: Expr
    body: tuple[Stmt, ...]


@dataclass(frozen=True, slots=True)
class ForRange(Stmt):
    """`for var in range(start, stop, step)`: bounds evaluated once, before the
    loop; step is never 0 (a zero step is a runtime error raised before the
    first iteration); `var` takes start, start+step, ... while < stop (step > 0)
    or > stop (step < 0). Assigning to `var` in the body does not change the
    iteration."""
    var: Var
    start: Expr
    stop: Expr
    step: Expr
    body: tuple[Stmt, ...]


@dataclass(frozen=True, slots=True)
class Break(Stmt):
    pass


@dataclass(frozen=True, slots=True)
class Continue(Stmt):
    pass


@dataclass(frozen=True, slots=True)
class Return(Stmt):
    value: Expr | None


@dataclass(frozen=True, slots=True)
class Raise(Stmt):
    """Stop with an error whose message is `message` (a String constant)."""
    message: Expr


@dataclass(eq=False)
class Function:
    """A checked function. `symbol` is unique in the program (monomorphised
    instances get distinct symbols). `body` is filled after the signature, so
    recursive calls can refer to the Function object."""
    name: str
    symbol: str
    params: list[Var]
    ret: Type
    raises: bool
    span: Span
    body: tuple[Stmt, ...] = ()
    defaults: tuple[object, ...] = ()   # Python values for trailing defaulted params (CLI)


@dataclass(eq=False)
class Program:
    functions: list[Function]
    source_name: str

    def get(self, name: str) -> Function | None:
        for f in self.functions:
            if f.name == name:
                return f
        return None

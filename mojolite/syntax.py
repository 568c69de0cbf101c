"""Surface syntax tree: what the parser produces, before any typing.

In: nothing (plain data). Out: node classes, values never changed once made
(compared and hashed by their fields: `unsafe_hash=True`; not `frozen=True`,
which sends every field of every construction through `object.__setattr__` and
makes each class a third slower to define: 10 ms of the compiler's import for
the node classes here and in `typed`). Every node carries its
`span` (keyword-only, excluded from equality so tests compare structure).
Operators are enums whose value is their spelling. Types are written as
expressions (`SIMD[DType.float32, 8]` is a `Subscript`); the checker decides
what an expression denotes.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field

from .ops import BinOp, CmpOp, LogicOp, UnOp  # noqa: F401 (the operators, in ops.py)
from .source import Span


def _span():
    return field(default=None, kw_only=True, compare=False, repr=False)


class Convention(enum.Enum):
    READ = "read"      # also spelled `borrowed`; the default
    MUT = "mut"        # also spelled `inout`
    OWNED = "owned"    # also spelled `var` (current Mojo)
    OUT = "out"
    DEINIT = "deinit"  # only for `__del__`/`__moveinit__`: `owned`


CONVENTION_SPELLINGS = {"read": Convention.READ, "borrowed": Convention.READ,
                        "mut": Convention.MUT, "inout": Convention.MUT,
                        "owned": Convention.OWNED, "var": Convention.OWNED,
                        "ref": Convention.MUT, "out": Convention.OUT,
                        "deinit": Convention.DEINIT}


@dataclass(slots=True, unsafe_hash=True)
class Node:
    span: Span = _span()


# ----------------------------------------------------------------- expressions
@dataclass(slots=True, unsafe_hash=True)
class Expr(Node):
    pass


@dataclass(slots=True, unsafe_hash=True)
class Name(Expr):
    id: str


@dataclass(slots=True, unsafe_hash=True)
class IntLit(Expr):
    value: int


@dataclass(slots=True, unsafe_hash=True)
class FloatLit(Expr):
    value: float


@dataclass(slots=True, unsafe_hash=True)
class BoolLit(Expr):
    value: bool


@dataclass(slots=True, unsafe_hash=True)
class StrLit(Expr):
    value: str


@dataclass(slots=True, unsafe_hash=True)
class NoneLit(Expr):
    pass


@dataclass(slots=True, unsafe_hash=True)
class EllipsisLit(Expr):
    """`...`: the body of a trait's method (nowhere else)."""


@dataclass(slots=True, unsafe_hash=True)
class Unary(Expr):
    op: UnOp
    operand: Expr


@dataclass(slots=True, unsafe_hash=True)
class Binary(Expr):
    op: BinOp
    lhs: Expr
    rhs: Expr


@dataclass(slots=True, unsafe_hash=True)
class Logic(Expr):
    op: LogicOp
    lhs: Expr
    rhs: Expr


@dataclass(slots=True, unsafe_hash=True)
class Compare(Expr):
    """`a < b <= c`: operands[i] ops[i] operands[i+1], each operand evaluated once."""
    operands: tuple[Expr, ...]
    ops: tuple[CmpOp, ...]


@dataclass(slots=True, unsafe_hash=True)
class IfExp(Expr):
    cond: Expr
    then: Expr
    orelse: Expr


@dataclass(slots=True, unsafe_hash=True)
class Transfer(Expr):
    """`x^`: the value of `x`, moved out; `x` has no value afterwards."""
    value: Expr


@dataclass(slots=True, unsafe_hash=True)
class Keyword(Node):
    name: str
    value: Expr


@dataclass(slots=True, unsafe_hash=True)
class Call(Expr):
    func: Expr
    args: tuple[Expr, ...]
    kwargs: tuple[Keyword, ...]


@dataclass(slots=True, unsafe_hash=True)
class Subscript(Expr):
    """`a[i, j]` (indexing) or `SIMD[dt, 8]` / `load[width=8]` (parameters)."""
    value: Expr
    args: tuple[Expr, ...]
    kwargs: tuple[Keyword, ...]


@dataclass(slots=True, unsafe_hash=True)
class Slice(Expr):
    """`a:b:s` in a subscript (`l[a:b]`, `s[::-1]`); each part may be left out (None)."""
    start: Expr | None
    stop: Expr | None
    step: Expr | None


def walk(node):
    """Every node of a syntax tree, parents before children: `node` is a node, a
    tuple of them or anything else (a name, None: nothing)."""
    if isinstance(node, tuple):
        for x in node:
            yield from walk(x)
    elif isinstance(node, Node):
        yield node
        for name in node.__dataclass_fields__:
            if name not in ("span", "name_span"):
                yield from walk(getattr(node, name))


def names_in(node) -> set[str]:
    """Every name a syntax tree reads (`walk`'s `Name`s)."""
    return {n.id for n in walk(node) if isinstance(n, Name)}


def first_slice(node: Subscript) -> Slice | None:
    """The first slice among `node`'s indices (`l[a:b]`), None if none is one."""
    return next((a for a in node.args if isinstance(a, Slice)), None)


@dataclass(slots=True, unsafe_hash=True)
class Attribute(Expr):
    value: Expr
    name: str
    name_span: Span = _span()     # the name after the dot (None where the checker made it)


def name_span(node: Expr) -> Span:
    """Where an error about the member a call or read names goes: the name after
    the dot of `a.b`, else the whole expression."""
    return getattr(node, "name_span", None) or node.span


@dataclass(slots=True, unsafe_hash=True)
class TupleExpr(Expr):
    items: tuple[Expr, ...]


@dataclass(slots=True, unsafe_hash=True)
class Contains(Expr):
    """`item in container` (`negated`: `not in`)."""
    item: Expr
    container: Expr
    negated: bool


@dataclass(slots=True, unsafe_hash=True)
class ListExpr(Expr):
    items: tuple[Expr, ...]


@dataclass(slots=True, unsafe_hash=True)
class FnTypeExpr(Expr):
    """`fn (Int, Float64) raises -> Float64` written as a type; `capturing`: Mojo's
    `fn (Int) capturing [_] -> None`, a closure's type (its origin list is parsed and
    dropped), `fn [w: Int](Int) capturing -> None` one with compile-time parameters."""
    params: tuple[Expr, ...]
    ret: Expr | None
    raises: bool
    capturing: bool = False
    ct_params: tuple["CtParam", ...] = ()


# ------------------------------------------------------------------ statements
@dataclass(slots=True, unsafe_hash=True)
class Stmt(Node):
    pass


@dataclass(slots=True, unsafe_hash=True)
class VarDecl(Stmt):
    """`var x: T = e`, `let x = e` and the Python spelling `x: T = e`."""
    name: str
    type: Expr | None
    value: Expr | None
    mutable: bool
    name_span: Span = _span()


@dataclass(slots=True, unsafe_hash=True)
class VarUnpack(Stmt):
    """`var a, b = e`: new variables, one per element of the tuple `e`."""
    names: tuple[str, ...]
    name_spans: tuple[Span, ...]
    value: Expr


@dataclass(slots=True, unsafe_hash=True)
class Assign(Stmt):
    """`t = e`, `a, b = b, a`, `_ = e`; `targets` has one entry per name on the left.
    `unpack`: `a, = t`, one name taking the element of a one-element tuple."""
    targets: tuple[Expr, ...]
    value: Expr
    unpack: bool = False


@dataclass(slots=True, unsafe_hash=True)
class AugAssign(Stmt):
    op: BinOp
    target: Expr
    value: Expr


@dataclass(slots=True, unsafe_hash=True)
class ExprStmt(Stmt):
    expr: Expr


@dataclass(slots=True, unsafe_hash=True)
class Pass(Stmt):
    pass


@dataclass(slots=True, unsafe_hash=True)
class Nonlocal(Stmt):
    """`nonlocal a, b` in a nested function (Python's spelling): names the enclosing
    function's variables, which a closure reaches by reference anyway."""
    names: tuple[str, ...]
    name_spans: tuple[Span, ...] = _span()


@dataclass(slots=True, unsafe_hash=True)
class Break(Stmt):
    pass


@dataclass(slots=True, unsafe_hash=True)
class Continue(Stmt):
    pass


@dataclass(slots=True, unsafe_hash=True)
class Return(Stmt):
    value: Expr | None


@dataclass(slots=True, unsafe_hash=True)
class Raise(Stmt):
    value: Expr | None


@dataclass(slots=True, unsafe_hash=True)
class If(Stmt):
    cond: Expr
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...]
    is_elif: bool = False           # made from an `elif` of the `if` around it
    compile_time: bool = False      # `@parameter if`: decided while checking


@dataclass(slots=True, unsafe_hash=True)
class While(Stmt):
    cond: Expr
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...] = ()   # `else:` runs when the loop ends without a `break`


@dataclass(slots=True, unsafe_hash=True)
class For(Stmt):
    targets: tuple[Expr, ...]
    iter: Expr
    body: tuple[Stmt, ...]
    compile_time: bool = False      # `@parameter for`: unrolled while checking
    ref: bool = False               # `for ref x in l`: x is each element itself
    orelse: tuple[Stmt, ...] = ()   # `else:` runs when the loop ends without a `break`


@dataclass(slots=True, unsafe_hash=True)
class Try(Stmt):
    body: tuple[Stmt, ...]
    exc_type: Expr | None
    exc_name: str | None
    handler: tuple[Stmt, ...] | None    # None: no `except` (`try:` ... `finally:`)
    orelse: tuple[Stmt, ...] = ()       # `else:`: runs when the body raised nothing
    finalbody: tuple[Stmt, ...] = ()    # `finally:`: runs however the statement ends


@dataclass(slots=True, unsafe_hash=True)
class Decorator(Node):
    name: str
    args: tuple[Expr, ...]


@dataclass(slots=True, unsafe_hash=True)
class Param(Node):
    name: str
    type: Expr | None
    default: Expr | None
    convention: Convention
    keyword_only: bool = False          # after a bare `*` (or a variadic parameter)
    positional_only: bool = False       # before a `/`
    variadic: bool = False              # `*vals: Int`: the rest of the positional arguments


@dataclass(slots=True, unsafe_hash=True)
class CtParam(Node):
    name: str
    type: Expr
    default: Expr | None
    infer_only: bool = False            # before Mojo's `//`: inferred, or given by keyword


@dataclass(slots=True, unsafe_hash=True)
class FnDef(Stmt):
    name: str
    ct_params: tuple[CtParam, ...]
    params: tuple[Param, ...]
    ret: Expr | None
    raises: bool
    body: tuple[Stmt, ...]
    decorators: tuple[Decorator, ...]
    name_span: Span = _span()
    is_def: bool = False            # spelled `def` (see raising_defs.py)

    @property
    def result(self) -> Param | None:
        """Mojo's named result `out r: T` (not a constructor's `out self`): the
        function's result, which callers do not pass."""
        return next((p for k, p in enumerate(self.params) if p.convention is Convention.OUT
                     and not (k == 0 and p.name == "self")), None)

    @property
    def passed(self) -> tuple[Param, ...]:
        """The parameters a call gives arguments for: all but a named result."""
        r = self.result
        return self.params if r is None else tuple(p for p in self.params if p is not r)


@dataclass(slots=True, unsafe_hash=True)
class StructDef(Stmt):
    name: str
    ct_params: tuple[CtParam, ...]
    traits: tuple[str, ...]
    body: tuple[Stmt, ...]
    decorators: tuple[Decorator, ...]
    name_span: Span = _span()


@dataclass(slots=True, unsafe_hash=True)
class TraitDef(Stmt):
    """`trait Shape(Parent):` with the methods a conforming struct defines."""
    name: str
    parents: tuple[str, ...]
    body: tuple[Stmt, ...]
    name_span: Span = _span()

    @property
    def methods(self) -> tuple[str, ...]:
        return tuple(st.name for st in self.body if isinstance(st, FnDef))

    @property
    def defaults(self) -> tuple[FnDef, ...]:
        """The methods with a body of their own (not `...`): a conforming struct
        that does not define one has this one."""
        return tuple(st for st in self.body if isinstance(st, FnDef) and not all(
            isinstance(s, ExprStmt) and isinstance(s.expr, (EllipsisLit, StrLit))
            for s in st.body))


@dataclass(slots=True, unsafe_hash=True)
class AliasDef(Stmt):
    name: str
    type: Expr | None
    value: Expr
    ct_params: tuple[CtParam, ...] = ()     # `comptime AddOne[a: Int] = a + 1`
    name_span: Span = _span()


@dataclass(slots=True, unsafe_hash=True)
class ImportFrom(Stmt):
    module: str
    names: tuple[tuple[str, str], ...]   # (name, bound as)
    name_spans: tuple[Span, ...] = _span()   # of each `name` (`name as other`)


@dataclass(slots=True, unsafe_hash=True)
class Import(Stmt):
    module: str
    asname: str | None      # None: `import a.b` binds `a`, as Python does


@dataclass(slots=True, unsafe_hash=True)
class Module(Node):
    body: tuple[Stmt, ...]

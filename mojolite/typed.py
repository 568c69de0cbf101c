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
Python functions. Nodes are values never changed once made, as in `syntax`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .source import Span
from .syntax import BinOp, CmpOp, LogicOp, UnOp
from .typesys import REQUIRED, Type, default_of, owns_memory  # noqa: F401 (T.REQUIRED)


def _span():
    return field(default=None, kw_only=True, compare=False, repr=False)


class Var:
    """A local variable or parameter. Identity matters, not the name (shadowing)."""

    __slots__ = ("name", "type", "mutable", "span", "is_param", "by_ref", "borrowed")

    def __init__(self, name: str, type: Type, mutable: bool, span: Span, is_param: bool = False,
                 by_ref: bool = False, borrowed: bool = False):
        self.name, self.type, self.mutable, self.span, self.is_param = \
            name, type, mutable, span, is_param
        # A `mut` parameter: reads and writes go to the caller's variable.
        self.by_ref = by_ref
        # `for x in l` over elements with a `__del__`/`__copyinit__`: x is each
        # element's value, neither copied nor dropped (it owns nothing)
        self.borrowed = borrowed

    def __repr__(self) -> str:
        return f"Var({self.name}: {self.type})"


@dataclass(slots=True, unsafe_hash=True)
class Node:
    span: Span = _span()


@dataclass(slots=True, unsafe_hash=True)
class Expr(Node):
    type: Type


@dataclass(slots=True, unsafe_hash=True)
class Const(Expr):
    """A constant: Python int (already in range of `type`), float (already
    representable in `type`), bool or str (type String)."""
    value: object


@dataclass(slots=True, unsafe_hash=True)
class Load(Expr):
    """The current value of a local variable."""
    var: Var


@dataclass(slots=True, unsafe_hash=True)
class Move(Expr):
    """`x^` of a variable whose type owns memory: its value,
    taken over without a copy; the variable holds none afterwards (nothing drops
    it until it is assigned again)."""
    var: Var


@dataclass(slots=True, unsafe_hash=True)
class Unary(Expr):
    """`-x` (wrapping for ints), `~x` (ints and Bool), `not x` (Bool). POS never appears."""
    op: UnOp
    operand: Expr


@dataclass(slots=True, unsafe_hash=True)
class Binary(Expr):
    """Same-typed operands; result type == operand type. Ints wrap; `//` and `%`
    floor (Python); division by zero is a runtime error for ints and IEEE for
    floats; `/` only on floats; `**` on ints needs a non-negative exponent;
    shifts by a count outside [0, bits) give 0 (or -1 for `>>` of a negative)."""
    op: BinOp
    lhs: Expr
    rhs: Expr


@dataclass(slots=True, unsafe_hash=True)
class Compare(Expr):
    """Chained comparison, type Bool: all operands share one type; each operand
    is evaluated at most once, left to right, stopping at the first False."""
    operands: tuple[Expr, ...]
    ops: tuple[CmpOp, ...]


@dataclass(slots=True, unsafe_hash=True)
class Logic(Expr):
    """Short-circuit `and` / `or` on Bool."""
    op: LogicOp
    lhs: Expr
    rhs: Expr


@dataclass(slots=True, unsafe_hash=True)
class IfExp(Expr):
    cond: Expr
    then: Expr
    orelse: Expr


@dataclass(slots=True, unsafe_hash=True)
class Cast(Expr):
    """Convert `value` to `type`. int→int truncates/extends (wraps); float→int
    truncates toward zero and saturates, NaN → 0; int→float rounds to nearest;
    anything→Bool is `!= 0`; Bool→number is 0 or 1. A function value that cannot
    raise to the `raises` function type of its signature stays the same function."""
    value: Expr


@dataclass(slots=True, unsafe_hash=True)
class Format(Expr):
    """`String(x)`: a new String holding the text `print(x)` shows for `value`
    (a number, Bool or SIMD value)."""
    value: Expr


@dataclass(slots=True, unsafe_hash=True)
class Seq(Expr):
    """`first` is evaluated for its effects and its value dropped, then `value`
    is the result: the instance of a static method called on one
    (`make().twice(4)` runs `make()`)."""
    first: Expr
    value: Expr


@dataclass(slots=True, unsafe_hash=True)
class Let(Expr):
    """`value` evaluated once into the hidden, read-only `var`, then `body`, which
    reads it: a chained comparison's operand (`a < mid() < b` compares `mid()`'s
    one value twice, as Python does). A new value is released after its
    statement, as any operand's is; `var` owns nothing."""
    var: Var
    value: Expr
    body: Expr


@dataclass(slots=True, unsafe_hash=True)
class Call(Expr):
    """Call of a user function. `type` is its result type (None for no result)."""
    fn: "Function"
    args: tuple[Expr, ...]


@dataclass(slots=True, unsafe_hash=True)
class FnRef(Expr):
    """A function as a value (type `FnType`): a top-level function, or a nested
    one that captures nothing. No compile-time parameters, no `mut` parameters."""
    fn: "Function"


@dataclass(slots=True, unsafe_hash=True)
class CallValue(Expr):
    """Call of a function value: `callee` (type `FnType`) is evaluated first,
    then the arguments. A value never assigned (a struct field that `__init__`
    left alone) faults instead of being called."""
    callee: Expr
    args: tuple[Expr, ...]


@dataclass(slots=True, unsafe_hash=True)
class Ref(Expr):
    """A place itself (not its value), passed to a `mut` parameter or to a
    built-in that changes it: a variable (`Load`), a field of a place (`Field`)
    or an element (`Index`). Appears only as an argument; writes through it
    change the place. The checker guarantees one place is passed once per call."""
    place: Expr

    @property
    def var(self) -> Var:
        """The variable at the root of the place."""
        p = self.place
        while not isinstance(p, Load):
            p = p.base
        return p.var


@dataclass(slots=True, unsafe_hash=True)
class Field(Expr):
    """`base.name`: the field at `index` of a struct value."""
    base: Expr
    index: int
    name: str


@dataclass(slots=True, unsafe_hash=True)
class Construct(Expr):
    """`Name(args)`: a struct whose fields are all zero, on which `init` (its
    `__init__`, whose first parameter is the `out self`) then runs with `args`."""
    init: "Function"
    args: tuple[Expr, ...]


@dataclass(slots=True, unsafe_hash=True)
class Index(Expr):
    """`base[i, j, ...]` read. A Tensor takes one index per axis; in checked mode
    the count must equal the rank and each index lie in [0, dim) (negative
    indices do not wrap), else a fault naming the index and the size. A List
    takes one index, checked the same way. A Pointer takes one index, unchecked."""
    base: Expr
    indices: tuple[Expr, ...]


@dataclass(slots=True, unsafe_hash=True)
class Builtin(Expr):
    """A built-in operation by name (`tensor.new`, `list.append`, `ptr.alloc` ...;
    the table is `semantics.BUILTINS`). An argument that the operation changes in
    place (`list.append`'s list) is a `Ref`. A result of a managed type (Tensor,
    List) is a new, owned value."""
    name: str
    args: tuple[Expr, ...]


@dataclass(slots=True, unsafe_hash=True)
class MathCall(Expr):
    """A `math` function on scalars, by name (see semantics.MATH)."""
    name: str
    args: tuple[Expr, ...]


@dataclass(slots=True, unsafe_hash=True)
class Parallelize(Expr):
    """`parallelize[fn](count, workers)`, type None: `fn(i)` for every i in
    range(count) (none when count <= 0), in contiguous chunks on up to `workers`
    threads (None, or a value <= 0: the pool's thread count), the calling thread
    included; it returns when every call has returned. `fn` takes one Int and
    returns nothing; all threads share its captures. A failure stops the region:
    no call starts once it is seen, calls already running finish, then the
    first failure reaches the caller. Inside a running parallel body (or while
    another thread's region holds the pool) the region runs serially."""
    fn: "Function"
    count: Expr
    workers: Expr | None


# ------------------------------------------------------------------ SIMD vectors
# In the reference mode a vector of width > 1 is a Python tuple of lane values.
@dataclass(slots=True, unsafe_hash=True)
class Splat(Expr):
    """The scalar `value` copied into every lane of the vector `type` (the
    explicit form of scalar-to-vector broadcast)."""
    value: Expr


@dataclass(slots=True, unsafe_hash=True)
class Lanes(Expr):
    """`SIMD[dt, w](a, b, ...)`: one scalar per lane, in lane order."""
    values: tuple[Expr, ...]


@dataclass(slots=True, unsafe_hash=True)
class Extract(Expr):
    """`v[i]`: lane `index` of `vector`; an index outside [0, width) faults
    (in the JIT only in checked mode)."""
    vector: Expr
    index: Expr


@dataclass(slots=True, unsafe_hash=True)
class Insert(Expr):
    """A copy of `vector` whose lane `index` is `value` (`v[i] = x` assigns it)."""
    vector: Expr
    index: Expr
    value: Expr


@dataclass(slots=True, unsafe_hash=True)
class Reduce(Expr):
    """`v.reduce_<op>()`, op in add mul min max and or: the lanes folded left
    to right (lane 0 first) with the scalar operation (min/max as math.min/max)."""
    op: str
    vector: Expr


@dataclass(slots=True, unsafe_hash=True)
class Select(Expr):
    """`cond.select(a, b)`: lane k is a[k] where cond[k] else b[k]."""
    cond: Expr
    then: Expr
    orelse: Expr


@dataclass(slots=True, unsafe_hash=True)
class VLoad(Expr):
    """`p.load[width=w](i)` / `t.load[width=w](i, ..., j)`: `type.width`
    consecutive elements starting at `base[indices]` (along the last axis of a
    Tensor), unaligned. A Tensor checks the element at `indices` as `Index`
    does and then that the last lane lies inside the last axis."""
    base: Expr
    indices: tuple[Expr, ...]


# ------------------------------------------------------------------ statements
@dataclass(slots=True, unsafe_hash=True)
class Stmt(Node):
    pass


@dataclass(slots=True, unsafe_hash=True)
class Declare(Stmt):
    """Introduce `var`; `value` None leaves it unassigned (the checker proves it
    is assigned before use)."""
    var: Var
    value: Expr | None


@dataclass(slots=True, unsafe_hash=True)
class Assign(Stmt):
    """Evaluate every value first, then store them left to right (`a, b = b, a`).
    A target of None discards its value (`_ = e`)."""
    targets: tuple[Var | None, ...]
    values: tuple[Expr, ...]


@dataclass(slots=True, unsafe_hash=True)
class Store(Stmt):
    """`base[indices] = value`: the element `Index(base, indices)` names (same
    checks). `value` is evaluated first, then `base` and the indices (Python's
    order: the value may grow or shrink the List)."""
    base: Expr
    indices: tuple[Expr, ...]
    value: Expr


@dataclass(slots=True, unsafe_hash=True)
class StoreField(Stmt):
    """`base.name = value`; `base` is a place (see `Ref`), evaluated after `value`.
    In `__init__` (`check_structs.mark_field_inits`), where the value's type runs
    a `__del__`: `init`, the first store to a field of its `out self` (or to a
    field of one), whose zeroed value is no value to drop; `held`, a Bool variable
    saying whether the place holds a value to drop (a store in a loop); `flags`,
    the variables this store sets True."""
    base: Expr
    index: int
    value: Expr
    init: bool = False
    held: Var | None = None
    flags: tuple[Var, ...] = ()


@dataclass(slots=True, unsafe_hash=True)
class VStore(Stmt):
    """`p.store[width=w](i, v)` / `t.store(i, ..., j, v)`: the lanes of `value`
    to consecutive elements from `base[indices]` (checks as `VLoad`)."""
    base: Expr
    indices: tuple[Expr, ...]
    value: Expr


@dataclass(slots=True, unsafe_hash=True)
class ExprStmt(Stmt):
    expr: Expr


@dataclass(slots=True, unsafe_hash=True)
class Print(Stmt):
    """Python's print: str of each value joined by `sep`, then `end` (Strings)."""
    values: tuple[Expr, ...]
    sep: Expr
    end: Expr


@dataclass(slots=True, unsafe_hash=True)
class If(Stmt):
    cond: Expr
    body: tuple[Stmt, ...]
    orelse: tuple[Stmt, ...]


@dataclass(slots=True, unsafe_hash=True)
class While(Stmt):
    cond: Expr
    body: tuple[Stmt, ...]


@dataclass(slots=True, unsafe_hash=True)
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
    """Raise an error: `message` is a String (a new error, located at this
    statement) or an `Error` value (raised with its own message and, if it was
    raised before, as a handler's caught one was, its own location). The innermost enclosing `Try` of this
    function catches it; otherwise the function fails and its caller raises it."""
    message: Expr


@dataclass(slots=True, unsafe_hash=True)
class Try(Stmt):
    """Run `body`; if it raises (a `Raise`, or a call of a `raises` function
    that raised), stop it there and run `handler` with `var` (type Error, None
    for a bare `except:`) holding the error. Faults (an index out of bounds,
    a division by zero) are not errors: they pass through."""
    body: tuple[Stmt, ...]
    var: Var | None
    handler: tuple[Stmt, ...]


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
    # Python values for the trailing defaulted params (CLI), REQUIRED for a keyword-only
    # one without a default among them (`fn f(a: Int = 1, *, b: Int)`)
    defaults: tuple[object, ...] = ()
    # (writes, ranks) below, worked out on first asking (`tensor_uses.analyse`).
    tensor_uses: tuple[frozenset[str], dict[str, int]] | None = None
    # A nested `fn`: the enclosing functions' variables it uses, passed by
    # reference after its own arguments on every call.
    captures: tuple[Var, ...] = ()
    inline: bool = False                # `@always_inline`: LLVM's alwaysinline
    positional: int | None = None       # params before a bare `*` (None: all of them)
    posonly: int = 0                    # params before a `/` (passed by position only)
    # `*vals: T`: the position of that parameter, a read-only List[T] of the rest
    # of the positional arguments (each call packs them into a list literal)
    variadic: int | None = None
    # "del", "copy" or "move": a struct's `__del__`, `__copyinit__`, `__moveinit__`
    lifecycle: str = ""
    # A named result `out r: T` (`ret` is T): where it is written among `params`
    # (which leave it out) and its name, for the signature text
    result: tuple[int, str] | None = None

    @property
    def writes(self) -> frozenset[str]:
        """Names of the Tensor parameters whose elements the function may write
        (conservative): the Python API refuses read-only arrays for them."""
        return self._tensor_uses()[0]

    @property
    def ranks(self) -> dict[str, int]:
        """Tensor parameter name → the rank its uses need, where they agree on
        one: the Python API refuses an array of another ndim."""
        return self._tensor_uses()[1]

    def _tensor_uses(self):
        if self.tensor_uses is None:
            from .tensor_uses import analyse
            analyse(self)
        return self.tensor_uses


def produces_owned(e: Expr) -> bool:
    """Whether `e`'s value is new (a call's or a constructor's result, or a
    conditional of such, or a `Seq` or `Let` giving one) rather than a view of a
    variable. Storing a value that is not owned into a variable first takes a
    reference (Tensor, String) or copies it (List); an owned value that nobody
    stores is released after its statement."""
    if e.__class__ is Seq:
        return produces_owned(e.value)
    if e.__class__ is Let:
        return produces_owned(e.body)
    return e.__class__ in (Call, Builtin, IfExp, Construct, Format, Move)


def children(node: Node):
    """The direct sub-nodes of `node`, in evaluation order."""
    for name in node.__dataclass_fields__:
        value = getattr(node, name)
        if isinstance(value, Node):
            yield value
        elif isinstance(value, tuple):
            for item in value:
                if isinstance(item, Node):
                    yield item


@dataclass(eq=False)
class Program:
    functions: list[Function]
    source_name: str
    # What a name of the program's file, or of a module it imports, stands for where
    # that is not the name itself: `length` → `geometry.norm` (`from geometry import
    # norm as length`), `g` → `geometry.` (a module, `import geometry as g`); Python's
    # `m.length`, `m.g.norm` look here
    names: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> Function | None:
        """Function `name` (the first, where overloads share it), or the one
        whose symbol is `name` (`ml.f(Float64)`: one overload)."""
        for f in self.functions:
            if f.name == name or f.symbol == name:
                return f
        return None


def managed_locals(fn: Function) -> list[Var]:
    """The function's own variables that hold a Tensor, a List, a String or an
    Error (an `except e:`'s), in order (not its captures: a closure assigning
    one writes its enclosing function's slot): what the function releases (the
    lowering) or drops (the reference mode) on its way out."""
    found: dict[Var, None] = {}
    shared = set(fn.captures)

    def walk(node):
        if isinstance(node, (Declare, Assign, Try)):
            for var in ((node.var,) if isinstance(node, (Declare, Try))
                        else node.targets):
                if var is not None and owns_memory(var.type) and not var.is_param \
                        and not var.borrowed and var not in shared:
                    found[var] = None
        for child in children(node):
            walk(child)

    for st in fn.body:
        walk(st)
    return list(found)

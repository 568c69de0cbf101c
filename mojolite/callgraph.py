"""The call graph of a checked program, for what depends on who calls whom.

In: a `typed.Program` (and optionally the functions to start from). Out:
`call_graph` (callees, functions used as values, functions that call a value,
by symbol), `recursive_symbols` (the functions on a cycle), `split_unit` (what
one compile unit holds and what it links lazily) and `known_truth` (a condition
decided while compiling). The lowering lowers only what its entries reach and
guards the recursive functions against runaway recursion
(`codegen/stackguard.py`); the reference mode blames a runaway recursion on the
same functions.

Lazily linked call edges (`codegen/lazylink.py`): a call that only some runs
make, under a branch decided at run time (`if kernel == 1: rows(...)`), to a
function that loops, is not compiled with its caller. The unit calls it
through a slot that compiles it on its first call. What decides an edge:

    the call is under an `if`/`elif`/`else` arm, an `a if c else b` arm, the
    right operand of `and`/`or`, or an `except` handler, whose condition is not
    known while compiling;
    the callee is not `@always_inline`, captures nothing, is not on a cycle of
    the call graph, and loops (a `for`, `while`, `vectorize` or `parallelize`
    in it or in a function it reaches): a call to it costs little beside its
    loop, so losing inlining across the edge is cheap.

A function that the unit also calls where the call is not lazy is in the unit,
and every call to it there is direct.
"""
from __future__ import annotations

import dataclasses
import functools

from . import semantics, typed
from .syntax import LogicOp, UnOp


@dataclasses.dataclass
class Graph:
    """What `call_graph` finds, by symbol."""
    callees: dict[str, set[str]]     # every function each calls or names as a value
    as_values: set[str]              # the functions named as values
    indirect: set[str]               # the functions that call a function value
    looping: set[str]                # the functions with a loop of their own
    recursive: set[str] | None = None   # those on a cycle, once `recursive_symbols` asked


_LOOPS = (typed.While, typed.ForRange, typed.Parallelize)   # `vectorize` is two ForRanges


def call_graph(program: typed.Program, roots=None) -> Graph:
    """The call graph of `program`. With `roots` (functions), only the functions
    they reach are walked, and `callees`' keys are exactly those. Iterative
    walks: deeply nested expressions must not exhaust Python's stack here."""
    callees: dict[str, set[str]] = {}
    as_values: set[str] = set()
    indirect: set[str] = set()
    looping: set[str] = set()
    pending = list(program.functions if roots is None else
                   [*roots, *lifecycle_functions(program)])
    while pending:
        fn = pending.pop()
        if fn.symbol in callees:
            continue
        out = callees[fn.symbol] = set()
        todo = list(fn.body)
        while todo:
            node = todo.pop()
            cls = node.__class__
            if cls is tuple or cls is list:
                todo.extend(node)
                continue
            if cls is typed.Function:
                out.add(node.symbol)
                pending.append(node)
                continue
            fields = _typed_fields().get(cls)
            if fields is None:          # a type, a span, a Python value
                continue
            if cls is typed.FnRef:
                as_values.add(node.fn.symbol)
            elif cls is typed.CallValue:
                indirect.add(fn.symbol)
            elif cls in _LOOPS:
                looping.add(fn.symbol)
            for name in fields:
                todo.append(getattr(node, name))
    return Graph(callees, as_values, indirect, looping)


def lifecycle_functions(program: typed.Program) -> list[typed.Function]:
    """The structs' `__del__`s and `__copyinit__`s: every copy or drop of their
    values calls them, without a `Call` node, so every unit holds them."""
    return [f for f in program.functions if f.lifecycle in ("del", "copy")]


@functools.cache
def _typed_fields() -> dict[type, tuple[str, ...]]:
    """The field names of every node class of the typed tree."""
    return {c: tuple(c.__dataclass_fields__) for c in vars(typed).values()
            if isinstance(c, type) and dataclasses.is_dataclass(c) and
            c.__module__ == typed.__name__}


def recursive_symbols(program: typed.Program, graph=None) -> set[str]:
    """Symbols of the functions on a cycle of the call graph, where a call through
    a function value may reach any function used as a value (worked out once per
    `Graph`: the lowering and `split_unit` both ask)."""
    graph = graph or call_graph(program)
    if graph.recursive is None:
        callees = {sym: set(out) for sym, out in graph.callees.items()}
        for sym in graph.indirect:
            callees[sym] |= graph.as_values
        graph.recursive = set()
        for start in callees:
            seen, todo = set(), list(callees[start])
            while todo:
                sym = todo.pop()
                if sym == start:
                    graph.recursive.add(start)
                    break
                if sym not in seen:
                    seen.add(sym)
                    todo.extend(callees.get(sym, ()))
    return graph.recursive


def split_unit(program: typed.Program, roots, graph=None, may_defer=lambda fn: True
               ) -> tuple[set[str], set[str]]:
    """(symbols of the functions a unit compiled for `roots` holds, symbols of
    those it calls through lazily linked edges): see the module docstring for
    the rule. `graph`: `call_graph(program, roots)` if already made.
    `may_defer(fn)` can refuse an edge to `fn` (it is then eager)."""
    graph = graph or call_graph(program, roots)
    callees = graph.callees
    by_symbol = {f.symbol: f for f in program.functions}
    recursive = recursive_symbols(program, graph)
    looping = _reaching_loops(graph)
    deferrable = {s for s in callees if s in looping and s not in recursive and
                  not by_symbol[s].inline and not by_symbol[s].captures and
                  may_defer(by_symbol[s])}
    held, later = set(), set()
    pending = [f.symbol for f in (*roots, *lifecycle_functions(program))]
    while pending:
        sym = pending.pop()
        if sym not in held:
            held.add(sym)
            now, deferred = _edges(by_symbol[sym], deferrable)
            pending.extend(now)
            later |= deferred
    return held, later - held


def _reaching_loops(graph: Graph) -> set[str]:
    """Symbols of the functions that loop or call (directly or not) one that does."""
    looping = set(graph.looping)
    changed = True
    while changed:
        changed = False
        for sym, out in graph.callees.items():
            if sym not in looping and out & looping:
                looping.add(sym)
                changed = True
    return looping


def _edges(fn: typed.Function, deferrable: set[str]) -> tuple[set[str], set[str]]:
    """(functions `fn` calls or names eagerly, functions it calls lazily): a
    call is lazy when it runs only on some paths (see the module docstring)
    and its callee is `deferrable`. Arms not taken by a condition known while
    compiling are skipped, as the lowering skips them."""
    fields = _typed_fields()
    now, later = set(), set()
    todo = [(node, False) for node in fn.body]
    while todo:
        node, maybe = todo.pop()
        cls = node.__class__
        if cls is tuple or cls is list:
            todo.extend((n, maybe) for n in node)
        elif cls is typed.Function:
            now.add(node.symbol)
        elif cls is typed.Call:
            sym = node.fn.symbol
            (later if maybe and sym in deferrable else now).add(sym)
            todo.extend((a, maybe) for a in node.args)
        elif cls is typed.If or cls is typed.IfExp:
            arms = (node.body, node.orelse) if cls is typed.If else (node.then, node.orelse)
            known = known_truth(node.cond)
            todo.append((node.cond, maybe))
            if known is None:
                todo.extend((arm, True) for arm in arms)
            else:
                todo.append((arms[0] if known else arms[1], maybe))
        elif cls is typed.Logic:
            todo += [(node.lhs, maybe), (node.rhs, True)]
        elif cls is typed.Try:
            todo += [(node.body, maybe), (node.handler, True)]
        elif cls in fields:
            todo.extend((getattr(node, name), maybe) for name in fields[cls])
    return now, later


def known_truth(e: typed.Expr) -> bool | None:
    """The value of a scalar condition made of constants only (a comparison of
    compile-time parameters, `and`/`or`/`not` of such), by the rules the
    reference interpreter applies; None when it depends on run time."""
    if isinstance(e, typed.Const):
        return e.value if isinstance(e.value, bool) else None
    if isinstance(e, typed.Compare):
        values = [o.value for o in e.operands if isinstance(o, typed.Const)]
        if len(values) != len(e.operands) or \
                not all(isinstance(v, (bool, int, float)) for v in values):
            return None
        return all(semantics.COMPARE[op](a, b) for op, a, b in zip(e.ops, values, values[1:]))
    if isinstance(e, typed.Unary) and e.op is UnOp.NOT:
        inner = known_truth(e.operand)
        return None if inner is None else not inner
    if isinstance(e, typed.Logic):
        lhs, rhs = known_truth(e.lhs), known_truth(e.rhs)
        decided = e.op is LogicOp.OR       # `True or ...`, `False and ...`
        if lhs is decided:
            return decided
        return rhs if lhs is not None else None
    return None

"""The call graph of a checked program, for what depends on who calls whom.

In: a `typed.Program` (and optionally the functions to start from). Out:
`call_graph` (callees, functions used as values, functions that call a value,
by symbol) and `recursive_symbols` (the functions on a cycle). The lowering
lowers only what its entries reach and guards the recursive functions against
runaway recursion (`codegen/stackguard.py`); the reference mode blames a runaway
recursion on the same functions.
"""
from __future__ import annotations

import dataclasses
import functools

from . import typed


def call_graph(program: typed.Program, roots=None) -> tuple[dict[str, set[str]], set[str],
                                                            set[str]]:
    """(callees, used as values, calls a function value) by symbol: `callees[s]`
    holds every function `s` calls or names as a value. With `roots` (functions),
    only the functions they reach are walked, and `callees`' keys are exactly
    those. Iterative walks: deeply nested expressions must not exhaust Python's
    stack here."""
    callees: dict[str, set[str]] = {}
    as_values: set[str] = set()
    indirect: set[str] = set()
    pending = list(program.functions if roots is None else roots)
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
            for name in fields:
                todo.append(getattr(node, name))
    return callees, as_values, indirect


@functools.cache
def _typed_fields() -> dict[type, tuple[str, ...]]:
    """The field names of every node class of the typed tree."""
    return {c: tuple(c.__dataclass_fields__) for c in vars(typed).values()
            if isinstance(c, type) and dataclasses.is_dataclass(c) and
            c.__module__ == typed.__name__}


def recursive_symbols(program: typed.Program, graph=None) -> set[str]:
    """Symbols of the functions on a cycle of the call graph, where a call through
    a function value may reach any function used as a value."""
    callees, as_values, indirect = graph or call_graph(program)
    callees = {sym: set(out) for sym, out in callees.items()}
    for sym in indirect:
        callees[sym] |= as_values
    cyclic = set()
    for start in callees:
        seen, todo = set(), list(callees[start])
        while todo:
            sym = todo.pop()
            if sym == start:
                cyclic.add(start)
                break
            if sym not in seen:
                seen.add(sym)
                todo.extend(callees.get(sym, ()))
    return cyclic

"""How a function uses its Tensor parameters: what a call from Python checks.

In: a checked `typed.Function` (its body, and those of the functions its
Tensors are passed to). Out: for it and each of those, `Function.writes`, the
Tensor parameters it may write (a read-only array is refused for them), and
`Function.ranks`, parameter name → the one rank its uses need, where they agree
on one (an array of another ndim is a TypeError naming the parameter, not a
fault at the first element read). Worked out when Python first asks
(`typed.Function.writes` / `.ranks`): a file of many functions of which Python
calls one pays for that one.

Each use of a parameter `t` (or of a variable that a nested fn captures):
- `t[i, j]` read, `t.load[width=w](i, j)`: rank 2 (one per index);
- `t[i, j] = v`, `t.store[width=w](i, j, v)`: rank 2, and `t` is written;
- `t.dim(k)`, `t.num_elements()`: nothing; `t.rank()`: no rank (the function
  may branch on it); `t.unsafe_ptr()`: written (through the pointer);
- `t` passed to a user function: what that parameter's uses are (followed to
  a fixed point, so recursion and chains of helpers work); a `mut` parameter
  gives no rank;
- a nested fn that captures `t`: what its uses of `t` are; if it gives up on
  the rank, so does `t` (it may reassign `t`);
- assigning `t` gives no rank; anything else (storing `t` in a struct or
  List, returning it, passing it to a function value) gives no rank and
  counts as a write. Two different ranks in one function give no rank.
"""
from __future__ import annotations

from . import typed as T
from .typesys import Tensor

_READS = ("tensor.dim", "tensor.num_elements", "tensor.rank")
_RANKLESS = ("tensor.dim", "tensor.num_elements", "tensor.unsafe_ptr")
_ELEMENT = (T.Index, T.VLoad, T.Store, T.VStore)
_WRITTEN = (T.Store, T.VStore)


class _Facts:
    """One function's Tensor variables: their ranks, the ones written, the ones
    given up on for a rank, and its edges to callees (f's v → g's w)."""
    __slots__ = ("tracked", "needs", "written", "rankless", "edges")

    def __init__(self, fn: T.Function):
        self.tracked = {v for v in (*fn.params, *fn.captures) if isinstance(v.type, Tensor)}
        self.needs = {v: set() for v in self.tracked}
        self.written: set[T.Var] = set()
        self.rankless: set[T.Var] = set()
        self.edges: list[tuple[T.Var, T.Function, T.Var, bool]] = []


def analyse(fn: T.Function) -> None:
    """Set `tensor_uses` on `fn` and on every function its Tensors reach."""
    facts: dict[T.Function, _Facts] = {}
    work = [fn]
    while work:
        f = work.pop()
        if f in facts:
            continue
        facts[f] = here = _Facts(f)
        if here.tracked:
            for st in f.body:
                _visit(here, st, None, None)
        work.extend(g for _, g, _, _ in here.edges if g not in facts)
    changed = True
    while changed:
        changed = False
        for f, here in facts.items():
            for v, g, w, captured in here.edges:
                there = facts[g]
                if w not in there.tracked:          # not a Tensor there: nothing known
                    if v not in here.written or v not in here.rankless:
                        here.written.add(v)
                        here.rankless.add(v)
                        changed = True
                    continue
                if w in there.written and v not in here.written:
                    here.written.add(v)
                    changed = True
                if w in there.rankless:
                    if captured and v not in here.rankless:
                        here.rankless.add(v)
                        changed = True
                elif not there.needs[w] <= here.needs[v]:
                    here.needs[v] |= there.needs[w]
                    changed = True
    for f, here in facts.items():
        if f.tensor_uses is None:
            names = {v.name for v in f.params}
            f.tensor_uses = (
                frozenset(v.name for v in here.written if v.name in names),
                {v.name: min(here.needs[v]) for v in f.params if v in here.tracked
                 and v not in here.rankless and len(here.needs[v]) == 1})


def _use(here: _Facts, v: T.Var, parent, slot) -> None:
    if isinstance(parent, _ELEMENT) and slot == "base":
        here.needs[v].add(len(parent.indices))
        if isinstance(parent, _WRITTEN):
            here.written.add(v)
    elif isinstance(parent, T.Builtin) and parent.name in _READS + _RANKLESS:
        if parent.name not in _READS:
            here.written.add(v)
        if parent.name not in _RANKLESS:
            here.rankless.add(v)
    elif isinstance(parent, T.Call) and isinstance(slot, int):
        q = parent.fn.params[slot]
        here.edges.append((v, parent.fn, q, False))
        if q.by_ref:
            here.rankless.add(v)
    else:
        here.written.add(v)
        here.rankless.add(v)


def _visit(here: _Facts, node, parent, slot) -> None:
    if isinstance(node, (T.Call, T.Parallelize)):        # a nested fn and its captures
        for v in node.fn.captures:
            if v in here.tracked:
                here.edges.append((v, node.fn, v, True))
    if isinstance(node, T.Load) and node.var in here.tracked:
        _use(here, node.var, parent, slot)
    if isinstance(node, T.Assign):
        here.rankless.update(v for v in node.targets if v in here.tracked)
    for child_slot, child in _children_with_slots(node):
        _visit(here, child, node, child_slot)


def _children_with_slots(node):
    """(slot, child) pairs: "base" for the base of an element access, the
    argument position for a Call's arguments, None otherwise."""
    if isinstance(node, _ELEMENT):
        yield "base", node.base
        for i in node.indices:
            yield None, i
        if isinstance(node, _WRITTEN):
            yield None, node.value
        return
    if isinstance(node, T.Call):
        for k, a in enumerate(node.args):
            yield k, a
        return
    for child in T.children(node):
        yield None, child

"""The rank each Tensor parameter's uses require, for the call-time check.

In: the checked functions of a program (`typed.Function`s with bodies).
Out: `Function.ranks` filled in: parameter name → the one rank its uses need,
for the Tensor parameters that have one. A caller from Python refuses an
array of another ndim with a TypeError naming the parameter, instead of a
fault at the first element read.

What counts, per parameter `t` of a function (or variable a nested fn captures):
- `t[i, j]` read or written, `t.load[width=w](i, j)`, `t.store[width=w](i, j, v)`:
  rank 2 (one per index);
- `t.dim(k)`, `t.num_elements()`, `t.unsafe_ptr()`: nothing;
- `t` passed to a user function: what that parameter requires (followed to a
  fixed point, so recursion and chains of helpers work), nothing where the
  callee's parameter gives up;
- a nested fn that captures `t`: what the nested fn's uses require, and if it
  gives up, so does `t` (it may reassign `t`).
Anything else gives up on `t` (no rank): `t.rank()` (the function may branch
on it), assigning `t` or to `t`, storing it in a struct or List, returning
it, passing it as `mut` or to a function value. Two different ranks from the
uses of one function give no rank either.
"""
from __future__ import annotations

from . import typed as T
from .typesys import Tensor

_SILENT = ("tensor.dim", "tensor.num_elements", "tensor.unsafe_ptr")
_INDEXED = (T.Index, T.Store, T.VLoad, T.VStore)


def tensor_ranks(functions: list[T.Function]) -> None:
    """Fill `Function.ranks` (see the module docstring)."""
    tracked = {f: {v for v in (*f.params, *f.captures) if isinstance(v.type, Tensor)}
               for f in functions}
    needs = {f: {v: set() for v in tracked[f]} for f in functions}   # ranks the uses index with
    opaque = {f: set() for f in functions}                           # variables given up on
    passes: list[tuple[T.Function, T.Var, T.Function, T.Var, bool]] = []   # f's v → g's w

    def use(f, v, parent, slot):
        if isinstance(parent, _INDEXED) and slot == "base":
            needs[f][v].add(len(parent.indices))
        elif isinstance(parent, T.Builtin) and parent.name in _SILENT:
            pass
        elif isinstance(parent, T.Call) and isinstance(slot, int):
            q = parent.fn.params[slot]
            if parent.fn in needs and not q.by_ref:
                passes.append((f, v, parent.fn, q, False))
        else:
            opaque[f].add(v)

    def visit(f, node, parent, slot):
        if isinstance(node, (T.Call, T.Parallelize)):        # a nested fn and its captures
            for v in node.fn.captures:
                if v in tracked[f]:
                    if node.fn in needs:
                        passes.append((f, v, node.fn, v, True))
                    else:
                        opaque[f].add(v)
        if isinstance(node, T.Load) and node.var in tracked[f]:
            use(f, node.var, parent, slot)
        if isinstance(node, T.Assign):
            opaque[f].update(v for v in node.targets if v in tracked[f])
        for child_slot, child in _children_with_slots(node):
            visit(f, child, node, child_slot)

    for f in functions:
        if tracked[f]:
            for st in f.body:
                visit(f, st, None, None)
    changed = True
    while changed:
        changed = False
        for f, v, g, w, captured in passes:
            if w in opaque[g]:
                if captured and v not in opaque[f]:
                    opaque[f].add(v)
                    changed = True
            elif not needs[g][w] <= needs[f][v]:
                needs[f][v] |= needs[g][w]
                changed = True
    for f in functions:
        f.ranks = {v.name: min(needs[f][v]) for v in f.params
                   if v in tracked[f] and v not in opaque[f] and len(needs[f][v]) == 1}


def _children_with_slots(node):
    """(slot, child) pairs: "base" for the base of an element access, the
    argument position for a Call's arguments, None otherwise."""
    if isinstance(node, _INDEXED):
        for name in node.__dataclass_fields__:
            if name == "base":
                yield "base", node.base
            elif name == "indices":
                for i in node.indices:
                    yield None, i
            elif name == "value":
                yield None, node.value
        return
    if isinstance(node, T.Call):
        for k, a in enumerate(node.args):
            yield k, a
        return
    for child in T.children(node):
        yield None, child

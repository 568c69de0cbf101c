"""Which `def`s raise.

In: one file's `syntax.Module`. Out: the same module with each `def` that can
raise marked `raises`, as if written `def f() raises:`.

Mojo's `def` may raise without saying so; the spec makes `def` a synonym of
`fn`. Both hold here: a `def` whose body can raise is `raises` (so `def main():`
may call a `raises` function or `raise`), and one that cannot stays an ordinary
function, callable from an `fn` without `raises`. A body can raise when, outside
the body of a `try`, it has a `raise`, or a call of a name that raises: a
function, method or nested function declared `raises`, a struct whose `__init__`
is, another `def` found to raise (to a fixpoint), a name that an import of
another file bound to what raises there (the checker declares the imported files
first and says which, `_Checker.raising_imports`), or a builtin method that
raises (`l.index(x)`, `BUILTIN_RAISING`). Names are matched by
spelling alone, whatever they resolve to, so a `def` may be marked `raises`
needlessly, never the other way. A raise the rules miss (an operator whose
struct method raises, a raising function value) the check finds, and the file is
checked again with that `def` among `forced` (`typecheck.typecheck`).
"""
from __future__ import annotations

import dataclasses

from . import syntax as S

# The methods of builtin types that raise: Mojo's `List.index`
BUILTIN_RAISING = {"index"}


def def_key(d: S.FnDef) -> tuple:
    """A `def` of a file, for `forced`."""
    return d.span.source.name, d.span.start


def mark_raising_defs(module: S.Module, imported: set[str], forced=frozenset()) -> S.Module:
    """`imported`: the names the file's imports bound to what raises (the checker
    has declared the imported files by then); `forced`: the `def`s (`def_key`)
    known to raise."""
    defs = [d for d in _fn_defs(module) if d.is_def and not d.raises]
    if not defs:
        return module
    raising = _declared_raising(module) | imported
    marked = {id(d) for d in defs if def_key(d) in forced}
    raising |= {d.name for d in defs if id(d) in marked}
    changed = True
    while changed:
        changed = False
        for d in defs:
            if id(d) not in marked and _may_raise(d.body, raising):
                marked.add(id(d))
                raising.add(d.name)
                changed = True
    if not marked:
        return module
    return _rewrite(module, marked)


def _fn_defs(node):
    """Every FnDef in `node`: top-level, methods, nested in bodies."""
    if isinstance(node, tuple):
        for x in node:
            yield from _fn_defs(x)
    elif isinstance(node, S.Node):
        if isinstance(node, S.FnDef):
            yield node
        if isinstance(node, (S.Module, S.FnDef, S.StructDef, S.If, S.While, S.For, S.Try)):
            for f in dataclasses.fields(node):
                if f.name not in ("span", "name_span"):
                    yield from _fn_defs(getattr(node, f.name))


def _declared_raising(module: S.Module) -> set[str]:
    names: set[str] = set()
    for d in _fn_defs(module):
        if d.raises:
            names.add(d.name)
    for stmt in module.body:
        if isinstance(stmt, S.StructDef) and any(
                isinstance(m, S.FnDef) and m.name == "__init__" and m.raises
                for m in stmt.body):
            names.add(stmt.name)
    return names


def _may_raise(node, raising: set[str]) -> bool:
    if isinstance(node, tuple):
        return any(_may_raise(x, raising) for x in node)
    if not isinstance(node, S.Node) or isinstance(node, S.FnDef):
        return False            # a nested function raises when it is called
    if isinstance(node, S.Raise):
        return True
    if isinstance(node, S.Try):             # what its body raises, its handler catches
        return _may_raise((node.body if node.handler is None else node.handler, node.orelse,
                           node.finalbody), raising)
    if isinstance(node, S.Call) and _names_raising(node.func, raising):
        return True
    if isinstance(node, S.Call) and isinstance(node.func, S.Attribute) and \
            node.func.name in BUILTIN_RAISING:
        return True
    return any(_may_raise(getattr(node, f.name), raising)
               for f in dataclasses.fields(node) if f.name not in ("span", "name_span"))


def _names_raising(func, raising: set[str]) -> bool:
    """Whether the callee expression mentions a raising name: `f`, `x.f`, `S.make`,
    `parallelize[body]`."""
    return any(isinstance(n, S.Name) and n.id in raising or
               isinstance(n, S.Attribute) and n.name in raising for n in S.walk(func))


def _rewrite(node, marked: set[int]):
    if isinstance(node, tuple):
        return tuple(_rewrite(x, marked) for x in node)
    if not isinstance(node, (S.Module, S.FnDef, S.StructDef, S.If, S.While, S.For, S.Try)):
        return node
    changes = {f.name: _rewrite(getattr(node, f.name), marked)
               for f in dataclasses.fields(node) if f.name not in ("span", "name_span")}
    if isinstance(node, S.FnDef) and id(node) in marked:
        changes["raises"] = True
    return dataclasses.replace(node, **changes)

"""Readable dumps of the syntax tree and the typed tree (`mojolite ir --stage ast|typed`).

In: a `syntax.Module` or a `typed.Function`. Out: indented text, one node per
line, with each typed expression's type after a colon and each node's line.
"""
from __future__ import annotations

import dataclasses
import enum
import re

from . import typed as T
from .typesys import Type


def dump_tree(node, indent: int = 0) -> str:
    lines: list[str] = []
    _dump(node, indent, lines, None)
    return "\n".join(lines)


def dump_function(fn: T.Function) -> str:
    params = ", ".join(f"{p.name}: {p.type}" for p in fn.params)
    head = f"fn {fn.name}({params}) -> {fn.ret}  [{fn.symbol}]"
    lines = [head]
    for st in fn.body:
        _dump(st, 1, lines, None)
    return "\n".join(lines) + "\n"


def _scalar(v) -> str:
    if isinstance(v, enum.Enum):
        return str(v.value)
    if isinstance(v, T.Var):
        return f"{v.name}: {v.type}"
    if isinstance(v, T.Function):
        return v.name
    if isinstance(v, Type):
        return str(v)
    return repr(v)


def _dump(node, depth: int, lines: list[str], label: str | None):
    pad = "  " * depth + (f"{label}=" if label else "")
    if isinstance(node, (list, tuple)):
        if not node:
            return
        for item in node:
            _dump(item, depth, lines, None)
        return
    if not dataclasses.is_dataclass(node):
        lines.append(pad + _scalar(node))
        return
    fields = [f for f in dataclasses.fields(node) if f.name not in ("span", "name_span", "type")]
    simple = [(f.name, getattr(node, f.name)) for f in fields
              if not _is_node(getattr(node, f.name))
              and not (f.default is False and getattr(node, f.name) is False)]
    nested = [(f.name, getattr(node, f.name)) for f in fields if _is_node(getattr(node, f.name))]
    attrs = " ".join(f"{k}={_scalar(v)}" for k, v in simple if v not in (None, ()))
    type_ = f" : {node.type}" if isinstance(node, T.Expr) else ""
    where = f"  @{node.span.line}:{node.span.column}" if getattr(node, "span", None) else ""
    lines.append(f"{pad}{type(node).__name__}{(' ' + attrs) if attrs else ''}{type_}{where}")
    for name, value in nested:
        if isinstance(value, (list, tuple)):
            lines.append("  " * (depth + 1) + f"{name}:")
            _dump(value, depth + 2, lines, None)
        else:
            _dump(value, depth + 1, lines, name)


def _is_node(v) -> bool:
    """Whether `v` is dumped as nested nodes: a called function is named, not dumped."""
    if isinstance(v, (list, tuple)):
        return any(_is_node(x) for x in v)
    return dataclasses.is_dataclass(v) and not isinstance(v, (type, T.Function))


def select_function(text: str, name: str, asm: bool) -> str:
    """The part of an IR or assembly listing that defines function `name`.

    At -O2/-O3 an internal function may be inlined into its entry wrapper and
    deleted; its code then lives in `__entry_ml.NAME`, shown instead. The
    outlined bodies of its parallel regions follow it. An overloaded `name`
    shows each overload (`ml.f(Int)`, `ml.f(Float64)`)."""
    overloads = r'(?:\([^)"]*\))?'
    own = _select(text, re.escape(f"ml.{name}") + overloads, asm)
    if not own.strip():
        own = _select(text, re.escape(f"__entry_ml.{name}") + overloads, asm)
    # The chunk functions of its `parallelize` regions (codegen/parallel.py), into
    # which LLVM inlines the closures' bodies.
    bodies = _select(text, re.escape(f"ml.{name}.") + r"[\w.]*\.parallel_body", asm)
    return own + bodies


def _select(text: str, symbol: str, asm: bool) -> str:
    out, keep = [], False
    start = re.compile(rf'^(define .*@"?{symbol}"?\(|"?{symbol}"?:)')
    for line in text.splitlines():
        if start.search(line):
            keep = True
        if keep:
            out.append(line)
            if (not asm and line.startswith("}")) or (asm and line.strip().startswith(".Lfunc_end")):
                keep = False
                out.append("")
    return "\n".join(out)

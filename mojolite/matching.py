"""Inferring compile-time parameters: a declared parameter type matched against
an argument's type (`x: SIMD[dt, w]` given a `SIMD[DType.float32, 4]` binds dt and
w), the one rule the checker (`check_structs.infer_ct`) and a call from Python
(`inference.Inference`, on the types Python arguments stand for) share.

A module of its own so that a call from Python needs neither the checker nor
the parser: only the syntax nodes and types.
"""
from __future__ import annotations

from . import syntax as S
from .typesys import ListType, Pointer, SIMD, Struct, Tensor, Type


def match_type(type_node: S.Expr, actual: Type, names: list[str], bound: dict):
    """Bind parameters named in `type_node` from the matching parts of `actual`
    (a struct's own parameter may be written `Self.T`)."""
    if isinstance(type_node, S.Attribute) and isinstance(type_node.value, S.Name) and \
            type_node.value.id == "Self" and type_node.name in names:
        type_node = S.Name(type_node.name, span=type_node.span)

    def value(node, v):
        if isinstance(node, S.Attribute) and isinstance(node.value, S.Name) and \
                node.value.id == "Self":
            node = S.Name(node.name, span=node.span)
        if isinstance(node, S.Name) and node.id in names:
            if bound.get(node.id) is None:
                bound[node.id] = v
    if isinstance(type_node, S.Name):           # `x: T`, T a type parameter
        value(type_node, actual)
    elif isinstance(type_node, S.Subscript) and isinstance(type_node.value, S.Name):
        head, args = type_node.value.id, type_node.args
        if head == "SIMD" and isinstance(actual, SIMD) and len(args) == 2:
            value(args[0], actual.dtype)
            value(args[1], actual.width)
        elif head in ("Scalar", "Tensor", "DTypePointer") and len(args) == 1:
            inner = actual.pointee if isinstance(actual, Pointer) else actual
            if isinstance(inner, (SIMD, Tensor)):
                value(args[0], inner.dtype)
        elif head in ("UnsafePointer", "List") and len(args) == 1:
            inner = actual.pointee if isinstance(actual, Pointer) else \
                actual.element if isinstance(actual, ListType) else None
            if inner is not None:
                match_type(args[0], inner, names, bound)
        elif isinstance(actual, Struct) and actual.name.startswith(head + "["):
            for a, v in zip(args, actual.key[1]):
                value(a, v)

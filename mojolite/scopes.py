"""What names stand for while checking: scopes and entities.

In: nothing (the checker fills them). Out: `Scope`, a chain of name tables from a
block out to the builtins, and the entities a name can stand for (a type, a
constant, a module, a built-in function, a declared function), plus the markers
of a mistake already reported: `Poison`, raised to stop a statement quietly,
`POISON`, the type of an operand already reported as wrong, and `FAILED`, what a
name stands for when its declaration was wrong.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import syntax as S
from . import typed as T
from .typesys import Named, Type


@dataclass(unsafe_hash=True)
class TypeEntity:
    type: Type


@dataclass(unsafe_hash=True)
class ConstEntity:
    expr: T.Const          # may have a Literal type (an alias of a literal)


@dataclass(unsafe_hash=True)
class BuiltinEntity:
    name: str


@dataclass(unsafe_hash=True)
class ModuleEntity:
    name: str
    # A module read from a file (`import geometry`): the scope of its top-level names
    scope: "Scope | None" = field(default=None, compare=False)


@dataclass(unsafe_hash=True)
class GenericTypeEntity:
    """`SIMD`, `Scalar`, `UnsafePointer`, `Tensor`, `List`: a type once subscripted."""
    name: str


@dataclass(unsafe_hash=True)
class DTypeNamespace:
    pass


class AliasTemplate:
    """`comptime AddOne[a: Int] = a + 1`: an alias with compile-time parameters, read
    where it is used (`AddOne[3]`); `instances` maps parameter values to the entity
    that use stands for (a constant, a type)."""

    def __init__(self, node: S.AliasDef, scope):
        self.node, self.scope = node, scope
        self.instances: dict[tuple, object] = {}
        self.depth = 0          # instances being read now (one inside another's value)


class FuncEntity:
    """A declared function: its typed signature, its syntax, the scope it was declared in."""

    def __init__(self, fn: T.Function, node: S.FnDef, scope=None):
        self.fn, self.node, self.scope = fn, node, scope


class Poison(Exception):
    """An operand already reported as wrong: stop quietly, no second error."""


POISON = Named("<error>")


class _Failed:
    """What a name stands for when its declaration (an alias, a function's signature,
    an import) was wrong and reported: a use of it stops its statement quietly."""


FAILED = _Failed()


class Scope:
    """One block's names; `lookup` goes out through `parent` (a function's scopes
    end at the file's top level, and that at the builtins)."""

    def __init__(self, parent: "Scope | None" = None):
        self.parent = parent
        self.names: dict[str, object] = {}
        # Of a file's top-level scope: what its functions' and structs' names start
        # with ("" in the program's own file, `geometry.` in an imported geometry.ml)
        self.qualifier = ""
        # Of a file's top-level scope: the names that `from geometry import ...` bound,
        # which a definition in the file shadows (`shadow_import`)
        self.imported: set[str] = set()
        # Of a file's top-level scope: each name an import bound → (what it stands
        # for, as a key; the text that names it), for `bind_import`
        self.import_origins: dict[str, tuple] = {}

    def lookup(self, name: str):
        s = self
        while s is not None:
            if name in s.names:
                ent = s.names[name]
                if ent is FAILED:
                    raise Poison()
                return ent
            s = s.parent
        return None

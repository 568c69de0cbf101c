"""The Python spelling of structs: `@mojolite.struct` on a class.

In: a Python class whose body is a mojolite struct written with Python-valid
spellings, and the globals of its module. Out: a `PyStruct`, a marker kernels
name like a type (`p: Point`, `Point(1.0, 2.0)`, `Vec[DType.float32]`); when a
kernel's unit is built, the class is read back (`inspect`), parsed by the
language's grammar and added to the unit as a `struct` (`add_struct`), with its
free names resolved like a kernel's. Spellings:

    @mojolite.struct
    class Point:
        x: Float64                          # var x: Float64
        y: Float64
        def __init__(self, x: Float64, y: Float64):     # out self (implied)
            self.x = x
            self.y = y
        def norm(self) -> Float64: ...      # read self
        def scale(self: Mut, k: Float64): ...           # mut self (also Inout)
        @staticmethod
        def origin() -> Point: ...
        def __add__(self, other: Point) -> Point: ...   # operators as in the spec

- `dtype: Param[DType]` (and `n: Param[Int] = 4`) among the fields is a
  compile-time parameter of the struct: `struct Vec[dtype: DType, n: Int = 4]`;
- a class without `__init__` gets the field-wise one (`@value`);
- `self: Out` spells `out self` explicitly; `Self` names the struct's own type;
  a quoted annotation (`other: "Point"`) is read as the type it holds, so a
  class can name itself without `from __future__ import annotations`.

Invariants: decorating reads nothing (the class is read on a kernel's first
call); spans point into the class's own .py file (the `class` line is read as
`struct Name:`, so on that line only, columns after the name's start are one
more than in the file).
"""
from __future__ import annotations

import types

from .kernel import _Resolver, parse_definition, raise_user, unquote_annotations
from .markers import spell


class PyStruct:
    """A class decorated with `@mojolite.struct`: a struct type kernels use."""

    def __init__(self, cls, where=None):
        self.py_class = cls
        # (file, line, globals, locals or None) of the class statement: the
        # source and the names of a class whose module is not in sys.modules
        self.where = where
        self.__name__ = cls.__name__
        self.__qualname__ = cls.__qualname__
        self.__module__ = cls.__module__
        self.__doc__ = cls.__doc__

    def __getitem__(self, params):
        params = params if isinstance(params, tuple) else (params,)
        return _StructSpelling(f"{self.__name__}[{', '.join(spell(p) for p in params)}]")

    def __call__(self, *args, **kwargs):
        raise TypeError(f"{self.__name__} is a mojolite struct: build it inside an "
                        "@mojolite.fn kernel (structs are not Python objects)")

    def __repr__(self) -> str:
        return f"<mojolite struct {self.__qualname__}>"


class _StructSpelling:
    """`Vec[DType.float32]` evaluated by Python (in an annotation)."""

    def __init__(self, spelling: str):
        self.spelling = spelling

    def __repr__(self) -> str:
        return self.spelling


def struct(cls=None, /):
    """`@mojolite.struct` on a class: see the module docstring."""
    if cls is None:
        return struct
    if isinstance(cls, PyStruct):
        raise TypeError(f"{cls.__qualname__} is already a mojolite struct")
    if not isinstance(cls, type):
        raise TypeError(f"@mojolite.struct needs a class, got {type(cls).__name__}")
    import sys
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename == __file__:
        frame = frame.f_back
    where = None
    if frame is not None:
        local = None if frame.f_locals is frame.f_globals else dict(frame.f_locals)
        where = (frame.f_code.co_filename, frame.f_lineno, frame.f_globals, local)
    return PyStruct(cls, where)


def _class_lines(s: PyStruct):
    """(lines, first line number) of the class, as `inspect.getsourcelines`
    gives them; found through the decorating frame when inspect cannot."""
    import ast
    import inspect
    import linecache
    try:
        lines, first = inspect.getsourcelines(s.py_class)
        return lines, first, inspect.getsourcefile(s.py_class)
    except (OSError, TypeError):
        if s.where is None:
            raise
    filename, line = s.where[0], s.where[1]
    text = linecache.getlines(filename)
    try:
        tree = ast.parse("".join(text))
    except SyntaxError:
        raise OSError("unparsable") from None
    found = [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and
             n.name == s.py_class.__name__]
    if not found:
        raise OSError("not found")

    def start(n):
        return min([n.lineno] + [d.lineno for d in n.decorator_list])
    node = min(found, key=lambda n: (not start(n) <= line <= n.lineno, abs(n.lineno - line)))
    return text[start(node) - 1:node.end_lineno], start(node), filename


# ------------------------------------------------------------------ reading a class
def read_struct(s: PyStruct):
    """The class as a `syntax.StructDef` whose spans point into its .py file."""
    import ast

    from .errors import CompileError, UserError
    from .parser import parse
    from .source import Source
    cls = s.py_class
    name = cls.__qualname__
    try:
        lines, first, filename = _class_lines(s)
    except (OSError, TypeError):
        raise CompileError([UserError(
            f"cannot read the source of struct '{name}'", None,
            hint="@mojolite.struct reads the class back from its .py file; classes made at an "
                 "interactive prompt or by exec() cannot be compiled: use mojolite.compile(text)"
        )]) from None
    filename = filename or "<unknown>"
    node, head = parse_definition(lines)
    if not isinstance(node, ast.ClassDef) or node.name != cls.__name__:
        raise CompileError([UserError(
            f"the source of struct '{name}' in {filename} does not match the running code",
            None, hint="the file changed since it was imported: reload it")])
    shift = 1 if head else 0
    header = node.lineno - 1 - shift
    body_start = node.body[0].lineno - 1 - shift
    if body_start <= header:
        raise CompileError([UserError(
            f"struct '{name}': put the class body on its own lines", None)])
    blank = ["".join(" " if c not in "\r\n" else c for c in line) for line in lines]
    pad = lines[header][:len(lines[header]) - len(lines[header].lstrip(" \t"))]
    text_lines = blank[:header] + [f"{pad}struct {cls.__name__}:\n"] + \
        blank[header + 1:body_start]
    unquoted = unquote_annotations(node, lines, shift)
    source = Source(filename, head + "".join(text_lines + unquoted[body_start:]),
                    first - 1 - shift, python=True,
                    shown=head + "".join(text_lines + lines[body_start:]))
    module = parse(source)
    structdef = module.body[0].body[0] if head else module.body[0]
    return source, structdef


# ------------------------------------------------------------------ Python spellings
def python_spellings(structdef, marker):
    """Rewrite the class spellings into the language's: Param fields → struct
    parameters, `self: Mut` → `mut self`, `__init__`'s self → `out self`,
    and `@value` when there is no `__init__` (quoted annotations are unquoted
    in the text: `unquote_annotations`).
    `marker(name)` is the mojolite marker a name stands for, or None."""
    import dataclasses

    from . import syntax as S
    from .errors import UserError
    ct, body = list(structdef.ct_params), []
    for st in structdef.body:
        ann = st.type if isinstance(st, S.VarDecl) else None
        if isinstance(ann, S.Subscript) and isinstance(ann.value, S.Name) and \
                (m := marker(ann.value.id)) is not None and m.name == "Param":
            if len(ann.args) != 1 or ann.kwargs:
                raise_user(UserError("Param[...] takes one type", ann.span,
                                     hint="e.g. `dtype: Param[DType]`"))
            ct.append(S.CtParam(st.name, ann.args[0], st.value, span=st.span))
            continue
        if isinstance(st, S.FnDef):
            st = _method(st, marker)
        body.append(st)
    decorators = tuple(structdef.decorators)
    if not any(isinstance(st, S.FnDef) and st.name == "__init__" for st in body):
        decorators += (S.Decorator("value", (), span=structdef.name_span),)
    node = dataclasses.replace(structdef, ct_params=tuple(ct), body=tuple(body),
                               decorators=decorators)
    return node


_SELF_CONVENTIONS = {"Mut": "mut", "Inout": "mut", "Out": "out", "Owned": "owned"}


def _method(fndef, marker):
    """A method's Python spellings; like a kernel, it may raise (Python `def`)."""
    import dataclasses

    from . import syntax as S
    fndef = dataclasses.replace(fndef, raises=True)
    if not fndef.params or fndef.params[0].name != "self":
        return fndef
    p = fndef.params[0]
    conv = p.convention
    if isinstance(p.type, S.Name) and (m := marker(p.type.id)) is not None and \
            m.name in _SELF_CONVENTIONS:
        conv = S.CONVENTION_SPELLINGS[_SELF_CONVENTIONS[m.name]]
        p = dataclasses.replace(p, type=None, convention=conv)
    elif fndef.name == "__init__" and conv is S.Convention.READ and p.type is None:
        p = dataclasses.replace(p, convention=S.Convention.OUT)
    if p is fndef.params[0]:
        return fndef
    return dataclasses.replace(fndef, params=(p,) + tuple(fndef.params[1:]))


# ------------------------------------------------------------------ units
def add_struct(unit, s: PyStruct) -> str:
    """Add the struct to a kernel unit being built (once); its unit-wide name."""
    key = id(s)
    if key in unit.kernels:
        return unit.kernels[key]
    source, structdef = _parsed(s)
    name, _ = unit.bind(structdef.name, ("struct", key))
    unit.kernels[key] = name
    resolver = _StructResolver(unit, s, structdef)
    node = python_spellings(structdef, resolver.marker)
    resolver.fndef = node
    resolver.own_params = {c.name for c in node.ct_params}
    node = resolver.run()
    if node.name != name:
        import dataclasses
        node = dataclasses.replace(node, name=name)
    unit.fndefs.append(node)
    return name


def _parsed(s: PyStruct):
    cached = s.__dict__.get("_parsed_def")
    if cached is None:
        cached = s.__dict__["_parsed_def"] = read_struct(s)
    return cached


class _StructResolver(_Resolver):
    """A kernel's resolver, with the class's module globals as its scope."""

    def __init__(self, unit, s: PyStruct, structdef):
        import sys
        self.unit, self.function, self.fndef, self.top = unit, None, structdef, False
        module = sys.modules.get(s.py_class.__module__)
        self.closure, self.dotted = set(), {}
        if s.where is not None:
            self.scope = dict(s.where[2])
            self.scope.update(s.where[3] or {})
            self.closure = set(s.where[3] or {})
        else:
            self.scope = dict(vars(module)) if isinstance(module, types.ModuleType) else {}
        self.own_params: set[str] = set()

    def resolve(self, name: str, use):
        if name in self.own_params or name == "Self":
            return None
        return super().resolve(name, use)

"""Compile-time parameters a call from Python infers from its arguments.

In: a generic kernel's `FnDef` (or only its declarations, read off Python's own
`ast` of the def by `declarations`, so that a process whose instances are all
in the disk cache never loads the language's parser) and the Python arguments
of a call. Out: an `Inference`, whose `dispatcher` picks (and compiles once)
the instance those arguments' types give: `gsum(np.arange(3.0))` calls
`gsum[DType.float64]`. The matching of declared types against argument types
is the checker's own (`matching.match_type`).
"""
from __future__ import annotations

import sys

from .kernel import definition_lines, shown_name
from .markers import CONVENTIONS, MARKERS, Marker, spell

_NOT_GIVEN = object()

class Inference:
    """How a call from Python gives a generic function the compile-time
    parameters it is not given in brackets and that have no default: as a call
    in the language does (`matching.match_type`, the checker's own matching of
    declared parameter types against argument types), against the types the
    Python arguments stand for (`python_type`). NumPy arrays and scalars fix a
    DType; Python's int, float and bool (Int64, Float64, Bool) give one only
    where nothing else does, so `scale(a32, 2.0)` is the float32 instance."""

    def __init__(self, fndef, given: tuple, missing: list):
        from . import syntax as S
        self.fndef, self.given, self.missing = fndef, given, missing
        # (position or None for keyword-only, name, declared type, is SIMD[...])
        self.relevant = []
        for i, p in enumerate(fndef.passed):
            if p.type is not None and not p.variadic and S.names_in(p.type) & set(missing):
                head = _head(p.type)
                self.relevant.append((None if p.keyword_only else i, p.name, p.type,
                                      head == "SIMD"))

    @classmethod
    def of(cls, fndef, params) -> "Inference | None":
        """The plan for `fndef` given `params` (None: none), or None where its
        parameters are all given or defaulted, or some appear in no parameter's
        type (that call is the error `_python_entry` reports)."""
        given = tuple(params or ())
        missing = [c.name for c in fndef.ct_params[len(given):] if c.default is None]
        if not missing:
            return None
        from . import syntax as S
        mentioned = set()
        for p in fndef.passed:
            if p.type is not None:
                mentioned |= S.names_in(p.type)
        return cls(fndef, given, missing) if set(missing) <= mentioned else None

    def key(self, args, kwargs) -> tuple:
        """What of the arguments decides the instance (cheap: read on every call)."""
        n, key = len(args), []
        for i, name, _, simd in self.relevant:
            v = args[i] if i is not None and i < n else kwargs.get(name, _NOT_GIVEN)
            dtype = getattr(v, "dtype", None)
            if dtype is not None:       # an array's dtype (and, for SIMD, length) or a scalar's
                key.append((type(v), dtype, getattr(v, "shape", None) if simd else
                            getattr(v, "ndim", None) == 0))
            elif simd and type(v) in (list, tuple):
                key.append(tuple(map(type, v)))
            else:
                key.append(type(v))
        return tuple(key)

    def params(self, args, kwargs) -> tuple:
        """The full parameter tuple (given, then inferred) for these arguments;
        a TypeError naming the parameter where the arguments give none or two."""
        from .matching import match_type
        from .typesys import DType
        promoted = [DType.bool, DType.int64, DType.float64]    # Python's bool < int < float
        name = shown_name(self.fndef.name)
        found: dict[str, list] = {}      # parameter → [(value, weak, argument)]
        n = len(args)
        for i, arg, type_node, simd in self.relevant:
            got = python_type(args[i] if i is not None and i < n else
                              kwargs.get(arg, _NOT_GIVEN), simd)
            if got is None:
                continue
            bound: dict = {}
            match_type(type_node, got[0], self.missing, bound)
            for ct, value in bound.items():
                found.setdefault(ct, []).append((value, got[1], arg))
        values = {}
        for ct in self.missing:
            candidates = found.get(ct, [])
            strong = [c for c in candidates if not c[1]]
            distinct = list(dict.fromkeys(c[0] for c in strong or candidates))
            if len(distinct) > 1 and not strong and all(v in promoted for v in distinct):
                distinct = [max(distinct, key=promoted.index)]    # 2 and 1.5: float64
            if len(distinct) > 1:
                firsts = [next(c for c in strong or candidates if c[0] == v)
                          for v in distinct[:2]]
                given = " and ".join(f"{_shown_value(v)} from argument '{a}' "
                                     f"({self.describe(a, args, kwargs)})"
                                     for v, _, a in firsts)
                raise TypeError(f"{name}(): compile-time parameter '{ct}' is ambiguous: "
                                f"{given}; give it in brackets: {name}[...](...)")
            if not distinct:
                from .syntax import names_in
                uses = [a for _, a, t, _ in self.relevant if ct in names_in(t)]
                if all(self.describe(a, args, kwargs) == "not given" for a in uses):
                    from .api import _missing_arguments
                    raise _missing_arguments(name, uses, [a for i, a, _, _ in self.relevant
                                                          if i is None])
                said = ", ".join(f"'{a}' ({self.describe(a, args, kwargs)})" for a in uses)
                raise TypeError(f"{name}(): cannot infer compile-time parameter '{ct}' from "
                                f"argument{'s' * (len(uses) > 1)} {said}; pass a NumPy array "
                                f"or scalar of the type, or give it in brackets: "
                                f"{name}[...](...)")
            values[ct] = _marker_of(distinct[0])
        full, last = list(self.given), max(i for i, c in enumerate(self.fndef.ct_params)
                                           if c.name in values)
        for c in self.fndef.ct_params[len(full):last + 1]:
            if c.name not in values:        # a default before an inferred one (keyword-only)
                raise TypeError(f"{name}(): give its compile-time parameters in brackets: "
                                f"{name}[...](...)")
            full.append(values[c.name])
        return tuple(full)

    def describe(self, arg: str, args, kwargs) -> str:
        from .api import describe_value
        for i, name, _, _ in self.relevant:
            if name == arg:
                value = args[i] if i is not None and i < len(args) else \
                    kwargs.get(name, _NOT_GIVEN)
                return "not given" if value is _NOT_GIVEN else describe_value(value)
        return "?"

    def dispatcher(self, make, own_error=None):
        """A `__call__` that calls `make(params)` (the instance, compiled) for
        the parameters the arguments' types give, once per those types.
        `own_error()`: where an instance does not compile, the error of the
        generic function itself (None: it has none), raised as it is."""
        table: dict = {}
        key_of, params_of = self.key, self.params

        def call(*args, **kwargs):
            key = key_of(args, kwargs)
            inst = table.get(key)
            if inst is None:
                from .errors import CompileError
                params = params_of(args, kwargs)
                try:
                    inst = make(params)
                except CompileError as e:
                    own = own_error() if own_error is not None else None
                    if own is not None:
                        raise own.with_traceback(None) from None
                    raise self.refused(params, e) from None
                table[key] = inst
            return inst(*args, **kwargs)
        call.__name__ = call.__qualname__ = shown_name(self.fndef.name)
        return call

    def refused(self, params: tuple, error) -> TypeError:
        """The TypeError for an inferred instance that does not compile."""
        name = shown_name(self.fndef.name)
        inferred = [(c.name, p) for c, p in zip(self.fndef.ct_params, params)
                    if c.name in self.missing]
        said = ", ".join(f"'{n}' as {spell(p)}" for n, p in inferred)
        return TypeError(f"{name}(): the arguments give compile-time parameter"
                         f"{'s' * (len(inferred) > 1)} {said}, and "
                         f"{name}[{', '.join(spell(p) for p in params)}] does not "
                         f"compile:\n{error}")


def declarations(kernel):
    """`kernel`'s parameters as its `FnDef` gives the inference (names, declared types,
    compile-time ones, which have defaults) read from Python's own parse of the def,
    without its body; None where the def is not plain enough to be sure of the same
    reading as the language's parser (the caller then parses it)."""
    cached = kernel.__dict__.get("_declared", False)
    if cached is False:
        try:
            cached = _read_declarations(kernel.py_function)
        except _NotPlain:
            cached = None
        kernel.__dict__["_declared"] = cached
    return cached


class _NotPlain(Exception):
    pass


def _read_declarations(fn):
    import ast
    found = definition_lines(fn)
    if found is None:
        return None
    lines, _ = found
    indent = len(lines[0]) - len(lines[0].lstrip(" \t")) if lines else 0
    try:
        tree = ast.parse(("if True:\n" if indent else "") + "".join(lines))
    except SyntaxError:
        return None
    top = tree.body[0] if tree.body else None
    top = top.body[0] if isinstance(top, ast.If) and top.body else top
    a = getattr(top, "args", None)
    if not isinstance(top, ast.FunctionDef) or getattr(top, "type_params", None) or \
            a.kwarg:
        return None
    scope = dict(fn.__globals__)
    for var, cell in zip(fn.__code__.co_freevars, fn.__closure__ or ()):
        try:
            scope[var] = cell.cell_contents
        except ValueError:
            scope.pop(var, None)

    package = sys.modules[__package__]

    def marker(node):
        """The marker a name (`Tensor`, `mojolite.Tensor`) stands for, as `_Resolver`
        reads it (its own when Python never bound it), else None."""
        if isinstance(node, ast.Name):
            value = scope.get(node.id, MARKERS.get(node.id))
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                scope.get(node.value.id) is package:
            value = MARKERS.get(node.attr)
        else:
            value = None
        return value if isinstance(value, Marker) else None

    every = a.posonlyargs + a.args + ([a.vararg] if a.vararg else []) + a.kwonlyargs
    if not any(isinstance(arg.annotation, ast.Subscript) and
               getattr(marker(arg.annotation.value), "kind", None) == "param" for arg in every):
        return None         # no compile-time parameter: nothing to infer
    from . import syntax as S

    def written(node):
        if isinstance(node, ast.Name):
            return S.Name(node.id)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if scope.get(node.value.id) is package:
                return S.Name(node.attr)
            return S.Attribute(S.Name(node.value.id), node.attr)
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return S.IntLit(node.value)
        if isinstance(node, ast.Subscript):
            m = marker(node.value)
            if m is None or m.kind != "generic":
                raise _NotPlain
            items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            return S.Subscript(S.Name(m.name), tuple(written(i) for i in items), ())
        raise _NotPlain

    has_default = S.EllipsisLit()       # (what the default is, the inference never asks)
    n = len(a.posonlyargs) + len(a.args)
    defaults = [None] * (n - len(a.defaults)) + [has_default] * len(a.defaults) + \
        [None] * (a.vararg is not None) + \
        [None if d is None else has_default for d in a.kw_defaults]
    params, ct = [], []
    for k, (arg, default) in enumerate(zip(every, defaults)):
        ann, conv = arg.annotation, S.Convention.READ
        wrapper = marker(ann.value) if isinstance(ann, ast.Subscript) else None
        if wrapper is not None and wrapper.kind == "param":
            ct.append(S.CtParam(arg.arg, written(ann.slice), default))
            continue
        if wrapper is not None and wrapper.kind == "convention":
            ann, conv = ann.slice, S.CONVENTION_SPELLINGS[CONVENTIONS[wrapper.name]]
        bare = marker(ann) if isinstance(ann, (ast.Name, ast.Attribute)) else None
        if bare is not None and bare.kind in ("param", "convention", "alias"):
            raise _NotPlain         # a bare `Param`, `Mut`, `Alias`: the parser says what
        params.append(S.Param(arg.arg, None if ann is None else written(ann), default, conv,
                              keyword_only=k > n or (k == n and a.vararg is None),
                              positional_only=k < len(a.posonlyargs),
                              variadic=arg is a.vararg))
    return S.FnDef(fn.__name__, tuple(ct), tuple(params), None, True, (), ())


def python_type(value, simd: bool = False):
    """(the language's type a Python argument stands for, whether it is weak:
    a Python number, which gives a DType only where nothing else does), or
    None. A 1-D array or a sequence is a SIMD vector for a `SIMD[...]` parameter."""
    from .typesys import BOOL, DTYPE_NAMES, FLOAT64, INT64, SIMD, STRING, Tensor, scalar
    dtype = getattr(value, "dtype", None)
    if dtype is not None:       # a NumPy array or scalar (np.float64 is a float too)
        dt = DTYPE_NAMES.get(getattr(dtype, "name", None))
        shape = getattr(value, "shape", None)
        if type(value).__module__.split(".")[0] != "numpy" or dt is None or shape is None:
            return None
        if shape == ():
            return scalar(dt), False
        if simd and len(shape) == 1:
            return SIMD(dt, shape[0]), False
        return Tensor(dt), False
    if isinstance(value, bool):
        return BOOL, True
    if isinstance(value, int):
        return INT64, True
    if isinstance(value, float):
        return FLOAT64, True
    if isinstance(value, str):
        return STRING, False
    if simd and isinstance(value, (list, tuple)) and value:
        lanes = [python_type(v) for v in value]
        if all(t is not None and t[0] in (BOOL, INT64, FLOAT64) for t in lanes):
            kinds = {t[0] for t in lanes}
            t = FLOAT64 if FLOAT64 in kinds else INT64 if INT64 in kinds else BOOL
            return SIMD(t.dtype, len(value)), all(t[1] for t in lanes)
    return None


def _marker_of(value):
    """A value `match_type` binds as Python gives it in brackets."""
    from .typesys import DType
    if isinstance(value, DType):
        return getattr(MARKERS["DType"], value.value, None) or Marker(str(value), "dtype")
    if isinstance(value, (int, bool)):
        return value
    return Marker(str(value), "type")


def _shown_value(value) -> str:
    return spell(_marker_of(value))


def _head(type_node) -> str | None:
    from . import syntax as S
    if isinstance(type_node, S.Subscript) and isinstance(type_node.value, S.Name):
        return type_node.value.id
    return None

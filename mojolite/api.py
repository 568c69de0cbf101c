"""The pipeline as one short function, and the Python-facing module object.

    source → parse → typecheck → (reference | lower → verify → optimise → JIT)

In: program text (or a path). Out: a `Module` whose functions run either in
the reference interpreter or as machine code, and whose stages can be dumped.
Every user-visible failure leaves here as a `MojoliteError` subclass with the
compiler's own traceback suppressed (set MOJOLITE_DEBUG=1 to keep it).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from . import typed as T
from .errors import (CompileError, InternalError, MojoliteError, RuntimeFault, UserError,
                     debug_enabled)
from .source import Source


@dataclass
class Options:
    opt: int = 3
    reference: bool = False
    entries: tuple[str, ...] | None = None   # functions callable from Python; None = all


@dataclass
class Timings:
    """Milliseconds per stage, in pipeline order."""
    stages: dict[str, float] = field(default_factory=dict)

    def add(self, stage: str, seconds: float):
        self.stages[stage] = self.stages.get(stage, 0.0) + seconds * 1000.0

    def report(self) -> str:
        rows = [f"  {name:<14}{ms:8.2f} ms" for name, ms in self.stages.items()]
        total = sum(ms for name, ms in self.stages.items() if name != "imports")
        return ("compile timings:\n" + "\n".join(rows) +
                f"\n  {'total':<14}{total:8.2f} ms  (compile, after imports)")


class _timed:
    def __init__(self, timings: Timings | None, stage: str):
        self.timings, self.stage = timings, stage

    def __enter__(self):
        self.t0 = time.perf_counter()

    def __exit__(self, *exc):
        if self.timings is not None:
            self.timings.add(self.stage, time.perf_counter() - self.t0)


def import_pipeline(timings: Timings | None = None):
    """Load what every compile needs (Lark and its grammar tables, llvmlite and
    the host target) up front, so that stage timings measure compiling alone."""
    with _timed(timings, "imports"):
        from . import jit, parser, typecheck  # noqa: F401
        from .codegen import lower  # noqa: F401
        from .target import host
        parser._lark()
        host()


def front_end(source: Source, timings: Timings | None = None):
    """parse → typecheck. Returns (syntax tree, typed program)."""
    from .parser import parse
    from .typecheck import typecheck
    with _timed(timings, "parse"):
        tree = parse(source)
    with _timed(timings, "check"):
        program = typecheck(tree, source)
    return tree, program


class Module:
    """A compiled program: call its functions by name from Python."""

    def __init__(self, source: Source, options: Options, timings: Timings | None = None):
        self.source = source
        self.options = options
        self.timings = timings
        self.tree, self.program = _user_facing(front_end, source, timings)
        self._jit = None
        self._lowered = None

    # -- back ends
    def lowered(self):
        if self._lowered is None:
            self._lowered = _user_facing(self._lower)
        return self._lowered

    def _lower(self):
        from .codegen.lower import lower_module
        with _timed(self.timings, "lower"):
            return lower_module(self.program, entries=self.options.entries)

    def jit(self):
        if self._jit is None:
            self._jit = _user_facing(self._compile)
        return self._jit

    def _compile(self):
        from .jit import compile_ir
        jit = compile_ir(self.lowered(), opt=self.options.opt)
        if self.timings is not None:
            for stage, ms in jit.timings.items():
                if stage != "lower":           # measured here already, around lower_module
                    self.timings.stages[stage] = self.timings.stages.get(stage, 0.0) + ms
        return jit

    def call(self, name: str, args: list):
        fn = self.program.get(name)
        if fn is None:
            raise UserError(f"no function named '{name}'", self.source.span(0, 0))
        return _user_facing(self._call, fn, convert_arguments(fn, args))

    def _call(self, fn: T.Function, args: list):
        if self.options.reference:
            from . import reference
            return reference.run(self.program, fn.name, args)
        ok, value, site = self.jit().entry(fn.symbol)(args)
        if not ok:
            span, message = self.lowered().sites[site]
            raise RuntimeFault(message, span)
        return value

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        program = self.__dict__.get("program")
        if program is None or program.get(name) is None:
            raise AttributeError(f"mojolite module has no function '{name}'")
        return lambda *args: self.call(name, list(args))


def convert_arguments(fn: T.Function, args: list) -> list:
    """Python values → the values `fn`'s parameters hold, defaults filled in.

    A wrong count, a wrong kind of value or an integer out of range is a
    TypeError that names the function, the parameter, what was expected and
    what was given."""
    import operator

    from .semantics import round_to
    from .typesys import SIMD, DType
    params = fn.params
    n_required = len(params) - len(fn.defaults)
    if not n_required <= len(args) <= len(params):
        want = (f"{len(params)}" if n_required == len(params)
                else f"{n_required} to {len(params)}")
        raise TypeError(f"{fn.name}() takes {want} argument{'s' * (len(params) != 1)}, "
                        f"but {len(args)} {'was' if len(args) == 1 else 'were'} given")
    out = []
    for i, p in enumerate(params):
        if i >= len(args):
            out.append(fn.defaults[i - n_required])
            continue
        value, t = args[i], p.type
        where = f"{fn.name}(): parameter '{p.name}' expects {t}"
        given = f"got {type(value).__name__} {value!r}"[:120]
        if not isinstance(t, SIMD) or t.width != 1:
            raise TypeError(f"{where}, which cannot be passed from Python yet")
        if t.dtype is DType.bool:
            if not isinstance(value, bool) and type(value).__name__ != "bool_":
                raise TypeError(f"{where}, {given}")
            out.append(bool(value))
        elif t.dtype.is_float:
            if isinstance(value, bool) or not isinstance(value, (int, float)) and \
                    not hasattr(value, "__float__"):
                raise TypeError(f"{where}, {given}")
            try:
                out.append(round_to(float(value), t.dtype))
            except OverflowError:
                raise TypeError(f"{where}, {given} (too large for a float)") from None
        else:
            try:
                if isinstance(value, bool):
                    raise TypeError
                v = operator.index(value)
            except TypeError:
                raise TypeError(f"{where}, {given}") from None
            lo, hi = t.dtype.int_range
            if not lo <= v <= hi:
                raise TypeError(f"{where} ({lo} to {hi}), {given}: out of range")
            out.append(v)
    return out


# The checker and the lowering recurse once per nesting level of an expression;
# a flat `a + b + ... ` of a few thousand terms nests that deep.
_COMPILER_RECURSION_LIMIT = 12000


def _user_facing(fn, *args):
    """Run a pipeline step; anything but a user error is an internal error."""
    import sys
    saved = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(max(saved, _COMPILER_RECURSION_LIMIT))
        return fn(*args)
    except MojoliteError:
        raise
    except RecursionError:
        raise InternalError("internal compiler error: the program nests too deeply for the "
                            "compiler's recursion limit") from None
    except Exception as e:
        if debug_enabled():
            raise
        raise InternalError(f"internal compiler error: {type(e).__name__}: {e}\n"
                            "  = note: this is a bug in mojolite, not in your program; "
                            "set MOJOLITE_DEBUG=1 to see the compiler's traceback") from None
    finally:
        sys.setrecursionlimit(saved)


def compile(text: str, name: str = "<string>", *, opt: int = 3,
            reference: bool = False) -> Module:
    """Compile program text; its functions become callable attributes."""
    return Module(Source(name, text), Options(opt=opt, reference=reference))


def load(path: str | Path, *, opt: int = 3, reference: bool = False) -> Module:
    p = Path(path)
    return Module(Source(str(path), read_source(p)), Options(opt=opt, reference=reference))


def read_source(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise MojoliteError(f"error: cannot read {path}: {e.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise MojoliteError(f"error: {path} is not UTF-8 text (byte {e.start} is "
                            f"0x{data[e.start]:02x})") from None


__all__ = ["compile", "load", "Module", "Options", "Timings", "CompileError", "RuntimeFault"]

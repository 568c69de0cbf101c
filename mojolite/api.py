"""The pipeline as one short function, and the Python-facing module object.

    source → parse → typecheck → (reference | lower → verify → optimise → JIT)

In: program text (or a path), or an already parsed `syntax.Module` with its
`Source` (what `@mojolite.fn` builds from Python functions). Out: a `Module`
whose functions run either in the reference interpreter or as machine code
(each compiled on its first call with what it reaches: `Module.unit`), and
whose stages can be dumped (a call that only some runs make, to a function
that loops, is linked lazily: compiled on its first call, `codegen/lazylink.py`).
Its functions are Python callables (`module.fib(30)`): Python int/float/bool
become scalars (checked against the parameter's type and range), NumPy arrays
become `Tensor` views (dtype, rank, strides and writability checked); results
come back as Python scalars or NumPy arrays. Every user-visible failure leaves
here as a `MojoliteError` subclass (or a `TypeError` for a bad argument) with
the compiler's own traceback suppressed (set MOJOLITE_DEBUG=1 to keep it).
"""
from __future__ import annotations

import _thread
import copy
import functools
import gc
import os
import time
from typing import TYPE_CHECKING

from .errors import (CompileError, InternalError, MojoliteError, OutputRaised, RuntimeFault,
                     SourceFileError, UserError, debug_enabled, recursion_limit, shown_int)
from .kernel import BUILDING, checked_opt, shown_name
from .source import Source, Span

if TYPE_CHECKING:      # annotations only: a module loaded from the cache needs no typed tree
    from . import typed as T


def lazy_default() -> bool:
    """MOJOLITE_LAZY=0 compiles everything a function reaches with it, up front."""
    return os.environ.get("MOJOLITE_LAZY", "") != "0"


class Options:
    """How a program is compiled. Compared by value; `replace` gives a changed
    copy. (Not a dataclass: a warm cache load then never imports `dataclasses`.)"""
    __slots__ = ("opt", "reference", "entries", "boundscheck", "fastmath", "lazy", "root")

    def __init__(self, opt: int = 3, reference: bool = False,
                 entries: tuple[str, ...] | None = None, boundscheck: bool = True,
                 fastmath: bool = False, lazy: bool | None = None, root: str | None = None):
        self.opt = opt
        self.reference = reference
        self.entries = entries              # functions callable from Python; None = all
        self.boundscheck = boundscheck      # Tensor/List indices checked at run time
        self.fastmath = fastmath            # let LLVM reassociate float arithmetic
        self.lazy = lazy_default() if lazy is None else lazy    # lazily linked calls
        self.root = root                    # a lazily linked unit: its function's symbol

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def replace(self, **changes) -> "Options":
        return Options(**{**dict(zip(self.__slots__, self._values())), **changes})

    def __eq__(self, other):
        if other.__class__ is not Options:
            return NotImplemented
        return self._values() == other._values()

    __hash__ = None

    def __repr__(self) -> str:
        return "Options(" + ", ".join(f"{k}={v!r}" for k, v in
                                      zip(self.__slots__, self._values())) + ")"


def reference_default() -> bool:
    """MOJOLITE_REFERENCE=1 runs Python-called code in the reference interpreter."""
    return os.environ.get("MOJOLITE_REFERENCE", "") not in ("", "0")


class Timings:
    """Milliseconds per stage, in pipeline order. One made for MOJOLITE_TIMINGS
    (`requested_timings`) reports itself at each `flush`."""

    def __init__(self, flushes: bool = False):
        self.stages: dict[str, float] = {}
        self.flushes = flushes

    def add(self, stage: str, seconds: float):
        self.stages[stage] = self.stages.get(stage, 0.0) + seconds * 1000.0

    def report(self, title: str = "compile timings") -> str:
        rows = [f"  {name:<14}{ms:8.2f} ms" for name, ms in self.stages.items()]
        total = sum(ms for name, ms in self.stages.items() if name != "imports")
        return (f"{title}:\n" + "\n".join(rows) +
                f"\n  {'total':<14}{total:8.2f} ms  (compile, after imports)")

    def flush(self, what: str) -> None:
        """MOJOLITE_TIMINGS: write what was timed since the last flush, for `what`."""
        if self.flushes and self.stages:
            import sys
            sys.stderr.write(self.report(f"mojolite: timings of {what}") + "\n")
            self.stages.clear()


def requested_timings() -> Timings | None:
    """With MOJOLITE_TIMINGS=1, a `Timings` that reports each compile the Python
    API makes (a file's front end, each function's first call, each kernel's
    build) to stderr, as `mojolite run --timings` does for a program."""
    if os.environ.get("MOJOLITE_TIMINGS", "") in ("", "0"):
        return None
    return Timings(flushes=True)


class _timed:
    """A compile stage: timed into `timings` (if any), with Python's cyclic garbage
    collector paused. The front end makes some 10^5 short-lived objects, and the
    collections they trigger walk every object the imports made (Lark's tables,
    llvmlite): about 10 of gd.ml's 50 ms parse. What the stage leaves for the
    collector is collected after it, as usual."""
    def __init__(self, timings: Timings | None, stage: str):
        self.timings, self.stage = timings, stage

    def __enter__(self):
        self.collecting = gc.isenabled()    # False inside an outer stage: it re-enables
        gc.disable()
        self.t0 = time.perf_counter()

    def __exit__(self, *exc):
        if self.timings is not None:
            self.timings.add(self.stage, time.perf_counter() - self.t0)
        if self.collecting:
            gc.enable()


def import_pipeline(timings: Timings | None = None):
    """Load what every compile needs (Lark and its grammar tables, llvmlite and
    the host target) up front, so that stage timings measure compiling alone."""
    with _timed(timings, "imports"):
        from . import jit, parser, typecheck  # noqa: F401
        from .codegen import lower  # noqa: F401
        from .target import host
        parser._lark()
        host()


def front_end(source: Source, timings: Timings | None = None, tree=None):
    """parse → typecheck. Returns (syntax tree, typed program); a given `tree`
    is checked as it is (its spans may point into other sources too)."""
    from .parser import parse
    from .typecheck import typecheck
    if tree is None:
        with _timed(timings, "parse"):
            tree = parse(source)
    with _timed(timings, "check"):
        program = typecheck(tree, source)
    return tree, program


def _from_the_caller(fn):
    """`fn` raising its MojoliteError as if from the caller's line: the compiler's
    own frames are no use to a user reading a compile error (as for Python's
    `compile`, whose SyntaxError shows no frames inside it)."""
    @functools.wraps(fn)
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except MojoliteError as e:
            raise e.with_traceback(None) from None
    return call


class Module:
    """A compiled program: call its functions by name from Python.

    `Module(source, options)` parses `source`; `Module(source, options,
    tree=...)` checks a syntax tree built elsewhere (`@mojolite.fn`), with
    `source` the file the program is named after."""

    def __init__(self, source: Source, options: Options, timings: Timings | None = None,
                 tree=None):
        self.source = source
        self.options = options
        self.timings = timings
        if not options.reference and "parallelize" in source.text:
            from .codegen.pool import prepare_runtime
            prepare_runtime()           # compiled beside the front end, on the other core
        self.tree, self.program = _user_facing(front_end, source, timings, tree)
        self._jit = None
        self._lowered = None
        self._callables: dict[tuple[str, bool], object] = {}
        self._units: dict[str, object] = {}
        self._annotated = None     # the copy the dumps compile (`annotated`)
        self.cache_slot = None     # set by `cache` when the machine code is to be stored

    debug_info = False             # lower with source locations (only `annotated` copies)
    linker = None                  # the `Linker` of the program a lazily linked unit is of

    def full(self) -> "Module":
        """This module with its trees and IR (one loaded from the disk cache
        has only signatures and machine code: it compiles again, once)."""
        return self

    # -- back ends
    def lowered(self):
        if self._lowered is None:
            self._lowered = _user_facing(self._lower, where=self.source)
        return self._lowered

    def _lower(self):
        from .codegen.lower import lower_module
        o = self.options
        with _timed(self.timings, "lower"), recursion_limit(_LOWERING_RECURSION_LIMIT):
            return lower_module(self.program, entries=o.entries, boundscheck=o.boundscheck,
                                fastmath=o.fastmath, debug_info=self.debug_info,
                                lazy=o.lazy and not self.debug_info, root=o.root)

    def jit(self):
        if self._jit is None:
            self._jit = _user_facing(self._compile, where=self.source)
        jit = self._jit
        if jit.linker is None and (self.linker is not None or jit.lowered.lazy):
            from .codegen.lazylink import Linker
            (self.linker or Linker(self)).attach(jit)
        return jit

    def home_slot(self):
        """The disk-cache slot this unit's code is stored under (None: not cached)."""
        return self.cache_slot

    def lazy_unit(self, callee: str, linker):
        """The compiled unit of `callee` (a symbol), which a lazily linked call
        of this unit's program reached: from the disk cache when it holds it."""
        from .cache import lazy_module
        from .codegen.lazylink import shown
        unit = lazy_module(self, callee, linker)
        jit = unit.jit()
        if self.timings is not None:
            self.timings.flush(f"{shown(callee)}, linked on its first call ({self.source.name})")
        return jit

    def _compile(self):
        from .jit import compile_ir
        jit = compile_ir(self.lowered(), opt=self.options.opt,
                         keep_object=self.cache_slot is not None)
        if self.timings is not None:
            for stage, ms in jit.timings.items():
                if stage != "lower":           # measured here already, around lower_module
                    self.timings.stages[stage] = self.timings.stages.get(stage, 0.0) + ms
        if self.cache_slot is not None:
            from .cache import store
            with _timed(self.timings, "cache store"):
                store(self.cache_slot, self.lowered(), jit)
        return jit

    def unit(self, name: str):
        """The machine code Python calls `name` through. A module compiled for
        given `entries` (`mojolite run`, a kernel) is one unit. Otherwise each
        function is its own unit, compiled on its first call with only what it
        reaches, and cached under its own key: loading a file of many kernels
        costs only the ones used."""
        if self.options.entries is not None:
            return self.jit()
        jit = self._units.get(name)
        if jit is None:
            from .cache import unit_module
            jit = self._units[name] = _user_facing(lambda: unit_module(self, name).jit(),
                                                   where=self.source)
        return jit

    def with_entries(self, entries: tuple[str, ...]) -> "Module":
        """This checked program, to be compiled for `entries` only."""
        return self._recompiled(self.options.replace(entries=entries))

    def annotated(self) -> "Module":
        """This program compiled again with debug locations, for the dumps that
        show source lines beside the IR and assembly (`dump_stage`); the code
        that runs is compiled without them. Made once, never cached on disk."""
        if self._annotated is None:
            self._annotated = self._recompiled(self.options)
            self._annotated.debug_info = True
        return self._annotated

    def _recompiled(self, options: Options) -> "Module":
        """A copy sharing the checked program, with nothing lowered or compiled."""
        unit = copy.copy(self.full())
        unit.options = options
        unit._jit = unit._lowered = unit._annotated = None
        unit._callables, unit._units, unit.cache_slot, unit.linker = {}, {}, None, None
        return unit

    def call(self, name: str, args: list, kwargs: dict | None = None):
        """One call by name (as `mojolite run` makes): skips building the native
        entry, which pays off only over many calls."""
        return self.function(name, native=False)(*args, **(kwargs or {}))

    def function(self, name: str, native: bool = True):
        """Function `name` as a Python callable (built once, then cached; threads
        making the first call together wait for one build, not one each)."""
        cached = self._callables.get((name, native))
        if cached is not None:
            return cached
        with BUILDING:
            cached = self._callables.get((name, native))
            return cached if cached is not None else self._build_function(name, native)

    @_from_the_caller           # the slow path only: `function` runs on every `m.f`
    def _build_function(self, name: str, native: bool):
        fn = self.program.get(name)
        if fn is None:
            raise UserError(f"no function named '{name}'", self.source.span(0, 0))
        overloads = [f for f in self.program.functions if f.name == name]
        if len(overloads) > 1:
            call = self._callables[(name, native)] = self._overloaded(overloads, native)
            return call
        if _struct_signature(fn):
            call = _struct_refusal(fn)
        elif self.options.reference:
            call = _user_facing(self._reference_caller, fn, where=self.source)
        else:
            jit = self.unit(name)
            with _timed(self.timings, "python caller"):
                call = _user_facing(jit.caller, fn, lambda args: convert_arguments(fn, args),
                                    lambda args, kwargs: bind_keywords(fn, args, kwargs),
                                    jit.fault, native)
        self._callables[(name, native)] = call
        if hasattr(call, "on_native"):      # `pycall.tiered`: its native caller comes later
            call.on_native.append(lambda fast, ms: self._native_built(name, fast, ms))
        if self.timings is not None:        # an overload's symbol shows as `f(Float64)`
            self.timings.flush(f"{name.removeprefix('ml.')} ({self.source.name})")
        return call

    def _overloaded(self, fns: list, native: bool):
        """A caller of an overloaded function: the overload that the Python
        arguments fit best (`pick_overload`), each built on its first call."""
        def call(*args, **kwargs):
            fn = pick_overload(fns, args, kwargs)
            return self.function(fn.symbol, native)(*args, **kwargs)
        call.__name__ = call.__qualname__ = shown_name(fns[0].name)
        return call

    def _native_built(self, name: str, fast, ms: float):
        self._callables[(name, True)] = fast
        if self.timings is not None:
            self.timings.add("native caller", ms / 1e3)
            self.timings.flush(f"{name}'s native caller ({self.source.name})")

    def _reference_caller(self, fn: T.Function):
        from . import reference
        program, name = self.program, fn.name

        from .pycall import result_kind, shown_result
        cannot = result_kind(fn.ret) is None        # as the JIT's caller says, not run

        def call(*args, **kwargs):
            if kwargs or fn.positional is not None or fn.variadic is not None:
                args = bind_keywords(fn, args, kwargs)
            values = convert_arguments(fn, args)
            if cannot:
                raise TypeError(f"{shown_name(name)}() returns {shown_result(fn.ret)}, which "
                                "cannot be returned to Python yet")
            try:
                return _user_facing(reference.run, program, fn.symbol, values)
            except KeyboardInterrupt:   # Ctrl-C: raised at the call, as the JIT's caller does
                raise KeyboardInterrupt from None
            except MojoliteError as e:  # a fault at the call, as the JIT's: no interpreter frames
                if debug_enabled():
                    raise
                raise e.with_traceback(None) from None
        call.__name__ = call.__qualname__ = shown_name(name)
        from .pycall import python_signature
        call.__signature__ = python_signature(fn)
        return call

    def __copy__(self) -> "Module":
        unit = object.__new__(type(self))
        unit.__dict__.update(self.__dict__)
        return unit

    def __deepcopy__(self, memo) -> "Module":
        return self         # compiled code, shared as a copied function shares its code

    def __reduce__(self):
        raise TypeError(f"cannot pickle the mojolite module {self.source.name}: its machine "
                        "code lives in this process; load or compile the program again in "
                        "the other one (kernels, @mojolite.fn, pickle by reference)")

    def __dir__(self):
        """The module's attributes and the program's functions and imports, which
        `__getattr__` gives (`dir(m)`, a shell's completion)."""
        program = self.program
        names = {f.name for f in program.functions} | set(program.names)
        return sorted(set(object.__dir__(self)) | {n for n in names if n.isidentifier()})

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        program = self.__dict__.get("program")
        if program is not None and name in program.names:
            return self.imported(name, name)
        if program is not None and program.get(name) is not None:
            return self.function(name)
        generic = self.generic(name) if program is not None else None
        if generic is None:
            import re
            if re.search(rf"^[ \t]*struct[ \t]+{re.escape(name)}\b", self.source.text, re.M):
                raise AttributeError(f"'{name}' is a struct of this mojolite module, not a "
                                     "function: Python cannot build or take structs yet; "
                                     "call a function that uses it")
            raise AttributeError(f"mojolite module has no function '{name}'")
        return generic

    def imported(self, name: str, shown: str):
        """What `name` (`length`, `geometry.norm`) stands for in the program,
        where an import gave it (`T.Program.names`): a function, or a module
        (`ImportedModule`), spelt `shown` in errors."""
        target = self.program.names.get(name, name)
        if target.endswith("."):
            return ImportedModule(self, target, shown)
        if self.program.get(target) is not None:
            return self.function(target)
        if target.endswith("[]"):
            raise AttributeError(f"'{shown}' is {target[:-2]}, a function with compile-time "
                                 "parameters of an imported module: Python calls those of "
                                 "the program's own file only; wrap the instance you need "
                                 "in a function of it")
        raise AttributeError(f"mojolite module '{shown.rpartition('.')[0]}' has no function "
                             f"'{shown.rpartition('.')[2]}'")

    def generic(self, name: str) -> "GenericFunction | None":
        """Function `name` if it takes compile-time parameters."""
        import re
        if not re.search(rf"^[ \t]*(fn|def)[ \t]+{re.escape(name)}[ \t]*\[", self.source.text,
                         re.M):
            return None         # (no tree needed: a cached module would compile again)
        from . import syntax as S
        for node in self.tree.body:
            if isinstance(node, S.FnDef) and node.name == name and node.ct_params:
                return GenericFunction(self, node)
        return None


class ImportedModule:
    """A module the program imports (`import geometry`), as Python reaches it
    through the program's: `m.geometry.norm(v)` calls geometry.ml's `norm`."""

    def __init__(self, module: Module, prefix: str, shown: str):
        self._module, self._prefix, self._shown = module, prefix, shown

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._module.imported(self._prefix + name, f"{self._shown}.{name}")

    def __repr__(self):
        return f"<mojolite module '{self._prefix[:-1]}' imported by {self._module.source.name}>"


class GenericFunction:
    """A module's function with compile-time parameters, called from Python as a
    generic kernel is: `m.f[3](x)` compiles that instance (once per module and
    spelling), `m.f(x)` the one its parameters' defaults and the arguments'
    types give (`inference.Inference`)."""

    def __init__(self, module: Module, fndef):
        self.module, self.fndef = module, fndef

    def __getitem__(self, params):
        return self.caller(params if isinstance(params, tuple) else (params,))

    def __call__(self, *args, **kwargs):
        return self.caller(None)(*args, **kwargs)

    def caller(self, params: tuple | None):
        """The instance `params` gives, or where the arguments give the rest,
        a caller choosing the instance by their types (one per spelling)."""
        from .inference import Inference
        from .markers import spell
        plan = Inference.of(self.fndef, params)
        if plan is None:
            return self.instance(params)
        spelling = "" if params is None else ", ".join(spell(p) for p in params)
        key = (f"{self.fndef.name}[{spelling}](...)", True)
        with BUILDING:
            call = self.module._callables.get(key)
            if call is None:
                call = self.module._callables[key] = plan.dispatcher(self.instance)
        return call

    @_from_the_caller
    def instance(self, params: tuple | None):
        from .kernel import Unit, _python_entry
        from .markers import spell
        spelling = "" if params is None else ", ".join(spell(p) for p in params)
        key = (f"{self.fndef.name}[{spelling}]", True)
        module = self.module
        with BUILDING:
            call = module._callables.get(key)
            if call is None:
                full = module.full()
                tree, entry = _python_entry(Unit(full.tree, full.source, self.fndef), params)
                unit = Module(full.source, full.options.replace(entries=(entry,)),
                              tree=tree)
                call = module._callables[key] = unit.function(entry)
        return call


def _struct_signature(fn: T.Function) -> bool:
    """Whether `fn` takes or returns a struct, a function or an Error (no entry
    ABI); a tuple of numbers, vectors and Tensors comes back as a Python tuple."""
    from .pycall import result_kind
    from .typesys import ERROR, FnType, Struct, is_tuple

    def unpassable(t):
        return isinstance(t, (Struct, FnType)) or t == ERROR
    if is_tuple(fn.ret) and result_kind(fn.ret) is not None:
        return any(unpassable(p.type) for p in fn.params)
    return any(unpassable(t) for t in [p.type for p in fn.params] + [fn.ret])


def _struct_refusal(fn: T.Function):
    """A caller for a function taking or returning a struct or a function:
    arguments are checked (such a parameter is the TypeError), then the result
    is refused."""
    from .pycall import shown_result
    from .typesys import ERROR, FnType, is_tuple

    def call(*args, **kwargs):
        convert_arguments(fn, bind_keywords(fn, args, kwargs))
        if is_tuple(fn.ret):
            raise TypeError(f"{name}() returns {shown_result(fn.ret)}, which cannot be returned "
                            "to Python yet: a tuple's elements must be numbers, SIMD vectors, Strings, "
                            "Tensors or Lists (of numbers, vectors, Strings or Lists)")
        if isinstance(fn.ret, FnType):
            raise TypeError(f"{name}() returns {fn.ret}, a function, which cannot be returned "
                            "to Python: call it from another kernel")
        if fn.ret == ERROR:
            raise TypeError(f"{name}() returns an Error, which cannot be returned to Python: "
                            "return String(e), or raise it")
        raise TypeError(f"{name}() returns {fn.ret}, a struct, which cannot be returned "
                        "to Python: return its fields, or call it from another kernel")
    call.__name__ = call.__qualname__ = name = shown_name(fn.name)
    from .pycall import python_signature
    call.__signature__ = python_signature(fn)
    return call


def bind_keywords(fn: T.Function, args, kwargs: dict) -> list:
    """Positional and keyword arguments → one positional list (as Python binds
    them; missing trailing parameters are left for the defaults)."""
    names = [p.name for p in fn.params]
    positional = fn.positional
    variadic = fn.variadic
    if variadic is not None:        # `*vals: T`: the rest of the positional arguments, a list
        if names[variadic] in kwargs:
            raise TypeError(f"{shown_name(fn.name)}() got an unexpected keyword argument "
                            f"'{names[variadic]}': pass its values by position")
        if len(args) >= variadic:
            args = [*args[:variadic], list(args[variadic:])]
        elif not kwargs:
            raise _missing_arguments(shown_name(fn.name), names[len(args):variadic])
        positional = None
    if positional is not None and len(args) > positional:     # past a bare `*`
        raise TypeError(f"{shown_name(fn.name)}() takes {positional} positional argument"
                        f"{'' if positional == 1 else 's'} but {len(args)} were given")
    if not kwargs:
        return list(args)
    name = shown_name(fn.name)
    by_position = [key for key in kwargs if key in names[:getattr(fn, "posonly", 0)]]
    if by_position:     # before a `/`
        raise TypeError(f"{name}() got some positional-only arguments passed as keyword "
                        f"arguments: '{', '.join(by_position)}'")
    slots = list(args) + [_MISSING] * (len(names) - len(args))
    for key, value in kwargs.items():
        if key not in names:
            raise TypeError(f"{name}() got an unexpected keyword argument '{key}'")
        i = names.index(key)
        if i < len(args):
            raise TypeError(f"{name}() got multiple values for argument '{key}'")
        slots[i] = value
    from .typesys import REQUIRED, default_of
    if variadic is not None and slots[variadic] is _MISSING:
        slots[variadic] = []
    for i, v in enumerate(slots):
        if v is _MISSING:
            slots[i] = default_of(fn, i)
    missing = [names[i] for i, v in enumerate(slots) if v is REQUIRED]
    if missing:
        raise _missing_arguments(name, missing, _keyword_only(fn))
    return slots


_MISSING = object()


def pick_overload(fns: list, args, kwargs: dict):
    """The overload of `fns` that Python arguments fit best, as the language
    ranks a call's: the candidates that take these arguments; each costs 0
    where the value's own type is the parameter's (int: Int, float: Float64,
    bool: Bool, a NumPy scalar: its dtype), 1 for another type of its kind, 2
    across kinds (an int for a Float64); the cheapest wins. None fits, or a
    tie: a TypeError listing the candidates."""
    from .kernel import signature_of
    costs = []
    for fn in fns:
        try:
            values = bind_keywords(fn, args, kwargs)
            convert_arguments(fn, values)
        except TypeError:
            continue
        costs.append((sum(_python_cost(v, p.type) for v, p in zip(values, fn.params)), fn))
    name = shown_name(fns[0].name)
    given = ", ".join([type(a).__name__ for a in args] +
                      [f"{k}={type(v).__name__}" for k, v in kwargs.items()])
    listed = "; ".join(signature_of(f) for f in fns)
    if not costs:
        raise TypeError(f"{name}() is overloaded, and no overload takes ({given}): "
                        f"the candidates are {listed}")
    best = min(c for c, _ in costs)
    winners = [f for c, f in costs if c == best]
    if len(winners) > 1:
        raise TypeError(f"{name}() is overloaded, and ({given}) fits "
                        + "; ".join(signature_of(f) for f in winners) + " equally well")
    return winners[0]


def _python_cost(value, t) -> int:
    """What passing Python `value` for a parameter of type `t` costs (`pick_overload`)."""
    from .typesys import SIMD, DType
    if not isinstance(t, SIMD):
        return 0            # a str, an array: taken only when its type is right
    dt = t.dtype
    if type(value).__module__ == "numpy" and hasattr(value, "dtype"):
        own = value.dtype.name
        if own == _numpy_name(dt) and t.width == 1:
            return 0
        kind = "float" if "float" in own else "bool" if own == "bool" else "int"
    else:
        kind = "bool" if isinstance(value, bool) else "float" if isinstance(value, float) \
            else "int"
        if t.width == 1 and dt is {"bool": DType.bool, "float": DType.float64,
                                   "int": DType.index}[kind]:
            return 0
    same = dt.is_float if kind == "float" else dt is DType.bool if kind == "bool" else \
        not dt.is_float and dt is not DType.bool
    return 1 if same else 2


def _numpy_name(dt) -> str:
    from .typesys import numpy_dtype
    return numpy_dtype(dt).name


def _missing_arguments(name: str, missing: list[str], keyword_only=()) -> TypeError:
    """Python's TypeError for required parameters left without a value: the
    positional ones if any are missing, else the keyword-only ones (`keyword_only`
    names those), as `kw() missing 1 required keyword-only argument: 'b'`."""
    positional = [m for m in missing if m not in keyword_only]
    kind = "positional" if positional else "keyword-only"
    quoted = [f"'{m}'" for m in (positional or missing)]
    listed = (" and ".join(quoted) if len(quoted) <= 2
              else ", ".join(quoted[:-1]) + ", and " + quoted[-1])
    return TypeError(f"{name}() missing {len(quoted)} required {kind} argument"
                     f"{'s' * (len(quoted) > 1)}: {listed}")


def _keyword_only(fn: T.Function) -> list[str]:
    """The names of `fn`'s parameters that only a keyword gives (after a bare `*`)."""
    return [] if fn.positional is None else [p.name for p in fn.params[fn.positional:]]


def convert_arguments(fn: T.Function, args) -> list:
    """Python values → the values `fn`'s parameters hold, defaults filled in.

    Scalars become Python int/float/bool, a `String` a Python str; a NumPy
    array passed for a `Tensor` is returned as it is, once checked. A wrong
    count, a wrong kind of value, an integer out of range, an array of the
    wrong dtype or rank, or a
    read-only array for a parameter the function writes is a TypeError that
    names the function, the parameter, what was expected and what was given.
    A SIMD vector becomes a NumPy array of its lanes (`_lanes_argument`), a
    List a `ListArgument` (`_list_argument`)."""
    from .typesys import (ERROR, REQUIRED, SIMD, STRING, FnType, ListType, Struct, Tensor,
                          default_of)
    args = list(args)
    params, name = fn.params, shown_name(fn.name)
    n_required = len(params) - len(fn.defaults)
    missing = [p.name for i, p in enumerate(params)
               if i >= len(args) and default_of(fn, i) is REQUIRED]
    if missing:
        raise _missing_arguments(name, missing, _keyword_only(fn))
    if len(args) > len(params):
        want = (f"{len(params)}" if n_required == len(params)
                else f"{n_required} to {len(params)}")
        raise TypeError(f"{name}() takes {want} argument{'s' * (len(params) != 1)}, "
                        f"but {len(args)} {'was' if len(args) == 1 else 'were'} given")
    out = []
    for i, p in enumerate(params):
        # A default is converted as an argument: a SIMD one's folded tuple becomes lanes.
        value = args[i] if i < len(args) else default_of(fn, i)
        t = p.type
        where = f"{name}(): parameter '{p.name}' expects {t}"
        if isinstance(t, Tensor):
            out.append(check_array(fn, p, value))
            continue
        given = "got " + describe_value(value)
        if t == STRING:
            out.append(_string_argument(value, where, given))
            continue
        if isinstance(t, Struct):
            raise TypeError(f"{where}, a struct, which cannot be passed from Python: "
                            "build it inside a kernel and call this one from there")
        if isinstance(t, ListType):
            out.append(_list_argument(value, t, where, p.by_ref,
                                      variadic=i == fn.variadic))
            continue
        if isinstance(t, FnType):
            raise TypeError(f"{where}, a function, which cannot be passed from Python: "
                            "call this one from a kernel that names the function")
        if t == ERROR:
            raise TypeError(f"{where}, which cannot be passed from Python: "
                            "pass its message as a String")
        if not isinstance(t, SIMD):
            raise TypeError(f"{where}, which cannot be passed from Python yet")
        if t.width > 1:
            out.append(_lanes_argument(value, t, where))
        else:
            out.append(_scalar_argument(value, t, where, given))
    return out


class ListArgument(list):
    """The elements of a Python sequence passed for a List parameter, checked and
    canonical (a copy: the kernel's List is its own); `target`: the Python list a
    `mut` parameter's final elements are written back into (in place), else None."""
    __slots__ = ("target",)


def _list_argument(value, t, where: str, by_ref: bool, variadic: bool = False):
    """A `ListArgument` of the elements of `value` (a list, a tuple, a NumPy array
    of as many dimensions as the Lists nest; a Python list for a `mut` parameter),
    each checked as an argument of the element type: a number, a Bool, a String,
    or a List of these (a `ListArgument` in turn, without a `target`)."""
    from .pycall import list_nesting, list_passable
    if not list_passable(t):
        raise TypeError(f"{where}, which cannot be passed from Python yet (a List of "
                        "numbers, Bools, Strings or such Lists can)")
    if by_ref and type(value) is not list:
        raise TypeError(f"{where} (a Python list, which the call changes in place), "
                        f"got {describe_value(value)}")
    # `vsum(): parameter '*vals' expects Int: value 1`, `parameter 'l' expects List[Int]:
    # element 1`, and in nested Lists `parameter 'g' expects List[List[Int]]: element [0][1]`
    word, nested = "element", list_nesting(t) > 1
    if variadic:
        where = where.replace(" parameter '", " parameter '*").replace(f" {t}", f" {t.element}")
        word = "value"

    def name(path: tuple) -> str:
        return f"{word} " + ("".join(f"[{k}]" for k in path) if nested else str(path[0]))
    out = _elements(value, t, where, name, ())
    out.target = value if by_ref else None
    return out


def _elements(value, t, where: str, name, path: tuple) -> ListArgument:
    """The checked elements of `value` (at `path` in the argument) for a List of
    type `t`; `name(path)` names an element in a TypeError."""
    from collections.abc import Sequence

    import numpy as np

    from .pycall import list_nesting
    from .typesys import STRING, ListType
    if isinstance(value, np.ndarray) and value.ndim == list_nesting(t):
        items = value.tolist()
    elif isinstance(value, Sequence) and not isinstance(value, (str, bytes, bytearray)):
        items = value
    else:
        at = f": {name(path)}" if path else ""
        raise TypeError(f"{where}{at} (a list, a tuple or a {list_nesting(t)}-d NumPy array), "
                        f"got {describe_value(value)}")
    e, out = t.element, ListArgument()
    for k, v in enumerate(items):
        here = path + (k,)
        if isinstance(e, ListType):
            out.append(_elements(v, e, where, name, here))
        elif e == STRING:
            out.append(_string_argument(v, f"{where}: {name(here)}", "got " + describe_value(v)))
        else:
            out.append(_scalar_argument(v, e, f"{where}: {name(here)}",
                                        "got " + describe_value(v)))
    return out


def _string_argument(value, where: str, given: str) -> str:
    """A Python str passed for a String, checked: it must encode as UTF-8."""
    if not isinstance(value, str):
        raise TypeError(f"{where} (a str), {given}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        raise TypeError(f"{where}, {given}, which is not valid UTF-8 text "
                        f"({e.reason})") from None
    return str(value)


def _scalar_argument(value, t, where: str, given: str):
    """A Python value passed for a scalar parameter of type `t`, checked and
    canonical (bool, float rounded to t's precision, int in t's range)."""
    import operator

    from .semantics import round_to
    from .typesys import DType
    # A NumPy bool, or a 0-d bool array (np.array(True)), is a bool as Python's is.
    is_bool = isinstance(value, bool) or type(value).__module__ == "numpy" and (
        type(value).__name__ in ("bool", "bool_") or
        getattr(value, "shape", None) == () and value.dtype.kind == "b")
    if t.dtype is DType.bool:
        if not is_bool:
            raise TypeError(f"{where}, {given}")
        return bool(value)
    if t.dtype.is_float:
        if is_bool or not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
            raise TypeError(f"{where}, {given}")
        try:
            return round_to(float(value), t.dtype)
        except OverflowError:
            raise TypeError(f"{where}, {given} (too large for a float)") from None
        except (TypeError, ValueError):    # its own __float__ refused (an array of 2 values)
            raise TypeError(f"{where}, {given}") from None
    try:
        if is_bool:
            raise TypeError
        v = operator.index(value)
    except (TypeError, ValueError):
        raise TypeError(f"{where}, {given}") from None
    lo, hi = t.dtype.int_range
    if not lo <= v <= hi:
        raise TypeError(f"{where} ({lo} to {hi}), {given}: out of range")
    return v


def _lanes_argument(value, t, where: str):
    """A NumPy array of t.width lanes (t's dtype) from an array or a sequence of
    t.width values, or from one value (splat, as the language converts a
    scalar to a vector); each lane is checked as a scalar of t's dtype."""
    from collections.abc import Sequence

    import numpy as np

    from .typesys import SIMD, numpy_dtype
    want = f"{where} ({t.width} lanes: a sequence or NumPy array of {t.width} values, " \
           "or one value for every lane)"
    lane = SIMD(t.dtype, 1)
    if isinstance(value, (str, bytes, bytearray)) or not hasattr(value, "__len__"):
        one = _scalar_argument(value, lane, want, "got " + describe_value(value))
        return np.full(t.width, one, dtype=numpy_dtype(t.dtype))
    # Lanes come in order: a set or a dict (sized, but no sequence) is refused.
    if isinstance(value, np.ndarray) and value.ndim != 1 or \
            not isinstance(value, (np.ndarray, Sequence)):
        raise TypeError(f"{want}, got {describe_value(value)}")
    lanes = list(value.tolist() if isinstance(value, np.ndarray) else value)
    if len(lanes) != t.width:
        raise TypeError(f"{want}, got {describe_value(value)} ({len(lanes)} values)")
    values = []
    for k, v in enumerate(lanes):
        values.append(_scalar_argument(v, lane, f"{want}: lane {k}",
                                       "got " + describe_value(v)))
    return np.array(values, dtype=numpy_dtype(t.dtype))


def describe_value(value) -> str:
    """How an argument is named in a TypeError: `ndarray of float32 with shape (3,)`."""
    import numpy as np
    if isinstance(value, np.ndarray):
        ro = "" if value.flags.writeable else "read-only "
        return f"{ro}ndarray of {value.dtype} with shape {value.shape}"
    try:
        text = shown_int(value) if type(value) is int else repr(value)
    except Exception:       # an int past Python's 4300 digits, or a __repr__ that fails
        text = f"of {value.bit_length()} bits" if isinstance(value, int) else "(no repr)"
    return f"{type(value).__name__} {text}"[:120]


def check_array(fn: T.Function, p, value):
    """`value` if it can be passed as `p`, a Tensor parameter; else a TypeError."""
    import sys

    import numpy as np

    from .typesys import numpy_dtype
    from .typesys import MAX_RANK
    t = p.type
    want = numpy_dtype(t.dtype)
    name = shown_name(fn.name)
    where = f"{name}(): parameter '{p.name}' expects {t}"
    given = "got " + describe_value(value)
    if not isinstance(value, np.ndarray):
        raise TypeError(f"{where} (a NumPy array of {want}), {given}")
    masked = sys.modules.get("numpy.ma")       # not imported: no array is masked
    if masked is not None and isinstance(value, masked.MaskedArray):
        raise TypeError(f"{where} (a NumPy array of {want}), got a masked array of {value.dtype} "
                        f"with shape {value.shape}, whose mask a kernel would not see (pass "
                        f"{p.name}.filled(value) to give the masked elements a value, or "
                        f"{p.name}.data for the array under the mask)")
    if value.dtype != want:
        if value.dtype.newbyteorder("=") == want:
            raise TypeError(f"{where} in native byte order, {given} in swapped byte order "
                            f"(convert it with .astype({want.name!r}))")
        raise TypeError(f"{where} (a NumPy array of {want}), {given}")
    rank = fn.ranks.get(p.name)
    if rank is not None and value.ndim != rank:
        indices = ", ".join("ijkl"[:rank])
        raise TypeError(f"{where} of rank {rank} ({name} indexes it as {p.name}[{indices}]), "
                        f"{given} (rank {value.ndim})")
    if not 1 <= value.ndim <= MAX_RANK:
        raise TypeError(f"{where} of rank 1 to {MAX_RANK}, {given} (rank {value.ndim})")
    if any(s % value.itemsize for s in value.strides):
        raise TypeError(f"{where} with strides that are multiples of its item size "
                        f"({value.itemsize}), {given} and strides {value.strides}")
    if not value.flags.writeable and p.name in fn.writes:
        raise TypeError(f"{name}(): parameter '{p.name}' expects a writable array "
                        f"({name} writes to it), {given}")
    return value


# The checker and the lowering recurse once per nesting level of an expression;
# a flat `a + b + ... ` of a few thousand terms nests that deep.
_COMPILER_RECURSION_LIMIT = 12000
# The checker decides how deeply a program may nest (past its limit, the error
# below). The lowering spends up to 2.5 times the checker's Python frames per
# level (`s + s` of Strings: 5 against 2), so it gets the headroom to lower all
# the checker lets through: the JIT runs what the reference mode runs. Its C
# stack use per level is about the checker's (both need up to 4 MiB of C stack
# at the checker's limit: `_on_a_deep_stack`).
_LOWERING_RECURSION_LIMIT = 3 * _COMPILER_RECURSION_LIMIT


def _user_facing(fn, *args, where: Source | None = None, bugs: bool = True):
    """Run a pipeline step, with the compiler's recursion limit, on a stack deep
    enough for it (`_on_a_deep_stack`); running out is a user error (a
    `CompileError`) at the deepest point of `where` (else the first `Source`
    among `args`, else the program the frames that ran out were at). With
    `bugs`, anything else but a user error is an internal error."""
    try:
        if _stack_size() < _DEEP_STACK:
            return _on_a_deep_stack(fn, *args)
        # `fn` called from here, as deep as ever: where the reference mode's
        # runaway recursion stops, and whom it blames, hangs on the depth
        with recursion_limit(_COMPILER_RECURSION_LIMIT):
            return fn(*args)
    except MojoliteError:
        raise
    except OutputRaised as e:       # the user's stdout raised: their exception, not ours
        raise e.exception.with_traceback(None) from None
    except RecursionError as e:
        # A limit of the compiler, not a bug: a user error at the deepest point.
        src = where or next((a for a in args if isinstance(a, Source)), None) or \
            _source_in(e.__traceback__)
        span, kind = _deepest_point(src, e.__traceback__) if src else (None, "")
        what, limits, hint = _TOO_DEEP.get(kind, _TOO_DEEP[""])
        what = f": {what}" if what else ""
        raise CompileError([UserError(f"the program nests too deeply for the compiler{what} "
                                      f"(it handles {limits})", span, hint=hint)]) from None
    except Exception as e:
        if debug_enabled() or not bugs:
            raise
        raise InternalError(f"internal compiler error: {type(e).__name__}: {e}\n"
                            "  = note: this is a bug in mojolite, not in your program; "
                            "set MOJOLITE_DEBUG=1 to see the compiler's traceback") from None


def within_limits(fn, *args):
    """`fn(*args)` as `_user_facing` runs a step, its other errors left as they are."""
    return _user_facing(fn, *args, bugs=False)


def _source_in(tb) -> Source | None:
    """The program that the frames of `tb` were at (the source of the first
    span of a local `node` or `e` of theirs)."""
    while tb is not None:
        for name in ("node", "e"):
            span = getattr(tb.tb_frame.f_locals.get(name), "span", None)
            if isinstance(span, Span):
                return span.source
        tb = tb.tb_next
    return None


# The C stack the compiler's recursion needs at its limits, with room to spare
# (the deepest programs it accepts take between 2 and 4 MiB), and the stack of
# the thread it moves to from a thread with less.
_DEEP_STACK = 8 << 20
_HELPER_STACK = 16 << 20


def _on_a_deep_stack(fn, *args):
    """`fn(*args)`, with the compiler's recursion limit, on a helper thread made
    for the call (which this one waits for), for a thread whose C stack is too
    small for the compiler's deepest recursion (a main thread or a default
    thread has 8 MiB). The raised recursion limit is what makes the compiler's
    nesting limits clean errors; on a smaller stack (`threading.stack_size(512
    * 1024)`, `ulimit -s 1024`) C code under Python's frames (a nested type's
    `__hash__`) would overflow it first, a crash of the whole process, at a
    fraction of those limits."""
    import threading
    outcome: list = []

    def run():
        try:
            with recursion_limit(_COMPILER_RECURSION_LIMIT):
                outcome.append((True, fn(*args)))
        except BaseException as e:          # noqa: BLE001 - handed over to the caller
            outcome.append((False, e))

    with _stack_size_lock:
        saved = threading.stack_size(_HELPER_STACK)
        try:
            helper = threading.Thread(target=run, name="mojolite compile", daemon=True)
            helper.start()
        finally:
            threading.stack_size(saved)
    helper.join()
    ok, value = outcome[0]
    if ok:
        return value
    try:
        raise value
    finally:
        del value


_stack_size_lock = _thread.allocate_lock()   # threading.stack_size is one per process
_stack_sizes = None      # a threading.local: the calling thread's stack size, once asked


def _stack_size() -> int:
    """The C stack size of the calling thread (the main thread's limit, another's
    `pthread_getattr_np`; 0 where the C library cannot tell: not Linux)."""
    global _stack_sizes
    if _stack_sizes is None:
        import threading
        _stack_sizes = threading.local()
    size = getattr(_stack_sizes, "size", None)
    if size is None:
        size = _stack_sizes.size = _ask_stack_size()
    return size


def _ask_stack_size() -> int:
    import threading
    if threading.current_thread() is threading.main_thread():
        import resource         # the main thread's stack grows up to its limit
        limit = resource.getrlimit(resource.RLIMIT_STACK)[0]
        return _DEEP_STACK if limit in (resource.RLIM_INFINITY, -1) else limit
    import ctypes
    try:
        libc = ctypes.CDLL(None)
        libc.pthread_self.restype = ctypes.c_ulong
        attr = ctypes.create_string_buffer(128)     # >= sizeof(pthread_attr_t) on Linux
        if libc.pthread_getattr_np(ctypes.c_ulong(libc.pthread_self()), attr) == 0:
            base, size = ctypes.c_void_p(), ctypes.c_size_t()
            failed = libc.pthread_attr_getstack(attr, ctypes.byref(base), ctypes.byref(size))
            libc.pthread_attr_destroy(attr)
            if not failed:
                return size.value
    except (AttributeError, OSError):
        pass
    return 0


# What nests too deeply (`_deepest_point`'s kind) → what the message says, the
# limits (the checker spends about 2 Python frames per operator of a chain or
# level of nested operators, 3 per method call or list literal, 4 per call or
# block), and the hint.
_LEVELS = {n: f"{_COMPILER_RECURSION_LIMIT // n:,}" for n in (2, 3, 4)}
_TOO_DEEP = {
    "chain": ("this chain is too long", f"about {_LEVELS[2]} operands joined by operators, "
              f"or {_LEVELS[3]} chained method calls",
              "split the chain with intermediate variables: `var a = x + y + ...`"),
    "bracket": ("these brackets nest too deeply", f"about {_LEVELS[4]} nested calls, "
                f"{_LEVELS[3]} nested list literals, {_LEVELS[2]} nested operators",
                "split the expression with intermediate variables"),
    "block": ("these blocks nest too deeply", f"about {_LEVELS[4]} levels of blocks",
              "move inner blocks into functions"),
    "": ("", f"expressions and blocks about {_LEVELS[4]} levels deep",
         "split the expression with intermediate variables, or move inner blocks into "
         "functions"),
}


def _deepest_point(src: Source, tb=None) -> tuple[Span, str]:
    """Where a program nests too deeply: the most deeply nested bracket, or the
    most indented line when blocks nest deeper than brackets (a plain scan: no
    recursion); but where the compiler ran out (`tb`: the RecursionError's
    traceback) holds no bracket, as in a flat `x and x and ...` of thousands of
    terms, the start of the innermost node it was at. And what took the
    compiler that deep: "block" or "bracket" where blocks or brackets nest deep
    enough to take half its levels, else "chain" (a flat chain, nesting as deep
    as it is long)."""
    bracket, brackets, blocks = _deepest_bracket(src)
    half = _COMPILER_RECURSION_LIMIT // 8      # half the levels of the costliest (4 frames)
    kind = "block" if blocks >= max(half, brackets) else "bracket" if brackets >= half \
        else "chain"
    spans = _innermost_spans(src, tb)
    if spans and not any(s.start <= bracket.start < s.end for s in spans):
        return Span(src, spans[-1].start, spans[-1].start + 1), kind
    return bracket, kind


def _innermost_spans(src: Source, tb) -> list[Span]:
    """The spans of the innermost two nodes of `src` (syntax or typed) that the
    frames of `tb` were at (their local `node` or `e`)."""
    spans: list[Span] = []
    while tb is not None:
        local = tb.tb_frame.f_locals
        for name in ("node", "e"):
            span = getattr(local.get(name), "span", None)
            if isinstance(span, Span) and span.source is src and span not in spans[-1:]:
                spans = [*spans[-1:], span]
        tb = tb.tb_next
    return spans


def _deepest_bracket(src: Source) -> tuple[Span, int, int]:
    """The deepest bracket or most indented line (`_deepest_point`), with how deep
    brackets and blocks nest."""
    text, depth, best, best_at = src.text, 0, -1, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
            if depth > best:
                best, best_at = depth, i
        elif ch in ")]}":
            depth -= 1
    brackets, blocks, pos = best, 0, 0
    for line in text.splitlines(keepends=True):
        body = line.lstrip(" ")
        level = (len(line) - len(body)) // 4
        if body.strip():
            blocks = max(blocks, level)
            if level > best:
                best, best_at = level, pos + len(line) - len(body)
        pos += len(line)
    return Span(src, best_at, best_at + 1), brackets, blocks


def compile(text: str | bytes, name: str = "<string>", *, opt: int = 3,
            reference: bool | None = None, boundscheck: bool = True,
            fastmath: bool = False) -> Module:
    """Compile program text (a str, or UTF-8 bytes as a file holds them); its
    functions become callable attributes. `reference` None follows MOJOLITE_REFERENCE."""
    if not isinstance(name, str):
        raise TypeError(f"mojolite.compile() takes the file name its errors show (a str), "
                        f"got {type(name).__name__}")
    if isinstance(text, (bytes, bytearray)):
        text = decode_source(bytes(text), name)
    elif not isinstance(text, str):
        raise TypeError(f"mojolite.compile() takes the program's text (a str), "
                        f"got {type(text).__name__}")
    if reference is None:
        reference = reference_default()
    return _program_names_first(open_module(
        Source(name, text), Options(opt=checked_opt(opt), reference=reference,
                                    boundscheck=boundscheck, fastmath=fastmath)))


def load(path: str | os.PathLike, *, opt: int = 3, reference: bool | None = None,
         boundscheck: bool = True, fastmath: bool = False) -> Module:
    if reference is None:
        reference = reference_default()
    return _program_names_first(open_module(
        file_source(os.fsdecode(path)),     # str, bytes or a Path
        Options(opt=checked_opt(opt), reference=reference, boundscheck=boundscheck,
                fastmath=fastmath)))


def _program_names_first(module: Module):
    """`module`, or where the program defines a name that is also one of the
    module's own attributes (`fn call`, `fn source`, `fn tree`), a
    `ProgramModule` through which that name is the program's."""
    import re
    program = module.program
    # (one scan of the text for the names it defines: a warm load parses nothing)
    defined = set(re.findall(r"^[ \t]*(?:fn|def)[ \t]+(\w+)", module.source.text, re.M))
    taken = frozenset(
        name for name in object.__dir__(module) if not name.startswith("_") and (
            name in program.names or name in defined and (
                program.get(name) is not None or module.generic(name) is not None)))
    return ProgramModule(module, taken) if taken else module


class ProgramModule:
    """A `Module` whose program names a function (or an import) as the module
    names one of its own attributes: `m.call(1)` calls the program's `call`, and
    every other attribute is the module's. Made only for such a program, so
    that the usual module costs no extra step per attribute."""

    __slots__ = ("_module", "_taken")

    def __init__(self, module: Module, taken: frozenset):
        self._module, self._taken = module, taken

    def __getattr__(self, name: str):
        if name in self._taken:
            return Module.__getattr__(self._module, name)
        return getattr(self._module, name)

    def __dir__(self):
        return dir(self._module)

    def __repr__(self) -> str:
        return repr(self._module)

    def __copy__(self) -> "ProgramModule":
        return self

    def __deepcopy__(self, memo) -> "ProgramModule":
        return self

    def __reduce__(self):
        return self._module.__reduce__()


def open_module(source: Source, options: Options, timings: Timings | None = None) -> Module:
    """`Module(source, options)`, loaded from the disk cache when it holds this
    program with these options (see `cache.py`)."""
    from .cache import program_module
    if timings is None:
        timings = requested_timings()
    with BUILDING:
        module = program_module(source, options, timings)
    if timings is not None:
        timings.flush(f"loading {source.name}")
    return module


STAGES = ("ast", "typed", "ll", "opt", "asm")


def dump_stage(module: Module, stage: str, fn: str | None = None) -> str:
    """The text `mojolite ir --stage STAGE` shows, for a compiled module (or
    one function of it)."""
    from . import dump
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}: use one of {', '.join(STAGES)}")
    module = module.full()
    if stage == "ast":
        return dump.dump_tree(module.tree) + "\n"
    if stage == "typed":
        return "\n".join(dump.dump_function(f) for f in module.program.functions
                         if fn in (None, f.name))
    from .codegen.annotate import annotate_asm, annotate_ir
    module = module.annotated()
    source = _annotation_source(module.source)
    if stage == "ll":
        text = annotate_ir(str(module.lowered().module), source, _file_source)
    elif stage == "opt":
        text = annotate_ir(module.jit().optimised_ir(), source, _file_source)
    else:
        text = annotate_asm(module.jit().assembly(), source, lookup=_file_source)
    return dump.select_function(text, fn, stage == "asm") if fn else text


def _annotation_source(source: Source) -> Source:
    """The source whose lines annotate IR: for code read from a Python file, the
    whole file (debug locations use the file's line numbers)."""
    if not source.line_offset:
        return source
    import linecache
    lines = linecache.getlines(source.name)
    return Source(source.name, "".join(lines)) if lines else source


def _file_source(path: str) -> Source | None:
    """The lines of another file of a unit of kernels (for IR annotations)."""
    import linecache
    lines = linecache.getlines(path)
    return Source(path, "".join(lines)) if lines else None


def file_source(path: str) -> Source:
    """The program file at `path`, whose imports are looked for beside it."""
    return Source(path, read_source(path), directory=os.path.dirname(path))


def read_source(path: str) -> str:
    """The text of the program file at `path` (see `decode_source`)."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise SourceFileError(e, path) from None
    return decode_source(data, os.fspath(path))


def decode_source(data: bytes, name: str) -> str:
    """Program text from the bytes of a file called `name`, without the byte order
    mark some editors put first (Python skips it too). (Not the "utf-8-sig" codec:
    its module is one more import on a warm cache load.)"""
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        return data[bom:].decode("utf-8")
    except UnicodeDecodeError as e:
        # located like any error: at the character the bad byte stands in for
        text = data[bom:].decode("utf-8", "replace")
        at = len(data[bom:bom + e.start].decode("utf-8"))
        raise CompileError([UserError(
            f"this file is not UTF-8 text (byte 0x{data[bom + e.start]:02x})",
            Source(name, text).span(at, at + 1), label="not UTF-8",
            hint="save the file as UTF-8")]) from None


__all__ = ["compile", "load", "Module", "Options", "Timings", "CompileError", "RuntimeFault"]

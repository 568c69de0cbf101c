"""The Python surface: `@mojolite.fn` and the names kernels are annotated with.

In: a Python `def` whose body is mojolite written with Python-valid spellings,
and the globals of its module. Out: a `Kernel`, a callable that on its first
call reads the function's source back (`inspect`), parses it with the
language's own grammar, rewrites the Python spellings into the language's
(`Mut[T]` → `mut`, `Param[T]` → a compile-time parameter, `x: Alias = e` →
`alias`), resolves every free name through the function's globals (another
kernel, a number, a type, `math`) and compiles the result as one unit.

Invariants:
- decorating is cheap: nothing is read, parsed or compiled before the first
  call (or `signature` / `ir()`), so importing a module of kernels stays fast;
- every span of a kernel points into its own Python file: errors name that file
  and the line and column in it (the kernel's text keeps its indentation, and
  an indented `def` is parsed under a synthesised `if True:` line);
- the names below are plain marker objects whose `repr` is the language's
  spelling; importing this module imports neither Lark, LLVM nor NumPy.
"""
from __future__ import annotations

import _thread
import os
import sys
import types

# One build (of a kernel, a program, a Python caller) at a time, process-wide: LLVM
# runs one compile at a time anyway (llvmlite serialises its calls) and the front end
# holds the GIL. A fork in the middle of a build on another thread would leave the
# child with the locks that thread held (ours, llvmlite's, the import system's) held
# forever, and its first call hanging: a fork waits for the build under way instead.
BUILDING = _thread.RLock()      # not threading: 0.5 ms of `import mojolite`


def _before_fork() -> None:
    # A hook registered after ours ran first: logging's (imported by Lark, or by the
    # program after mojolite) holds logging's lock, which the build may need (Lark
    # logs): let it go while the build ends, as a Condition lets its lock go.
    lock = getattr(sys.modules.get("logging"), "_lock", None)
    saved = lock._release_save() if hasattr(lock, "_is_owned") and lock._is_owned() else None
    BUILDING.acquire()
    if saved is not None:
        lock._acquire_restore(saved)


os.register_at_fork(before=_before_fork, after_in_parent=BUILDING.release,
                    after_in_child=BUILDING.release)

# ------------------------------------------------------------------ markers


class Marker:
    """A name kernels use in annotations; Python only needs it to exist.

    `kind` says what the language name is: "type" (a complete type such as
    Float64 or `SIMD[DType.float32, 8]`), "generic" (SIMD, Tensor ... before
    `[...]`), "dtype" (`DType.float32`), "convention" (Mut, Inout, Owned),
    "param" (Param), "alias" (Alias), "std" (a standard library function such
    as vectorize; `module` says which), "builtin" (parameter, Error). `DType`
    itself is a `_DType` namespace of dtype markers.
    """

    __slots__ = ("name", "spelling", "kind", "module", "args")

    def __init__(self, name: str, kind: str, spelling: str | None = None,
                 module: str | None = None, args: tuple = ()):
        self.name, self.kind, self.module, self.args = name, kind, module, args
        self.spelling = spelling or name

    def __repr__(self) -> str:
        return self.spelling

    def __getitem__(self, params):
        if self.kind not in ("generic", "convention", "param", "alias", "std"):
            raise TypeError(f"{self.spelling} takes no [...] parameters")
        params = params if isinstance(params, tuple) else (params,)
        spelling = f"{self.spelling}[{', '.join(_spell(p) for p in params)}]"
        kind = "type" if self.kind == "generic" else self.kind + "[]"
        return Marker(self.name, kind, spelling, self.module, params)

    def __call__(self, *args, **kwargs):
        if self.name == "parameter" and len(args) == 1 and callable(args[0]):
            return args[0]        # `@parameter` on a nested def Python never runs
        if self.kind in ("type", "generic"):
            return Written(self, args, kwargs)  # a default Python evaluates (see Written)
        raise TypeError(f"'{self.spelling}' is a mojolite name: it works inside an "
                        "@mojolite.fn kernel, not in Python code")


class Written:
    """`Float64(1.5)`, `SIMD[DType.float64, 2](1, 2)` evaluated by Python: what a
    kernel's parameter default is when Python runs the `def`. The kernel compiles the
    default from its source text, so this only needs to exist and to print as the
    language spells it; Python code cannot compute with it (any use but `repr` is
    a TypeError saying so), so a conversion written in plain Python still fails."""

    __slots__ = ("marker", "args", "kwargs")

    def __init__(self, marker: Marker, args: tuple, kwargs: dict):
        self.marker, self.args, self.kwargs = marker, args, kwargs

    def __repr__(self) -> str:
        said = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs.items()]
        return f"{self.marker.spelling}({', '.join(said)})"

    def _refuse(self, *_args, **_kwargs):
        raise TypeError(f"{self!r} is a mojolite value: it may be the default of an "
                        "@mojolite.fn kernel's parameter, but Python code cannot use it "
                        "(convert with Python's own float(), int(), bool())")

    for _op in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "lshift",
                "rshift", "and", "or", "xor", "matmul", "divmod"):
        locals()[f"__{_op}__"] = locals()[f"__r{_op}__"] = _refuse
    for _op in ("neg", "pos", "abs", "invert", "bool", "float", "int", "index", "complex",
                "lt", "le", "gt", "ge", "len", "iter", "getitem", "call", "round"):
        locals()[f"__{_op}__"] = _refuse
    del _op


def _spell(p) -> str:
    """A parameter given in brackets as the language writes it: a float as the repr
    that reads back to it exactly (the instance's name and cache key tell 0.1 from
    0.1 + 2**-56)."""
    if isinstance(p, (Marker, _DType)):
        return repr(p)
    p = _python_scalar(p)
    if isinstance(p, bool):
        return repr(p)
    if isinstance(p, int):
        return _int_text(p)
    if isinstance(p, float):
        if p - p == 0:          # finite: inf and nan have no literal
            return repr(p)
        raise TypeError(f"{p!r} cannot be a mojolite compile-time parameter (a Float "
                        "parameter takes a finite value)")
    raise TypeError(f"{p!r} is not a mojolite type parameter (expected a type, a DType "
                    "such as DType.float32, or a number)")


class _DType:
    """`DType.float32` ... as markers; `DType` itself is a namespace."""

    def __init__(self):
        for n in ("bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                  "uint64", "float16", "float32", "float64"):
            setattr(self, n, Marker(n, "dtype", f"DType.{n}"))

    def __repr__(self) -> str:
        return "DType"


SCALAR_TYPES = ("Bool", "Int", "UInt", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16",
                "UInt32", "UInt64", "Float32", "Float64")
GENERIC_TYPES = ("SIMD", "Scalar", "Tensor", "UnsafePointer", "DTypePointer", "List", "Tuple")
# Standard-library names without a Python twin: using one in a kernel adds its import.
STD_NAMES = {"vectorize": "algorithm", "parallelize": "algorithm", "simdwidthof": "sys",
             "simd_width_of": "sys",
             "num_physical_cores": "sys", "num_logical_cores": "sys",
             "memset_zero": "memory", "memcpy": "memory",
             **{n: "random" for n in ("seed", "random_float64", "random_si64", "random_ui64",
                                      "randn_float64", "rand", "randn")},
             "now": "time", "perf_counter_ns": "time"}

MARKERS: dict[str, object] = {}
for _n in SCALAR_TYPES + ("String",):
    MARKERS[_n] = Marker(_n, "type")
for _n in GENERIC_TYPES:
    MARKERS[_n] = Marker(_n, "generic")
MARKERS["DType"] = _DType()
for _n in ("Mut", "Inout", "Owned", "Out"):      # Out: `self: Out` (pystruct.py)
    MARKERS[_n] = Marker(_n, "convention")
MARKERS["Param"] = Marker("Param", "param")
MARKERS["Alias"] = Marker("Alias", "alias")
for _n, _m in STD_NAMES.items():
    MARKERS[_n] = Marker(_n, "std", module=_m)
MARKERS["parameter"] = Marker("parameter", "builtin")
MARKERS["Error"] = Marker("Error", "builtin")
MARKERS["Self"] = Marker("Self", "type")          # a struct's own type, in its methods
del _n, _m

# `Mut[T]` etc. as parameter annotations: the argument convention they mean.
CONVENTIONS = {"Mut": "mut", "Inout": "mut", "Owned": "owned"}


# ------------------------------------------------------------------ the decorator
def checked_opt(opt) -> int:
    """`opt=` of the decorator, `compile` and `load`: LLVM's level, 0 to 3 (the CLI's
    -O0..-O3); anything else is the caller's ValueError, not a compiler failure later."""
    level = opt.__index__() if hasattr(type(opt), "__index__") else None
    if isinstance(opt, bool) or level not in (0, 1, 2, 3):
        raise ValueError(f"opt is the optimisation level, 0 to 3, got {opt!r}")
    return level


def fn(function=None, /, *, fastmath: bool = False, boundscheck: bool = True, opt: int = 3,
       reference: bool | None = None):
    """`@mojolite.fn` or `@mojolite.fn(fastmath=..., boundscheck=..., opt=..., reference=...)`.

    Returns a `Kernel`; nothing is compiled until its first call. `reference`
    None follows the environment variable MOJOLITE_REFERENCE."""
    options = dict(fastmath=bool(fastmath), boundscheck=bool(boundscheck), opt=checked_opt(opt),
                   reference=reference)
    if function is None:
        return lambda f: Kernel(f, **options)
    return Kernel(function, **options)


class Kernel:
    """A `def` compiled by mojolite on its first call; call it like the function.

    `signature`, `ir(stage)` and `asm()` show what it compiled to. Arguments:
    Python int/float/bool for scalars, NumPy arrays for `Tensor`s (no copy).
    A kernel with compile-time parameters (`k: Param[Int]`) is called as
    `kernel[3](x)`, or `kernel(x)` where its parameters have defaults or the
    arguments' types give them (`Inference`).
    """

    def __init__(self, function, *, fastmath=False, boundscheck=True, opt=3, reference=None):
        _check_decoratable(function)
        self.py_function = function
        self.fastmath, self.boundscheck, self.opt = fastmath, boundscheck, opt
        self.reference = reference
        self.__name__ = function.__name__
        self.__qualname__ = function.__qualname__
        self.__module__ = function.__module__
        self.__doc__ = function.__doc__
        self.__wrapped__ = function
        self._module = None          # api.Module, once built
        self._entry = function.__name__   # the function Python calls, once built
        self._generic = None         # for kernel[params]: (the kernel, params)
        self._instances: dict[str, Kernel] = {}

    def __getitem__(self, params) -> "Kernel":
        """This kernel with its compile-time parameters given: `scale[3]`."""
        params = params if isinstance(params, tuple) else (params,)
        spelling = ", ".join(_spell(p) for p in params)
        inst = self._instances.get(spelling)
        if inst is None:
            inst = Kernel(self.py_function, fastmath=self.fastmath,
                          boundscheck=self.boundscheck, opt=self.opt,
                          reference=self.reference)
            inst.__qualname__ = f"{self.__qualname__}[{spelling}]"
            inst._generic = (self, params)
            # One instance however many threads race here (no lock: a thread
            # that forks while holding one would leave it held in the child).
            inst = self._instances.setdefault(spelling, inst)
        return inst

    def instance(self, params: tuple) -> "Kernel":
        """`self[params]`, compiled (its CompileError raised here)."""
        inst = self[params]
        inst._build()
        return inst

    # -- calling
    def __call__(self, *args, **kwargs):
        # Only the first call comes here: building swaps in a class whose
        # `__call__` is the compiled function's own fast entry (or, for a
        # kernel whose parameters the arguments give, `Inference.dispatcher`).
        self._build(infer=True)
        return type(self).__call__(*args, **kwargs)

    def _build(self, infer: bool = False, generic: bool = False):
        """The kernel's module, compiled (or loaded from the disk cache). `infer`: a
        call, which may choose an instance per the arguments' types (`Inference`);
        `generic`: `_Generic` raised for a kernel whose compile-time parameters are
        neither given nor defaulted (introspection shows the generic function)."""
        with BUILDING:
            if self._module is not None or (infer and type(self) is not Kernel):
                return self._module
            base, params = self._generic or (self, None)
            if infer:
                # Which instance a call needs is read off Python's own parse of the def
                # where it can be: a process that finds the instances in the disk cache
                # then never loads the language's parser.
                fndef = _declarations(base)
                plan = Inference.of(fndef, params) if fndef is not None else None
                if plan is not None:
                    self._dispatch(plan, base, checked=False)
                    return None
            from . import api
            from .errors import MojoliteError
            options = api.Options(opt=self.opt, reference=self._reference_mode(),
                                  boundscheck=self.boundscheck, fastmath=self.fastmath)
            timings = api.requested_timings()

            def build():
                if timings is not None and not options.reference:
                    api.import_pipeline(timings)      # so that they count as imports
                with api._timed(timings, "parse"):
                    unit = compile_unit(base)
                tree, entry = unit.tree, unit.top.name
                plan = Inference.of(unit.top, params) if infer else None
                if plan is not None:
                    raise _Dispatch(plan)
                if generic and params is None and _not_given(unit.top):
                    raise _Generic(unit.top)
                if unit.top.ct_params or params is not None:
                    tree, entry = _python_entry(unit, params)
                return api.Module(unit.source, options.replace(entries=(entry,)),
                                  timings, tree=tree), entry
            try:
                from .cache import kernel_module
                module, entry = kernel_module(base, params, options, build,   # disk cache
                                              timings)
                call = module.function(entry)
            except MojoliteError as e:
                raise e.with_traceback(None) from None
            except _Dispatch as d:      # `gsum(a)`: an instance per argument types
                self._dispatch(d.plan, base, checked=True)
                return None
            # The compiled entry becomes this kernel's own `__call__`, one that
            # does not take the kernel (a builtin is never bound; a Python
            # function is made static), so a call costs one function, not two.
            hooks = getattr(call, "on_native", None)
            if isinstance(call, types.FunctionType):
                call = staticmethod(call)
            cls = self.__class__ = type("Kernel", (Kernel,), {"__call__": call, "__slots__": ()})
            if hooks is not None:       # `pycall.tiered`: later, the native caller itself
                hooks.append(lambda fast, ms: setattr(cls, "__call__", fast))
            self._entry = entry
            self._module = module
            return module

    def _dispatch(self, plan, base, checked: bool):
        """This kernel's calls choose an instance of `base` by the arguments' types.
        `checked`: the kernel's text is known to read (the plan came from its parse)."""
        def own_error():        # an instance that does not compile: the kernel's own
            try:                # error where the kernel itself does not read
                compile_unit(base)
            except Exception as e:      # noqa: BLE001 - a CompileError, or what it would be
                return e
            return None
        call = staticmethod(plan.dispatcher(base.instance, None if checked else own_error))
        self.__class__ = type("Kernel", (Kernel,), {"__call__": call, "__slots__": ()})

    def _reference_mode(self) -> bool:
        if self.reference is not None:
            return bool(self.reference)
        return os.environ.get("MOJOLITE_REFERENCE", "") not in ("", "0")

    # -- introspection
    @property
    def signature(self) -> str:
        """The kernel's signature in the language: `fn f(x: Float64) raises -> Float64`
        (for a generic kernel, that of the instance Python calls: `fn f[3](...)`, or
        without its parameters given, the generic one: `fn f[k: Int](...)`)."""
        try:
            module = self._build(generic=True)
        except _Generic as g:
            return generic_signature(g.fndef, self.__name__)
        fn = module.program.get(self._entry)
        if self._entry != self.__name__ and getattr(fn, "shows", None) is not None:
            fn = fn.shows                       # a signature loaded from the disk cache
        elif self._entry != self.__name__:      # a synthesised entry: show what it calls
            from . import typed as T
            st = fn.body[0]
            call = st.value if isinstance(st, T.Return) else st.expr
            fn = call.fn
        return signature_of(fn)

    def ir(self, stage: str = "opt") -> str:
        """The compiled unit at one stage: ast | typed | ll | opt | asm (as `mojolite ir`)."""
        from . import api
        try:
            module = self._build(generic=True)
        except _Generic as g:
            name = self.__name__
            raise TypeError(f"{name} is generic: its code is that of an instance; give its "
                            f"compile-time parameters first: {name}[{_example(g.fndef)}]"
                            f".{'asm()' if stage == 'asm' else 'ir()'}") from None
        return api.dump_stage(module, stage)

    def asm(self) -> str:
        return self.ir("asm")

    @property
    def module(self):
        """The `api.Module` this kernel compiled to (with its dependencies)."""
        return self._build()

    def __repr__(self) -> str:
        return f"<mojolite kernel {self.__qualname__}>"

    def __reduce__(self):
        # Pickled by reference, as Python pickles a function: its module and name
        # (the process that unpickles it imports the module; the kernel compiles
        # there, or comes from the disk cache). `f[3]` is `f` and its parameters.
        if self._generic is not None:
            import operator
            return operator.getitem, self._generic
        if "<locals>" in self.__qualname__:
            import pickle
            raise pickle.PicklingError(
                f"cannot pickle kernel {self.__qualname__}: it is defined inside a function; "
                "a kernel pickles by reference (its module and name), so only a module-level "
                "one can")
        return self.__qualname__


def signature_of(fn) -> str:
    """`fn f(x: Float64, lo: Float64 = 0.0) raises -> Float64`: a default shown
    as the value it folded to; a bare `*` before keyword-only parameters, and a
    variadic one as declared (`*xs: Int`)."""
    from .typesys import ret_is_none
    first_default = len(fn.params) - len(fn.defaults)
    variadic = getattr(fn, "variadic", None)
    shown = []
    for k, p in enumerate(fn.params):
        if k == fn.positional and variadic is None:
            shown.append("*")
        t = p.type.element if k == variadic else p.type
        shown.append(("*" if k == variadic else "") + ("mut " if p.by_ref else "") +
                     f"{p.name}: {t}" +
                     (f" = {_value_text(fn.defaults[k - first_default], p.type)}"
                      if k >= first_default else ""))
    params = ", ".join(shown)
    raises = " raises" if fn.raises else ""
    ret = "" if ret_is_none(fn.ret) else f" -> {fn.ret}"
    return f"fn {fn.name}({params}){raises}{ret}"


def generic_signature(fndef, name: str) -> str:
    """`fn gsum[dt: DType](a: Tensor[dt]) raises -> Scalar[dt]`: a kernel's signature
    before its compile-time parameters are given, as it declares them."""
    def one(p, prefix=""):
        default = "" if p.default is None else f" = {_written(p.default)}"
        return f"{prefix}{p.name}: {_written(p.type)}{default}"
    ct = ", ".join(one(c) for c in fndef.ct_params)
    shown = []
    for p in fndef.params:
        if p.keyword_only and not any(s.startswith("*") for s in shown):
            if not p.variadic:
                shown.append("*")
        prefix = "*" if p.variadic else "" if p.convention.value == "read" else \
            f"{p.convention.value} "
        shown.append(one(p, prefix) if p.type is not None else prefix + p.name)
    raises = " raises" if fndef.raises else ""
    ret = "" if fndef.ret is None else f" -> {_written(fndef.ret)}"
    return f"fn {name}[{ct}]({', '.join(shown)}){raises}{ret}"


def _written(node) -> str:
    """A parameter's type or default as the language writes it (the kernel's Python
    spellings already rewritten: `Mut[T]`, `Param[T]`, `mojolite.Float64`)."""
    from . import syntax as S
    if isinstance(node, S.Name):
        return node.id
    if isinstance(node, S.Attribute):
        return f"{_written(node.value)}.{node.name}"
    if isinstance(node, S.Subscript):
        args = [_written(a) for a in node.args] + \
            [f"{k.name}={_written(k.value)}" for k in node.kwargs]
        return f"{_written(node.value)}[{', '.join(args)}]"
    if isinstance(node, (S.IntLit, S.FloatLit, S.BoolLit)):
        return repr(node.value)
    if isinstance(node, S.Unary) and node.op.value in "-+~":
        return node.op.value + _written(node.operand)
    if isinstance(node, S.Binary):
        return f"{_written(node.lhs)} {node.op.value} {_written(node.rhs)}"
    return node.span.text if node.span is not None else "..."


def _example(fndef) -> str:
    """Compile-time parameters for the hint `gsum[DType.float64].ir()`: a value of each
    kind up to the last without a default (that default itself where one has one)."""
    from . import syntax as S
    last = max(k for k, c in enumerate(fndef.ct_params) if c.default is None)
    examples = {"DType": "DType.float64", "Bool": "True", "Float64": "1.0",
                "Float32": "1.0"}
    said = []
    for c in fndef.ct_params[:last + 1]:
        kind = c.type.id if isinstance(c.type, S.Name) else None
        said.append(_written(c.default) if c.default is not None else
                    examples.get(kind, "1" if kind in SCALAR_TYPES else "..."))
    return ", ".join(said)


def _check_decoratable(function):
    if isinstance(function, Kernel):
        raise TypeError(f"{function.__qualname__} is already a mojolite kernel")
    if isinstance(function, (staticmethod, classmethod)):
        raise TypeError("@mojolite.fn works on plain functions, not on methods: define the "
                        "kernel at module level (or inside a function) instead of in a class")
    if not isinstance(function, types.FunctionType):
        raise TypeError(f"@mojolite.fn needs a Python function (a `def`), got "
                        f"{type(function).__name__}")
    if function.__name__ == "<lambda>":
        raise TypeError("@mojolite.fn cannot compile a lambda: write the kernel as a `def` "
                        "with annotated parameters")
    local = function.__qualname__.rsplit("<locals>.", 1)[-1]
    code = function.__code__
    first = code.co_varnames[0] if code.co_argcount else ""
    if "." in local or first in ("self", "cls"):
        raise TypeError(f"@mojolite.fn cannot compile the method {local}: "
                        "kernels are plain functions; define it outside the class body")
    if code.co_flags & 0x80 or code.co_flags & 0x20:      # CO_COROUTINE, CO_GENERATOR
        raise TypeError(f"@mojolite.fn cannot compile {function.__qualname__}: generators "
                        "and async functions are not kernels")


def _value_text(value, t) -> str:
    """A constant of type `t` as the language spells it: `0.1` (a Float32 in its
    shortest digits), `True`, `"text"`, `SIMD[DType.float32, 4](1.5)`."""
    from .fmt import format_value
    from .typesys import SIMD, STRING, scalar
    if t == STRING and isinstance(value, str):
        text = repr(value)
        return f'"{text[1:-1]}"' if text[0] == "'" and '"' not in value else text
    if isinstance(t, SIMD) and t.width > 1 and isinstance(value, (tuple, list)):
        lanes = [format_value(v, scalar(t.dtype)) for v in value]
        return f"{t}({', '.join(lanes if len(set(lanes)) > 1 else lanes[:1])})"
    try:
        return format_value(value, t)
    except (TypeError, ValueError, AttributeError):
        return repr(value)


# ------------------------------------------------------------------ reading a kernel
def parse_definition(lines: list[str]):
    """(the Python `ast` node of the one definition in `lines`, or None if they
    do not parse as one; the line put before them to parse them). An indented
    definition (a method, a kernel inside a function) is parsed under a
    synthesised `if True:` line, and "" is put before one that is not."""
    import ast
    indent = len(lines[0]) - len(lines[0].lstrip(" \t"))
    head = "if True:\n" if indent else ""
    try:
        tree = ast.parse(head + "".join(lines))
        return (tree.body[0].body[0] if indent else tree.body[0]), head
    except (SyntaxError, IndexError, AttributeError):
        return None, head


def read_kernel(function):
    """The kernel's `def` as a `syntax.FnDef` whose spans point into its .py file.

    The text is the function's lines as they are in the file, decorators
    blanked to spaces (so columns stay put); an indented `def` is parsed under a
    synthesised `if True:` line, and `line_offset` maps lines back to the file."""
    import ast

    from .errors import CompileError, UserError
    from .parser import parse
    from .source import Source
    name = function.__qualname__
    filename = function.__code__.co_filename
    found = definition_lines(function)
    if found is None:
        raise CompileError([UserError(
            f"cannot read the source of kernel '{name}' (defined in {filename})", None,
            hint="@mojolite.fn reads a kernel's text back from its .py file, so functions "
                 "typed at an interactive prompt or made by exec() cannot be compiled; put the "
                 "kernel in a file, or compile its text with mojolite.compile(text)")])
    lines, first = found
    node, head = parse_definition(lines)
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or \
            node.name != function.__name__:
        raise CompileError([UserError(
            f"the source of kernel '{name}' in {filename} does not match the running code",
            None, hint="the file changed since it was imported: reload it")])
    if isinstance(node, ast.AsyncFunctionDef):
        raise CompileError([UserError(f"kernel '{name}' is an `async def`", None)])
    shift = 1 if head else 0
    def_index = node.lineno - 1 - shift      # decorators come before it
    blanked = ["".join(" " if c not in "\r\n" else c for c in line)
               for line in lines[:def_index]]
    text = head + "".join(blanked + lines[def_index:])
    source = Source(filename, text, first - 1 - shift, python=True)
    module = parse(source)
    fndef = module.body[0].body[0] if head else module.body[0]
    return source, fndef


def definition_lines(fn):
    """(lines, number of the first) of `fn`'s definition in its file, decorators
    included, or None when the file's text cannot be found.

    The code object's line table says where the definition starts (its first
    decorator) and where its last compiled line ends; the lines after that
    indented deeper than the `def` (code Python left out as unreachable) and
    comment lines are included too: the lines `inspect.getsourcelines` finds,
    and trailing comments. Tokenising the file, as `inspect` does, costs about
    10 ms per process (its patterns are compiled on first use), more than the
    rest of a disk-cache hit (`cache.py` hashes these lines)."""
    import linecache
    import types
    code = fn.__code__
    if not hasattr(code, "co_positions"):
        import inspect
        try:
            lines, first = inspect.getsourcelines(fn)
        except (OSError, TypeError):
            return None
        return lines, first
    linecache.checkcache(code.co_filename)
    lines = linecache.getlines(code.co_filename, fn.__globals__)
    first = code.co_firstlineno
    if not 0 < first <= len(lines):
        return None
    last, stack = first, [code]
    while stack:
        c = stack.pop()
        for _, end, _, _ in c.co_positions():
            if end is not None and end > last:
                last = end
        stack.extend(k for k in c.co_consts if isinstance(k, types.CodeType))
    head = lines[first - 1]
    indent = len(head) - len(head.lstrip())
    while last < len(lines):
        line = lines[last]
        body = line.strip()
        if body and not body.startswith("#") and len(line) - len(line.lstrip()) <= indent:
            break
        last += 1
    return lines[first - 1:last], first


# ------------------------------------------------------------------ tree helpers
def _transform(node, rule):
    """Rebuild a syntax tree bottom-up; `rule(node)` returns the node to keep."""
    import dataclasses

    from . import syntax as S
    if isinstance(node, tuple):
        items = tuple(_transform(x, rule) for x in node)
        return node if all(a is b for a, b in zip(items, node)) else items
    if not isinstance(node, S.Node):
        return node
    changes = {}
    for f in dataclasses.fields(node):
        if f.name in ("span", "name_span"):
            continue
        value = getattr(node, f.name)
        new = _transform(value, rule)
        if new is not value:
            changes[f.name] = new
    if changes:
        node = dataclasses.replace(node, **changes)
    return rule(node)


def _respan(node, span):
    """`node` with every span in it set to `span`."""
    import dataclasses

    def rule(n):
        extra = {"name_span": span} if hasattr(n, "name_span") else {}
        return dataclasses.replace(n, span=span, **extra)
    return _transform(node, rule)


def _bound_names(fndef) -> set[str]:
    """Every name a kernel binds anywhere (parameters, declarations, loop
    variables, nested functions): never looked up in Python's globals."""
    from . import syntax as S
    bound = set()
    for n in S.walk(fndef):
        if isinstance(n, S.FnDef):
            bound.add(n.name)
            bound.update(p.name for p in n.params)
            bound.update(p.name for p in n.ct_params)
        elif isinstance(n, (S.VarDecl, S.AliasDef)):
            bound.add(n.name)
        elif isinstance(n, (S.Assign, S.For)):
            bound.update(t.id for t in n.targets if isinstance(t, S.Name))
        elif isinstance(n, S.Try) and n.exc_name:
            bound.add(n.exc_name)
    bound.discard(fndef.name)     # the kernel's own name resolves like any global
    return bound


def _free_names(fndef) -> dict:
    """name → the first `Name` node that uses it without a binding in the kernel."""
    from . import syntax as S
    bound = _bound_names(fndef)
    free = {}
    for n in S.walk(fndef):
        if isinstance(n, S.Name) and n.id not in bound and n.id not in free:
            free[n.id] = n
    return free


# ------------------------------------------------------------------ one compiled unit
class Unit:
    """One `syntax.Module` (synthesised imports and aliases, then every kernel
    reached from the first), the first kernel's `Source` and its `FnDef`."""

    def __init__(self, tree, source, top):
        self.tree, self.source, self.top = tree, source, top


ENTRY_PREFIX = "__py_"


def shown_name(name: str) -> str:
    """The name Python knows a function by: a generic kernel's synthesised
    entry `__py_f` is `f` (in TypeErrors and `__name__`)."""
    return name.removeprefix(ENTRY_PREFIX)


def _python_entry(unit: Unit, params):
    """The unit plus a function Python can call for a generic kernel:

        fn __py_f(x: Float64) raises -> Float64:     # f's parameters, with the
            return f[3](x)                           # given ones substituted

    `params` None calls `f(x)`, leaving the checker to use the defaults."""
    import dataclasses

    from . import syntax as S
    from .parser import parse
    from .source import Source
    top, sp = unit.top, unit.top.span
    if not top.ct_params:
        from .errors import UserError
        raise_user(UserError(f"'{top.name}' has no compile-time parameters to give",
                             top.name_span, hint=f"call it as {top.name}(...)"))
    given = {}
    args = ()
    if params is not None:
        for c, p in zip(top.ct_params, params):
            _check_literal_size(_python_scalar(p), c.span)
            _check_given_kind(top.name, c, _python_scalar(p))
        text = ", ".join(_spell(p) for p in params)
        src = Source(f"<{top.name}[{text}] from Python>", f"alias _ = _[{text}]\n")
        # A value's mistakes are shown at the parameter it is given for (the
        # made-up source of the brackets is no place a user can look at).
        args = parse(src).body[0].value.args
        args = tuple(_respan(a, c.span) for c, a in zip(top.ct_params, args)) + \
            args[len(top.ct_params):]
        given = {c.name: a for c, a in zip(top.ct_params, args)}

    def substitute(node):
        if isinstance(node, S.Name) and node.id in given:
            return _respan(given[node.id], node.span)      # where the parameter is used
        return node
    for c in top.ct_params:     # a default may name the parameters before it
        if c.name not in given and c.default is not None:
            given[c.name] = _transform(c.default, substitute)
    missing = [c for c in top.ct_params if c.name not in given]
    if missing:
        from .errors import UserError
        names = ", ".join(c.name for c in missing)
        raise_user(UserError(f"'{top.name}' is called from Python without its compile-time "
                             f"parameter{'s' * (len(missing) > 1)} {names}", missing[0].span,
                             label="no default", hint=f"give {'them' if len(missing) > 1 else 'it'}"
                             f" in brackets: {top.name}[...](...)"))
    new_params = tuple(dataclasses.replace(p, type=_transform(p.type, substitute))
                       for p in top.params)
    callee = S.Name(top.name, span=sp)
    if params is not None:
        callee = S.Subscript(callee, tuple(args), (), span=sp)
    # Keyword-only parameters (after a bare `*`) are passed by name.
    call = S.Call(callee, tuple(S.Name(p.name, span=p.span) for p in top.params
                                if not p.keyword_only),
                  tuple(S.Keyword(p.name, S.Name(p.name, span=p.span), span=p.span)
                        for p in top.params if p.keyword_only), span=sp)
    body = (S.ExprStmt(call, span=sp) if top.ret is None else S.Return(call, span=sp),)
    ret = None if top.ret is None else _transform(top.ret, substitute)
    name = ENTRY_PREFIX + top.name
    wrapper = S.FnDef(name, (), new_params, ret, True, body, (), span=sp,
                      name_span=top.name_span)
    return S.Module(unit.tree.body + (wrapper,), span=unit.tree.span), name


def _not_given(fndef) -> bool:
    """Whether some compile-time parameter of `fndef` has no default (so that Python
    calls an instance: one it names, or one the arguments give)."""
    return any(c.default is None for c in fndef.ct_params)


class _Generic(Exception):
    """Raised out of a kernel's build for introspection: `fndef` is generic, and
    no instance is named."""

    def __init__(self, fndef):
        self.fndef = fndef


# ------------------------------------------------------------------ inferred parameters
class _Dispatch(Exception):
    """Raised out of a kernel's build: its call infers parameters (`plan`)."""

    def __init__(self, plan):
        self.plan = plan


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
        for i, p in enumerate(fndef.params):
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
        for p in fndef.params:
            if p.type is not None:
                mentioned |= S.names_in(p.type)
        return cls(fndef, given, missing) if set(missing) <= mentioned else None

    def key(self, args, kwargs) -> tuple:
        """What of the arguments decides the instance (cheap: read on every call)."""
        n, key = len(args), []
        for i, name, _, simd in self.relevant:
            v = args[i] if i is not None and i < n else kwargs.get(name, _NO_VALUE)
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
                              kwargs.get(arg, _NO_VALUE), simd)
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
                    raise _missing_arguments(name, uses)
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
                    kwargs.get(name, _NO_VALUE)
                return "not given" if value is _NO_VALUE else describe_value(value)
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
        said = ", ".join(f"'{n}' as {_spell(p)}" for n, p in inferred)
        return TypeError(f"{name}(): the arguments give compile-time parameter"
                         f"{'s' * (len(inferred) > 1)} {said}, and "
                         f"{name}[{', '.join(_spell(p) for p in params)}] does not "
                         f"compile:\n{error}")


def _declarations(kernel: Kernel):
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
            a.posonlyargs or a.kwarg:
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

    every = a.args + ([a.vararg] if a.vararg else []) + a.kwonlyargs
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
    n = len(a.args)
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
    return _spell(_marker_of(value))


def _head(type_node) -> str | None:
    from . import syntax as S
    if isinstance(type_node, S.Subscript) and isinstance(type_node.value, S.Name):
        return type_node.value.id
    return None


def compile_unit(kernel: Kernel) -> Unit:
    builder = _UnitBuilder()
    builder.add_kernel(kernel)
    return builder.finish()


_NO_VALUE = object()


class _UnitBuilder:
    def __init__(self):
        self.names: dict[str, tuple] = {}     # name in the unit → what it stands for
        self.prelude: list[str] = []          # lines of `import` / `alias` text
        self.fndefs: list = []
        self.kernels: dict[int, str] = {}     # id(kernel) → its name in the unit
        self.first_source = None
        self.top = None

    def bind(self, want: str, identity: tuple) -> tuple[str, bool]:
        """A unit-wide name for `identity`, `want` unless taken by something
        else. Returns (name, is_new)."""
        name, i = want, 1
        while name in self.names and self.names[name] != identity:
            i += 1
            name = f"{want}_{i}"
        new = name not in self.names
        self.names[name] = identity
        return name, new

    def add_kernel(self, kernel: Kernel) -> str:
        if kernel._generic is not None:      # `other[3]` used as a global: the kernel itself
            kernel = kernel._generic[0]
        if id(kernel) in self.kernels:
            return self.kernels[id(kernel)]
        source, fndef = _parsed(kernel)
        is_top = self.first_source is None
        if is_top:
            self.first_source = source
        name, _ = self.bind(fndef.name, ("kernel", id(kernel)))
        self.kernels[id(kernel)] = name
        fndef = _Resolver(self, kernel.py_function, fndef, top=True).run()
        if fndef.name != name:
            import dataclasses
            fndef = dataclasses.replace(fndef, name=name)
        self.fndefs.append(fndef)
        if is_top:
            self.top = fndef
        return name

    def finish(self) -> Unit:
        from . import syntax as S
        from .parser import parse
        from .source import Source
        body = []
        if self.prelude:
            where = self.first_source.name
            prelude = Source(f"<names {where} gives its kernels>", "\n".join(self.prelude) + "\n")
            body.extend(parse(prelude).body)
        body.extend(self.fndefs)
        return Unit(S.Module(tuple(body), span=self.first_source.span(0, 0)), self.first_source,
                    self.top)


def _parsed(kernel: Kernel):
    cached = kernel.__dict__.get("_parsed_def")
    if cached is None:
        cached = kernel.__dict__["_parsed_def"] = read_kernel(kernel.py_function)
    return cached


class _Resolver:
    """Rewrites one kernel's Python spellings and resolves its free names."""

    def __init__(self, unit: _UnitBuilder, function, fndef, top: bool):
        self.unit, self.function, self.fndef, self.top = unit, function, fndef, top
        code = function.__code__
        self.scope = dict(function.__globals__)
        self.closure = set()         # names read from enclosing functions
        self.dotted = {}             # a name made for `mod.attr` → "mod.attr"
        for var, cell in zip(code.co_freevars, function.__closure__ or ()):
            try:
                self.scope[var] = cell.cell_contents
                self.closure.add(var)
            except ValueError:       # an enclosing variable not assigned yet
                pass

    def lookup(self, name: str):
        return self.scope.get(name, _NO_VALUE)

    def marker(self, name: str):
        """The mojolite marker a free name stands for (by value, or by its own
        name when Python never evaluated it, as in a nested def's annotations)."""
        value = self.lookup(name)
        if value is _NO_VALUE:
            return MARKERS.get(name)
        return value if isinstance(value, (Marker, _DType)) else None

    def run(self):
        fndef = self.flatten_mojolite_attributes(self.fndef)
        fndef = self.read_module_attributes(fndef)
        fndef = _transform(fndef, self.rewrite_spellings)
        renames = {}
        for name, use in _free_names(fndef).items():
            target = self.resolve(name, use)
            if target is not None and target != name:
                renames[name] = target
        if renames:
            from . import syntax as S
            fndef = _transform(fndef, lambda n: S.Name(renames[n.id], span=n.span)
                               if isinstance(n, S.Name) and n.id in renames else n)
        return fndef

    # -- `mojolite.Float64` and `@mojolite.parameter` → `Float64`, `@parameter`
    def flatten_mojolite_attributes(self, fndef):
        import dataclasses
        import sys

        from . import syntax as S
        package = sys.modules[__package__]
        aliases = {n for n in _free_names(fndef) if self.lookup(n) is package}
        if not aliases:
            return fndef

        flattened = set()

        def rule(node):
            if isinstance(node, S.Attribute) and isinstance(node.value, S.Name) and \
                    node.value.id in aliases:
                flattened.add(node.name)
                return S.Name(node.name, span=node.span)
            if isinstance(node, S.Decorator) and node.name.split(".")[0] in aliases:
                return dataclasses.replace(node, name=node.name.split(".", 1)[-1])
            return node
        for n in aliases:
            self.scope.pop(n, None)
        fndef = _transform(fndef, rule)
        # `ml.vectorize` is the package's marker even where the module never
        # imported the bare name (which resolves to its import).
        for n in flattened & MARKERS.keys():
            self.scope.setdefault(n, MARKERS[n])
        return fndef

    # -- `kernels.saxpy`, `config.N`: a name read from another Python module
    def user_module(self, name: str):
        """The Python module a free name stands for, if it is one whose
        attributes a kernel reads (not `math`, `time`: the language's own)."""
        value = self.lookup(name)
        if isinstance(value, types.ModuleType) and _std_import(value) is None:
            return value
        return None

    def read_module_attributes(self, fndef):
        """`mod.name` (and `pkg.mod.name`) where `mod` is a Python module becomes
        a free name standing for that attribute's value, resolved as a global is."""
        from . import syntax as S
        free = _free_names(fndef)
        if not any(self.user_module(n) is not None for n in free):
            return fndef
        taken = _bound_names(fndef) | set(free)

        def rule(node):
            if not (isinstance(node, S.Attribute) and isinstance(node.value, S.Name)):
                return node
            module = self.user_module(node.value.id) if node.value.id in free or \
                node.value.id in self.dotted else None
            if module is None:
                return node
            dotted = f"{self.dotted.get(node.value.id, node.value.id)}.{node.name}"
            value = getattr(module, node.name, _NO_VALUE)
            if value is _NO_VALUE:
                from .errors import UserError
                raise_user(UserError(f"module '{module.__name__}' has no attribute "
                                     f"'{node.name}'", node.span))
            synth = want = dotted.replace(".", "_")
            i = 1
            while synth in taken and self.scope.get(synth, _NO_VALUE) is not value:
                i += 1
                synth = f"{want}_{i}"
            taken.add(synth)
            self.scope[synth] = value
            self.dotted[synth] = dotted
            return S.Name(synth, span=node.span)
        return _transform(fndef, rule)

    # -- Python spellings of parameter conventions, compile-time parameters, aliases
    def wrapper_of(self, annotation):
        """(marker name, inner type expression) for `Mut[T]`, `Param[T]`, `Alias[T]`,
        ("Alias", None) for a bare `Alias`; None for anything else."""
        from . import syntax as S
        if isinstance(annotation, S.Name):
            m = self.marker(annotation.id)
            return ("Alias", None) if m is not None and m.name == "Alias" else None
        if not (isinstance(annotation, S.Subscript) and isinstance(annotation.value, S.Name)):
            return None
        m = self.marker(annotation.value.id)
        if m is None or m.name not in ("Mut", "Inout", "Owned", "Param", "Alias"):
            return None
        if len(annotation.args) != 1 or annotation.kwargs:
            from .errors import UserError
            raise_user(UserError(f"{m.name}[...] takes one type", annotation.span,
                                 hint=f"e.g. `{m.name}[Int]`"))
        return m.name, annotation.args[0]

    def rewrite_spellings(self, node):
        import dataclasses

        from . import syntax as S
        if isinstance(node, S.FnDef):
            node = dataclasses.replace(node, raises=True)    # every `def` raises, as in Mojo
            params, ct = [], list(node.ct_params)
            for p in node.params:
                w = self.wrapper_of(p.type) if p.type is not None else None
                if w is None or w[0] == "Alias":
                    params.append(p)
                elif w[0] == "Param":
                    ct.append(S.CtParam(p.name, w[1], p.default, span=p.span))
                else:
                    conv = S.CONVENTION_SPELLINGS[CONVENTIONS[w[0]]]
                    params.append(dataclasses.replace(p, type=w[1], convention=conv))
            if len(params) != len(node.params) or ct != list(node.ct_params) or \
                    any(a is not b for a, b in zip(params, node.params)):
                return dataclasses.replace(node, params=tuple(params), ct_params=tuple(ct))
            return node
        if isinstance(node, S.VarDecl) and node.type is not None:
            w = self.wrapper_of(node.type)
            if w is not None and w[0] == "Alias":
                if node.value is None:
                    from .errors import UserError
                    raise_user(UserError("an alias needs a value", node.span,
                                         hint=f"`{node.name}: Alias = <constant>`"))
                return S.AliasDef(node.name, w[1], node.value, span=node.span,
                                  name_span=node.name_span)
        return node

    # -- free names
    def resolve(self, name: str, use):
        """The unit-wide name `name` becomes, adding what it needs (a kernel, an
        import, an alias); None leaves it to the language (a builtin, or an
        unknown name the checker reports)."""
        value = self.lookup(name)
        if value is _NO_VALUE:
            return None
        unit = self.unit
        if isinstance(value, Kernel):
            return unit.add_kernel(value)
        from .pystruct import PyStruct, add_struct
        if isinstance(value, PyStruct):
            return add_struct(unit, value)
        if isinstance(value, _DType):
            return "DType"
        if isinstance(value, Marker):
            return self.resolve_marker(name, value)
        constant = _constant_text(value)
        if constant is not None:
            shown = self.dotted.get(name, name)
            _check_literal_size(_python_scalar(value), use.span, f"the Python global '{shown}'")
            bound, new = unit.bind(name, ("alias", constant))
            if new:
                unit.prelude.append(constant.replace("{name}", bound))
            return bound
        std = _std_import(value)
        if std is not None:
            module, member = std
            if member is None:
                bound, new = unit.bind(name, ("module", module))
                if new:
                    unit.prelude.append(f"import {module} as {bound}")
            else:
                bound, new = unit.bind(name, ("import", module, member))
                if new:
                    unit.prelude.append(f"from {module} import {member} as {bound}")
            return bound
        from .errors import UserError
        shown = self.dotted.get(name, name)
        what = (f"variable '{name}' of an enclosing function" if name in self.closure
                else f"global '{shown}'")
        raise_user(UserError(f"the kernel uses the Python {what}, "
                             f"{_describe(value)}", use.span, label="not usable in a kernel",
                             hint=_global_hint(shown, value)))

    def resolve_marker(self, name: str, m: Marker):
        unit = self.unit
        if m.kind == "std":
            bound, new = unit.bind(name, ("import", m.module, m.name))
            if new:
                unit.prelude.append(f"from {m.module} import {m.name} as {bound}")
            return bound
        if m.kind in ("type", "dtype") and name != m.spelling:
            bound, new = unit.bind(name, ("alias", m.spelling))
            if new:
                unit.prelude.append(f"alias {bound} = {m.spelling}")
            return bound
        return m.name if m.kind not in ("type", "dtype") else None


def raise_user(err):
    from .errors import CompileError
    raise CompileError([err])


def _python_scalar(value):
    """A NumPy bool, integer or float scalar as the Python value it holds;
    anything else as it is."""
    if type(value).__module__ == "numpy" and hasattr(value, "dtype") and \
            getattr(value, "shape", None) == () and value.dtype.kind in "biuf":
        return value.item()
    return value


def _int_text(value: int) -> str:
    """An int as a literal; in hex past 4096 bits, which Python converts at any length
    (such a value spells an instance's or a cache key's text; as a literal it is refused,
    at the kernel's line, by `_check_literal_size`)."""
    return hex(value) if value.bit_length() > 4096 else str(value)


def _check_given_kind(kernel: str, c, value) -> None:
    """A value Python gives a Bool, number or DType compile-time parameter that is not
    of its kind (`scale[True]` for `k: Param[Int]`) is the user's error at the
    parameter, naming it and its type: the checker would see only the made-up text
    that spells the value, and suggest converting the parameter's own declaration."""
    from . import syntax as S
    from .errors import shown_int
    want = c.type.id if isinstance(c.type, S.Name) else None
    if want not in SCALAR_TYPES and want != "DType":
        return
    if isinstance(value, bool):
        kind, text, fits = "bool", str(value), want == "Bool"
    elif isinstance(value, int):
        kind, text, fits = "int", shown_int(value), want not in ("Bool", "DType")
    elif isinstance(value, float):
        kind, text, fits = "float", repr(value), want.startswith("Float")
    elif isinstance(value, Marker) and value.kind in ("dtype", "type"):
        kind, text = ("DType" if value.kind == "dtype" else "type"), repr(value)
        fits = value.kind == "dtype" and want == "DType"
    else:
        return              # the checker says what else is wrong
    if not fits:
        from .errors import UserError
        article = "an" if want.startswith("Int") else "a"
        raise_user(UserError(f"compile-time parameter '{c.name}' of '{kernel}' expects "
                             f"{article} {want}, got {kind} {text}", c.span,
                             label=f"given {text} from Python"))


def _check_literal_size(value, span, what: str = "") -> None:
    """An int the language's literals cannot hold (past 2**4096) is the user's error at
    `span`, where the kernel names or declares it: the parser would refuse it in the
    made-up text that spells it (`alias N = 0x...`), with all of its digits."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 1 << 4096:
        from .errors import UserError
        raise_user(UserError("integer literal is too large", span,
                             label=f"{what + ', ' if what else ''}an int of {value.bit_length()} "
                                   "bits: literals and their arithmetic stop at 2**4096"))


def _constant_text(value) -> str | None:
    """`alias {name} = <value>` for a number or Bool, None for anything else."""
    import math
    value = _python_scalar(value)
    if isinstance(value, bool):
        return f"alias {{name}} = {value}"
    if isinstance(value, int):
        return f"alias {{name}} = {_int_text(int(value))}"
    if isinstance(value, float):
        if math.isfinite(value):
            return f"alias {{name}} = {float(value)!r}"
        # inf and nan have no literal: take them from `math`.
        if value != value or value > 0:
            return f"from math import {'nan' if value != value else 'inf'} as {{name}}"
        return "from math import inf as {name}_pos\nalias {name} = -{name}_pos"
    return None


_PY_STD_MODULES = ("math", "time")      # time: perf_counter_ns is the same function


def python_import(module: str, name: str | None) -> tuple[str, str]:
    """What a kernel's Python module says to use the language's `module.name`
    (`name` None: the module itself): the line to add, and how the kernel then
    writes the name ("" when as before). docs/python.md gives these spellings."""
    import importlib
    if name in STD_NAMES:
        return f"from mojolite import {name}", ""
    if module not in _PY_STD_MODULES:      # no Python twin: the names come from mojolite
        return "import mojolite", f"`mojolite.NAME` for `{module}.NAME`"
    if name is None:
        return f"import {module}", ""
    if hasattr(importlib.import_module(module), name):
        return f"from {module} import {name}", ""
    return f"import {module}", f"`{module}.{name}`"      # math.rsqrt: not in Python's math


def _std_import(value):
    """(module, None) for Python's `math` module, (module, name) for one of its
    functions, None for anything else."""
    import types
    if isinstance(value, types.ModuleType):
        return (value.__name__, None) if value.__name__ in _PY_STD_MODULES else None
    module = getattr(value, "__module__", None)
    name = getattr(value, "__name__", None)
    if module in _PY_STD_MODULES and isinstance(name, str) and callable(value):
        from .check_imports import STD_MODULES
        if name in STD_MODULES.get(module, ()):
            return module, name
    return None


def _describe(value) -> str:
    import types
    if isinstance(value, types.ModuleType):
        return f"which is the module {value.__name__}"
    if isinstance(value, types.FunctionType):
        return f"which is the Python function {value.__qualname__} (not a kernel)"
    kind = type(value)
    text = repr(value)
    text = text if len(text) <= 40 else text[:37] + "..."
    return f"which is a {kind.__module__ + '.' if kind.__module__ != 'builtins' else ''}" \
           f"{kind.__qualname__} ({text})"


def _global_hint(name: str, value) -> str:
    import types
    base = ("a kernel may use other @mojolite.fn kernels, int/float/bool constants, mojolite "
            "types (from mojolite import Float64, Tensor, ...) and Python's math module")
    if isinstance(value, types.FunctionType):
        return f"decorate {value.__qualname__} with @mojolite.fn to call it from a kernel"
    from .check_imports import STD_MODULES
    member = getattr(value, "__name__", None)
    if callable(value) and member in STD_MODULES["math"]:
        return f"use the language's `math.{member}` (`import math`), which also works on SIMD"
    if type(value).__module__ == "numpy" or type(value).__module__.startswith("numpy"):
        return f"pass '{name}' to the kernel as an argument instead; " + base
    return base

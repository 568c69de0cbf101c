"""The Python surface: `@mojolite.fn`.

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
- importing this module imports neither Lark, LLVM nor NumPy; the names kernels
  are annotated with are `markers.py`'s, the parameters a call infers from its
  arguments `inference.py`'s.
"""
from __future__ import annotations

import _thread
import os
import sys
import types

from .markers import CONVENTIONS, MARKERS, SCALAR_TYPES, STD_NAMES, DTypeNames, Marker, int_text, \
    python_scalar, spell

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
        spelling = ", ".join(spell(p) for p in params)
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
                from .inference import Inference, declarations
                fndef = declarations(base)
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
                    unit = api.within_limits(compile_unit, base)
                tree, entry = unit.tree, unit.top.name
                from .inference import Inference
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
    def __signature__(self):
        """The function's own signature, less a named result (`r: Out[T]`): that is
        what a call returns, not an argument it takes."""
        import inspect
        sig = inspect.signature(self.py_function)
        out = [p for p in sig.parameters.values() if _is_out(p.annotation)]
        if not out:
            return sig
        ann = out[0].annotation
        return sig.replace(parameters=[p for p in sig.parameters.values() if p not in out],
                           return_annotation=ann.args[0] if isinstance(ann, Marker) else
                           ann.strip()[len("Out["):-1])

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


def _is_out(annotation) -> bool:
    """Whether a parameter's annotation is `Out[T]` (or the string "Out[T]")."""
    if isinstance(annotation, Marker):
        return annotation.name == "Out" and annotation.kind == "convention[]"
    return isinstance(annotation, str) and annotation.strip().startswith("Out[")


def signature_of(fn) -> str:
    """`fn f(x: Float64, lo: Float64 = 0.0) raises -> Float64`: a default shown
    as the value it folded to; a bare `*` before keyword-only parameters, a
    variadic one as declared (`*xs: Int`), and a named result where it is
    written (`fn incr(a: Int, out b: Int) raises`)."""
    from .typesys import REQUIRED, default_of
    from .typesys import ret_is_none
    variadic = getattr(fn, "variadic", None)
    posonly = getattr(fn, "posonly", 0)
    result = getattr(fn, "result", None)        # `out r: T`, shown where it is written
    shown = []
    for k, p in enumerate(fn.params):
        if result is not None and k == result[0]:
            shown.append(f"out {result[1]}: {fn.ret}")
        if k and k == posonly:
            shown.append("/")
        if k == fn.positional and variadic is None:
            shown.append("*")
        t = p.type.element if k == variadic else p.type
        shown.append(("*" if k == variadic else "") + ("mut " if p.by_ref else "") +
                     f"{p.name}: {t}" +
                     (f" = {_value_text(default_of(fn, k), p.type)}"
                      if default_of(fn, k) is not REQUIRED else ""))
    if posonly and posonly == len(fn.params):
        shown.append("/")
    if result is not None and result[0] == len(fn.params):
        shown.append(f"out {result[1]}: {fn.ret}")
    params = ", ".join(shown)
    raises = " raises" if fn.raises else ""
    ret = "" if ret_is_none(fn.ret) or result is not None else f" -> {fn.ret}"
    return f"fn {fn.name}({params}){raises}{ret}"


def generic_signature(fndef, name: str) -> str:
    """`fn gsum[dt: DType](a: Tensor[dt]) raises -> Scalar[dt]`: a kernel's signature
    before its compile-time parameters are given, as it declares them."""
    def one(p, prefix=""):
        default = "" if p.default is None else f" = {_written(p.default)}"
        return f"{prefix}{p.name}: {_written(p.type)}{default}"
    ct = ", ".join(one(c) for c in fndef.ct_params)
    shown = []
    for k, p in enumerate(fndef.params):
        if k and fndef.params[k - 1].positional_only and not p.positional_only:
            shown.append("/")
        if p.keyword_only and not any(s.startswith("*") for s in shown):
            if not p.variadic:
                shown.append("*")
        prefix = "*" if p.variadic else "" if p.convention.value == "read" else \
            f"{p.convention.value} "
        shown.append(one(p, prefix) if p.type is not None else prefix + p.name)
    if fndef.params and fndef.params[-1].positional_only:
        shown.append("/")
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


def unquote_annotations(node, lines: list[str], shift: int) -> list[str]:
    """`lines` with the quotes of each plain one-line string literal in an
    annotation of `node` (the Python `ast` of the definition they hold, parsed
    `shift` lines below them) blanked to spaces: `x: "Tensor[DType.float64]"`,
    `-> "Point"` are read as the types they hold, as Python's forward references
    are, and every column stays where it is in the file. A string with escapes
    or triple quotes is left as it is (the checker says it is not a type)."""
    import ast
    annotations = []
    for n in ast.walk(node):
        if isinstance(n, ast.arg) and n.annotation is not None:
            annotations.append(n.annotation)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.returns is not None:
            annotations.append(n.returns)
        elif isinstance(n, ast.AnnAssign):
            annotations.append(n.annotation)
    lines = list(lines)
    for annotation in annotations:
        for c in ast.walk(annotation):
            if not (isinstance(c, ast.Constant) and isinstance(c.value, str)) or \
                    c.lineno != c.end_lineno or c.lineno <= shift:
                continue
            i = c.lineno - 1 - shift
            raw = lines[i].encode()         # ast columns count UTF-8 bytes
            literal = raw[c.col_offset:c.end_col_offset]
            if len(literal) >= 2 and literal[:1] in (b'"', b"'") and \
                    literal[-1:] == literal[:1] and literal[1:-1] == c.value.encode():
                lines[i] = (raw[:c.col_offset] + b" " + literal[1:-1] + b" " +
                            raw[c.end_col_offset:]).decode()
    return lines


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
    unquoted = unquote_annotations(node, lines, shift)
    def_index = node.lineno - 1 - shift      # decorators come before it
    blanked = ["".join(" " if c not in "\r\n" else c for c in line)
               for line in lines[:def_index]]
    text = head + "".join(blanked + unquoted[def_index:])
    shown = head + "".join(blanked + lines[def_index:])
    source = Source(filename, text, first - 1 - shift, python=True, shown=shown)
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
            _check_literal_size(python_scalar(p), c.span)
            _check_given_kind(top.name, c, python_scalar(p))
        text = ", ".join(spell(p) for p in params)
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
                       for p in top.passed)     # a named result (`out r: T`) is returned
    callee = S.Name(top.name, span=sp)
    if params is not None:
        callee = S.Subscript(callee, tuple(args), (), span=sp)
    # Keyword-only parameters (after a bare `*`) are passed by name.
    call = S.Call(callee, tuple(S.Name(p.name, span=p.span) for p in top.passed
                                if not p.keyword_only),
                  tuple(S.Keyword(p.name, S.Name(p.name, span=p.span), span=p.span)
                        for p in top.passed if p.keyword_only), span=sp)
    ret = top.ret if top.result is None else top.result.type
    body = (S.ExprStmt(call, span=sp) if ret is None else S.Return(call, span=sp),)
    ret = None if ret is None else _transform(ret, substitute)
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


class _Dispatch(Exception):
    """Raised out of a kernel's build: its call infers parameters (`plan`)."""

    def __init__(self, plan):
        self.plan = plan


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
        return value if isinstance(value, (Marker, DTypeNames)) else None

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
        if m is None or m.name not in ("Mut", "Inout", "Owned", "Out", "Param", "Alias"):
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
        if isinstance(value, DTypeNames):
            return "DType"
        if isinstance(value, Marker):
            return self.resolve_marker(name, value)
        constant = _constant_text(value)
        if constant is not None:
            shown = self.dotted.get(name, name)
            _check_literal_size(python_scalar(value), use.span, f"the Python global '{shown}'")
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
    value = python_scalar(value)
    if isinstance(value, bool):
        return f"alias {{name}} = {value}"
    if isinstance(value, int):
        return f"alias {{name}} = {int_text(int(value))}"
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

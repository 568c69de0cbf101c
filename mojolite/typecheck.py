"""Type checker: `syntax.Module` → `typed.Program`.

In: the parsed module and its `Source`. Out: a typed tree in which every
expression has a concrete type, every implicit conversion is an explicit
`Cast` (or a literal given its type), aliases are folded to constants and
names are resolved to `Var`s and `Function`s; or a `CompileError` with up to
`MAX_ERRORS` user errors, each pointing at the exact span.

Literals: an integer or float literal, and arithmetic on literals only, is
typed `IntLiteral`/`FloatLiteral` and folded with Python's exact arithmetic;
it takes the type of the other operand or of its destination (`Int8(127) + 1`
is Int8 arithmetic), else defaults to `Int`/`Float64`. Nothing else converts
implicitly.
"""
from __future__ import annotations

import contextlib
import dataclasses
import functools
import math
import os

from . import semantics
from . import syntax as S
from . import typed as T
from .check_control import ControlChecks, always_exits
from .check_errors import ErrorChecks
from .check_functions import FunctionValueChecks, Overloads
from .check_imports import MATH_FUNCTIONS, NUMERIC_LIMITS, STD_MODULES, ImportChecks, module_name
from .check_lists import ListMethodChecks
from .check_numbers import RADIX, NumberChecks
from .check_memory import MemoryChecks
from .check_simd import SimdChecks
from .check_parallel import ParallelChecks
from .check_stdlib import STDLIB_FUNCTIONS, StdlibChecks
from .check_strings import STRING_FUNCTIONS, StringChecks
from .check_structs import (BUILTIN_TRAITS, FuncTemplate, StructChecks, StructTemplate,
                            TraitEntity, mark_field_inits)
from .check_tuples import TupleChecks
from .errors import MAX_ERRORS, CompileError, UserError, did_you_mean, shown_int
from .raising_defs import mark_raising_defs
from .scopes import (FAILED, POISON, AliasTemplate, BuiltinEntity, ConstEntity, DTypeNamespace, FuncEntity,
                     GenericTypeEntity, ModuleEntity, Poison, Scope, TypeEntity)
from .source import Source, Span
from .typesys import (BOOL, DTYPE, DTYPE_MEMBERS, ERROR, FLOAT64, FLOAT_LITERAL, INT, INT_LITERAL,
                      NONE, SCALAR_NAMES, STRING, DType, FnType, ListType, Pointer, SIMD, Struct,
                      Tensor, Type, is_bool, is_int, is_numeric, is_tuple,
                      list_depth, MAX_LIST_DEPTH, owns_memory)

# -------------------------------------------------------------- standard names
# The modules whose names a program must import (`tensor` and `collections` hold
# builtins; `sys.info`'s names are also `sys`'s): an unknown name advises them.
MAX_ALIAS_DEPTH = 64       # parametric aliases read one inside another
IMPORTED_MODULES = ("math", "algorithm", "sys", "memory", "random", "time", "utils.numerics")
# isnan, isinf and isfinite of an integer: a constant (no integer is NaN or infinite).
INT_PREDICATES = {"isnan": False, "isinf": False, "isfinite": True}
BUILTIN_FUNCTIONS = {"print", "range", "len", "min", "max", "abs", "Error", "reversed", "str",
                     "sort", "divmod", "alloc"} | STRING_FUNCTIONS | set(RADIX)
MEMORY_BUILTINS = {"len", "memset_zero", "memcpy", "reversed"}
# Python's names for what the language spells otherwise: an unknown name says how.
_ONE_ERROR = "raise `Error(\"message\")`: the language has one error type, `Error`"
PYTHON_NAMES = {
    "float": "the type is `Float64` (or `Float32`); convert with `Float64(x)`",
    "int": "the type is `Int`; convert with `Int(x)`",
    "bool": "the type is `Bool`; convert with `Bool(x)`",
    "tuple": "the type is `Tuple[Int, Float64]` (`from mojolite import Tuple` in a Python "
             "kernel; `(Int, Float64)` in a .ml file)",
    "list": "the type is `List[Int]`: `List[Int]()` makes an empty one",
    **{name: _ONE_ERROR for name in (
        "Exception", "ValueError", "TypeError", "RuntimeError", "IndexError", "KeyError",
        "ZeroDivisionError", "ArithmeticError", "OverflowError", "AssertionError",
        "NotImplementedError")},
}
# A NumPy array's attributes, read from a Tensor: what to write instead.
_NUMPY_ATTRIBUTES = {
    "shape": "the size of axis k is `t.dim(k)`",
    "ndim": "the number of axes is `t.rank()`",
    "size": "the number of elements is `t.num_elements()`",
}
# Names that later issues implement; using them now is a clear "not yet" error.
NOT_YET = {"Tensor", "List", "DTypePointer", "len", "String"}


def typecheck(module: S.Module, source: Source) -> T.Program:
    """A `def` whose body raises in a way `mark_raising_defs` cannot see by names
    alone (`a < b` calling a raising `__lt__`, a raising function value) is found
    raising by the check, which then starts again with it marked `raises`."""
    forced: set = set()
    while True:
        checker = _Checker(source, forced)
        try:
            return checker.check_module(module)
        except CompileError:
            if checker.raising_defs <= forced:
                raise
            forced |= checker.raising_defs


class _FnState:
    def __init__(self, fn: T.Function, node: S.FnDef):
        self.fn, self.node = fn, node
        self.loop_depth = 0
        self.top: Scope | None = None
        self.let_depth: dict[T.Var, int] = {}   # a `let x: T` (no value): its loop depth
        self.let_maybe: set[T.Var] = set()      # the `let`s that some path has assigned
        # Per loop being checked, innermost last: the assigned variables at each of its
        # `break`s and at each of its `continue`s (`loop_exits`)
        self.exits: list[tuple[list[set], list[set]]] = []
        # Per loop being checked, innermost last: the hidden Bool its `break`s set, for
        # a loop with an `else:` (`loop_else`), else None; `next_else_flag` is the one
        # the next loop to start takes
        self.else_flags: list = []
        self.next_else_flag = None
        self.broke: set = set()         # the else flags that some `break` sets
        self.try_depth = 0              # enclosing `try` bodies (raising is allowed there)
        self.result_read = False        # the named result read before assigned: reported
        # Per enclosing `try` body whose errors go to a handler or a `finally:`, innermost
        # last: the assigned variables at each point in it that may raise (`note_raise`)
        self.raise_states: list[list[set]] = []
        self.handling: list = []        # the caught errors of the enclosing handlers
        self.pending: list = []         # the enclosing `finally:`s an exit must run
        self.unrolling = 0              # depth of `@parameter for` bodies being unrolled
        self.loop_breaks: list[set] = []        # those of the loop checked last
        self.result: T.Var | None = None        # the named result `out r: T`, if any


class _Checker(ImportChecks, ControlChecks, MemoryChecks, StructChecks, ParallelChecks,
               ErrorChecks, FunctionValueChecks, StdlibChecks, SimdChecks, TupleChecks,
               StringChecks, ListMethodChecks, NumberChecks):
    def __init__(self, source: Source, forced: set = frozenset()):
        self.source = source
        self.errors: list[UserError] = []
        # the `def`s (`def_key`) to mark `raises`, and those found to raise unmarked
        self.forced_raising, self.raising_defs = forced, set()
        self.globals = Scope()
        self.builtins = Scope()
        self._install_builtins()
        self.globals.parent = self.builtins
        self.functions: list[T.Function] = []
        self.symbols: set[str] = set()         # of self.functions
        self.fs: _FnState | None = None
        self.scope = self.globals
        self.assigned: set[T.Var] = set()
        self.transferred: dict[T.Var, Span] = {}    # a variable → its last `x^`
        self.named_results: set[T.Var] = set()      # each function's `out r: T`
        # `c ? 1 : 0` of two literals → its literal branches, converted again where the
        # value meets a type (`var u: UInt8 = 1 if c else 0`); keyed by id, node kept
        self.literal_choices: dict[int, tuple[T.IfExp, T.Const, T.Const]] = {}
        # A tuple expression: (the Construct, its elements before defaults, their spans)
        self.tuple_literals: dict[int, tuple] = {}
        self.tuple_equals: dict = {}          # (Tuple, Tuple[, op]) → its `==` (`<` ...) helper
        # List of structs → its `in` helper Function; ("count" or "sort", List) → that helper
        self.list_contains: dict = {}
        self.helper_raises: dict = {}         # such a helper → the `raises` fn it calls
        self.struct_infos: dict = {}          # Struct → StructInfo
        self.struct_building: list = []       # the structs whose fields are being declared
        self.loop_elements: dict = {}         # `for x in l`'s read-only x → the text `l`
        self.lifecycles = False               # some struct has `__del__`/`__copyinit__`
        self.pending: list[FuncEntity] = []   # functions whose bodies are still to check
        self.open_closures: set[T.Function] = set()   # nested fns whose bodies are being checked
        self.file_modules: dict[str, ModuleEntity] = {}   # real path → the module declared
        self.importing: list[tuple[str, str]] = []   # (name, real path) of files being declared
        if source.directory is not None:
            self.importing.append((module_name(source.name), os.path.realpath(source.name)))

    # ------------------------------------------------------------ plumbing
    def _install_builtins(self):
        for name, dt in SCALAR_NAMES.items():
            if dt is not DType.float16:
                self.builtins.names[name] = TypeEntity(SIMD(dt, 1))
        for name in ("SIMD", "Scalar", "UnsafePointer", "DTypePointer", "Tensor", "List",
                     "Tuple"):
            self.builtins.names[name] = GenericTypeEntity(name)
        self.builtins.names["DType"] = DTypeNamespace()
        for name in BUILTIN_TRAITS:
            self.builtins.names[name] = TraitEntity(name)
        self.builtins.names["String"] = TypeEntity(STRING)
        self.builtins.names["NoneType"] = TypeEntity(NONE)
        for name in BUILTIN_FUNCTIONS:
            self.builtins.names[name] = BuiltinEntity(name)

    def error(self, message: str, span: Span, label: str = "", hint: str = "") -> UserError:
        return UserError(message, span, label=label, hint=hint)

    def report(self, err: UserError):
        """Record `err`, once: a generic body is checked per instantiation (a
        vectorize closure at width w and 1), and its mistakes are the same each time."""
        if any(e.render() == err.render() for e in self.errors):
            return
        if len(self.errors) == MAX_ERRORS:
            raise CompileError(self.errors, more=True)
        self.errors.append(err)

    def guarded(self, fn, *args):
        """Run one statement's check; record its error and go on with the next."""
        try:
            return fn(*args)
        except UserError as e:
            self.report(e)
        except Poison:
            pass
        return None

    def declaring(self, scope: Scope, name: str, fn, *args):
        """Run `fn`, the check of a declaration of `name` in `scope`; if it fails,
        `name` is declared all the same, as FAILED (unless an earlier declaration
        holds it), so that its uses report nothing more."""
        try:
            return fn(*args)
        except (UserError, Poison):
            scope.names.setdefault(name, FAILED)
            raise

    # ------------------------------------------------------------ module
    def check_module(self, module: S.Module) -> T.Program:
        """Names and signatures first (`declare_file`), then bodies (instantiating
        generic code adds bodies as it goes), imported files' with the program's."""
        self.declare_file(module)
        while self.pending:
            self.guarded(self.check_body, self.pending.pop(0))
        if self.errors:
            raise CompileError(self.errors)
        return T.Program(self.functions, self.source.name, self.imported_names())

    def imported_names(self) -> dict[str, str]:
        """`T.Program.names`: of the program's file and of each imported one."""
        names = {}
        for scope in [self.globals] + [m.scope for m in self.file_modules.values()]:
            for name, ent in scope.names.items():
                target = _entity_name(ent)
                if target is None or scope is self.globals and target == name + "[]":
                    continue        # the file's own generic: `Module.generic` finds it
                if target != scope.qualifier + name or target.endswith("[]"):
                    names[scope.qualifier + name] = target
        return names

    def declare_file(self, module: S.Module):
        """The top-level names of one file, into `self.globals`: imports and structs,
        then aliases (which may name a struct declared below them), then signatures."""
        imports = [stmt for stmt in module.body if isinstance(stmt, (S.ImportFrom, S.Import))]
        for stmt in imports:
            self.guarded(self.check_import, stmt)
        module = mark_raising_defs(module, self.raising_imports(imports), self.forced_raising)
        for stmt in module.body:
            if isinstance(stmt, (S.ImportFrom, S.Import)):
                continue
            elif isinstance(stmt, S.StructDef):
                self.guarded(self.declare_struct, stmt)
            elif isinstance(stmt, S.TraitDef):
                self.guarded(self.declare_trait, stmt)
            elif not isinstance(stmt, (S.FnDef, S.AliasDef)):
                self.report(self.error("only declarations may appear at the top level of a file",
                                       stmt.span, hint="put statements inside `fn main():`"))
        for stmt in module.body:
            if isinstance(stmt, S.AliasDef):
                self.guarded(self.declaring, self.globals, stmt.name, self.check_alias, stmt,
                             self.globals)
        for stmt in module.body:
            if isinstance(stmt, S.FnDef) and stmt.ct_params:
                self.guarded(self.declaring, self.globals, stmt.name, self.declare_template,
                             stmt)
            elif isinstance(stmt, S.FnDef):
                ent = self.guarded(self.declaring, self.globals, stmt.name,
                                   self.declare_function, stmt)
                if ent is not None:
                    self.pending.append(ent)
        for stmt in module.body:
            if isinstance(stmt, S.StructDef) and not stmt.ct_params and \
                    isinstance(self.globals.names.get(stmt.name), StructTemplate):
                self.guarded(self.instantiate_struct, self.globals.names[stmt.name], (),
                             stmt.span)

    def raising_imports(self, imports) -> set[str]:
        """The names that the file's imports of other files bound to something that
        raises (of `import geometry`, the raising names in geometry), for
        `mark_raising_defs`."""
        names: set[str] = set()
        for stmt in imports:
            if stmt.module in STD_MODULES:
                continue
            bound = [stmt.asname or stmt.module.split(".")[0]] if isinstance(stmt, S.Import) \
                else [asname for _, asname in stmt.names]
            for name in bound:
                ent = self.globals.names.get(name)
                if isinstance(ent, ModuleEntity) and ent.scope is not None:
                    names |= {n for n, e in ent.scope.names.items() if _raises(e)}
                elif _raises(ent):
                    names.add(name)
        return names

    def check_alias(self, stmt: S.AliasDef, scope: Scope):
        if scope is self.globals:
            self.shadow_import(stmt.name)
        if stmt.ct_params:                      # read at each use: `AddOne[3]`
            scope.names[stmt.name] = AliasTemplate(stmt, scope)
            return
        traits = self.trait_kind(stmt.value) if stmt.type is None else None
        if traits is not None:                  # `comptime Both = A & B`: a trait whose
            parents = tuple(dict.fromkeys(n.id for n in S.walk(stmt.value)  # parents are A
                                          if isinstance(n, S.Name)))        # and B
            scope.names[stmt.name] = TraitEntity(stmt.name, S.TraitDef(
                stmt.name, parents, (), span=stmt.span, name_span=stmt.name_span), scope)
            return
        v = stmt.value
        if traits is None and isinstance(v, S.Binary) and v.op is S.BinOp.AND and \
                (self.trait_kind(v.lhs) is not None or self.trait_kind(v.rhs) is not None):
            bad = v.rhs if self.trait_kind(v.lhs) is not None else v.lhs
            raise self.error(f"'{bad.span.text}' is not a trait", bad.span,
                             hint="`A & B` joins traits: each side names one")
        if stmt.type is not None:
            want = self.resolve_type(stmt.type)
            value = self.coerce(self.expr(stmt.value), want, stmt.value.span)
        else:
            value = self.compile_time_value(stmt.value)
        if isinstance(value, (TypeEntity, ConstEntity, StructTemplate, GenericTypeEntity)):
            scope.names[stmt.name] = value
            return
        scope.names[stmt.name] = ConstEntity(self.fold(value))

    def alias_instance(self, template: AliasTemplate, node: S.Subscript):
        """What `AddOne[3]` stands for: the alias's value read with its parameters
        bound (once per parameter values), a constant or a type."""
        name, params = template.node.name, template.node.ct_params
        values = self.ct_values(template, list(node.args), node.kwargs, node.span)
        missing = [p.name for p, v in zip(params, values) if v is None]
        if missing:
            raise self.error(f"missing parameter '{missing[0]}' of '{name}'", node.span,
                             hint=f"it takes [{', '.join(p.span.text for p in params)}]")
        if any(isinstance(v, (FuncEntity, FuncTemplate)) for v in values):
            raise self.error(f"alias '{name}' cannot take a `capturing` function as a "
                             "compile-time parameter", node.span)
        key = tuple(values)
        if key in template.instances:
            return template.instances[key]
        if template.depth >= MAX_ALIAS_DEPTH:
            raise self.error(f"alias '{name}' is read inside itself more than "
                             f"{MAX_ALIAS_DEPTH} deep", node.span,
                             hint="an alias's value may not need the alias itself without end")
        scope = self.param_scope(template.scope, params, values)
        saved, self.scope = self.scope, scope
        template.depth += 1
        try:
            self.check_alias(dataclasses.replace(template.node, ct_params=(),
                                                 span=template.node.span), scope)
        finally:
            self.scope = saved
            template.depth -= 1
        ent = template.instances[key] = scope.names[name]
        return ent

    def compile_time_value(self, node: S.Expr):
        """An alias right-hand side: a type, a DType or a constant expression; or
        a parametric type without its parameters (`alias B = Box`, then `B[4]`)."""
        ent = self.entity_of(node)
        if isinstance(ent, (StructTemplate, GenericTypeEntity)):
            return ent
        t = self.type_denoted(node)
        return self.expr(node) if t is None else TypeEntity(t)

    def fold(self, e: T.Expr, not_constant: UserError | None = None) -> T.Const:
        """The value of `e`, or `not_constant` (else a generic error) raised when
        it depends on run-time values."""
        if isinstance(e, T.Const):
            return e
        if isinstance(e.type, (ListType, Tensor, Pointer, FnType, Struct)):
            raise self.error(f"a value of type {e.type} is not a compile-time constant", e.span,
                             hint="constants are numbers, Bools, SIMD vectors, Strings and "
                                  "DTypes; make it a `var` (for a parameter: pass it, or "
                                  "create it in the function)")
        from . import reference
        try:
            return T.Const(e.type, reference.eval_const(e), span=e.span)
        except semantics.Fault as f:
            raise self.error(f"{f.kind} in a compile-time expression", e.span) from None
        except Exception:
            raise not_constant or self.error(
                "this expression is not a compile-time constant", e.span,
                hint="an alias may use numbers, DType values, types, "
                     "simdwidthof[...]() and arithmetic on these") from None

    # -- entities other modules create
    def new_scope_under(self, parent) -> Scope:
        return Scope(parent)

    def const_entity(self, value, span, kind: Type | None = None) -> ConstEntity:
        t = DTYPE if isinstance(value, DType) else BOOL if isinstance(value, bool) else \
            STRING if isinstance(value, str) else kind or INT
        return ConstEntity(T.Const(t, value, span=span))

    def type_entity(self, t: Type) -> TypeEntity:
        return TypeEntity(t)

    def func_entity(self, fn, node, scope) -> FuncEntity:
        return FuncEntity(fn, node, scope)

    def declare_template(self, node: S.FnDef):
        self.shadow_import(node.name)
        existing = self.globals.names.get(node.name)
        if isinstance(existing, FuncTemplate):
            raise self.error(f"function '{node.name}' is defined twice", node.name_span)
        if isinstance(existing, (FuncEntity, Overloads)):
            raise self.template_overloaded(node)
        self.globals.names[node.name] = FuncTemplate(node, self.globals)

    def template_overloaded(self, node: S.FnDef) -> UserError:
        """A function and one with compile-time parameters share a name: the
        error, and the name marked failed (its uses report nothing more)."""
        self.globals.names[node.name] = FAILED
        return self.error(f"function '{node.name}' is defined twice", node.name_span,
                          hint="a function with compile-time parameters cannot be overloaded")

    def struct_of(self, node: S.Subscript) -> Type | None:
        """`Matrix[DType.float32]`: the struct instance, or None if not a struct."""
        template = self.entity_of(node.value)
        if not isinstance(template, StructTemplate):
            return None
        params = template.node.ct_params
        if not params:
            raise self.error(f"struct '{template.node.name}' takes no parameters", node.span)
        values = self.ct_values(template, list(node.args), node.kwargs, node.span)
        for a, v in zip(node.args, values):
            if isinstance(v, (FuncEntity, FuncTemplate)):
                raise self.error(f"struct '{template.node.name}' cannot take a `capturing` "
                                 "function as a compile-time parameter", a.span,
                                 hint="only a function does: declare the parameter "
                                      "`fn (...) -> ...`, without `capturing`, and pass a "
                                      "top-level fn")
        missing = [p.name for p, v in zip(params, values) if v is None]
        if missing:
            raise self.error(f"missing parameter '{missing[0]}' of '{template.node.name}'",
                             node.span)
        return self.instantiate_struct(template, tuple(values), node.span)

    def defaulted_struct(self, template: StructTemplate, node: S.Expr,
                         required: bool = True) -> Type | None:
        """`Buf` written alone for `struct Buf[n: Int = 4]`: the instance of its
        defaults, `Buf[4]`, as in Mojo. A parameter without a default: an error
        (None where not `required`)."""
        if not all(p.default is not None for p in template.node.ct_params):
            if not required:
                return None
            params = ", ".join(p.span.text for p in template.node.ct_params)
            raise self.error(f"struct '{node.span.text}' needs its parameters", node.span,
                             hint=f"it takes [{params}]")
        values = self.ct_values(template, [], (), node.span)
        missing = next((p.name for p, v in zip(template.node.ct_params, values) if v is None),
                       None)
        if missing is not None:     # a default that needs a parameter without one
            raise self.error(f"missing parameter '{missing}' of '{template.node.name}'",
                             node.span)
        return self.instantiate_struct(template, tuple(values), node.span)

    def entity_of(self, node: S.Expr):
        if isinstance(node, S.Name):
            ent = self.scope.lookup(node.id)
            if isinstance(ent, StructTemplate):
                if ent.node.ct_params:
                    return ent
                return TypeEntity(self.instantiate_struct(ent, (), node.span))
            return ent
        if isinstance(node, S.Subscript) and isinstance(node.value, (S.Name, S.Attribute)):
            base = self.entity_of(node.value)
            if isinstance(base, AliasTemplate):                 # `AddOne[3]`
                return self.alias_instance(base, node)
            return None
        if isinstance(node, S.Attribute):
            base = self.entity_of(node.value)
            if isinstance(base, ModuleEntity) and base.scope is not None:
                return self.file_member(base, node.name, node.span)
            if isinstance(base, ModuleEntity):
                return self.module_member(base.name, node.name, node.span)
            if isinstance(base, DTypeNamespace):
                if node.name not in DTYPE_MEMBERS:
                    raise self.error(f"DType has no member '{node.name}'", node.span,
                                     hint=did_you_mean(node.name, DTYPE_MEMBERS))
                return ConstEntity(T.Const(DTYPE, DTYPE_MEMBERS[node.name], span=node.span))
            if isinstance(base, TypeEntity) or isinstance(node.value, S.Subscript):
                t = base.type if isinstance(base, TypeEntity) else self.type_denoted(node.value)
                if isinstance(t, SIMD):     # `Int.MAX`, `Float32.MIN_FINITE`, `SIMD[..].MAX`
                    if node.name == "size":             # Mojo's lane count alias
                        return ConstEntity(T.Const(INT, t.width, span=node.span))
                    if node.name == "dtype":            # and its element DType
                        return ConstEntity(T.Const(DTYPE, t.dtype, span=node.span))
                    limit = _limit(t, node.name, node.span)
                    return None if limit is None else ConstEntity(limit)
                return self.struct_member(t, node.name)
        return None

    # ------------------------------------------------------------ types
    def resolve_type(self, node: S.Expr) -> Type:
        if isinstance(node, S.NoneLit):
            return NONE
        if isinstance(node, S.FnTypeExpr):
            ret = NONE if node.ret is None else self.resolve_type(node.ret)
            kinds = tuple(DTYPE if isinstance(p.type, S.Name) and p.type.id == "DType" else
                          self.resolve_type(p.type) for p in node.ct_params)
            return FnType(tuple(self.resolve_type(p) for p in node.params), ret, node.raises,
                          node.capturing, kinds)
        if isinstance(node, S.TupleExpr):                 # `(Int, Float64)`
            return self.resolve_tuple_type(node.items, node.span)
        ent = self.entity_of(node)
        if isinstance(ent, TypeEntity):
            return ent.type
        if ent == BuiltinEntity("Error"):                 # a type too: `e: Error`
            return ERROR
        if isinstance(node, S.Subscript):
            gen = self.entity_of(node.value)
            if isinstance(gen, GenericTypeEntity):
                return self.resolve_generic(gen.name, node)
            if isinstance(node.value, S.Name) and node.value.id == "Some" and gen is None \
                    and len(node.args) == 1 and isinstance(node.args[0], S.Name) and \
                    isinstance(self.scope.lookup(node.args[0].id), TraitEntity) and \
                    node.args[0].id == "Writer":    # `write_to(self, mut w: Some[Writer])`
                return STRING
            struct = self.struct_of(node)
            if struct is not None:
                return struct
        if isinstance(node, S.Name) and ent is None:
            raise self.unknown_name(node)
        if isinstance(ent, StructTemplate):
            return self.defaulted_struct(ent, node)
        if node.span.text == "DType":
            raise self.error("a DType is known at compile time: it cannot be a run-time value",
                             node.span, hint="take it as a compile-time parameter "
                                             "(`fn f[dt: DType](x: Scalar[dt])`) or name it "
                                             "with `alias` (`alias dt = DType.float32`)")
        python = node.value.id if isinstance(node, S.Subscript) and \
            isinstance(node.value, S.Name) else None
        raise self.error(f"'{node.span.text}' is not a type", node.span,
                         hint=PYTHON_NAMES.get(python, ""))

    def resolve_generic(self, name: str, node: S.Subscript) -> Type:
        args = node.args
        if name == "Tuple":
            return self.resolve_tuple_type(args, node.span)
        if name in ("SIMD", "Scalar", "DTypePointer", "Tensor"):
            want = 2 if name == "SIMD" else 1
            if len(args) != want:
                raise self.error(f"{name}[...] takes {want} parameter{'s' * (want > 1)}",
                                 node.span)
            dt = self.dtype_param(args[0])
            if name == "Scalar":
                return SIMD(dt, 1)
            if name == "DTypePointer":
                return Pointer(SIMD(dt, 1))
            if name == "Tensor":
                return Tensor(dt)
            width = self.int_param(args[1])
            if width < 1 or width > 64 or width & (width - 1):
                raise self.error(f"SIMD width must be a power of two from 1 to 64, not {width}",
                                 args[1].span)
            return SIMD(dt, width)
        if len(args) != 1:
            raise self.error(f"{name}[...] takes 1 parameter", node.span)
        inner = self.resolve_type(args[0])
        return Pointer(inner) if name == "UnsafePointer" else self.list_of(inner, node.span)

    def list_of(self, element: Type, span) -> ListType:
        """`List[element]`, an error at `span` where it nests Lists deeper than
        MAX_LIST_DEPTH (copying or freeing one would run out of stack)."""
        depth = list_depth(element) + 1
        if depth > MAX_LIST_DEPTH:
            raise self.error(f"Lists nested {depth:,} deep: a List type nests at most "
                             f"{MAX_LIST_DEPTH} deep", span,
                             hint="hold the inner levels in one flat List and index it")
        return ListType(element)

    def typed_infinity(self, value: float, func: S.Subscript, node: S.Call) -> T.Const:
        """Mojo's `inf[DType.float32]()` and `nan[...]()`: the constant as a Scalar."""
        if len(func.args) != 1 or func.kwargs or node.args or node.kwargs:
            raise self.error(f"{func.value.span.text} takes one DType parameter: "
                             f"`{func.value.span.text}[DType.float64]()`", node.span)
        dt = self.dtype_param(func.args[0])
        if not dt.is_float:
            raise self.error(f"{func.value.span.text}[...] needs a floating-point DType, "
                             f"not DType.{dt.value}", func.args[0].span)
        return T.Const(SIMD(dt, 1), value, span=node.span)

    def dtype_param(self, node: S.Expr) -> DType:
        ent = self.entity_of(node)
        if isinstance(ent, TypeEntity):           # `Tensor[Int]`: a type where a DType goes
            t = ent.type
            dt = t.dtype if isinstance(t, SIMD) and t.width == 1 else None
            name = {DType.index: "int64", DType.uindex: "uint64"}.get(dt, getattr(dt, "value",
                                                                                  ""))
            raise self.error(f"expected a DType such as DType.float32, found the type {t}",
                             node.span, hint=f"write the DType: `DType.{name}`" if dt else
                             "a DType is one of DType.bool, DType.int8 ... DType.float64")
        value = self.fold(self.expr(node))
        if value.type != DTYPE:
            raise self.error(f"expected a DType such as DType.float32, found {value.type}",
                             node.span)
        if value.value is DType.float16:
            raise self.error("Float16 is not supported", node.span,
                             hint="use DType.float32 or DType.float64")
        return value.value

    def int_param(self, node: S.Expr) -> int:
        value = self.fold(self.coerce(self.expr(node), INT, node.span))
        return value.value

    # ------------------------------------------------------------ functions
    def declare_function(self, node: S.FnDef, *, owner: Struct | None = None,
                         scope: Scope | None = None, name: str | None = None,
                         register: bool = True) -> FuncEntity:
        """The signature of `node` as a Function (its body is checked later, in
        `scope`, where its compile-time parameters are bound). `owner`: the
        struct of a method, whose first parameter `self` has that type."""
        scope = scope or self.globals
        saved, self.scope = self.scope, scope
        try:
            return self._declare_function(node, owner, scope,
                                          name or scope.qualifier + node.name, register)
        finally:
            self.scope = saved

    def _declare_function(self, node, owner, scope, name, register) -> FuncEntity:
        static = any(d.name == "staticmethod" for d in node.decorators)
        for d in node.decorators:
            if d.name not in ("always_inline", "parameter", "staticmethod", "export"):
                raise self.error(f"unknown decorator '@{d.name}'", d.span)
            if d.args and not _inline_mode(d):
                raise self.error(f"@{d.name} takes no arguments",
                                 d.args[0].span.to(d.args[-1].span),
                                 hint=f"write `@{d.name}` alone" +
                                      " or `@always_inline(\"nodebug\")`" * (
                                          d.name == "always_inline"))
        if register:
            self.shadow_import(node.name)
        if register and isinstance(self.globals.names.get(node.name), FuncTemplate):
            raise self.template_overloaded(node)
        params: list[T.Var] = []
        defaults: list[object] = []
        out = None          # a named result `out r: T`: (its Param, its type)
        for k, p in enumerate(node.params):
            if p.convention is S.Convention.DEINIT and not (
                    owner is not None and node.name in ("__del__", "__moveinit__")):
                raise self.error("`deinit` is only for a struct's `__del__` and "
                                 "`__moveinit__`", p.span,
                                 hint="take the argument `var` to consume a copy")
            if k == 0 and owner is not None and not static:
                params.append(self.self_param(node, p, owner))
                continue
            if p.type is None:
                raise self.error(f"parameter '{p.name}' needs a type", p.span,
                                 hint=f"write `{p.name}: Int` (or the type it holds)")
            if any(q.name == p.name for q in params) or \
                    out is not None and out[0].name == p.name:
                raise self.error(f"duplicate parameter '{p.name}'", p.span)
            ptype = self.resolve_type(p.type)
            if p.convention is S.Convention.OUT:       # a named result: not passed
                if out is not None:
                    raise self.error("a function has at most one 'out' argument", p.span,
                                     hint=f"'{out[0].name}' is its result already")
                if p.default is not None:
                    raise self.error(f"'out' argument '{p.name}' cannot have a default",
                                     p.default.span)
                self.storable(ptype, p.type.span, "a result")
                out, out_at = (p, ptype), len(params)
                continue
            if p.variadic:      # `*vals: T`: a read-only List[T] of the arguments
                if node.ct_params:
                    raise self.error("a variadic parameter of a function with compile-time "
                                     "parameters is not supported yet", p.span,
                                     hint=f"take a List: `{p.name}: List[{p.type.span.text}]`")
                self.storable(ptype, p.type.span, "a List element")
                ptype = self.list_of(ptype, p.type.span)
            self.storable(ptype, p.type.span, "a parameter")
            if p.default is not None:
                defaults.append(self.fold(self.coerce(self.expr(p.default), ptype,
                                                      p.default.span)).value)
            elif defaults and p.keyword_only:   # passed by name: it needs no default
                defaults.append(T.REQUIRED)
            elif defaults:
                raise self.error("a parameter without a default follows one with a default",
                                 p.span)
            by_ref = p.convention is S.Convention.MUT
            if by_ref and p.default is not None:
                raise self.error(f"`mut` parameter '{p.name}' cannot have a default", p.span)
            params.append(T.Var(p.name, ptype, p.convention in (S.Convention.OWNED,
                                                                S.Convention.MUT,
                                                                S.Convention.DEINIT),
                                p.span, is_param=True, by_ref=by_ref))
        ret = NONE if node.ret is None else self.resolve_type(node.ret)
        if out is not None and node.ret is not None:
            raise self.error("a function with an 'out' argument cannot also declare "
                             "a result type", node.ret.span,
                             hint=f"its result is '{out[0].name}'; drop the `-> ...`")
        if out is not None:
            ret = out[1]
        elif ret != NONE:
            self.storable(ret, node.ret.span, "a result")
        if owner is not None and not static and not params:
            raise self.error(f"method '{node.name}' needs `self` as its first parameter",
                             node.name_span, hint="or mark it `@staticmethod`")
        fn = T.Function(name, self.new_symbol(name), params, ret, node.raises, node.span,
                        defaults=tuple(defaults),
                        inline=any(d.name == "always_inline" for d in node.decorators),
                        positional=next((k for k, p in enumerate(node.passed)
                                         if p.keyword_only), None),
                        posonly=sum(p.positional_only for p in node.passed),
                        variadic=next((k for k, p in enumerate(node.passed) if p.variadic),
                                      None),
                        result=None if out is None else (out_at, out[0].name))
        ent = FuncEntity(fn, node, scope)
        if register:
            existing = self.globals.names.get(node.name)
            self.globals.names[node.name] = ent if not isinstance(
                existing, (FuncEntity, Overloads)) else \
                self.add_overload(existing, ent, "function")     # check_functions.py
        self.functions.append(fn)
        return ent

    def new_symbol(self, name: str) -> str:
        """`ml.<name>`, numbered where taken: nested fns of one function in two
        blocks (an `if` and its `else`) may share a name."""
        symbol, k = f"ml.{name}", 1
        while symbol in self.symbols:
            k += 1
            symbol = f"ml.{name}.{k}"
        self.symbols.add(symbol)
        return symbol

    def check_body(self, ent: FuncEntity, nested: bool = False):
        """Check `ent`'s body in its scope. A `nested` function starts with the
        enclosing function's assigned variables (it shares them)."""
        fn, node = ent.fn, ent.node
        saved = self.fs, self.scope, self.assigned
        self.fs = _FnState(fn, node)
        self.scope = Scope(ent.scope)
        self.fs.top = self.scope
        self.assigned = set(self.assigned) if nested else set()
        for v in fn.params:
            self.scope.names[v.name] = v
            self.assigned.add(v)
        result = node.result        # `out r: T`: a variable, returned on every exit
        if result is not None:
            self.fs.result = T.Var(result.name, fn.ret, True, result.span)
            self.named_results.add(self.fs.result)
            self.scope.names[result.name] = self.fs.result
        body = self.block(node.body, new_scope=False)
        if result is not None:
            if not always_exits(body):
                body += (self.guarded(self.result_exit, result.span, "on every path to the "
                                      f"end of '{fn.name}'") or T.Return(None),)
            body = (T.Declare(self.fs.result, None, span=result.span),) + body
        elif fn.ret != NONE and not always_exits(body):
            self.report(self.error(
                f"function '{fn.name}' can reach its end without returning {_a(fn.ret)}",
                node.name_span, hint="add a `return` on every path"))
        if node.name in ("__init__", "__copyinit__", "__moveinit__") and fn.params \
                and fn.params[0].name == "self" \
                and fn.params[0].by_ref and not nested:
            self.guarded(self.check_fields_initialized, fn, node, body)
            body = mark_field_inits(body, fn.params[0])
        if self.lifecycles:     # (a walk of the body: only where a copy can be wrong)
            self.guarded(self.check_copies, body)
        fn.body = body
        self.fs, self.scope, self.assigned = saved

    # ------------------------------------------------------------ statements
    def block(self, stmts, new_scope: bool = True) -> tuple[T.Stmt, ...]:
        saved = self.scope
        if new_scope:
            self.scope = Scope(self.scope)
        out: list[T.Stmt] = []
        try:
            for st in stmts:
                r = self.guarded(self.stmt, st)
                if r is None and isinstance(st, (S.Return, S.Raise)):
                    # A `return`/`raise` with an error still ends its path: no
                    # cascading "can reach its end without returning".
                    r = T.Return(None, span=st.span)
                if isinstance(r, list):
                    out.extend(r)
                elif r is not None:
                    out.append(r)
        finally:
            self.scope = saved
        return tuple(out)

    def stmt(self, node: S.Stmt):
        if isinstance(node, S.ExprStmt) and isinstance(node.expr, S.Call):
            simd = self.simd_statement(node.expr)
            if simd is not None:
                return simd
            store = self.store_call(node.expr)
            if store is not None:
                return store
            write = self.writer_call(node.expr)
            if write is not None:
                return write
        method = getattr(self, "visit_" + type(node).__name__, None)
        if method is None:
            raise self.error(f"{type(node).__name__} is not supported here", node.span)
        return method(node)

    def visit_Pass(self, node):
        return None

    def visit_Nonlocal(self, node: S.Nonlocal):
        """Python's `nonlocal x` in a closure: checked, then nothing (a closure
        reaches the enclosing function's variables by reference)."""
        for name, span in zip(node.names, node.name_spans):
            own, s = True, self.scope
            while s is not None and name not in s.names:
                own = own and s is not self.fs.top
                s = s.parent
            outer = s is not None and not own and s is not self.globals and \
                s is not self.builtins and isinstance(s.names[name], T.Var)
            if own and s is not None:
                raise self.error(f"'{name}' is assigned before its nonlocal declaration",
                                 span, hint="put `nonlocal` first in the function")
            if not outer:
                raise self.error(f"no binding for nonlocal '{name}' found", span,
                                 hint="nonlocal names a variable of an enclosing function")
        return None

    def visit_VarDecl(self, node: S.VarDecl):
        try:
            return self.declare_var(node)
        except (UserError, Poison):
            if not isinstance(self.scope.names.get(node.name), T.Var):
                self.declare_wrong(self.scope, node.name, node.mutable, node.name_span)
            raise

    def declare_wrong(self, scope: Scope, name: str, mutable: bool, span: Span):
        """After an error in its declaration, `name` is declared all the same, as
        already wrong: its uses report nothing more."""
        var = scope.names[name] = T.Var(name, POISON, mutable, span)
        self.assigned.add(var)

    def declare_var(self, node: S.VarDecl):
        if node.name in self.scope.names and isinstance(self.scope.names[node.name], T.Var):
            raise self.error(f"'{node.name}' is already declared in this scope", node.name_span,
                             hint=f"assign with `{node.name} = ...`, or pick another name")
        value = None
        if node.type is not None:
            vtype = self.resolve_type(node.type)
            if node.value is not None:
                value = self.coerce_node(node.value, vtype, node.value.span)
        elif node.value is not None:
            value = self.materialize(self.expr(node.value))
            vtype = value.type
        else:
            raise self.error(f"'{node.name}' needs a type or a value", node.name_span,
                             hint=f"write `var {node.name}: Int` or `var {node.name} = 0`")
        if vtype == NONE and node.type is not None:
            raise self.error("a variable cannot be of type NoneType", node.type.span,
                             hint="a variable holds a value; `None` is the absence of one")
        if vtype == NONE:
            raise self.error("cannot store the result of a function that returns nothing",
                             node.value.span)
        self.storable(vtype, node.type.span if node.type is not None else node.value.span)
        var = T.Var(node.name, vtype, node.mutable, node.name_span)
        self.scope.names[node.name] = var
        if value is not None:
            self.assigned.add(var)
        elif not var.mutable:
            self.fs.let_depth[var] = self.fs.loop_depth
        return T.Declare(var, value, span=node.span)

    def visit_Assign(self, node: S.Assign):
        if isinstance(node.value, S.TupleExpr) and len(node.targets) > 1:
            values = node.value.items
            if len(values) != len(node.targets):
                raise self.error(f"cannot assign {len(values)} values to {len(node.targets)} "
                                 "names", node.span)
        elif len(node.targets) > 1 or node.unpack:
            return self.guard_names(node, self.unpack_tuple, node)
        else:
            values = (node.value,)
        if len(node.targets) > 1 and \
                any(isinstance(t, (S.Subscript, S.Attribute)) for t in node.targets):
            return self.assign_places(node.targets, values, node.span)
        if len(node.targets) == 1 and isinstance(node.targets[0], S.Attribute):
            return self.field_store(node.targets[0], node.value)
        if len(node.targets) == 1 and isinstance(node.targets[0], S.Subscript):
            tgt = node.targets[0]
            base = self.expr(tgt.value)
            if is_tuple(base.type):
                return self.tuple_store(tgt, node.value)
            if isinstance(base.type, Struct):
                return self.item_store(tgt, base, node.value, node.span)
            if isinstance(base.type, SIMD):
                return self.lane_write(tgt, base, node.value, node.span)
            base, indices, elem = self.element_target(node.targets[0])
            value = self.coerce_node(node.value, elem, node.value.span)
            return T.Store(base, indices, value, span=node.span)
        return self.guard_names(node, self.assign_names, node.targets, values, node.span)

    def item_store(self, tgt: S.Subscript, base: T.Expr, value: S.Expr, span):
        """`s[i, ...] = value` on a struct: `s.__setitem__(i, ..., value)`. The value
        goes first (Python's order) into a hidden variable, unless the target has
        no effects for it to come before."""
        out: list[T.Stmt] = []
        with self.hidden_scope():
            if not _effect_free(tgt):
                value = self.hidden_copy(value, "item.value", out)
            call = S.Call(S.Attribute(tgt.value, "__setitem__", span=tgt.value.span),
                          tgt.args + (value,), tgt.kwargs, span=span)
            out.append(T.ExprStmt(self.struct_method_call(tgt.value, base, "__setitem__",
                                                          call), span=span))
        return out if len(out) > 1 else out[0]

    def guard_names(self, node: S.Assign, fn, *args):
        """`fn(*args)`; if it fails, the names `node` would have declared are
        declared as already wrong (their uses report nothing more)."""
        try:
            return fn(*args)
        except (UserError, Poison):
            for tgt in node.targets:     # the names it would have declared (or assigned)
                if isinstance(tgt, S.Name) and tgt.id != "_":
                    ent = self.scope.lookup(tgt.id)
                    if ent is None:
                        self.declare_wrong(self.fs.top, tgt.id, True, tgt.span)
                    elif isinstance(ent, T.Var):     # `var x: T` then a wrong `x = ...`
                        self.assigned.add(ent)
            raise

    def assign_names(self, names, values, span) -> list[T.Stmt]:
        """`a, b = x, y` to variables; the first assignment of a name declares it."""
        targets, typed_values, decls = [], [], []
        for tgt, val in zip(names, values):
            if isinstance(tgt, S.Name) and tgt.id == "_":
                targets.append(None)
                v = self.materialize(self.expr(val, allow_none=True))
                if v.type != NONE:
                    self.storable(v.type, val.span, "a value")
                typed_values.append(v)
                continue
            var = self.assign_target(tgt)
            if var is None:      # first assignment declares (Python style), function-wide
                v = self.materialize(self.expr(val))
                if v.type == NONE:
                    raise self.error("cannot store the result of a function that returns "
                                     "nothing", val.span)
                self.storable(v.type, val.span)
                var = T.Var(tgt.id, v.type, True, tgt.span)
                decls.append(T.Declare(var, None, span=tgt.span))
                typed_values.append(v)
            else:
                typed_values.append(self.coerce_node(val, var.type, val.span))
            targets.append(var)
        for d in decls:
            self.fs.top.names[d.var.name] = d.var
        for var in targets:
            if var is not None:
                self.assigned.add(var)
        return decls + [T.Assign(tuple(targets), tuple(typed_values), span=span)]

    def assign_places(self, targets, values, span) -> list[T.Stmt]:
        """`l[0], p.x = p.x, l[0]`: every value goes into a hidden variable first, then
        each target is assigned on its own, left to right (Python's order)."""
        out: list[T.Stmt] = []
        with self.hidden_scope():
            sources = [self.hidden_copy(val, f"tuple.{k}", out) for k, val in enumerate(values)]
            for tgt, src in zip(targets, sources):
                r = self.visit_Assign(S.Assign((tgt,), src, span=span))
                out.extend(r if isinstance(r, list) else [r])
        return out

    @contextlib.contextmanager
    def hidden_scope(self):
        """A scope for one statement's hidden variables (`hidden_copy`), left after it."""
        saved, self.scope = self.scope, Scope(self.scope)
        try:
            yield
        finally:
            self.scope = saved

    def hidden_copy(self, node: S.Expr, name: str, out: list[T.Stmt]) -> S.Expr:
        """`node` evaluated now into a hidden variable `name` of the current scope
        (its Declare appended to `out`), and a Name that reads it. A literal is
        returned as it is: it has no effect and keeps its literal typing."""
        v = self.expr(node)
        if v.type.is_literal:
            return node
        v = self.materialize(v)
        self.storable(v.type, node.span, "a value")
        tmp = T.Var(name, v.type, False, node.span)
        self.scope.names[tmp.name] = tmp
        self.assigned.add(tmp)
        out.append(T.Declare(tmp, v, span=node.span))
        return S.Name(tmp.name, span=node.span)

    def assign_target(self, tgt: S.Expr) -> T.Var | None:
        if not isinstance(tgt, S.Name):
            raise self.error("cannot assign to this expression", tgt.span,
                             hint="the left of '=' must be a variable, an element or a field")
        ent = self.scope.lookup(tgt.id)
        if ent is None:
            return None
        if not isinstance(ent, T.Var):
            raise self.error(f"cannot assign to '{tgt.id}'", tgt.span,
                             label=f"'{tgt.id}' is a {_describe_entity(ent)}, not a variable")
        if ent.is_param and not ent.mutable:
            raise self.error(f"cannot assign to argument '{tgt.id}': it is read-only", tgt.span,
                             hint=f"copy it first (`{_var(tgt.span)}{tgt.id}2 = {tgt.id}`) or "
                                  f"declare it `{_convention(tgt.span, 'owned', ent)}`")
        if ent in self.loop_elements:
            raise self.error(f"cannot assign to '{tgt.id}': it is read-only", tgt.span,
                             hint=self.read_only_hint(ent, tgt.span))
        if not ent.mutable:                 # `let x: T` may be assigned once
            again = ent in self.assigned or ent in self.fs.let_maybe
            in_loop = self.fs.loop_depth > self.fs.let_depth.get(ent, self.fs.loop_depth)
            if again or in_loop:
                raise self.error(f"cannot assign twice to `let` variable '{tgt.id}'", tgt.span,
                                 label="" if again else "the loop may run this again",
                                 hint=f"declare it with `var {tgt.id}` to make it mutable")
            self.fs.let_maybe.add(ent)
        return ent

    def visit_AugAssign(self, node: S.AugAssign):
        if isinstance(node.target, S.Subscript):
            base = self.expr(node.target.value)
            if isinstance(base.type, SIMD):
                return self.lane_aug_assign(node, base)
            if isinstance(base.type, Struct):
                return self.struct_item_aug_assign(node)
            return self.place_struct_aug_assign(node) or self.element_aug_assign(node)
        if isinstance(node.target, S.Attribute):
            return self.place_struct_aug_assign(node) or self.field_aug_assign(node)
        var = self.assign_target(node.target)
        if var is None:
            raise self.unknown_name(node.target)
        self.require_assigned(var, node.target.span)
        current = T.Load(var.type, var, span=node.target.span)
        if isinstance(var.type, Struct):
            in_place = self.struct_aug_assign(node, current)
            if in_place is not None:
                return in_place
        value = self.binary(node.op, current, self.expr(node.value), node.span)
        return T.Assign((var,), (self.aug_result(node, value, var.type),), span=node.span)

    def aug_result(self, node: S.AugAssign, value: T.Expr, t: Type) -> T.Expr:
        """`x op= y`'s `x op y` converted back to x's type `t`; when it cannot be,
        an error that says so in terms of the statement (not of a hidden `x op y`)."""
        if value.type == t or not isinstance(value.type, SIMD) or not isinstance(t, SIMD):
            return self.coerce(value, t, node.span)
        target, op = node.target.span.text, node.op.value
        hint = f"write `{target} = {t}({target} {op} {node.value.span.text})`"
        if node.op is S.BinOp.DIV and is_int(t):
            hint = f"use `//=` for floor division, or {hint}"
        raise self.error(f"`{op}=` gives {value.type}, which cannot be stored back in {t}",
                         node.span, label=f"'{target}' is {t}", hint=hint)

    def visit_ExprStmt(self, node: S.ExprStmt):
        e = node.expr
        if isinstance(e, S.Call) and isinstance(e.func, S.Name) and \
                isinstance(self.scope.lookup(e.func.id), BuiltinEntity) and e.func.id == "print":
            return self.check_print(e)
        value = self.expr(e, allow_none=True)
        if value.type.is_literal:       # `0` or `1 + 2` alone: evaluated at its default type
            value = self.materialize(value)
        return T.ExprStmt(value, span=node.span)

    def check_print(self, call: S.Call) -> T.Print:
        values = []
        for a in call.args:
            v = self.expr(a)
            if isinstance(v, T.Const) and v.type.is_literal:
                v = self.materialize(v)
            if v.type == DTYPE:         # a compile-time value: its name, as Mojo prints it
                v = T.Const(STRING, self.fold(v).value.value, span=a.span)
            if v.type == NONE:
                raise self.error("cannot print the result of a function that returns nothing",
                                 a.span)
            if isinstance(v.type, Struct):  # Mojo's `Stringable`: its `__str__()`
                v = self.struct_str(v, a.span, "print") or v
            if v.type != ERROR and not _printable_element(v.type):
                raise self.error(f"cannot print a value of type {v.type}", a.span,
                                 hint="print its elements: `print(t[0], t[1])`"
                                 if is_tuple(v.type) else
                                 "give it `fn __str__(self) -> String` or `fn write_to(self, "
                                 "mut writer: Some[Writer])` to print it"
                                 if isinstance(v.type, Struct) else "")
            values.append(v)
        text = {"sep": T.Const(STRING, " ", span=call.span),
                "end": T.Const(STRING, "\n", span=call.span)}
        for kw in call.kwargs:
            if kw.name not in ("sep", "end", "flush"):
                raise self.error(f"print() got an unexpected keyword argument '{kw.name}'",
                                 kw.span, hint="print takes `sep=` and `end=`")
            if kw.name == "flush":
                continue
            v = self.materialize(self.expr(kw.value))
            if v.type != STRING:
                raise self.error(f"`{kw.name}=` must be a String, not {v.type}", kw.value.span)
            text[kw.name] = v
        return T.Print(tuple(values), text["sep"], text["end"], span=call.span)

    def result_exit(self, span: Span, where: str) -> T.Return:
        """The return of the function's named result (`out r: T`) at `span`."""
        var = self.fs.result
        if var not in self.assigned and not self.fs.result_read:
            raise self.error(f"'out' argument '{var.name}' is not initialized {where}", span,
                             hint=f"assign '{var.name}' a value before the function returns")
        return self.function_exit(T.Return(T.Load(var.type, var, span=span), span=span))

    def visit_Return(self, node: S.Return):
        ret = self.fs.fn.ret
        if self.fs.result is not None:
            if node.value is not None:
                raise self.error(f"`return` takes no value in '{self.fs.fn.name}': its "
                                 f"result is the 'out' argument '{self.fs.result.name}'",
                                 node.value.span,
                                 hint=f"assign `{self.fs.result.name} = ...` and write "
                                      "`return` alone")
            return self.result_exit(node.span, "at this `return`")
        if node.value is None:
            if ret != NONE:
                raise self.error(f"'{self.fs.fn.name}' must return {_a(ret)}", node.span,
                                 hint="write `return <value>`")
            return self.function_exit(T.Return(None, span=node.span))
        if ret == NONE:
            raise self.error(f"'{self.fs.fn.name}' does not declare a result type", node.value.span,
                             hint=f"add `-> {self.describe_expr_type(node.value)}` after the "
                                  "parameter list")
        return self.function_exit(T.Return(self.coerce_node(node.value, ret, node.value.span),
                                           span=node.span))

    def describe_expr_type(self, node) -> str:
        try:
            return str(self.materialize(self.expr(node)).type)
        except (UserError, Poison):
            return "Type"

    def visit_AliasDef(self, node: S.AliasDef):
        self.declaring(self.scope, node.name, self.check_alias, node, self.scope)
        return None

    def visit_FnDef(self, node: S.FnDef):
        return self.declaring(self.scope, node.name, self.nested_function, node)

    def visit_ImportFrom(self, node):
        raise self.error("imports must be at the top level of the file", node.span)

    visit_Import = visit_ImportFrom

    def visit_StructDef(self, node):
        raise self.error("a struct must be defined at the top level of the file",
                         node.name_span)

    def visit_TraitDef(self, node):
        raise self.error("a trait must be defined at the top level of the file",
                         node.name_span)

    def condition(self, node: S.Expr) -> T.Expr:
        c = self.truth(self.expr(node), node.span)
        if c.type != BOOL:
            raise self.error(f"a condition must be Bool, not {c.type}", node.span,
                             hint=_truth_hint(c.type, node.span.text))
        return c

    def truth(self, e: T.Expr, span: Span) -> T.Expr:
        """`e` as a Bool where its type is Mojo's `Boolable` (`if x:`, `while x:`,
        `not x`, `x and y`, `Bool(x)`), else `e` unchanged (the caller refuses it):
        a number is true when nonzero (NaN is true, -0.0 false), a String or a
        List when not empty, a pointer when not null, a struct by its `__bool__`.
        A vector is not Boolable."""
        t = e.type
        if isinstance(e, T.Const) and (t.is_literal or isinstance(t, SIMD) and t.width == 1):
            return T.Const(BOOL, bool(e.value), span=e.span)
        if t.is_literal:
            e = self.materialize(e)
            t = e.type
        if isinstance(t, SIMD) and t.width == 1:
            return self.make_cast(e, BOOL, span)
        if t == STRING or isinstance(t, ListType):
            size = "string.len" if t == STRING else "list.len"
            return T.Cast(BOOL, T.Builtin(INT, size, (e,), span=e.span), span=span)
        if isinstance(t, Pointer):          # non-null
            null = T.Builtin(t, "ptr.null", (), span=span)
            return T.Compare(BOOL, (e, null), (S.CmpOp.NE,), span=span)
        if not isinstance(t, Struct):
            return e
        truth = self.call_operator(t, "__bool__", [e], span, "a truth value")
        if truth is None:
            return e
        if truth.type != BOOL:
            raise self.error(f"'{truth.fn.name}' must return Bool", span)
        return truth

    # ------------------------------------------------------------ expressions
    def expr(self, node: S.Expr, allow_none: bool = False) -> T.Expr:
        method = getattr(self, "expr_" + type(node).__name__, None)
        if method is None:
            raise self.error("this expression is not supported here", node.span)
        e = method(node)
        if e.type == NONE and not allow_none:
            raise self.error(f"'{node.span.text}' returns nothing; it has no value to use",
                             node.span)
        return e

    def expr_EllipsisLit(self, node):
        raise self.error("`...` stands only for the body of a trait's method", node.span,
                         hint="give the value itself")

    def expr_IntLit(self, node):
        return T.Const(INT_LITERAL, node.value, span=node.span)

    def expr_FloatLit(self, node):
        return T.Const(FLOAT_LITERAL, node.value, span=node.span)

    def expr_BoolLit(self, node):
        return T.Const(BOOL, node.value, span=node.span)

    def expr_StrLit(self, node):
        return T.Const(STRING, node.value, span=node.span)

    def expr_NoneLit(self, node):
        raise self.error("None has no value here", node.span)

    def expr_Name(self, node: S.Name):
        ent = self.scope.lookup(node.id)
        if ent is None:
            raise self.unknown_name(node)
        if isinstance(ent, T.Var):
            if ent.type == POISON:
                raise Poison()
            self.require_assigned(ent, node.span)
            return T.Load(ent.type, ent, span=node.span)
        if isinstance(ent, ConstEntity):
            return T.Const(ent.expr.type, ent.expr.value, span=node.span)
        if isinstance(ent, FuncEntity):         # check_functions.py
            return self.function_value(ent.fn, node.span)
        if isinstance(ent, FuncTemplate):
            self.generic_function_value(node.id, node.span)
        if isinstance(ent, Overloads):
            self.overloaded_value(ent, node.span, node.id)
        raise self.error(f"'{node.id}' is a {_describe_entity(ent)}, not a value", node.span,
                         hint=f"call it: `{node.id}[DType.float64]()`" if isinstance(
                             ent, BuiltinEntity) and ent.name in NUMERIC_LIMITS else
                         f"call it: `{node.id}(...)`" if isinstance(
                             ent, (FuncEntity, BuiltinEntity)) else "")

    def expr_Transfer(self, node: S.Transfer):
        """`x^` moves the value out of `x`: the value of `x`, after which `x` has
        none until it is assigned again (a read in between is an error). An element
        or a field (`l[0]^`, `p.x^`) is not moved out of what holds it: an error."""
        if isinstance(node.value, (S.Subscript, S.Attribute)):
            what = "an element" if isinstance(node.value, S.Subscript) else "a field"
            raise self.error("only a variable can be transferred with ^", node.span,
                             label=f"{what}, which cannot be moved out of its owner",
                             hint=f"drop the `^`: `{node.value.span.text}` gives a copy")
        value = self.expr(node.value)
        if isinstance(value, T.Load) and isinstance(node.value, S.Name):
            if not self.declared_here(value.var):
                raise self.error(f"'{value.var.name}' is captured from '{self.enclosing()}': "
                                 "a capture cannot be transferred out", node.span,
                                 label="the enclosing function still owns it",
                                 hint=f"use a copy: `{node.value.span.text}` without `^`")
            self.assigned.discard(value.var)
            self.transferred[value.var] = node.span
            var = value.var
            if owns_memory(var.type) and not var.by_ref and not var.borrowed and \
                    (var.mutable or not var.is_param):      # taken over, not copied
                return T.Move(value.type, var, span=node.span)
        return value

    def declared_here(self, var: T.Var) -> bool:
        """Whether `var` is a variable of the function being checked, not one that a
        nested function captures from the function enclosing it."""
        s = self.scope
        while s is not None:
            if s.names.get(var.name) is var:
                return True
            if s is self.fs.top:
                return False
            s = s.parent
        return False

    def enclosing(self) -> str:
        """The name of the function enclosing the nested one being checked."""
        return self.fs.fn.name.rpartition(".")[0]

    def read_only_hint(self, var: T.Var, span: Span) -> str:
        """How to make the read-only `var` writable, spelt as `span`'s file spells it."""
        if var.is_param and var.name == "self":
            fn = "def" if span.source.python else "fn"
            if self.fs.node.name == "__init__":
                return f"declare it `{fn} __init__({_convention(span, 'out', var)}, ...)`"
            return f"declare the method `{fn} ...({_convention(span, 'mut', var)}, ...)`"
        if var.is_param:
            return f"declare the argument `{_convention(span, 'mut', var)}`"
        if var in self.loop_elements:
            seq = self.loop_elements[var]
            if not span.source.python:      # `for ref` is not Python
                return (f"`for {var.name} in {seq}` reads copies of the elements; to change "
                        f"them, loop over references: `for ref {var.name} in {seq}:`")
            return (f"`for {var.name} in {seq}` reads copies of the elements; to change them, "
                    f"index the List: `for i in range(len({seq})):` and `{seq}[i]`")
        return f"declare it with `var {var.name}`"

    def require_assigned(self, var: T.Var, span: Span):
        if var not in self.assigned and var in self.transferred:
            moved = self.transferred[var]
            raise self.error(f"'{var.name}' is used after its value was transferred out "
                             f"with `{moved.text}` (line {moved.line})", span,
                             hint=f"assign '{var.name}' a new value first, or pass a copy "
                                  f"instead of `{moved.text}`")
        if var not in self.assigned and var in self.named_results:
            # Reported once: not again at each later read, nor at the function's end.
            if self.fs is not None and var is self.fs.result:
                self.fs.result_read = True
            self.assigned.add(var)
            raise self.error(f"'out' argument '{var.name}' is read before it is initialized: "
                             "a named result starts uninitialized", span,
                             hint=f"assign it a value first, e.g. `{var.name} = 0`"
                             if is_numeric(var.type) else f"assign '{var.name}' a value first")
        if var not in self.assigned:
            raise self.error(f"'{var.name}' is read before it is assigned", span,
                             hint=f"give it a value first, e.g. "
                                  f"`{_var(span)}{var.name}: {var.type} = 0`"
                             if is_numeric(var.type) else "")

    def unknown_name(self, node: S.Name) -> UserError:
        name = node.id
        if name == "Float16":
            return self.error("Float16 is not supported", node.span,
                              hint="use Float32 or Float64")
        for module in IMPORTED_MODULES:
            if name in STD_MODULES[module]:
                return self.error(f"'{name}' is not imported", node.span,
                                  hint=_import_hint(module, name, node.span))
        if name in IMPORTED_MODULES:
            return self.error(f"unknown name '{name}'", node.span,
                              hint=_import_hint(name, None, node.span))
        if name in PYTHON_NAMES:
            return self.error(f"unknown name '{name}'", node.span, hint=PYTHON_NAMES[name])
        visible = set()
        s = self.scope
        while s is not None:
            visible |= set(s.names)
            s = s.parent
        return self.error(f"unknown name '{name}'", node.span, hint=did_you_mean(name, visible))

    def expr_Attribute(self, node: S.Attribute):
        ent = self.entity_of(node)
        if isinstance(ent, ConstEntity):
            return T.Const(ent.expr.type, ent.expr.value, span=node.span)
        if isinstance(ent, FuncEntity):         # `geometry.norm`, a function as a value
            return self.function_value(ent.fn, node.span)
        if isinstance(ent, FuncTemplate):       # as `expr_Name` says of its own
            self.generic_function_value(node.span.text, node.span)
        if isinstance(ent, Overloads):
            self.overloaded_value(ent, node.span, node.span.text)
        if ent is not None:
            raise self.error(f"'{node.span.text}' is a {_describe_entity(ent)}, not a value",
                             node.span)
        owner = self.type_denoted(node.value)
        if isinstance(owner, SIMD) and owner.dtype is not DType.bool:
            raise self.error(f"{owner} has no member '{node.name}'", S.name_span(node),
                             hint=did_you_mean(node.name, semantics.SCALAR_LIMITS)
                             or "a numeric type has MAX, MIN, MAX_FINITE and MIN_FINITE")
        base = self.expr(node.value)
        limit = _limit(base.type, node.name, node.span)
        if isinstance(base.type, SIMD) and node.name == "size":    # `v.size`: its lanes
            limit = T.Const(INT, base.type.width, span=node.span)
        if isinstance(base.type, SIMD) and node.name == "dtype":   # `v.dtype`: a DType
            limit = T.Const(DTYPE, base.type.dtype, span=node.span)
        if limit is not None:           # `x.MAX`: the limit of x's type
            if isinstance(base, (T.Load, T.Const)):
                return limit
            return T.Seq(limit.type, base, limit, span=node.span)     # x still evaluated
        if isinstance(base.type, Struct):
            member = self.struct_member(base.type, node.name)
            if isinstance(member, ConstEntity) and base.type.field_index(node.name) is None:
                return T.Const(member.expr.type, member.expr.value, span=node.span)
            return self.field_read(base, node)
        hint = ""
        if isinstance(base.type, SIMD) and base.type.dtype is not DType.bool:
            hint = did_you_mean(node.name, semantics.SCALAR_LIMITS)
        elif isinstance(base.type, Tensor):
            hint = _NUMPY_ATTRIBUTES.get(node.name, "")
        raise self.error(f"{base.type} has no attribute '{node.name}'", node.span, hint=hint)

    def expr_Unary(self, node: S.Unary):
        return self.unary(node, self.expr(node.operand))

    def unary(self, node: S.Unary, x: T.Expr) -> T.Expr:
        """`node`'s operator applied to `x`, its operand already checked."""
        t = x.type
        if isinstance(t, Struct) and node.op in (S.UnOp.NEG, S.UnOp.POS, S.UnOp.INVERT):
            name = {S.UnOp.NEG: "__neg__", S.UnOp.POS: "__pos__", S.UnOp.INVERT: "__invert__"}
            r = self.call_operator(t, name[node.op], [x], node.span, f"unary '{node.op.value}'")
            if r is None:
                raise self.error(f"unary '{node.op.value}' is not defined for {t}", node.span,
                                 hint=f"define `fn {name[node.op]}(self) -> {t}`")
            return r
        if node.op is S.UnOp.NOT:
            x = self.truth(x, node.operand.span)
            t = x.type
            if t != BOOL:
                raise self.error(f"'not' needs a Bool, not {t}", node.span,
                                 hint=_truth_hint(t, node.operand.span.text, "~"))
            if isinstance(x, T.Const):
                return T.Const(BOOL, not x.value, span=node.span)
            return T.Unary(BOOL, S.UnOp.NOT, x, span=node.span)
        if t.is_literal:
            if node.op is S.UnOp.INVERT and t == FLOAT_LITERAL:
                raise self.error("'~' needs an integer", node.span)
            v = {S.UnOp.NEG: lambda a: -a, S.UnOp.POS: lambda a: a,
                 S.UnOp.INVERT: lambda a: ~a}[node.op](x.value)
            return T.Const(t, v, span=node.span)
        if node.op is S.UnOp.INVERT:
            if not (is_int(t) or is_bool(t)):
                raise self.error(f"'~' needs an integer or Bool, not {t}", node.span)
        elif not is_numeric(t):
            raise self.error(f"unary '{node.op.value}' needs a number, not {t}", node.span)
        if node.op is S.UnOp.POS:
            return x
        return T.Unary(t, node.op, x, span=node.span)

    def expr_Binary(self, node: S.Binary):
        return self.binary(node.op, self.expr(node.lhs), self.expr(node.rhs), node.span)

    def binary(self, op: S.BinOp, lhs: T.Expr, rhs: T.Expr, span: Span) -> T.Expr:
        if lhs.type.is_literal and rhs.type.is_literal:
            return self.fold_literals(op, lhs, rhs, span)
        by_method = self.struct_binary(op, lhs, rhs, span)
        if by_method is not None:
            return by_method
        if op is S.BinOp.MATMUL:
            raise self.error(f"'@' is not defined for {lhs.type} and {rhs.type}", span,
                             hint="'@' calls a struct's __matmul__")
        moved = self.pointer_offset(op, lhs, rhs, span)
        if moved is not None:
            return moved
        container = next((e for e in (lhs, rhs) if isinstance(e.type, (Tensor, ListType))), None)
        if container is not None:
            raise self.container_operand(op, container, span)
        if STRING in (lhs.type, rhs.type):
            return self.string_binary(op, lhs, rhs, span)
        if op is S.BinOp.POW and rhs.type == INT and lhs.type == FLOAT_LITERAL:
            lhs = self.materialize(lhs)         # `0.5 ** k` is a Float64 power, as `x ** k`
        if op is S.BinOp.POW and rhs.type in (INT, INT_LITERAL) and \
                isinstance(lhs.type, SIMD) and lhs.type.dtype.is_int and lhs.type.dtype not in \
                (DType.index, DType.uindex) and not (isinstance(rhs, T.Const) and
                                                     rhs.value in (2, 3)):
            return self.int_power(lhs, rhs, span)
        if (op is S.BinOp.POW and rhs.type == INT and isinstance(lhs.type, SIMD)
                and lhs.type.dtype.is_float):
            # Mojo's `__pow__(self, exp: Int)`: the exponent converts to the base's type
            rhs = T.Cast(SIMD(lhs.type.dtype, 1), rhs, span=rhs.span)
        if self.is_vector_op(lhs, rhs):
            verb = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide",
                    "//": "divide", "%": "take the remainder of", "**": "raise"}
            t, (lhs, rhs) = self.simd_operands([lhs, rhs], span, verb.get(op.value, "combine"))
        else:
            t = self.unify([lhs, rhs], span, op=op)
        # before a literal operand is converted: `s + 1` is not "expected String"
        if t == POISON:
            raise Poison()
        if not isinstance(t, SIMD):
            raise self.error(f"'{op.value}' is not defined for {t}", span)
        if t.dtype is DType.bool and op not in (S.BinOp.AND, S.BinOp.OR, S.BinOp.XOR):
            raise self.error(f"'{op.value}' is not defined for Bool", span,
                             hint="convert first: `Int(flag)`")
        lhs, rhs = (self.coerce(lhs, t, lhs.span, operand_of=rhs),
                    self.coerce(rhs, t, rhs.span, operand_of=lhs))
        if op is S.BinOp.DIV and t == INT:      # Mojo's `Int.__truediv__`: a Float64
            t, lhs, rhs = FLOAT64, T.Cast(FLOAT64, lhs, span=lhs.span), \
                T.Cast(FLOAT64, rhs, span=rhs.span)
        if op is S.BinOp.DIV and not t.dtype.is_float:
            raise self.error(f"'/' is not defined for {t}", span,
                             hint="use '//' for floor division, or convert first: "
                                  "`Float64(a) / Float64(b)`")
        if op in (S.BinOp.AND, S.BinOp.OR, S.BinOp.XOR) and t.dtype.is_float:
            raise self.error(f"'{op.value}' needs integers or Bool, not {t}", span)
        if op in (S.BinOp.SHL, S.BinOp.SHR) and not t.dtype.is_int:
            raise self.error(f"'{op.value}' needs integers, not {t}", span)
        return T.Binary(t, op, lhs, rhs, span=span)

    def int_power(self, lhs: T.Expr, rhs: T.Expr, span: Span) -> T.Expr:
        """`x ** n` of an integer scalar or vector `x` (not Int) and an Int `n`:
        Mojo's `__pow__(self, exp: Int)`, wrapping in x's type, the exponent whole
        (`Int8(3) ** 200` is not `Int8(3) ** Int8(200)`). The power is taken in Int
        lanes and truncated: modulo 2**64 it agrees with the power modulo 2**bits."""
        t = lhs.type
        wide = SIMD(DType.index, t.width)
        rhs = self.coerce(rhs, INT, rhs.span)
        power = self.binary(S.BinOp.POW, T.Cast(wide, lhs, span=lhs.span), rhs, span)
        return T.Cast(t, power, span=span)

    def container_operand(self, op: S.BinOp, e: T.Expr, span: Span) -> UserError:
        """`t + 1` on a Tensor or List: say so, and how to work element-wise."""
        t, name = e.type, e.span.text if e.span is not None else "t"
        name = name if name.isidentifier() else "t"
        if isinstance(t, Tensor):
            return self.error(f"Tensor does not support '{op.value}' ({t} is not a number)",
                              span, hint=f"work element by element: `for i in range("
                                         f"{name}.dim(0)):` with `{name}[i]`, or SIMD vectors "
                                         f"with `{name}.load[width=w](i)`")
        return self.error(f"List does not support '{op.value}' ({t} is not a number)", span,
                          hint=f"work element by element: `for x in {name}:` or `{name}[i]`")

    def fold_literals(self, op: S.BinOp, lhs: T.Const, rhs: T.Const, span: Span) -> T.Const:
        a, b = lhs.value, rhs.value
        is_float_ = FLOAT_LITERAL in (lhs.type, rhs.type) or op is S.BinOp.DIV
        if is_float_ and op in semantics.FLOAT_BINARY:   # IEEE, as at run time
            for side in (lhs, rhs):
                try:
                    float(side.value)
                except OverflowError:
                    raise self.error("constant expression overflows", side.span,
                                     label="this integer is too large for a Float64") from None
            return T.Const(FLOAT_LITERAL, semantics.binary(op, float(a), float(b), DType.float64),
                           span=span)
        try:
            if op in (S.BinOp.AND, S.BinOp.OR, S.BinOp.XOR, S.BinOp.SHL, S.BinOp.SHR) and is_float_:
                raise self.error(f"'{op.value}' needs integers", span)
            if op is S.BinOp.MATMUL:
                raise self.error("'@' is not defined for numbers", span)
            if op is S.BinOp.SHL and b > 4096:
                raise self.error("shift count too large in a literal expression", span)
            if op in (S.BinOp.SHL, S.BinOp.SHR) and b < 0:
                raise self.error("negative shift count in a constant expression", span)
            if op is S.BinOp.POW and b < 0:
                raise self.error("negative exponent in integer '**'", span)
            # |a| ** b >= 2 ** (b * (bits(a) - 1)): refuse a power past the limit below
            # before computing it (10 ** 10 ** 10 has 10 ** 10 digits).
            if op is S.BinOp.POW and b * max(abs(a).bit_length() - 1, 0) > 4096:
                raise self.error("constant expression overflows", span)
            v = _LITERAL_OPS[op](a, b)
        except ZeroDivisionError:
            raise self.error("division by zero in a constant expression", span) from None
        except OverflowError:
            raise self.error("constant expression overflows", span) from None
        if isinstance(v, int) and abs(v) > 1 << 4096:
            raise self.error("constant expression overflows", span)
        t = FLOAT_LITERAL if isinstance(v, float) else INT_LITERAL
        return T.Const(t, v, span=span)

    def expr_Compare(self, node: S.Compare):
        return self.compare(node, [self.expr(o) for o in node.operands])

    def compare(self, node: S.Compare, operands: list[T.Expr]) -> T.Expr:
        """`node`'s comparisons of its checked `operands` (only its `ops` and
        `span` are read: a tuple's `==` compares its elements through here)."""
        by_method = self.struct_compare(node, operands)
        if by_method is not None:
            return by_method
        if any(o.type == DTYPE for o in operands):
            return self.dtype_compare(node, operands)
        if all(o.type.is_literal for o in operands) or all(isinstance(o, T.Const) and o.type ==
                                                            BOOL for o in operands):
            result = True
            for op, a, b in zip(node.ops, operands, operands[1:]):
                result = result and semantics.COMPARE[op](a.value, b.value)
            return T.Const(BOOL, bool(result), span=node.span)
        if self.is_vector_op(*operands):
            return self.simd_compare(node, operands)
        t = self.unify(operands, node.span, cmp=node.ops[0])
        if t == STRING or isinstance(t, Pointer):   # a pointer compares as its address
            other = next((o for o in operands if o.type != t), None)
            if other is not None:
                raise self.error(f"cannot compare {t} and {self.materialize(other).type}",
                                 node.span, hint=_null_hint(t, other))
            return T.Compare(BOOL, tuple(operands), node.ops, span=node.span)
        if not isinstance(t, SIMD) or t.width != 1:
            raise self.error(f"cannot compare values of type {t}", node.span)
        typed = next((o for o in operands if not o.type.is_literal), None)
        operands = [self.coerce(o, t, o.span, operand_of=typed) for o in operands]
        return T.Compare(BOOL, tuple(operands), node.ops, span=node.span)

    def dtype_compare(self, node: S.Compare, operands) -> T.Const:
        """`dt == DType.float32`: DTypes are compile-time values (aliases and
        parameters), so the comparison folds, for `@parameter if` to decide."""
        other = next((o for o in operands if o.type != DTYPE), None)
        if other is not None:
            raise self.error(f"cannot compare DType and {self.materialize(other).type}",
                             node.span)
        if any(op not in (S.CmpOp.EQ, S.CmpOp.NE) for op in node.ops):
            raise self.error("DType values can only be compared with == and !=", node.span)
        result = all((a.value == b.value) == (op is S.CmpOp.EQ)
                     for op, a, b in zip(node.ops, operands, operands[1:]))
        return T.Const(BOOL, result, span=node.span)

    def expr_Logic(self, node: S.Logic):
        lhs = self.truth(self.expr(node.lhs), node.lhs.span)
        rhs = self.truth(self.expr(node.rhs), node.rhs.span)
        for side, n in ((lhs, node.lhs), (rhs, node.rhs)):
            if side.type != BOOL:
                lanewise = {S.LogicOp.AND: "&", S.LogicOp.OR: "|"}[node.op]
                raise self.error(f"'{node.op.value}' needs Bool operands, not {side.type}",
                                 n.span, hint=_truth_hint(side.type, n.span.text, lanewise))
        return T.Logic(BOOL, node.op, lhs, rhs, span=node.span)

    def expr_IfExp(self, node: S.IfExp):
        cond = self.condition(node.cond)
        a, b = self.expr(node.then), self.expr(node.orelse)
        literals = None
        if a.type.is_literal and b.type.is_literal:
            literals = (a, b)
            a, b = self.materialize(a), self.materialize(b)
            if a.type != b.type:
                a, b = self.coerce_literal_pair(a, b)
        t = self.unify([a, b], node.span)
        self.storable(t, node.span, "the value of a conditional expression")
        e = T.IfExp(t, cond, self.coerce(a, t, a.span), self.coerce(b, t, b.span),
                    span=node.span)
        if literals is not None:
            self.literal_choices[id(e)] = (e, *literals)
        return e

    def coerce_literal_pair(self, a, b):
        return (T.Const(FLOAT64, float(a.value), span=a.span) if is_int(a.type) else a,
                T.Const(FLOAT64, float(b.value), span=b.span) if is_int(b.type) else b)

    def expr_TupleExpr(self, node):
        return self.tuple_value(node)

    def expr_Subscript(self, node: S.Subscript):
        ent = self.entity_of(node.value)
        if isinstance(ent, AliasTemplate):
            inst = self.alias_instance(ent, node)
            if isinstance(inst, ConstEntity):
                return T.Const(inst.expr.type, inst.expr.value, span=node.span)
            raise self.error(f"'{node.span.text}' is a {_describe_entity(inst)}, not a value",
                             node.span)
        if isinstance(ent, GenericTypeEntity) or isinstance(ent, BuiltinEntity):
            raise self.error(f"'{node.span.text}' is not a value", node.span,
                             hint="call it, e.g. `" + node.span.text + "(...)`")
        if isinstance(ent, FuncTemplate) and ent.owner is None:   # `f[DType.float64]`
            return self.instance_value(ent, node)
        base = self.expr(node.value)
        sliced = S.first_slice(node)
        if sliced is not None:
            if isinstance(base.type, ListType) or base.type == STRING:
                return self.slice_expr(base, node)      # check_memory.py
            raise self.error(f"{self.materialize(base).type} cannot be sliced", sliced.span,
                             hint="a slice `a:b` indexes a List or a String")
        if isinstance(base.type, (Tensor, Pointer, ListType)):
            return self.index_expr(base, node)
        if is_tuple(base.type):
            return self.tuple_index(base, node)
        if base.type == STRING:
            return self.string_index(base, node)
        if isinstance(base.type, Struct):
            call = S.Call(S.Attribute(node.value, "__getitem__", span=node.value.span),
                          node.args, node.kwargs, span=node.span)
            return self.struct_method_call(node.value, base, "__getitem__", call)
        if isinstance(base.type, SIMD):
            return self.lane_read(base, node)
        raise self.error(f"{base.type} cannot be indexed", node.span)

    def expr_Call(self, node: S.Call) -> T.Expr:
        func = node.func
        # x.cast[DType.float32]()
        if isinstance(func, S.Subscript) and isinstance(func.value, S.Attribute) \
                and func.value.name == "cast" and self.entity_of(func.value) is None:
            x = self.materialize(self.expr(func.value.value))
            if len(func.args) != 1 or node.args or node.kwargs:
                raise self.error("cast takes one DType parameter: `x.cast[DType.float32]()`",
                                 node.span)
            if not isinstance(x.type, SIMD):
                raise self.error(f"{x.type} has no method 'cast'", func.value.span)
            dt = self.dtype_param(func.args[0])
            return self.make_cast(x, x.type.with_dtype(dt), node.span)
        if isinstance(func, S.Subscript):
            gen = self.entity_of(func.value)
            if gen is None and isinstance(func.value, S.Name) and \
                    self.scope.lookup(func.value.id) is None:   # `parallelize[f]` not imported
                raise self.unknown_name(func.value)
            if isinstance(gen, (GenericTypeEntity, StructTemplate)):
                return self.construct(self.resolve_type(func), node)
            if isinstance(gen, FuncTemplate):
                return self.call_template(gen, node, func.args, func.kwargs)
            if isinstance(func.value, S.Attribute) and gen is None and \
                    func.value.name == "load":
                loaded = self.simd_load(func, node)
                if loaded is not None:
                    return loaded
            if isinstance(gen, BuiltinEntity) and gen.name == "vectorize":
                raise self.error("vectorize[...](...) has no value; call it as a statement",
                                 node.span)
            if isinstance(func.value, S.Attribute) and gen is None:
                owner = self.type_denoted(func.value.value)     # `P.scaled[3](x)`
                base = None if owner else self.expr(func.value.value)
                info = self.struct_info(owner or base.type)
                method = info.methods.get(func.value.name) if info else None
                if isinstance(method, FuncTemplate):
                    return self.call_template(method, node, func.args, func.kwargs,
                                              bound_self=base, base_node=func.value.value)
            if isinstance(gen, BuiltinEntity) and gen.name == "parallelize":
                return self.parallelize_call(node)      # check_parallel.py
            if isinstance(gen, BuiltinEntity) and gen.name == "alloc":  # current Mojo's
                if len(func.args) != 1 or func.kwargs:          # `UnsafePointer[T].alloc(n)`
                    raise self.error("alloc takes one type: `alloc[Float64](n)`", func.span)
                return self.static_method(Pointer(self.resolve_type(func.args[0])), "alloc",
                                          node)
            if isinstance(gen, BuiltinEntity) and gen.name == "sort":
                raise self.error("sort[...] with a comparison function is not supported yet",
                                 func.span, hint="`sort(l)` sorts by the elements' `<`")
            if isinstance(gen, BuiltinEntity) and gen.name in ("rand", "randn"):
                return self.stdlib_call(gen.name, node, tuple(func.args))
            if isinstance(gen, BuiltinEntity) and gen.name in NUMERIC_LIMITS:
                return self.numeric_limit(gen.name, func, node)     # check_numbers.py
            if isinstance(gen, ConstEntity) and gen.expr.type == FLOAT_LITERAL and \
                    not math.isfinite(gen.expr.value):
                return self.typed_infinity(gen.expr.value, func, node)
            if isinstance(gen, BuiltinEntity) and gen.name == "simdwidthof":
                if len(func.args) != 1 or node.args:
                    raise self.error("simdwidthof takes one parameter: "
                                     "`simdwidthof[DType.float64]()`", node.span)
                from .target import simd_width
                t = self.compile_time_value(func.args[0])
                dt = t.type.dtype if isinstance(t, TypeEntity) and isinstance(t.type, SIMD) \
                    else self.dtype_param(func.args[0])
                return T.Const(INT, simd_width(dt), span=node.span)
        if isinstance(func, S.Attribute) and not isinstance(self.entity_of(func.value),
                                                             (ModuleEntity, DTypeNamespace)):
            owner = self.type_denoted(func.value)
            member = self.entity_of(func) if owner is not None else None
            if isinstance(member, TypeEntity):                  # `Self.V(x)`, a type alias
                return self.construct(member.type, node)
            if owner is not None:
                return self.static_method(owner, func.name, node)
            return self.method_call(func.value, func.name, node)
        ent = self.entity_of(func)
        if isinstance(func, S.Name) and ent is None:
            raise self.unknown_name(func)
        if isinstance(ent, FuncEntity):
            return self.call_user(ent.fn, node)
        if isinstance(ent, FuncTemplate):
            return self.call_template(ent, node)
        if isinstance(ent, Overloads):
            return self.call_overloaded(ent, node)
        if isinstance(ent, T.Var) and isinstance(ent.type, Struct):
            return self.struct_method_call(func, self.expr(func), "__call__", node)
        if isinstance(ent, TypeEntity):
            return self.construct(ent.type, node)
        if isinstance(ent, StructTemplate):                 # `Buf()`: `Buf[4]()`
            t = self.defaulted_struct(ent, func, required=False)
            if t is None:                                   # `One(123)`: `One[Int](123)`
                t = self.struct_from_arguments(ent, node)
            return self.construct(t, node)
        if isinstance(ent, BuiltinEntity):
            return self.call_builtin(ent.name, node)
        if isinstance(ent, T.Var) and isinstance(ent.type, FnType):
            return self.call_value(self.expr(func), node)
        if isinstance(ent, T.Var):
            if ent.type == POISON:                      # its declaration was reported
                raise Poison()
            raise self.error(f"'{func.span.text}' is a variable of type {ent.type}; it cannot "
                             "be called", func.span)
        if ent is None and isinstance(func, (S.Subscript, S.Call)):  # `fns[i](x)`, `f()(x)`
            callee = self.expr(func)
            if isinstance(callee.type, FnType):
                return self.call_value(callee, node)
            if isinstance(callee.type, Struct):                  # `layers[i](x)`
                return self.struct_method_call(func, callee, "__call__", node)
        raise self.error(f"'{func.span.text}' cannot be called", func.span)

    def call_user(self, fn: T.Function, node: S.Call, bound=None, typed=None) -> T.Call:
        """Match `node`'s arguments to `fn`'s parameters. `bound`: values already
        given for the first parameters (a method's `self`; None for the `out
        self` of `__init__`, which the Construct supplies: it is left out).
        `typed`: the arguments already checked, by id of their syntax node (an
        overloaded call checks them once, to choose the function)."""
        skip = len(bound) if bound else 0
        params = fn.params[skip:]
        variadic = None if fn.variadic is None else fn.variadic - skip
        if variadic is not None:
            node = self.pack_variadic(fn, params, variadic, node)
        slots: list[T.Expr | None] = [None] * len(params)
        if len(node.args) > len(params):
            raise self.error(f"'{fn.name}' takes {_count(len(params), 'argument')}, but "
                             f"{_were(len(node.args))}", node.span,
                             label=f"expected {_signature(fn)}")
        if fn.positional is not None and len(node.args) > fn.positional - skip:
            limit = fn.positional - skip
            raise self.error(f"'{fn.name}' takes {_count(limit, 'positional argument')}, but "
                             f"{_were(len(node.args))}", node.span,
                             hint=f"pass '{params[limit].name}' by keyword: "
                                  f"`{params[limit].name}=...`")
        given = [(i, a) for i, a in enumerate(node.args)]
        by_position = {p.name for p in params[:max(fn.posonly - skip, 0)]}
        named = [kw for kw in node.kwargs if kw.name in by_position]
        if named:       # as Python words it
            raise self.error(f"'{fn.name}' got some positional-only arguments passed as "
                             f"keyword arguments: '{', '.join(kw.name for kw in named)}'",
                             named[0].span.to(named[-1].span),
                             hint=f"pass them by position: the signature is {_signature(fn)}")
        for kw in node.kwargs:
            idx = next((i for i, p in enumerate(params) if p.name == kw.name), None)
            if idx is None:
                raise self.error(f"'{fn.name}' has no parameter named '{kw.name}'", kw.span,
                                 hint=did_you_mean(kw.name, [p.name for p in params]))
            if idx < len(node.args) or any(i == idx for i, _ in given):
                raise self.error(f"argument '{kw.name}' given twice", kw.span)
            given.append((idx, kw.value))
        for i, a in given:
            p = params[i]
            if p.by_ref:
                slots[i] = self.ref_argument(fn, p, a, [s for s in slots if s is not None])
            else:
                what = f"argument '{p.name}' of '{fn.name}'"
                if typed and not isinstance(a, S.ListExpr):
                    slots[i] = self.coerce(typed[id(a)], p.type, a.span, what=what)
                else:
                    slots[i] = self.coerce_node(a, p.type, a.span, what=what)
        for i, p in enumerate(params):
            if slots[i] is None and i == variadic:      # no values: an empty List
                slots[i] = T.Builtin(p.type, "list.new", (), span=node.span)
            if slots[i] is None:
                default = T.default_of(fn, i + skip)
                if default is T.REQUIRED and (variadic is not None or fn.positional is not None
                                              and i >= fn.positional - skip):
                    # a count of parameters says little past a `*vals` or a bare `*`
                    kind = "keyword " if fn.positional is not None and \
                        i >= fn.positional - skip else ""
                    raise self.error(f"'{fn.name}' is missing its {kind}argument '{p.name}'",
                                     node.span, hint=f"the signature is {_signature(fn)}")
                if default is T.REQUIRED:
                    raise self.error(f"'{fn.name}' takes {_count(len(params), 'argument')}, but "
                                     f"{_were(len([s for s in slots if s is not None]))}",
                                     node.span, label=f"missing '{p.name}'",
                                     hint=f"the signature is {_signature(fn)}")
                slots[i] = T.Const(p.type, default, span=node.span)
        self.check_raises(fn, node.span)
        prefix = [b for b in (bound or ()) if b is not None]
        _check_exclusive(self, fn, prefix + slots)
        return T.Call(fn.ret, fn, tuple(prefix + slots), span=node.span)

    def pack_variadic(self, fn: T.Function, params, v: int, node: S.Call) -> S.Call:
        """`node` with the positional arguments from the variadic parameter's
        position on as one list literal there (`total(1, 2, 3)` is `total([1, 2, 3])`)."""
        for kw in node.kwargs:
            if kw.name == params[v].name:
                raise self.error(f"'{kw.name}' is variadic: pass its values by position",
                                 kw.span, hint=f"`{fn.name}(1, 2, 3)`")
        if len(node.args) < v:
            return node
        rest = node.args[v:]
        span = rest[0].span.to(rest[-1].span) if rest else node.span
        return S.Call(node.func, node.args[:v] + (S.ListExpr(tuple(rest), span=span),),
                      node.kwargs, span=node.span)

    def check_raises(self, fn: T.Function, span):
        if fn.raises and self.fs is not None and not self.may_raise_here():
            self.unmarked_raise()
            raise self.error(f"'{fn.name}' can raise, but '{self.fs.fn.name}' is not marked "
                             "`raises`", span,
                             hint=f"declare `fn {self.fs.fn.name}(...) raises:` or call it "
                                  "in a `try`")
        if fn.raises:
            self.note_raise()

    def ref_argument(self, fn: T.Function, p: T.Var, a: S.Expr, others) -> T.Ref:
        """A `mut` parameter takes the caller's variable itself, once per call."""
        if isinstance(a, (S.Attribute, S.Subscript)):      # a field or an element
            place = self.place(a, f"pass to `mut` argument '{p.name}' of '{fn.name}'",
                               self.mut_read_only(a, p, fn, "{name}"))
            if place.type != p.type:
                raise self.error(f"expected a {p.type} place for `mut` argument '{p.name}', "
                                 f"found {place.type}", a.span)
            ref = T.Ref(place.type, place, span=a.span)
            if any(isinstance(o, T.Ref) and o.var is ref.var for o in others):
                raise self.error(f"'{ref.var.name}' is passed twice to `mut` parameters of the "
                                 "same call", a.span)
            return ref
        if not isinstance(a, S.Name) or not isinstance(self.scope.lookup(a.id), T.Var):
            raise self.error(f"argument '{p.name}' of '{fn.name}' is `mut`: pass a variable",
                             a.span, hint="store the value in a `var` first")
        var = self.scope.lookup(a.id)
        self.require_assigned(var, a.span)
        if not var.mutable:
            raise self.error(self.mut_read_only(a, p, fn, var.name), a.span,
                             hint=self.read_only_hint(var, a.span))
        var = self.assign_target(a)
        if var.type != p.type:
            raise self.error(f"expected a {p.type} variable for `mut` argument '{p.name}', "
                             f"found {var.type}", a.span,
                             hint="a `mut` argument must have exactly the parameter's type")
        if any(isinstance(o, T.Ref) and o.var is var for o in others):
            raise self.error(f"'{var.name}' is passed twice to `mut` parameters of the same call",
                             a.span)
        return T.Ref(var.type, T.Load(var.type, var, span=a.span), span=a.span)

    @staticmethod
    def mut_read_only(a: S.Expr, p: T.Var, fn: T.Function, name: str) -> str:
        text = a.span.text.replace("{", "{{").replace("}", "}}")
        mut = "Mut" if a.span.source.python else "mut"
        return (f"cannot pass '{text}' to the `{mut}` parameter '{p.name}' of '{fn.name}': "
                f"'{name}' is read-only")

    def type_denoted(self, node: S.Expr) -> Type | None:
        """The type `node` names (`Float64`, `UnsafePointer[Int]`, `Box[4]`), or None."""
        ent = self.entity_of(node)
        if isinstance(ent, TypeEntity):
            return ent.type
        if isinstance(ent, StructTemplate):                 # `Buf.make()`: `Buf[4].make()`
            return self.defaulted_struct(ent, node, required=False)
        if isinstance(node, S.Subscript) and isinstance(self.entity_of(node.value),
                                                        (GenericTypeEntity, StructTemplate)):
            return self.resolve_type(node)
        return None

    def construct(self, t: Type, node: S.Call) -> T.Expr:
        if isinstance(t, Struct):
            return self.construct_struct(t, node)
        if t == STRING:
            return self.construct_string(node)
        if not isinstance(t, SIMD):
            return self.construct_memory(t, node)
        if node.kwargs:
            raise self.error(f"{t}(...) takes no keyword arguments", node.kwargs[0].span)
        if not node.args:               # Mojo's default constructor: `Int()`, `SIMD[dt, 4]()`
            dt = t.dtype
            zero = T.Const(SIMD(dt, 1), False if dt is DType.bool else 0.0 if dt.is_float
                           else 0, span=node.span)
            return zero if t.width == 1 else T.Splat(t, zero, span=node.span)
        if isinstance(t, SIMD) and t.width == 1:
            if len(node.args) != 1:
                raise self.error(f"{t}(...) takes one value to convert", node.span)
            x = self.expr(node.args[0])
            if t == BOOL:
                x = self.truth(x, node.span)
            if x.type == STRING and t == INT:       # parsed: check_strings.py
                return T.Builtin(INT, "string.atol", (x,), span=node.span)
            if x.type == STRING and t.dtype.is_float:
                return self.make_cast(T.Builtin(FLOAT64, "string.atof", (x,), span=node.span),
                                      t, node.span)
            if x.type.is_literal:       # `Bool(0)` converts (nonzero is True)
                if t.dtype is not DType.bool and (x.type == INT_LITERAL or t.dtype.is_float):
                    return self.coerce(x, t, node.span)
                x = self.materialize(x)
            if isinstance(x.type, Pointer) and t == INT:    # its address, as in Mojo
                return T.Builtin(INT, "ptr.address", (x,), span=node.span)
            if not isinstance(x.type, SIMD) or x.type.width != 1:
                raise self.error(f"cannot convert {x.type} to {t}", node.span,
                                 hint="`Int(p)` gives a pointer's address"
                                 if isinstance(x.type, Pointer) else "")
            return self.make_cast(x, t, node.span)
        return self.simd_construct(t, node)

    def make_cast(self, x: T.Expr, t: Type, span: Span) -> T.Expr:
        if x.type == t:
            return x
        if x.type.width != t.width:
            raise self.error(f"cannot convert {x.type} to {t}: lane counts differ", span)
        return T.Cast(t, x, span=span)

    def call_builtin(self, name: str, node: S.Call) -> T.Expr:
        if name == "print":
            raise self.error("print(...) has no value; call it as a statement", node.span)
        if name == "range":
            raise self.error("range(...) can only be used in a for loop or in len(...)",
                             node.span)
        if name == "Error":
            return self.construct_error(node)           # check_errors.py
        if name == "str":
            return self.construct_string(node, "str")
        if name == "alloc":
            raise self.error("alloc needs the element type: `alloc[Float64](n)`", node.span)
        if name == "sort":
            return self.sort_call(node)                 # check_lists.py
        if name == "divmod":
            return self.divmod_call(node)               # check_numbers.py
        if name in RADIX:
            return self.radix_call(name, node)
        if name in STRING_FUNCTIONS:
            return self.string_builtin(name, node)          # check_strings.py
        if name in MATH_FUNCTIONS:
            return self.math_call(name, node)
        if name == "ceildiv":
            return self.ceildiv_call(node)
        if name in MEMORY_BUILTINS:
            return self.memory_builtin(name, node)
        if name == "parallelize":
            return self.parallelize_call(node)          # without [body]: an error
        if name in STDLIB_FUNCTIONS:
            return self.stdlib_call(name, node)             # check_stdlib.py
        if name in NOT_YET:
            raise self.error(f"'{name}' is not supported yet", node.func.span)
        if name in ("num_physical_cores", "num_logical_cores"):
            from .target import cores
            if node.args:
                raise self.error(f"{name}() takes no arguments", node.span)
            return T.Const(INT, cores(), span=node.span)
        if name in NUMERIC_LIMITS:
            raise self.error(f"{name} needs a DType parameter: `{name}[DType.float64]()`",
                             node.span)
        if name == "simdwidthof":
            raise self.error("simdwidthof needs a DType parameter: `simdwidthof[DType.float64]()`",
                             node.span)
        raise self.error(f"'{name}' cannot be called like this", node.span)

    def ceildiv_call(self, node: S.Call) -> T.Expr:
        """Mojo's `ceildiv(a, b)`, `-(a // -b)` as its Int and SIMD types define it:
        each argument evaluated once, the division's faults and types as `//`'s.
        On unsigned integers (where -b wraps) it is its own operation, the
        quotient plus one where the division leaves a remainder (no overflow)."""
        if node.kwargs or len(node.args) != 2:
            raise self.error(f"ceildiv() takes 2 arguments, got "
                             f"{len(node.args) + len(node.kwargs)}", node.span)
        a, b = node.args
        x, y = self.expr(a), self.expr(b)
        if any(_is_unsigned(e.type) for e in (x, y)) and \
                all(_is_unsigned(e.type) or e.type == INT_LITERAL for e in (x, y)):
            if self.is_vector_op(x, y):
                t, (x, y) = self.simd_operands([x, y], node.span, "divide")
            else:
                t = self.unify([x, y], node.span, op=S.BinOp.FLOORDIV)
                x, y = self.coerce(x, t, a.span), self.coerce(y, t, b.span)
            return T.MathCall(t, "ceildiv", (x, y), span=node.span)
        neg = functools.partial(S.Unary, S.UnOp.NEG, span=node.span)
        minus_b = self.unary(neg(b, span=b.span), y)
        return self.unary(neg(node), self.binary(S.BinOp.FLOORDIV, x, minus_b, node.span))

    def math_call(self, name: str, node: S.Call) -> T.Expr:
        arity = semantics.MATH[name][0]
        variadic = name in ("min", "max")           # Mojo's `min(x, *ys)`: 2 or more here
        options = self.isclose_options(node) if name == "isclose" else []
        if node.kwargs and not options or \
                len(node.args) != arity and not (variadic and len(node.args) > 2):
            wanted = "2 or more arguments" if variadic else _count(arity, "argument")
            raise self.error(f"{name}() takes {wanted}, got "
                             f"{len(node.args) + len(node.kwargs)}", node.span,
                             hint="atol, rtol and equal_nan are keywords: "
                                  "`isclose(a, b, atol=1e-6)`" if name == "isclose" else "")
        args = [self.expr(a) for a in node.args]
        if self.is_vector_op(*args):
            t, args = self.simd_operands(args, node.span, f"call {name}() with")
        else:
            t = self.unify(args, node.span)
            if t.is_literal:
                t = FLOAT64 if t == FLOAT_LITERAL or name not in semantics.MATH_INT else INT
            args = [self.coerce(a, t, a.span) for a in args]
        if (isinstance(t, Pointer) or t == STRING) and variadic:
            return self.compared_min_max(name, t, args, node.span)    # check_memory.py
        if not isinstance(t, SIMD) or t.dtype is DType.bool:
            raise self.error(f"{name}() needs numbers, not {t}", node.span)
        if not t.dtype.is_float and name in INT_PREDICATES:     # Mojo's: no NaN or inf
            value = T.Const(SIMD(DType.bool, t.width), INT_PREDICATES[name] if t.is_scalar
                            else (INT_PREDICATES[name],) * t.width, span=node.span)
            if isinstance(args[0], (T.Load, T.Const)):
                return value
            return T.Seq(value.type, args[0], value, span=node.span)   # x still evaluated
        if not t.dtype.is_float and name not in semantics.MATH_INT:
            raise self.error(f"{name}() needs a floating-point argument, not {t}", node.span,
                             hint=f"convert first: `{name}(Float64({node.args[0].span.text}))`")
        rtype = SIMD(DType.bool, t.width) if name in semantics.MATH_PREDICATES else t
        if variadic:        # min(a, b, c) is min(min(a, b), c): each argument once, in order
            return functools.reduce(
                lambda acc, a: T.MathCall(t, name, (acc, a), span=node.span), args)
        return T.MathCall(rtype, name, tuple(args) + tuple(options), span=node.span)

    ISCLOSE_OPTIONS = {"atol": (FLOAT64, 1e-8), "rtol": (FLOAT64, 1e-5), "equal_nan": (BOOL, False)}

    def isclose_options(self, node: S.Call) -> list[T.Expr]:
        """Mojo's keyword-only `isclose(a, b, *, atol=1e-08, rtol=1e-05, equal_nan=False)`:
        with a keyword, the three values (Float64, Float64, Bool) after `a` and `b`,
        evaluated in that order; without one, none (the defaults are built in)."""
        if not node.kwargs:
            return []
        given = {}
        for kw in node.kwargs:
            if kw.name not in self.ISCLOSE_OPTIONS:
                raise self.error(f"isclose() has no parameter named '{kw.name}'", kw.span,
                                 hint=did_you_mean(kw.name, self.ISCLOSE_OPTIONS)
                                 or "its keywords are atol, rtol and equal_nan")
            if kw.name in given:
                raise self.error(f"argument '{kw.name}' given twice", kw.span)
            t = self.ISCLOSE_OPTIONS[kw.name][0]
            given[kw.name] = self.coerce_node(kw.value, t, kw.value.span,
                                              what=f"argument '{kw.name}' of 'isclose'")
        return [given.get(k) or T.Const(t, v, span=node.span)
                for k, (t, v) in self.ISCLOSE_OPTIONS.items()]

    # ------------------------------------------------------------ conversions
    def unify(self, exprs: list[T.Expr], span: Span, op: S.BinOp | None = None,
              cmp: S.CmpOp | None = None) -> Type:
        """The one type all `exprs` convert to: the concrete type they share (a
        conditional of two literals counts as a literal)."""
        choices = {id(e) for e in exprs if self.literal_choice(e)}
        concrete = [e for e in exprs if not e.type.is_literal and id(e) not in choices]
        if not concrete:
            floats = any(e.type in (FLOAT_LITERAL, FLOAT64) for e in exprs)
            if choices:                 # a literal's default type: the branches have it
                return FLOAT64 if floats else INT
            return FLOAT_LITERAL if floats else INT_LITERAL
        t = concrete[0].type
        for e in concrete[1:]:
            if e.type != t:
                sym = op.value if op else (cmp.value if cmp else "")
                verb = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide",
                        "//": "divide", "%": "take the remainder of", "**": "raise"}.get(sym)
                what = f"cannot {verb} {t} and {e.type}" if verb else \
                    (f"cannot compare {t} and {e.type}" if cmp else
                     f"mismatched types {t} and {e.type}")
                raise self.error(what, span, label=f"{t} {sym} {e.type}" if sym else
                                 "", hint=_cast_hint(t, e.type, concrete[0], e))
        return t

    def literal_choice(self, e: T.Expr) -> tuple[T.Const, T.Const] | None:
        """The literal branches of `e` if it is a conditional of two literals."""
        choice = self.literal_choices.get(id(e))
        return choice[1:] if choice is not None and choice[0] is e else None

    def coerce(self, e: T.Expr, t: Type, span: Span, what: str = "",
               operand_of: T.Expr | None = None, parameter: str = "") -> T.Expr:
        """Convert `e` to `t` if the language converts implicitly; else an error.
        `operand_of`: the typed operand `e` meets in an operator (`i * 0.5`);
        `parameter`: the compile-time parameter `e` is the value of."""
        if e.type == t:
            return e
        if t == POISON or e.type == POISON:
            raise Poison()
        if t == ERROR and e.type == STRING:     # Mojo's implicit `Error(s)`
            return T.Builtin(ERROR, "error.new", (e,), span=e.span)
        if isinstance(t, FnType) and t.raises and isinstance(e.type, FnType) and \
                FnType(e.type.params, e.type.ret, True) == t:
            # a function that cannot raise is one that may: a call is made the same way
            return T.FnRef(t, e.fn, span=e.span) if isinstance(e, T.FnRef) else \
                T.Cast(t, e, span=e.span)
        tup = self.tuple_coerce(e, t, span, what)
        if tup is not None:
            return tup
        if isinstance(e, T.Const) and e.type.is_literal and isinstance(t, SIMD) and t.width == 1:
            return self.literal_to(e, t, span, operand_of, parameter)
        choice = self.literal_choice(e)
        if choice is not None and isinstance(t, SIMD) and t.width == 1:
            a, b = choice               # each literal branch converts as a literal does
            return T.IfExp(t, e.cond, self.coerce(a, t, a.span, what, operand_of, parameter),
                           self.coerce(b, t, b.span, what, operand_of, parameter),
                           span=e.span)
        splat = self.vector_coerce(e, t, span)
        if splat is not None:
            return splat
        dest = f" for {what}" if what else ""
        raise self.error(f"expected {t}{dest}, found {e.type}", span,
                         hint=_cast_hint(t, e.type, None, e, target=t))

    def literal_to(self, e: T.Const, t: SIMD, span: Span,
                   operand_of: T.Expr | None = None, parameter: str = "") -> T.Const:
        if t.dtype is DType.bool:
            raise self.error(f"expected Bool, found {e.type}", span,
                             hint="write True or False")
        if e.type == INT_LITERAL:
            if t.dtype.is_float:
                try:
                    return T.Const(t, semantics.round_to(float(e.value), t.dtype), span=e.span)
                except OverflowError:
                    raise self.error(f"{shown_int(e.value)} is too large for {t}",
                                     span) from None
            lo, hi = t.dtype.int_range
            if not lo <= e.value <= hi:
                raise self.error(f"integer literal {shown_int(e.value)} does not fit in {t}", span,
                                 label=f"{t} holds {lo} to {hi}",
                                 hint=f"give compile-time parameter '{parameter}' a value "
                                 f"that {t} holds" if parameter else
                                 _wrap_hint(e.value, t, span))
            return T.Const(t, e.value, span=e.span)
        if t.dtype.is_float:
            return T.Const(t, semantics.round_to(e.value, t.dtype), span=e.span)
        # Beside an integer operand the float is what the user meant: convert
        # that operand, as for `Int + Float64`; elsewhere truncating is the way.
        hint = _cast_hint(t, FLOAT64, operand_of, e) if operand_of is not None else \
            f"convert explicitly: `{t}({span.text})` truncates toward zero"
        raise self.error(f"expected {t}, found a float literal", span, hint=hint)

    def materialize(self, e: T.Expr) -> T.Expr:
        """Give a literal its default type: Int or Float64."""
        if e.type == INT_LITERAL:
            return self.literal_to(e, INT, e.span)
        if e.type == FLOAT_LITERAL:
            return self.literal_to(e, FLOAT64, e.span)
        return e


_LITERAL_OPS = {
    S.BinOp.ADD: lambda a, b: a + b, S.BinOp.SUB: lambda a, b: a - b,
    S.BinOp.MUL: lambda a, b: a * b, S.BinOp.DIV: lambda a, b: a / b,
    S.BinOp.FLOORDIV: lambda a, b: a // b, S.BinOp.MOD: lambda a, b: a % b,
    S.BinOp.POW: lambda a, b: a ** b, S.BinOp.AND: lambda a, b: a & b,
    S.BinOp.OR: lambda a, b: a | b, S.BinOp.XOR: lambda a, b: a ^ b,
    S.BinOp.SHL: lambda a, b: a << b, S.BinOp.SHR: lambda a, b: a >> b,
    S.BinOp.MATMUL: None,
}


def _check_exclusive(checker, fn: T.Function, args: list[T.Expr]):
    """A variable passed to a `mut` parameter may not also be another argument
    that shares its storage (a List, Tensor or struct: the callee's writes would
    change what it reads). A number is copied when passed, so `f(a, a)` is fine."""
    roots = [(a.var, a) for a in args if isinstance(a, T.Ref)]
    for var, ref in roots:
        for other in args:
            if other is not ref and isinstance(other.type, (ListType, Tensor, Struct)) and \
                    _mentions(other, var):
                raise checker.error(f"'{var.name}' is passed to a `mut` parameter of "
                                    f"'{fn.name}' and also as another argument", other.span,
                                    hint=f"copy it first: `{_var(other.span)}{var.name}2 = "
                                         f"{var.name}`")


def _mentions(e: T.Expr, var: T.Var) -> bool:
    """Whether `e` may be a view of `var`'s storage. A call's or a constructor's
    result is a new value, complete before the call it is passed to begins:
    `self.push(Node(self.size))` reads `self` but shares nothing with it."""
    if isinstance(e, T.Load):
        return e.var is var
    if isinstance(e, (T.Call, T.CallValue, T.Construct)):
        return False
    return any(_mentions(c, var) for c in T.children(e) if isinstance(c, T.Expr))


def _limit(t, name: str, span) -> T.Const | None:
    """`name` (MAX, MIN, MAX_FINITE, MIN_FINITE) of numeric SIMD type `t`, every
    lane of a vector; None for another type or name."""
    if not isinstance(t, SIMD):
        return None
    limit = semantics.scalar_limit(t.dtype, name)
    if limit is None:
        return None
    return T.Const(t, limit if t.is_scalar else (limit,) * t.width, span=span)


def _printable_element(t: Type) -> bool:
    """What `print` shows, alone or inside a List or a tuple: numbers, Bool,
    SIMD, Strings (as Python's repr inside), and Lists and tuples of those."""
    return isinstance(t, SIMD) or t == STRING or \
        isinstance(t, ListType) and _printable_element(t.element) or \
        is_tuple(t) and all(_printable_element(e) for _, e in t.fields)


def _raises(ent) -> bool:
    """Whether calling what `ent` stands for can raise (a struct: its `__init__`)."""
    if isinstance(ent, FuncEntity):
        return ent.fn.raises
    if isinstance(ent, Overloads):
        return any(_raises(e) for e in ent.entities)
    if isinstance(ent, FuncTemplate):
        return ent.node.raises
    if isinstance(ent, StructTemplate):
        return any(isinstance(m, S.FnDef) and m.name == "__init__" and m.raises
                   for m in ent.node.body)
    return False


def _inline_mode(d: S.Decorator) -> bool:
    """Mojo's `@always_inline("nodebug")` (and `"builtin"`): inlined like
    `@always_inline`; there is no debugger to step over it."""
    return d.name == "always_inline" and len(d.args) == 1 and \
        isinstance(d.args[0], S.StrLit) and d.args[0].value in ("nodebug", "builtin")


def _a(t) -> str:
    text = str(t)
    return ("an " if text[:1] in "AEIOU" else "a ") + text


def _were(n: int) -> str:
    return f"{n} {'was' if n == 1 else 'were'} given"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _signature(fn: T.Function) -> str:
    """`f(a: Int, *vals: Int, k: Int = 1) -> Int`, as written (a bare `*` too)."""
    parts = []
    for k, p in enumerate(fn.params):
        if k and k == fn.posonly:
            parts.append("/")
        if k == fn.positional and fn.variadic is None:
            parts.append("*")
        part = f"*{p.name}: {p.type.element}" if k == fn.variadic else \
            ("mut " if p.by_ref else "") + f"{p.name}: {p.type}"
        default = T.default_of(fn, k)
        parts.append(part + (f" = {default!r}" if default is not T.REQUIRED else ""))
    if fn.posonly and fn.posonly == len(fn.params):
        parts.append("/")
    ret = "" if fn.ret == NONE else f" -> {fn.ret}"
    return f"{fn.name}({', '.join(parts)}){ret}"


def _effect_free(node: S.Expr) -> bool:
    """A name, a literal, or a field or subscript of ones: evaluating it does nothing
    else (a subscript's own check aside)."""
    if isinstance(node, (S.Name, S.IntLit, S.FloatLit, S.BoolLit, S.StrLit)):
        return True
    if isinstance(node, S.Attribute):
        return _effect_free(node.value)
    if isinstance(node, S.Subscript):
        return not node.kwargs and _effect_free(node.value) and all(map(_effect_free, node.args))
    return False


def _describe_entity(ent) -> str:
    return {FuncEntity: "function", BuiltinEntity: "built-in function", TypeEntity: "type",
            ModuleEntity: "module", GenericTypeEntity: "type", ConstEntity: "constant",
            DTypeNamespace: "type", StructTemplate: "struct", AliasTemplate: "parametric alias",
            TraitEntity: "trait",
            FuncTemplate: "function", Overloads: "function"}.get(type(ent), "name")


def _entity_name(ent) -> str | None:
    """The program's name of a function (`geometry.norm`), of one with compile-time
    parameters with `[]` after it (`geometry.times[]`), or of a module read from a file
    with a dot after it (`geometry.`); None for other entities."""
    if isinstance(ent, FuncEntity):
        return ent.fn.name
    if isinstance(ent, Overloads):
        return ent.name
    if isinstance(ent, FuncTemplate) and ent.owner is None and not ent.nested:
        return ent.scope.qualifier + ent.node.name + "[]"
    if isinstance(ent, ModuleEntity) and ent.scope is not None:
        return ent.scope.qualifier
    return None


def _var(span: Span) -> str:
    """`var ` where `span` is in a `.ml` file; nothing in a Python kernel, where
    the first assignment declares."""
    return "" if span.source.python else "var "


def _is_unsigned(t: Type) -> bool:
    return isinstance(t, SIMD) and t.dtype.is_int and not t.dtype.is_signed


def _convention(span: Span, convention: str, var: T.Var) -> str:
    """Parameter `var` declared with `convention` (`mut`, `owned`), spelt for the
    surface `span` is written in: `mut x: Int`, in a Python kernel `x: Mut[Int]`."""
    if span.source.python:
        if var.name == "self":
            return f"self: {convention.title()}"
        return f"{var.name}: {convention.title()}[{var.type}]"
    return f"{convention} {var.name}" + ("" if var.name == "self" else f": {var.type}")


def _import_hint(module: str, name: str | None, span: Span) -> str:
    """Help for a standard name (`name` None: the module itself) used without
    its import, spelt for the surface `span` is written in."""
    if span.source.python:
        from .kernel import python_import
        line, then = python_import(module, name)
    else:
        line, then = f"import {module}" if name is None else f"from {module} import {name}", ""
    return f"add `{line}` at the top of the file" + (f" and write {then}" if then else "")


def _wrap_hint(value: int, t: SIMD, span: Span) -> str:
    """How to wrap `value` into `t` on purpose: through a variable of a type that
    holds it (Int, else UInt64), converted; "" when no integer type holds it."""
    holder = next((h for h in (INT, SIMD(DType.uint64, 1))
                   if h.dtype.int_range[0] <= value <= h.dtype.int_range[1]), None)
    if holder is None:
        return ""
    var = "" if span.source.python else "var "
    typed = "" if holder == INT else f": {holder}"
    return f"to wrap on purpose, convert a variable: `{var}v{typed} = {value}` then `{t}(v)`"


def _null_hint(t: Type, other: T.Expr) -> str:
    """Help for `p == 0` (`t` a pointer): the null pointer is `UnsafePointer[T]()`."""
    if isinstance(t, Pointer) and isinstance(other, T.Const) and other.type == INT_LITERAL \
            and other.value == 0:
        return f"the null pointer is `{t}()`; `if p:` or `not p` tests for it"
    return ""


def _truth_hint(t: Type, text: str, lanewise: str = "") -> str:
    """Help for a `t` (written `text`) that is not Boolable where a truth value is
    needed: a vector has one truth value per lane, so a bool vector reduces (a
    condition) or uses the lane-wise operator `lanewise`, and a number vector
    compares first."""
    if isinstance(t, SIMD) and t.width > 1:
        if t.dtype is not DType.bool:
            v = text if text.isidentifier() else f"({text})"
            return "" if lanewise else (f"a vector has one truth value per lane: compare "
                                        f"and reduce it, e.g. `({v} != 0).reduce_or()`")
        if lanewise:
            return f"`{lanewise}` works lane by lane on bool vectors"
        return ("a vector has one truth value per lane: reduce it with "
                "`.reduce_or()` (any lane) or `.reduce_and()` (every lane)")
    if isinstance(t, Struct) and not is_tuple(t):
        return "give it `fn __bool__(self) -> Bool` to use it as a truth value"
    return ""


def _cast_hint(a: Type, b: Type, ea, eb, target: Type | None = None) -> str:
    """Which explicit conversion to write, in the user's words."""
    if target is not None:
        if isinstance(target, SIMD) and isinstance(b, SIMD) and target.width == b.width == 1:
            text = eb.span.text if eb is not None else "x"
            return f"convert explicitly: `{target}({text})`"
        return ""
    if isinstance(a, SIMD) and isinstance(b, SIMD) and a.width == b.width == 1:
        if a.dtype.is_float and not b.dtype.is_float:
            return f"convert the {b} explicitly: `{a}({eb.span.text})`"
        if b.dtype.is_float and not a.dtype.is_float:
            return f"convert the {a} explicitly: `{b}({ea.span.text})`"
        if a.dtype is DType.bool:       # Bool has no arithmetic: convert the Bool
            return f"convert the Bool explicitly: `{b}({ea.span.text})`"
        if b.dtype is DType.bool:
            return f"convert the Bool explicitly: `{a}({eb.span.text})`"
        return f"convert one side explicitly, e.g. `{a}({eb.span.text})`"
    return ""

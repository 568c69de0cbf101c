"""Import checks: `import M`, `from M import a as b`, and modules read from files.

In: `S.Import`/`S.ImportFrom` statements handed over by the checker
(`typecheck._Checker` inherits these methods). Out: the names they bind, in the
file's top-level scope: standard names (`STD_MODULES`) as entities, and for a
file beside the program (`import geometry` of geometry.ml) a `ModuleEntity`
whose scope holds that file's top-level names, declared on its first import
(its function bodies are checked with the program's). Two imports binding one
name to different things, a missing module or name, and import cycles are
located errors.
"""
from __future__ import annotations

import dataclasses
import os

from . import modules, semantics
from . import syntax as S
from . import typed as T
from .check_structs import StructTemplate
from .errors import CompileError, UserError, did_you_mean
from .scopes import (FAILED, BuiltinEntity, ConstEntity, GenericTypeEntity, ModuleEntity, Poison,
                     Scope, TypeEntity)
from .source import Span
from .typesys import FLOAT_LITERAL

# utils.numerics's functions of a DType parameter: `max_finite[DType.int8]()`.
NUMERIC_LIMITS = {"max_finite", "min_finite", "max_or_inf", "min_or_neg_inf", "inf", "neg_inf",
                  "nan"}
# The standard modules and the names each one holds.
MATH_FUNCTIONS = set(semantics.MATH) | {"rsqrt"}
STD_MODULES: dict[str, set[str]] = {
    "math": MATH_FUNCTIONS | {"ceildiv"} | set(semantics.MATH_CONSTANTS),
    "algorithm": {"vectorize", "parallelize"},
    "algorithm.functional": {"vectorize", "parallelize"},   # where Mojo defines them
    "sys": {"simdwidthof", "simd_width_of", "num_physical_cores", "num_logical_cores"},
    "sys.info": {"simdwidthof", "simd_width_of", "num_physical_cores", "num_logical_cores"},
    "memory": {"UnsafePointer", "DTypePointer", "memset_zero", "memcpy", "alloc"},
    "memory.unsafe": {"DTypePointer"},                # older Mojo's homes of the pointers
    "memory.unsafe_pointer": {"UnsafePointer"},
    "random": {"seed", "random_float64", "random_si64", "random_ui64", "randn_float64", "rand",
               "randn"},
    "time": {"now", "perf_counter_ns"},
    "tensor": {"Tensor"},
    "collections": {"List"},
    "collections.list": {"List"},
    "builtin": set(),
    "utils": set(),
    "utils.numerics": NUMERIC_LIMITS | {"isnan", "isinf", "isfinite"},
    "math.limit": {"inf", "neginf", "max_finite", "min_finite"},      # older Mojo's home
}
# Current Mojo's spellings of names the spec gives by their older ones.
_RENAMED = {"simd_width_of": "simdwidthof", "neginf": "neg_inf"}


class ImportChecks:
    def check_import(self, stmt):
        # current Mojo's `std` package: `from std.math import sqrt` is `math`'s sqrt
        if stmt.module.startswith("std.") and stmt.module[4:] in STD_MODULES:
            if isinstance(stmt, S.Import) and stmt.asname is None:
                stmt = dataclasses.replace(stmt, module="std", span=stmt.span)
            else:
                stmt = dataclasses.replace(stmt, module=stmt.module[4:], span=stmt.span)
        if stmt.module == "std" and isinstance(stmt, S.Import):
            name = stmt.asname or "std"
            self.bind_import(name, ("std",), "std", stmt.span)
            self.globals.names[name] = ModuleEntity("std")
            return
        if stmt.module not in STD_MODULES and stmt.module != "std":
            return self.import_file(stmt)
        if isinstance(stmt, S.Import):
            if stmt.asname is None:        # `import sys.info` binds `sys`
                package = stmt.module.split(".")[0]
                self.bind_import(package, (package,), package, stmt.span)
                self.globals.names[package] = ModuleEntity(package)
            else:
                self.bind_import(stmt.asname, (stmt.module,), stmt.module, stmt.span)
                self.globals.names[stmt.asname] = ModuleEntity(stmt.module)
            return
        for (name, asname), span in zip(stmt.names, stmt.name_spans):
            self.guarded(self.declaring, self.globals, asname, self.import_member,
                         stmt.module, name, asname, span)

    def import_member(self, module: str, name: str, asname: str, span: Span):
        self.bind_import(asname, (module, name), f"{module}.{name}", span)
        self.globals.names[asname] = self.module_member(module, name, span)

    def bind_import(self, name: str, origin: tuple, text: str, span: Span):
        """An import binding `name` to what `origin` keys (`text` names it): a name
        that an earlier import of the file bound to something else is an error here,
        not a silent rebinding (Mojo refuses a redefinition of a name); binding the
        same thing again is allowed, as in Python."""
        prev = self.globals.import_origins.get(name)
        what = text if len(origin) == 2 else f"module {text}"
        if prev is not None and prev[0] != origin:
            module, _, member = text.rpartition(".")
            raise self.error(f"'{name}' is already imported, as {prev[1]}", span,
                             label=f"this would make it {what}",
                             hint="import it under another name: " +
                                  (f"`from {module} import {member} as other`"
                                   if len(origin) == 2 else f"`import {text} as other`"))
        self.globals.import_origins[name] = (origin, what)

    # -- modules read from files
    def import_file(self, stmt):
        """`import geometry` / `from geometry import norm` of geometry.ml beside the
        importing file; if it fails, the names it binds are FAILED."""
        if isinstance(stmt, S.Import):
            bound = [stmt.asname or stmt.module.split(".")[0]]
        else:
            bound = [asname for _, asname in stmt.names]
        try:
            module = self.file_module(stmt)
        except (UserError, Poison):
            for name in bound:
                self.globals.names.setdefault(name, FAILED)
            raise
        if isinstance(stmt, S.Import):
            self.bind_import(bound[0], (module,), stmt.module, stmt.span)
            self.globals.names[bound[0]] = module
            return
        for (name, asname), span in zip(stmt.names, stmt.name_spans):
            self.guarded(self.declaring, self.globals, asname, self.import_file_member,
                         module, name, asname, span)

    def import_file_member(self, module: ModuleEntity, name: str, asname: str, span: Span):
        ent = self.file_name(module, name, span)
        self.bind_import(asname, (module, name), f"{module.name}.{name}", span)
        if asname in self.globals.names and asname not in self.globals.imported:
            return          # a struct of the file's own, above the import, shadows it
        self.globals.names[asname] = ent
        self.globals.imported.add(asname)

    def shadow_import(self, name: str):
        """A top-level function, struct or alias of the file with the name that a
        `from` import bound shadows that import throughout the file (Python and Mojo
        let a later definition shadow an import; here the file's own definition wins
        wherever it stands)."""
        if name in self.globals.imported:
            self.globals.imported.discard(name)
            del self.globals.names[name]

    def file_name(self, module: ModuleEntity, name: str, span: Span):
        """What top-level `name` of an imported file stands for (a struct: its template)."""
        if name not in module.scope.names:
            raise self.error(f"module '{module.name}' has no name '{name}'", span,
                             hint=did_you_mean(name, module.scope.names))
        return module.scope.lookup(name)

    def file_member(self, module: ModuleEntity, name: str, span: Span):
        """`geometry.name`, as `entity_of` gives a name: a struct without parameters
        is its type."""
        ent = self.file_name(module, name, span)
        if isinstance(ent, StructTemplate) and not ent.node.ct_params:
            return TypeEntity(self.instantiate_struct(ent, (), span))
        return ent

    def file_module(self, stmt) -> ModuleEntity:
        """The module of the file `stmt` imports, declared on its first import."""
        name, directory = stmt.module, stmt.span.source.directory
        hint = "the standard modules are: " + ", ".join(sorted(STD_MODULES))
        if directory is None or "." in name:
            if directory is None and "." not in name:
                hint += (f"; a program given as text imports no files: save it beside "
                         f"{name}.ml and load it from there (`mojolite run`, "
                         f"`mojolite.load`)")
            raise self.error(f"no module named '{name}'", stmt.span, hint=hint)
        path = modules.find(directory, name)
        if path is None:
            tried = " or ".join(modules.candidates(directory, name))
            raise self.error(f"no module named '{name}'", stmt.span,
                             label=f"found no {tried}", hint=hint)
        key = os.path.realpath(path)
        paths = [p for _, p in self.importing]
        if key in paths:                # a file importing itself, directly or not
            cycle = [n for n, _ in self.importing[paths.index(key):]] + [name]
            raise self.error("import cycle: " + " imports ".join(cycle), stmt.span,
                             hint="move what these modules share into a module that "
                                  "imports none of them")
        if key not in self.file_modules:
            self.file_modules[key] = self.read_file_module(name, path, key, stmt.span)
        return self.file_modules[key]

    def read_file_module(self, name: str, path: str, key: str, span: Span) -> ModuleEntity:
        """Parse the file at `path` and declare its top-level names in a scope of
        their own; their functions' bodies are checked with the program's."""
        from .api import file_source
        from .errors import SourceFileError
        from .parser import parse
        try:
            source = file_source(path)
            tree = parse(source)
        except SourceFileError as e:
            raise self.error(f"cannot read {path}: {e.strerror}", span) from None
        except CompileError as e:             # not UTF-8, or a syntax error
            for err in e.errors:
                self.report(err)
            raise Poison() from None
        scope = Scope(self.builtins)
        scope.qualifier = name + "."
        saved = self.globals, self.scope
        self.globals = self.scope = scope
        self.importing.append((name, key))
        try:
            self.declare_file(tree)
        finally:
            self.globals, self.scope = saved
            self.importing.pop()
        return ModuleEntity(name, scope)

    def module_member(self, module: str, name: str, span: Span):
        """`module.name` (or `from module import name`): a standard name, or a
        submodule (`sys.info`), as Python resolves them."""
        if module == "std":                 # `std.math`: the standard modules
            if name not in STD_MODULES:
                raise self.error(f"module 'std' has no module '{name}'", span,
                                 hint=did_you_mean(name, STD_MODULES))
            return ModuleEntity(name)
        if f"{module}.{name}" in STD_MODULES:
            return ModuleEntity(f"{module}.{name}")
        if name not in STD_MODULES[module]:
            raise self.error(f"module '{module}' has no name '{name}'", span,
                             hint=did_you_mean(name, STD_MODULES[module]))
        return self.std_entity(module, name)

    def std_entity(self, module: str, name: str):
        if module != "math" and _RENAMED.get(name, name) in NUMERIC_LIMITS:
            return BuiltinEntity(_RENAMED.get(name, name))   # a function, not math's float
        if name in semantics.MATH_CONSTANTS:
            return ConstEntity(T.Const(FLOAT_LITERAL, semantics.MATH_CONSTANTS[name],
                                       span=self.source.span(0, 0)))
        if name in ("Tensor", "List", "UnsafePointer", "DTypePointer"):
            return GenericTypeEntity(name)
        return BuiltinEntity(_RENAMED.get(name, name))


def module_name(path: str) -> str:
    """`geometry` of `shapes/geometry.ml`."""
    return os.path.splitext(os.path.basename(path))[0]

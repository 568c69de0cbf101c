"""Type rules of structs, compile-time parameters and nested functions.

In: syntax nodes handed over by the checker (`typecheck._Checker` inherits
these methods). Out: `Struct` types with their fields, methods as ordinary
`typed.Function`s (`self` first: a value, or a reference for `mut`/`out self`),
`Construct`/`Field`/`StoreField` nodes, calls of operator methods, one
instance per distinct compile-time parameter values (monomorphisation), and
nested functions as Functions whose `captures` are passed by reference.
Rules:
- a struct's fields are its `var name: Type` lines; `@value` (or
  `@fieldwise_init`) synthesises the field-wise `__init__`; `Name(args)` zeroes
  the fields and runs `__init__`, which must assign every field on every path
  (`check_fields_initialized`);
- `a.f = v` needs a mutable place: a `var`, a `mut`/`out` argument (`self` in
  a `mut self` method or `__init__`), a field of one, or a pointer element;
- `a + b` calls `a.__add__(b)`, else `b.__radd__(a)`; `a += b` calls
  `__iadd__` if defined, else `a = a + b`; likewise every operator of the spec;
- `[p: DType, n: Int]` parameters are compile-time values; a generic function
  is instantiated per parameter values, given (`f[DType.float32](x)`) or
  inferred from the argument types (`x: SIMD[dt, n]` given a `Float32`);
- a nested `fn` sees the enclosing variables and shares them (by reference).
"""
from __future__ import annotations

from . import syntax as S
from . import typed as T
from .check_functions import Overloads, self_count
from .errors import did_you_mean
from .matching import match_type
from .scopes import POISON, FuncEntity, Poison
from .typesys import (BOOL, DTYPE, FLOAT64, FLOAT_LITERAL, INT, INT_LITERAL, NONE, FnType,
                      Lifecycle, ListType, Pointer, SIMD, Struct, Type, has_lifecycle, is_tuple,
                      not_copyable,
                      owns_memory)
from .memory import TAKES_ELEMENTS

OPERATORS = {S.BinOp.ADD: "add", S.BinOp.SUB: "sub", S.BinOp.MUL: "mul",
             S.BinOp.DIV: "truediv", S.BinOp.FLOORDIV: "floordiv", S.BinOp.MOD: "mod",
             S.BinOp.POW: "pow", S.BinOp.MATMUL: "matmul", S.BinOp.AND: "and",
             S.BinOp.OR: "or", S.BinOp.XOR: "xor", S.BinOp.SHL: "lshift",
             S.BinOp.SHR: "rshift"}
COMPARISONS = {S.CmpOp.EQ: "__eq__", S.CmpOp.NE: "__ne__", S.CmpOp.LT: "__lt__",
               S.CmpOp.LE: "__le__", S.CmpOp.GT: "__gt__", S.CmpOp.GE: "__ge__"}
# `a < b` is `b > a`: the method a comparison falls back to on its right operand
REFLECTED = {S.CmpOp.EQ: S.CmpOp.EQ, S.CmpOp.NE: S.CmpOp.NE, S.CmpOp.LT: S.CmpOp.GT,
             S.CmpOp.LE: S.CmpOp.GE, S.CmpOp.GT: S.CmpOp.LT, S.CmpOp.GE: S.CmpOp.LE}
STRUCT_DECORATORS = {"value", "register_passable", "fieldwise_init"}
# Instances one generic function or struct may have: without a bound, a parameter
# that changes at every instantiation (`f[n + 1]()` in f's body) never stops.
MAX_INSTANCES = 1000
# List operations that copy elements of their List argument (or fill value)
COPIES_ELEMENTS = frozenset({"list.filled", "list.resize", "list.extend", "list.slice"})
# The lifecycle methods a struct may define, with the parameters each takes.
LIFECYCLE = {"__del__": "owned self", "__copyinit__": "out self, existing: Self",
             "__moveinit__": "out self, owned existing: Self"}


# Mojo's own traits: the kinds of a type parameter (`[T: Copyable & Movable]`) that
# any type satisfies here (a use the type lacks is an error in the instance).
BUILTIN_TRAITS = ("AnyType", "Copyable", "Movable", "ImplicitlyCopyable", "ExplicitlyCopyable",
                  "Defaultable", "Stringable", "Representable", "Writable", "Sized", "Boolable",
                  "Intable", "Floatable", "Comparable", "EqualityComparable", "Hashable",
                  "KeyElement", "CollectionElement", "Absable", "Powable", "Roundable",
                  "Writer")


class TraitEntity:
    """A trait: the user's `trait Shape:` (`node`), or one of Mojo's (`node` None)."""

    def __init__(self, name: str, node: S.TraitDef | None = None, scope=None):
        self.name, self.node, self.scope = name, node, scope


class StructTemplate:
    """A struct definition; `instances` maps parameter values to StructInfo."""

    def __init__(self, node: S.StructDef, scope):
        self.node, self.scope = node, scope
        self.instances: dict[tuple, StructInfo] = {}


class StructInfo:
    def __init__(self, type_: Struct, template: StructTemplate, scope):
        self.type, self.template, self.scope = type_, template, scope
        self.methods: dict[str, object] = {}        # name → FuncEntity
        self.failed = False     # a field was wrong (reported): a missing member is no news


class FuncTemplate:
    """A function with compile-time parameters; one FuncEntity per values."""

    def __init__(self, node: S.FnDef, scope, owner: StructInfo | None = None):
        self.node, self.scope, self.owner = node, scope, owner
        self.instances: dict[tuple, object] = {}
        self.nested = False     # a nested `fn` (a closure over its enclosing variables)


class StructChecks:
    """Mixin of `_Checker` (uses its scopes, `expr`, `coerce`, `call_user` ...)."""

    # ------------------------------------------------------------ definitions
    def declare_struct(self, node: S.StructDef):
        for d in node.decorators:
            if d.name not in STRUCT_DECORATORS:
                raise self.error(f"unknown struct decorator '@{d.name}'", d.span,
                                 hint="structs accept @value and @register_passable")
        self.shadow_import(node.name)
        if node.name in self.globals.names:
            raise self.error(f"'{node.name}' is defined twice", node.name_span)
        self.globals.names[node.name] = StructTemplate(node, self.globals)

    def declare_trait(self, node: S.TraitDef):
        self.shadow_import(node.name)
        if node.name in self.globals.names:
            raise self.error(f"'{node.name}' is defined twice", node.name_span)
        for st in node.body:
            if not isinstance(st, (S.FnDef, S.Pass, S.ExprStmt)):
                raise self.error("a trait holds only the methods a conforming type defines",
                                 st.span)
        self.globals.names[node.name] = TraitEntity(node.name, node, self.globals)

    def trait_kind(self, node: S.Expr, scope=None) -> list | None:
        """The traits a type parameter's kind names (`Shape`, `Copyable & Movable`),
        looked up in `scope` (else the current one), or None when it is not a trait
        (`Int`, `DType`, a function type)."""
        if isinstance(node, S.Binary) and node.op is S.BinOp.AND:
            lhs, rhs = self.trait_kind(node.lhs, scope), self.trait_kind(node.rhs, scope)
            return None if lhs is None or rhs is None else lhs + rhs
        ent = (scope or self.scope).lookup(node.id) if isinstance(node, S.Name) else None
        return [ent] if isinstance(ent, TraitEntity) else None

    def check_instance_traits(self, template, values: tuple, span):
        """Each type given for a trait-kinded parameter conforms (explicit or inferred)."""
        for p, v in zip(template.node.ct_params, values):
            traits = self.trait_kind(p.type, template.scope)
            if traits is not None:
                self.check_conforms(v, traits, span)

    def check_conforms(self, t: Type, traits: list, span):
        """Each method the traits (and their parents) declare is one `t` has."""
        todo = list(traits)
        while todo:
            trait = todo.pop()
            if trait.node is None:
                continue
            for parent in trait.node.parents:
                ent = trait.scope.lookup(parent)
                if isinstance(ent, TraitEntity):
                    todo.append(ent)
            info = self.struct_info(t)
            for name in trait.node.methods:
                if info is None or name not in info.methods:
                    raise self.error(f"{t} does not conform to trait '{trait.name}': it has "
                                     f"no method '{name}'", span,
                                     hint=f"define `{name}` in {t}"
                                     if info is not None else "")

    def struct_info(self, t: Type) -> StructInfo | None:
        return self.struct_infos.get(t) if isinstance(t, Struct) else None

    def instantiate_struct(self, template: StructTemplate, values: tuple, span) -> Struct:
        """The struct for these parameter values: fields resolved, methods declared
        (their bodies are checked with the other pending functions)."""
        info = template.instances.get(values)
        if info is not None:
            return info.type
        node = template.node
        self.check_instance_count(template, span)
        self.check_instance_traits(template, values, span)
        shown = template.scope.qualifier + node.name + (
            f"[{', '.join(_shown(v) for v in values)}]" if values else "")
        t = Struct(shown, (id(node), values))
        scope = self.param_scope(template.scope, node.ct_params, values)
        scope.names["Self"] = self.type_entity(t)
        info = template.instances[values] = self.struct_infos[t] = StructInfo(t, template, scope)
        saved, self.scope = self.scope, scope
        self.struct_building.append(t)
        try:
            fields = []
            for st in node.body:
                if isinstance(st, S.VarDecl):
                    if not self.guarded(self.declare_field, st, t, fields):
                        info.failed = True
                elif isinstance(st, S.AliasDef):
                    self.check_alias(st, scope)
                elif not isinstance(st, (S.FnDef, S.Pass, S.ExprStmt)):
                    raise self.error("a struct body holds fields (`var`), methods (`fn`) and "
                                     "`alias`es", st.span)
            t.fields = tuple(fields)
            self.managed_elements(t, node)
            for st in node.body:
                if isinstance(st, S.FnDef):
                    self.guarded(self.declare_method, info, st)
            if "__init__" not in info.methods and any(d.name in ("value", "fieldwise_init")
                                                      for d in node.decorators):
                info.methods["__init__"] = self.fieldwise_init(info)
            write_to = info.methods.get("write_to")
            if "__str__" not in info.methods and _writes_to_a_writer(write_to):
                generic = isinstance(write_to, FuncTemplate)
                self.guarded(self.declare_method, info, _str_by_write_to(generic))
            for method in self.trait_defaults(template):
                if method.name not in info.methods:
                    self.guarded(self.declare_method, info, method)
            for name in node.traits:        # `struct Square(Shape):` has Shape's methods
                trait = template.scope.lookup(name) if "." not in name else None
                if isinstance(trait, TraitEntity):
                    self.guarded(self.check_conforms, t, [trait], node.name_span)
        finally:
            self.scope = saved
            self.struct_building.pop()
        return t

    def trait_defaults(self, template) -> list[S.FnDef]:
        """The methods with bodies of the traits the struct lists and their parents,
        nearest first, each name once: what the struct has where it defines none."""
        out, seen, names = [], set(), set()
        todo = [template.scope.lookup(n) for n in template.node.traits if "." not in n]
        while todo:
            trait = todo.pop(0)
            if not isinstance(trait, TraitEntity) or trait.node is None or trait in seen:
                continue
            seen.add(trait)
            for method in trait.node.defaults:
                if method.name not in names:
                    names.add(method.name)
                    out.append(method)
            todo.extend(trait.scope.lookup(p) for p in trait.node.parents)
        return out

    def declare_field(self, st: S.VarDecl, owner: Struct, fields: list) -> bool:
        """Add field `st` to `fields`; True if it is right (else an error is raised)."""
        if st.type is None:
            raise self.error(f"field '{st.name}' needs a type: `var {st.name}: Type`",
                             st.name_span)
        if st.value is not None:
            raise self.error(f"field '{st.name}' cannot have a default value", st.value.span,
                             hint=f"set it in `__init__`: `self.{st.name} = "
                                  f"{st.value.span.text}`")
        ft = self.resolve_type(st.type)
        self.field_type_ok(ft, owner, st.type.span)
        if any(n == st.name for n, _ in fields):
            raise self.error(f"field '{st.name}' is declared twice", st.name_span)
        fields.append((st.name, ft))
        return True

    def field_type_ok(self, ft: Type, owner: Struct, span):
        inner = self.building_within(ft)
        if inner == owner:
            raise self.error(f"struct '{owner}' cannot contain itself", span,
                             hint=f"hold an `UnsafePointer[{owner}]` instead")
        if inner is not None:       # `inner` is being declared and (in a field) holds `owner`
            raise self.error(f"struct '{owner}' cannot contain '{inner}', which contains "
                             f"'{owner}'", span,
                             hint=f"hold an `UnsafePointer[{inner}]` instead")
        if isinstance(ft, (Pointer, ListType)) and ft_element(ft) == owner:
            return      # `List[Self]`: checked once the fields are known (managed_elements)
        if not isinstance(ft, Struct):
            self.storable(ft, span, "a field")

    def building_within(self, ft: Type) -> Struct | None:
        """A struct whose fields are being declared (so one that holds the struct
        being declared now) that `ft` is or holds by value, field in field; else None."""
        building = set(self.struct_building)
        todo, seen = [ft], set()        # each struct once: `S[n]` holding `S[n + 1]` nests
        while todo:                     # MAX_INSTANCES deep, and walking that per field
            t = todo.pop()              # was cubic (a hang)
            if not isinstance(t, Struct) or t in seen:
                continue
            if t in building:
                return t
            seen.add(t)
            todo.extend(inner for _, inner in reversed(t.fields))
        return None

    def managed_elements(self, t: Struct, node: S.StructDef):
        """A struct holding Lists, Tensors or Strings cannot be a pointer element
        of itself (see `storable`; a List of itself, a tree, is fine); its fields
        were not known when they were read."""
        if not owns_memory(t):
            return
        for st in node.body:
            k = t.field_index(st.name) if isinstance(st, S.VarDecl) else None
            if k is not None:                   # (None: a field that failed to declare)
                ft = t.fields[k][1]
                if isinstance(ft, (Pointer, ListType)) and ft_element(ft) == t:
                    self.storable(ft, st.type.span, "a field")

    def check_instance_count(self, template, span):
        """An error, at the use that asks for one more, once `template` has
        MAX_INSTANCES instances."""
        if len(template.instances) >= MAX_INSTANCES:
            raise self.error(
                f"'{template.node.name}' is instantiated more than {MAX_INSTANCES:,} times",
                span, label="one instance too many",
                hint="a compile-time parameter that changes at every instantiation never "
                     "ends; stop it with `@parameter if`")

    def param_scope(self, parent, ct_params, values: tuple):
        scope = self.new_scope_under(parent)
        for p, v in zip(ct_params, values):
            self.bind_param(scope, p, v)
        return scope

    def bind_param(self, scope, p: S.CtParam, v):
        """Compile-time parameter `p` bound to value `v` in `scope` (where the
        parameters before it are bound)."""
        scope.names[p.name] = v if _is_entity(v) else \
            self.func_entity(v, None, None) if isinstance(v, T.Function) \
            else self.type_entity(v) if isinstance(v, Type) else \
            self.const_entity(v, p.span, self.number_kind(p, v, scope))

    def number_kind(self, p: S.CtParam, v, scope) -> Type | None:
        """The declared type of number parameter `p` (`[f: Float64]`, `[n: UInt8]`), read
        in `scope`, where the parameters before it are bound; None for another value."""
        if isinstance(v, bool) or not isinstance(v, (int, float)) or p.type is None:
            return None
        saved, self.scope = self.scope, scope
        try:
            kind = self.resolve_type(p.type)
        finally:
            self.scope = saved
        return kind if isinstance(kind, SIMD) and kind.width == 1 else None

    def declare_method(self, info: StructInfo, node: S.FnDef):
        existing = info.methods.get(node.name)
        if isinstance(existing, FuncTemplate) or (existing is not None and node.ct_params):
            raise self.error(f"method '{node.name}' is defined twice", node.name_span,
                             hint="a method with compile-time parameters cannot be "
                                  "overloaded")
        if node.name in LIFECYCLE:
            self.check_lifecycle_signature(node)
        if node.ct_params:
            info.methods[node.name] = FuncTemplate(node, info.scope, info)
            return
        ent = self.declare_function(node, owner=info.type, scope=info.scope,
                                    name=f"{info.type}.{node.name}", register=False)
        info.methods[node.name] = ent if existing is None else \
            self.add_overload(existing, ent, "method")      # check_functions.py
        self.pending.append(ent)
        if node.name in LIFECYCLE:
            self.add_lifecycle(info, node, ent.fn)

    def check_lifecycle_signature(self, node: S.FnDef):
        """`fn __del__(owned self)` (or `deinit self`), `fn __copyinit__(out self,
        existing: Self)`, `fn __moveinit__(out self, owned existing: Self)` (or
        `deinit existing`); none of them may raise or take compile-time parameters."""
        name, params = node.name, node.params
        if node.raises:
            raise self.error(f"`{name}` cannot raise: it runs where a value is copied, moved "
                             "or dropped, which cannot fail", node.name_span,
                             hint="remove `raises` and handle the error inside")
        if node.ct_params:
            raise self.error(f"`{name}` cannot take compile-time parameters", node.name_span)
        conv = S.Convention
        want = LIFECYCLE[name]
        if name == "__del__":
            ok = len(params) == 1 and params[0].convention in (conv.OWNED, conv.DEINIT)
        else:
            taken = (conv.READ,) if name == "__copyinit__" else (conv.OWNED, conv.DEINIT)
            ok = len(params) == 2 and params[0].convention is conv.OUT and \
                params[1].convention in taken and params[1].type is not None
        if not ok:
            raise self.error(f"`{name}` takes `{want}`", node.name_span,
                             hint=f"declare it `fn {name}({want}):`")
        if node.ret is not None:
            raise self.error(f"`{name}` returns nothing", node.ret.span)

    def add_lifecycle(self, info: StructInfo, node: S.FnDef, fn: T.Function):
        """Record `__del__`/`__copyinit__` on the struct type (see `typesys.Lifecycle`):
        copies and drops of its values run them. `__moveinit__` is checked but moves
        are bitwise (Mojo may elide it too), so it never runs on its own."""
        t = info.type
        if len(fn.params) == 2 and fn.params[1].type != t:
            raise self.error(f"`{node.name}` takes `existing: Self`, not {fn.params[1].type}",
                             node.params[1].span)
        fn.lifecycle = {"__del__": "del", "__copyinit__": "copy", "__moveinit__": "move"}[
            node.name]
        if node.name == "__moveinit__":
            return
        self.lifecycles = True
        life = t.lifecycle or Lifecycle()
        if node.name == "__del__":
            life.deinit = fn
        else:
            life.copy = fn
        decorated = any(d.name in ("value", "fieldwise_init") for d in
                        info.template.node.decorators)
        life.copyable = life.deinit is None or life.copy is not None or decorated or any(
            trait in ("Copyable", "ImplicitlyCopyable") for trait in info.template.node.traits)
        t.lifecycle = life

    def check_copies(self, body):
        """A value whose struct has `__del__` but no way to copy (`typesys.not_copyable`)
        is never copied: each place where a variable, an element, a field, an
        `owned` argument or a result takes a value that is not new (what the
        lowering `retain`s) is an error, as are the List operations that copy
        elements (`List(length=n, fill=x)`, `extend`, slices)."""
        todo = list(body)
        while todo:
            node = todo.pop()
            todo.extend(T.children(node))
            c = node.__class__
            if c is T.Declare and node.value is not None and not node.var.borrowed:
                self.not_copied(node.value)
            elif c is T.Assign:
                for target, v in zip(node.targets, node.values):
                    if target is not None:
                        self.not_copied(v)
            elif c in (T.Store, T.StoreField) or c is T.Return and node.value is not None:
                self.not_copied(node.value)
            elif c is T.IfExp:
                self.not_copied(node.then)
                self.not_copied(node.orelse)
            elif c is T.Call or c is T.Construct:
                params = node.fn.params if c is T.Call else node.init.params[1:]
                for p, a in zip(params, node.args):
                    if p.mutable and not p.by_ref and a.__class__ is not T.Ref:
                        self.not_copied(a)
            elif c is T.FnRef and any(p.mutable and not p.by_ref and has_lifecycle(p.type)
                                      for p in node.fn.params):
                raise self.error(f"'{node.fn.name}' takes an `owned` argument with a `__del__` "
                                 "or `__copyinit__`: it cannot be a function value yet",
                                 node.span, hint="call it directly")
            elif c is T.Builtin and node.name in TAKES_ELEMENTS:
                for a in node.args:
                    if a.__class__ is not T.Ref:
                        self.not_copied(a)
            elif c is T.Builtin and node.name in COPIES_ELEMENTS:
                s = not_copyable(node.type if node.type != NONE else node.args[0].type)
                if s is not None:
                    raise self.error(f"'{s}' cannot be copied: it has __del__ but no "
                                     "__copyinit__", node.span,
                                     hint="define `__copyinit__` (or decorate it `@value`)")

    def not_copied(self, e: T.Expr):
        s = not_copyable(e.type) if not T.produces_owned(e) else None
        if s is None:
            return
        if e.__class__ is T.Load:
            raise self.error(f"'{s}' cannot be copied: it has __del__ but no __copyinit__; "
                             f"transfer it with `{e.span.text}^`", e.span,
                             hint="or define `__copyinit__` (or decorate it `@value`)")
        raise self.error(f"'{s}' cannot be copied: it has __del__ but no __copyinit__",
                         e.span, hint="define `__copyinit__` (or decorate it `@value`)")

    def self_param(self, node: S.FnDef, p: S.Param, owner: Struct) -> T.Var:
        if p.name != "self":
            raise self.error(f"the first parameter of method '{node.name}' must be `self`",
                             p.span, hint="or mark the method `@staticmethod`")
        if p.type is not None and self.resolve_type(p.type) != owner:
            raise self.error(f"`self` has type {owner}", p.type.span)
        conv = p.convention
        if conv is S.Convention.OUT and node.name not in ("__init__", "__copyinit__",
                                                          "__moveinit__"):
            raise self.error("only `__init__` takes `out self`", p.span)
        by_ref = conv in (S.Convention.MUT, S.Convention.OUT)
        # `owned self`: the method's copy (`deinit self`: `__del__`'s value to destroy)
        mutable = by_ref or conv in (S.Convention.OWNED, S.Convention.DEINIT)
        return T.Var("self", owner, mutable, p.span, is_param=True, by_ref=by_ref)

    def fieldwise_init(self, info: StructInfo):
        """`@value`: `fn __init__(out self, <field>: <type>, ...)` storing each field."""
        t, span = info.type, info.template.node.name_span
        this = T.Var("self", t, True, span, is_param=True, by_ref=True)
        # (a field that owns memory takes its argument over: `Node(v, kids^)` copies nothing)
        params = [this] + [T.Var(n, ft, owns_memory(ft), span, is_param=True)
                           for n, ft in t.fields]
        body = tuple(T.StoreField(T.Load(t, this, span=span), k,
                                  (T.Move if p.mutable else T.Load)(p.type, p, span=span),
                                  span=span, init=p.mutable)
                     for k, p in enumerate(params[1:]))
        fn = T.Function(f"{t}.__init__", f"ml.{t}.__init__", params, NONE, False, span,
                        body=body)
        self.functions.append(fn)
        return self.func_entity(fn, None, info.scope)

    def check_fields_initialized(self, fn: T.Function, node: S.FnDef, body) -> None:
        """Every field of `out self` is assigned on every path through `__init__`
        (Mojo's rule): on straight-line code and both arms of an `if`; a loop or
        a `try` counts each field it assigns anywhere, and a use of `self` as a
        whole (a method call on it) counts every field: no false alarms."""
        this = fn.params[0]
        t = this.type
        every = frozenset(range(len(t.fields)))
        exits: list[tuple[frozenset, object]] = []      # (fields assigned, the `return`)

        def flow(stmts, have):
            for st in stmts:
                c = st.__class__
                if c is T.If:
                    have = have | _self_stores(st.cond, this, every)
                    a, b = flow(st.body, have), flow(st.orelse, have)
                    if a is None and b is None:
                        return None
                    have = a if b is None else b if a is None else a & b
                elif c is T.Return:
                    exits.append((have | _self_stores(st, this, every), st.span))
                    return None
                elif c in (T.Raise, T.Break, T.Continue):
                    return None
                else:           # a store, a loop, a `try`, any other statement
                    have = have | _self_stores(st, this, every)
            return have

        end = flow(body, frozenset())
        if end is not None:
            exits.append((end, None))
        for have, at in exits:
            missing = [t.fields[k][0] for k in sorted(every - have)]
            if not missing:
                continue
            names = ", ".join(f"'{n}'" for n in missing)
            where = f" before the `return` at line {at.line}" if at is not None else ""
            raise self.error(f"field{'s' * (len(missing) > 1)} {names} "
                             f"{'are' if len(missing) > 1 else 'is'} not initialized in "
                             f"__init__", node.name_span,
                             hint=f"assign `self.{missing[0]} = ...` on every path through "
                                  f"`__init__`{where}")

    # ------------------------------------------------------------ construction
    def construct_struct(self, t: Struct, node: S.Call) -> T.Expr:
        init = self.method_entity(t, "__init__", node.span, what="construct")
        typed = None
        if isinstance(init, Overloads):
            init, typed = self.resolve_overload(init, node, skip=lambda fn: 1)
        fn = init.fn
        call = self.call_user(fn, node, bound=[None], typed=typed)
        return T.Construct(t, fn, call.args, span=node.span)

    def method_entity(self, t: Struct, name: str, span, what: str = "call"):
        info = self.struct_info(t)
        ent = info.methods.get(name)
        if ent is None and info.failed:
            raise Poison()
        if ent is None:
            hint = ("add `fn __init__(out self, ...)` or decorate the struct with @value"
                    if name == "__init__" else
                    did_you_mean(name, list(info.methods) + [n for n, _ in t.fields]))
            raise self.error(f"struct '{t}' has no method '{name}'"
                             if name != "__init__" else f"struct '{t}' has no `__init__`",
                             span, hint=hint)
        if isinstance(ent, FuncTemplate):
            raise self.error(f"method '{name}' has compile-time parameters: give them, "
                             f"e.g. `x.{name}[...](...)`", span)
        return ent

    # ------------------------------------------------------------ fields and methods
    def struct_member(self, t: Type | None, name: str):
        """A compile-time member of struct `t`, an `alias` in its body or one of its
        parameters (`Self.size`, `Matrix[2, 3].rows`, `m.size`); else None."""
        info = self.struct_info(t)
        if info is None or name == "Self":
            return None
        return info.scope.names.get(name)

    def field_read(self, base: T.Expr, node: S.Attribute) -> T.Expr:
        t = base.type
        k = t.field_index(node.name)
        if k is None:
            if self.struct_member(t, node.name) is not None:
                raise self.error(f"'{node.name}' is a compile-time member of '{t}' (an alias "
                                 "or a parameter), not a field", S.name_span(node))
            info = self.struct_info(t)
            if info.failed:
                raise Poison()
            if node.name in info.methods:
                raise self.error(f"'{node.name}' is a method of '{t}': call it", node.span,
                                 hint=f"`{node.span.text}(...)`")
            raise self.error(f"struct '{t}' has no field '{node.name}'", S.name_span(node),
                             hint=did_you_mean(node.name, [n for n, _ in t.fields]))
        return T.Field(t.fields[k][1], base, k, node.name, span=node.span)

    def place(self, node: S.Expr, verb: str, read_only: str = "") -> T.Expr:
        """A place that may be written: a mutable variable, a field of such a
        place, or an element of a pointer (or of a mutable List). `read_only`: the
        message when the variable is read-only (`{name}` is its name)."""
        if isinstance(node, S.Name):
            var = self.scope.lookup(node.id)
            if not isinstance(var, T.Var):
                raise self.error(f"cannot {verb} '{node.id}'", node.span)
            if var.type == POISON:      # its declaration was wrong (reported)
                raise Poison()
            if not var.mutable:
                message = read_only or f"cannot {verb} '{{name}}': it is read-only"
                raise self.error(message.format(name=var.name), node.span,
                                 hint=self.read_only_hint(var, node.span))
            self.require_assigned(var, node.span)
            return T.Load(var.type, var, span=node.span)
        if isinstance(node, S.Attribute):
            base = self.place(node.value, verb, read_only)
            if not isinstance(base.type, Struct):
                raise self.error(f"{base.type} has no fields", node.span)
            return self.field_read(base, node)
        if isinstance(node, S.Subscript) and S.first_slice(node) is None:   # a slice: a copy
            base = self.expr(node.value)
            if is_tuple(base.type):
                return self.tuple_index(self.place(node.value, verb, read_only), node)
            if isinstance(base.type, Pointer):
                return self.index_expr(base, node)
            if isinstance(base.type, ListType):
                self.place(node.value, verb, read_only)
                return self.index_expr(base, node)
        raise self.error(f"cannot {verb} this expression", node.span,
                         hint="it must be a variable, a field of one, or a pointer element")

    def field_store(self, tgt: S.Attribute, value_node: S.Expr) -> T.StoreField:
        base = self.place(tgt.value, "assign to a field of")
        if not isinstance(base.type, Struct):
            raise self.error(f"{base.type} has no field '{tgt.name}'", tgt.span)
        field = self.field_read(base, tgt)
        value = self.coerce_node(value_node, field.type, value_node.span)
        return T.StoreField(base, field.index, value, span=tgt.span)

    def field_aug_assign(self, node: S.AugAssign) -> list[T.Stmt]:
        """`place.name op= v`: the place's indices evaluated once, then read, op, store."""
        out: list[T.Stmt] = []
        base = self.place_once(self.place(node.target.value, "assign to a field of"), out)
        field = self.field_read(base, node.target)
        value = self.binary(node.op, field, self.expr(node.value), node.span)
        out.append(T.StoreField(base, field.index, self.aug_result(node, value, field.type),
                                span=node.span))
        return out

    def struct_method_call(self, base_node: S.Expr, base: T.Expr, name: str,
                           node: S.Call) -> T.Expr:
        k = base.type.field_index(name)
        if k is not None and isinstance(base.type.fields[k][1], FnType) and \
                name not in self.struct_info(base.type).methods:       # a function-valued field
            return self.call_value(self.field_read(base, node.func), node)
        if k is not None and isinstance(base.type.fields[k][1], Struct) and \
                name not in self.struct_info(base.type).methods:       # `self.mlp(x)`
            return self.struct_method_call(node.func, self.field_read(base, node.func),
                                           "__call__", node)
        if name == "copy" and name not in self.struct_info(base.type).methods and \
                k is None:          # current Mojo's explicit copy of a Copyable value
            self.method_args(node, (), "copy")
            return base
        template = self.struct_info(base.type).methods.get(name)
        if isinstance(template, FuncTemplate) and all(p.infer_only or p.default is not None
                                                      for p in template.node.ct_params):
            # `pond.visit(duck)` for `fn visit(mut self, b: Some[Quackable])`: inferred
            return self.call_template(template, node, bound_self=base, base_node=base_node)
        ent = self.method_entity(base.type, name, S.name_span(node.func))
        if isinstance(ent, Overloads):
            call = self.call_overloaded(
                ent, node, bound=lambda fn: self.self_argument(fn, base_node, base),
                skip=self_count)
        else:
            call = self.call_user(ent.fn, node,
                                  bound=self.self_argument(ent.fn, base_node, base))
        fn = call.fn if isinstance(call, T.Call) else None
        if fn is None or fn.params and fn.params[0].name == "self" \
                or isinstance(base, (T.Load, T.Const)):
            return call
        # a static method called on an instance: the instance is still evaluated
        # (`make().twice(4)` runs `make()`), first, as Mojo does
        return T.Seq(call.type, base, call, span=call.span)

    def self_argument(self, fn: T.Function, base_node: S.Expr | None, base: T.Expr | None,
                      span=None) -> list[T.Expr]:
        """The arguments bound before a method call's own: `[self]`, or none for a
        static method (Mojo calls one on an instance too; the instance is unused).
        `base` None: the method was named on its type, which has no `self` to give."""
        if not fn.params or fn.params[0].name != "self":
            return []
        if base is None:
            raise self.error(f"'{fn.name}' needs an instance: call it on a value of "
                             f"{fn.params[0].type}", span)
        if fn.params[0].by_ref:
            if base_node is None:
                raise self.error(f"'{fn.name}' changes its `self`: call it on a variable",
                                 base.span)
            place = self.place(base_node, f"call `mut` method '{fn.name}' on")
            return [T.Ref(place.type, place, span=base_node.span)]
        return [base]

    def call_operator(self, t: Struct, method: str, operands: list[T.Expr], span,
                      what: str) -> T.Expr | None:
        """`operands[0].method(*operands[1:])` if the struct defines it, else None."""
        info = self.struct_info(t)
        ent = info.methods.get(method) if info else None
        if isinstance(ent, Overloads):      # the one the other operands fit, if any
            ent = self.best_overload(ent, operands[1:], [], self_count, span)
        if ent is None or isinstance(ent, FuncTemplate):
            return None
        fn = ent.fn
        if len(fn.params) != len(operands):
            raise self.error(f"'{fn.name}' must take {len(operands)} argument(s) to be used "
                             f"for {what}", span)
        args = []
        for p, e in zip(fn.params, operands):
            if p.by_ref:
                raise self.error(f"'{fn.name}' takes `mut self`; it cannot implement {what}",
                                 span)
            args.append(self.coerce(e, p.type, e.span,
                                    what=f"argument '{p.name}' of '{fn.name}'"))
        self.check_raises(fn, span)
        return T.Call(fn.ret, fn, tuple(args), span=span)

    def struct_binary(self, op: S.BinOp, lhs: T.Expr, rhs: T.Expr, span) -> T.Expr | None:
        if not (isinstance(lhs.type, Struct) or isinstance(rhs.type, Struct)):
            return None
        name = OPERATORS[op]
        if isinstance(lhs.type, Struct):
            r = self.call_operator(lhs.type, f"__{name}__", [lhs, rhs], span, f"'{op.value}'")
            if r is not None:
                return r
        if isinstance(rhs.type, Struct):
            r = self.call_operator(rhs.type, f"__r{name}__", [rhs, lhs], span, f"'{op.value}'")
            if r is not None:
                return r
        raise self.error(f"'{op.value}' is not defined for {lhs.type} and {rhs.type}", span,
                         hint=f"define `fn __{name}__(self, other: {_written(rhs.type)}) -> ...` "
                              f"in {lhs.type}" if isinstance(lhs.type, Struct) else
                              f"define `fn __r{name}__(self, other: {_written(lhs.type)})` in "
                              f"{rhs.type}")

    def struct_aug_assign(self, node: S.AugAssign, current: T.Expr) -> list[T.Stmt] | None:
        """`a op= b` on a struct: `a.__iop__(b)` (mut self) if defined."""
        t = current.type
        info = self.struct_info(t)
        name = f"__i{OPERATORS[node.op]}__"
        ent = info.methods.get(name) if info else None
        if ent is None or isinstance(ent, FuncTemplate):
            return None
        call = S.Call(S.Attribute(node.target, name, span=node.target.span), (node.value,), (),
                      span=node.span)
        return [T.ExprStmt(self.struct_method_call(node.target, current, name, call),
                           span=node.span)]

    def place_struct_aug_assign(self, node: S.AugAssign) -> list[T.Stmt] | None:
        """`p.f op= b` / `l[i] op= b` on a struct-typed field or element: its
        `__iop__` (mut self) called on that place if defined, else None."""
        current = self.expr(node.target)
        if not isinstance(current.type, Struct):
            return None
        return self.struct_aug_assign(node, current)

    def struct_item_aug_assign(self, node: S.AugAssign) -> list[T.Stmt]:
        """`s[i, j] op= v` on a struct: `s.__setitem__(i, j, s.__getitem__(i, j) op v)`,
        each index evaluated once, before `v` (Python's order)."""
        tgt = node.target
        out: list[T.Stmt] = []
        with self.hidden_scope():
            args = tuple(self.hidden_copy(a, f"index.{k}", out) for k, a in enumerate(tgt.args))
            item = S.Subscript(tgt.value, args, tgt.kwargs, span=tgt.span)
            value = S.Binary(node.op, item, node.value, span=node.span)
            out.append(self.visit_Assign(S.Assign((item,), value, span=node.span)))
        return out

    def struct_compare(self, node: S.Compare, operands: list[T.Expr]) -> T.Expr | None:
        """A comparison with a struct operand, as Python does it: `a.__lt__(b)`, else the
        reflected `b.__gt__(a)`; `!=` without `__ne__` is `not a.__eq__(b)`. A chain
        `a < b < c` is `a < b and b < c` (`struct_chain`)."""
        if not any(isinstance(o.type, Struct) for o in operands):
            return None
        if any(is_tuple(o.type) for o in operands):
            return self.tuple_compare(node, operands)
        for a, b in zip(operands, operands[1:]):
            if not (isinstance(a.type, Struct) or isinstance(b.type, Struct)):
                raise self.error(f"cannot chain a comparison of {a.type} and {b.type} with "
                                 "comparisons of structs", node.span,
                                 hint="split it: `a < b and b < c`")
        if len(operands) == 2:
            return self.struct_pair(node.ops[0], *operands, node.span)
        return self.struct_chain(node, operands)

    def struct_chain(self, node: S.Compare, operands: list[T.Expr]) -> T.Expr:
        """`a < b < c` as `a < b and b < c`, each operand evaluated once, in its
        turn, and only while the comparisons before it hold: one that is not a
        name or a constant (the last one aside) is evaluated into a hidden
        temporary (`Let`) that its two comparisons read."""
        reads, binds = [], []
        for k, o in enumerate(operands):
            if k == len(operands) - 1 or _repeatable(o):
                reads.append(o)
                binds.append(None)
                continue
            o = self.materialize(o)
            tmp = T.Var(f"chain.{k}", o.type, False, o.span)
            reads.append(T.Load(o.type, tmp, span=o.span))
            binds.append((tmp, o))
        result = self.struct_pair(node.ops[-1], reads[-2], reads[-1], node.span)
        for k in range(len(operands) - 3, -1, -1):
            pair = self.struct_pair(node.ops[k], reads[k], reads[k + 1], node.span)
            result = T.Logic(BOOL, S.LogicOp.AND, pair, result, span=node.span)
            if binds[k + 1] is not None:
                result = T.Let(BOOL, *binds[k + 1], result, span=node.span)
        if binds[0] is not None:
            result = T.Let(BOOL, *binds[0], result, span=node.span)
        return result

    def struct_pair(self, op: S.CmpOp, a: T.Expr, b: T.Expr, span) -> T.Expr:
        r = self.compare_method(op, a, b, span)
        if r is None and op is S.CmpOp.NE:
            r = self.compare_method(S.CmpOp.EQ, a, b, span)
            r = None if r is None else T.Unary(BOOL, S.UnOp.NOT, r, span=span)
        if r is not None:
            return r
        owner, other, method = ((a, b, COMPARISONS[op]) if isinstance(a.type, Struct)
                                else (b, a, COMPARISONS[REFLECTED[op]]))
        raise self.error(f"cannot compare {a.type} and {b.type}", span,
                         hint=f"define `fn {method}(self, other: {_written(other.type)}) -> "
                              f"Bool` in {owner.type}")

    def compare_method(self, op: S.CmpOp, a: T.Expr, b: T.Expr, span) -> T.Expr | None:
        """`a.__op__(b)`, else `b.__reflected__(a)`, where a struct defines it."""
        for x, y, o in ((a, b, op), (b, a, REFLECTED[op])):
            if isinstance(x.type, Struct):
                r = self.call_operator(x.type, COMPARISONS[o], [x, y], span, f"'{op.value}'")
                if r is not None:
                    if r.type != BOOL:
                        raise self.error(f"'{r.fn.name}' must return Bool", span)
                    return r
        return None

    # ------------------------------------------------------------ generic functions
    def instantiate_function(self, template: FuncTemplate, values: tuple, span):
        ent = template.instances.get(values)
        if ent is not None:
            return ent
        node = template.node
        self.check_instance_count(template, span)
        self.check_instance_traits(template, values, span)
        scope = self.param_scope(template.scope, node.ct_params, values)
        owner = template.owner
        base = f"{owner.type}.{node.name}" if owner else template.scope.qualifier + node.name
        # Given a closure, the instance calls it, so it is a closure too: it shares the
        # closure's captures, and is checked here, where they are assigned.
        closure = template.nested or any(_is_closure(v) for v in values)
        if closure:
            base = f"{self.fs.fn.name}.{base if owner else node.name}"
        name = f"{base}[{', '.join(_shown(v) for v in values)}]"
        ent = self.declare_function(node, owner=owner.type if owner else None, scope=scope,
                                    name=name, register=False)
        template.instances[values] = ent
        ent.nested = template.nested
        if closure:
            self.check_closure(ent)
        else:
            self.pending.append(ent)
        return ent

    def ct_values(self, template, args: list[S.Expr], kwargs, span,
                  defaults: bool = True) -> list:
        """Explicit compile-time arguments of `template` (a FuncTemplate or a
        StructTemplate), read here, folded and checked against their kinds; a
        parameter not given takes its default (`ct_filled`), else None (to infer)."""
        ct_params = template.node.ct_params
        positional = [i for i, p in enumerate(ct_params) if not p.infer_only]
        if len(args) > len(positional):
            first = next((p.name for p in ct_params if p.infer_only), None)
            raise self.error(f"{len(positional)} compile-time parameter(s) expected, got "
                             f"{len(args)}", span,
                             hint="" if first is None else
                             f"'{first}' is infer-only (before `//`): it is inferred, "
                             f"or given by keyword (`{template.node.name}[{first}=...]`)")
        given = [None] * len(ct_params)     # infer-only ones (before `//`): by keyword
        for i, a in zip(positional, args):
            given[i] = a
        for kw in kwargs:
            k = next((i for i, p in enumerate(ct_params) if p.name == kw.name), None)
            if k is None:
                raise self.error(f"no compile-time parameter named '{kw.name}'", kw.span)
            given[k] = kw.value
        return self.ct_filled(template, given, [None] * len(ct_params), defaults)

    def ct_filled(self, template, given: list, values: list, defaults: bool = True) -> list:
        """`values` (None where not known yet) with the parameters given as `given`
        nodes and the defaults filled in, in order. Kinds and defaults are read where
        the template is defined, the parameters before them bound (`[dt: DType, v:
        Scalar[dt]]`, `[w: Int = simdwidthof[dt]()]`); a default that needs one not
        known yet stays None, for after inference."""
        own = self.new_scope_under(template.scope)
        out = []
        for p, node, v in zip(template.node.ct_params, given, values):
            unknown = {q.name for q, w in zip(template.node.ct_params, out) if w is None}
            if v is None and node is not None:
                needed = unknown.intersection(S.names_in(p.type))
                if needed and all(q.infer_only for q in template.node.ct_params
                                  if q.name in needed):
                    needed -= self.infer_from_parameter(template, p, node, own, out, needed)
                if needed:
                    q = min(needed)
                    raise self.error(f"compile-time parameter '{p.name}' of "
                                     f"'{template.node.name}' depends on '{q}', which is "
                                     "not given", node.span,
                                     hint=f"give '{q}' too: `{template.node.name}"
                                          f"[{q}=..., {p.name}=...]`")
                v = self.ct_value(p, node, own)
            elif v is None and defaults and p.default is not None and not unknown.intersection(
                    S.names_in((p.type, p.default))):
                saved, self.scope = self.scope, own
                try:
                    v = self.ct_value(p, p.default, own)
                finally:
                    self.scope = saved
            if v is not None:
                self.bind_param(own, p, v)
            out.append(v)
        return out

    def infer_from_parameter(self, template, p: S.CtParam, node: S.Expr, own, out: list,
                             needed: set) -> set:
        """Infer-only parameters (before `//`) that `p`'s kind names, bound from the
        type of the value `node` gives it (`dependent[Float64(2.2)]()` for
        `[dtype: DType, //, value: Scalar[dtype]]`), in `out` and `own`; their names."""
        names = [q.name for q in template.node.ct_params]
        bound: dict = {}
        match_type(p.type, self.expr(node).type, names, bound)
        found = set()
        for i, q in enumerate(template.node.ct_params):
            if q.name in needed and bound.get(q.name) is not None and i < len(out):
                out[i] = bound[q.name]
                self.bind_param(own, q, out[i])
                found.add(q.name)
        return found

    def ct_value(self, p: S.CtParam, node: S.Expr, own):
        """The value `node` (read in the current scope) gives parameter `p`, whose
        kind is read in `own` (its template's scope, the parameters before it bound)."""
        if self.trait_kind(p.type, own) is not None:      # `[T: Shape]`: a type
            return self.resolve_type(node)
        saved, self.scope = self.scope, own
        try:
            kind = DTYPE if isinstance(p.type, S.Name) and p.type.id == "DType" else \
                self.resolve_type(p.type)
        finally:
            self.scope = saved
        if isinstance(kind, FnType) and (kind.capturing or kind.ct_params):
            return self.closure_argument(p, kind, node)         # check_functions.py
        if isinstance(kind, FnType):        # `[f: fn (Float64) -> Float64]`: a function
            self.refuse_closure_argument(p, kind, node)
            value = self.coerce(self.expr(node), kind, node.span)
            if not isinstance(value, T.FnRef):
                raise self.error(f"compile-time parameter '{p.name}' needs a function",
                                 node.span, label="this is a value known only at run time",
                                 hint="name a top-level `fn` (or an instance `f[...]`)")
            return value.fn
        value = self.coerce(self.expr(node), kind, node.span, parameter=p.name)
        return self.fold(value, self.error(
            f"compile-time parameter '{p.name}' needs a compile-time value", node.span,
            label="this is known only at run time",
            hint="use a literal, an `alias` or another compile-time parameter")).value

    def infer_ct(self, template: FuncTemplate, explicit: list, args: list[T.Expr], span):
        """Bind the parameters not given explicitly by matching the declared
        parameter types against the argument types."""
        node = template.node
        names = [p.name for p in node.ct_params]
        bound = dict(zip(names, explicit))
        params = node.passed[1:] if template.owner and node.params and \
            node.params[0].name == "self" else node.passed
        for p, a in zip(params, args):
            if p.type is not None and a is not None:
                match_type(p.type, a.type, names, bound)
        # The defaults of the parameters neither given nor inferred (an inferred value
        # wins, as in Mojo), read now: one may need a parameter inferred
        # (`w: Int = simdwidthof[dt]()`).
        if any(bound.get(n) is None and p.default is not None
               for n, p in zip(names, node.ct_params)):
            bound = dict(zip(names, self.ct_filled(
                template, [None] * len(names), [bound.get(n) for n in names])))
        missing = [n for n in names if bound.get(n) is None]
        if missing:
            raise self.error(f"cannot infer compile-time parameter '{missing[0]}' of "
                             f"'{node.name}'", span,
                             hint=f"give it explicitly: `{node.name}[...](...)`")
        return tuple(bound[n] for n in names)

    def struct_from_arguments(self, template: StructTemplate, node: S.Call) -> Type:
        """`One(123)` for `struct One[T: Copyable]` with `__init__(out self, value: T)`:
        the instance whose parameters the arguments' types bind, through the first
        `__init__` (or the field-wise one) that binds them all, as Mojo infers them."""
        names = [p.name for p in template.node.ct_params]
        args = [self.materialize(self.expr(a)) for a in node.args]
        kwargs = {k.name: self.materialize(self.expr(k.value)) for k in node.kwargs}
        for params in _init_signatures(template.node):
            if len(params) < len(args) + len(kwargs):
                continue
            bound: dict = {}
            for (name, type_node), a in zip(params, args):
                match_type(type_node, a.type, names, bound)
            for name, type_node in params:
                if name in kwargs:
                    match_type(type_node, kwargs[name].type, names, bound)
            values = self.ct_filled(template, [None] * len(names),
                                    [bound.get(n) for n in names])
            if all(v is not None for v in values):
                return self.instantiate_struct(template, tuple(values), node.span)
        params = ", ".join(p.span.text for p in template.node.ct_params)
        raise self.error(f"struct '{template.node.name}' needs its parameters", node.func.span,
                         hint=f"it takes [{params}], which these arguments' types do not "
                              "give")

    def call_template(self, template: FuncTemplate, node: S.Call, explicit_nodes=(),
                      explicit_kwargs=(), bound_self=None, base_node=None):
        explicit = self.ct_values(template, list(explicit_nodes), explicit_kwargs, node.span,
                                  defaults=False)      # an inferred value beats a default
        if any(v is None for v in explicit):
            args = [self.materialize(self.expr(a)) for a in node.args]
            values = self.infer_ct(template, explicit, args, node.span)
        else:
            values = tuple(explicit)
        ent = self.instantiate_function(template, values, node.span)
        bound = None
        if template.owner is not None:
            bound = self.self_argument(ent.fn, base_node, bound_self, node.func.span)
        return self.call_user(ent.fn, node, bound=bound)

    # ------------------------------------------------------------ nested functions
    def nested_function(self, node: S.FnDef):
        """A nested `fn`: bound in the current scope; checked now (or, with
        compile-time parameters, per instance) in this scope, so it sees and
        shares the enclosing variables."""
        if node.name in self.scope.names:
            raise self.error(f"'{node.name}' is already defined in this scope", node.name_span)
        scope = self.scope
        if node.ct_params:
            template = FuncTemplate(node, scope)
            template.nested = True       # instances are closures, checked where made
            self.scope.names[node.name] = template
            return None
        ent = self.declare_function(node, scope=scope, name=f"{self.fs.fn.name}.{node.name}",
                                    register=False)
        ent.nested = True
        self.scope.names[node.name] = ent
        self.check_closure(ent)
        return None

    def check_closure(self, ent):
        self.open_closures.add(ent.fn)
        try:
            self.check_body(ent, nested=True)
        finally:
            self.open_closures.discard(ent.fn)
        ent.fn.captures = tuple(_captures(ent.fn))


def _writes_to_a_writer(method) -> bool:
    """Whether `method` is Mojo's `fn write_to[W: Writer](self, mut writer: W)` (or
    `writer: Some[Writer]`)."""
    node = getattr(method, "node", None)
    if node is None or len(node.params) != 2 or node.params[0].name != "self":
        return False
    t = node.params[1].type
    if isinstance(t, S.Subscript):
        return isinstance(t.value, S.Name) and t.value.id == "Some" and len(t.args) == 1 and \
            isinstance(t.args[0], S.Name) and t.args[0].id == "Writer"
    return isinstance(t, S.Name) and any(p.name == t.id and isinstance(p.type, S.Name) and
                                         p.type.id == "Writer" for p in node.ct_params)


_WRITE_TO_STR: dict[bool, S.FnDef] = {}


def _str_by_write_to(generic: bool) -> S.FnDef:
    """Mojo's `Writable`: a struct's `write_to(self, mut writer)` gives its `__str__`
    (for `print(x)`, `String(x)`), writing into a String (`generic`: the method is
    `write_to[W: Writer]`, given W = String)."""
    if generic not in _WRITE_TO_STR:
        from .parser import parse
        from .source import Source
        call = "self.write_to[String](text)" if generic else "self.write_to(text)"
        text = ("fn __str__(self) -> String:\n    var text = String()\n"
                f"    {call}\n    return text\n")
        (_WRITE_TO_STR[generic],) = parse(Source("<write_to>", text)).body
    return _WRITE_TO_STR[generic]


def _init_signatures(node: S.StructDef) -> list[list[tuple[str, S.Expr]]]:
    """(name, type) of the run-time parameters of each `__init__` of struct `node`
    (without `self`), and of the field-wise one `@value`/`@fieldwise_init` makes."""
    out = []
    for stmt in node.body:
        if isinstance(stmt, S.FnDef) and stmt.name == "__init__" and not stmt.ct_params:
            params = [p for p in stmt.params[1:] if not p.variadic]
            if all(p.type is not None for p in params):
                out.append([(p.name, p.type) for p in params])
    if any(d.name in ("value", "fieldwise_init") for d in node.decorators):
        out.append([(s.name, s.type) for s in node.body
                    if isinstance(s, S.VarDecl) and s.type is not None])
    return out


def _shown(v) -> str:
    """A compile-time parameter's value as an instance's name shows it."""
    if isinstance(v, FuncTemplate):
        return v.node.name
    if isinstance(v, str):              # a String parameter: `Tag["b"]`
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    fn = v.fn if _is_entity(v) else v   # a capturing parameter's value is the FuncEntity
    return fn.name if isinstance(fn, T.Function) else str(v)


def _is_entity(v) -> bool:
    """Whether compile-time parameter value `v` is a function of a capturing
    parameter (a FuncEntity, or a FuncTemplate for `fn [w: Int](Int) capturing`)."""
    return isinstance(v, FuncTemplate) or isinstance(v, FuncEntity)


def _is_closure(v) -> bool:
    """Whether compile-time parameter value `v` is a closure over a function's
    variables (a nested generic fn may capture, whatever its instance)."""
    if isinstance(v, FuncTemplate):
        return v.nested
    return _is_entity(v) and bool(v.fn.captures)


def _captures(fn: T.Function) -> list[T.Var]:
    """Variables `fn` uses but does not declare (the enclosing function's), in
    order of first use, including those of nested functions it calls."""
    declared = set(fn.params)
    used: dict[T.Var, None] = {}

    def walk(node):
        if isinstance(node, T.Declare):
            declared.add(node.var)
        elif isinstance(node, T.ForRange):
            declared.add(node.var)
        elif isinstance(node, T.Try) and node.var is not None:
            declared.add(node.var)
        elif isinstance(node, T.Load):
            used[node.var] = None
        elif isinstance(node, T.Assign):
            for v in node.targets:
                if v is not None:
                    used[v] = None
        elif isinstance(node, (T.Call, T.Construct, T.Parallelize)):
            callee = node.init if isinstance(node, T.Construct) else node.fn
            for v in callee.captures:
                used[v] = None
        for child in T.children(node):
            walk(child)

    for st in fn.body:
        walk(st)
    return [v for v in used if v not in declared]


def ft_element(t: Type) -> Type:
    return t.pointee if isinstance(t, Pointer) else t.element


def mark_field_inits(body: tuple, this: T.Var) -> tuple:
    """Decide, for each store to a field of `this` (an `out self`), or to a field
    of such a field (`self.h.n = ...`), whose type runs a `__del__`, whether the
    place may hold a value to drop: none before anything overlapping it (the
    place, a whole it is part of, a part of it) was assigned. Straight-line code
    and `if` arms decide it (`init`: nothing to drop, or an ordinary store); in a
    loop or a `try` (an earlier pass may have assigned it, or not) a hidden Bool,
    False at the start of the body and set by every store overlapping the place,
    tells at run time (`held`). The body, with those Bools declared first."""
    NO, MAYBE, YES = 0, 1, 2
    stores: list[tuple[T.StoreField, tuple, int]] = []

    def path(st) -> tuple | None:
        chain, at = st.base, (st.index,)
        while chain.__class__ is T.Field:
            chain, at = chain.base, (chain.index, *at)
        return at if chain.__class__ is T.Load and chain.var is this else None

    def overlap(a: tuple, b: tuple) -> bool:
        return a[:len(b)] == b or b[:len(a)] == a

    def held(state: dict, p: tuple) -> int:
        return max((s for q, s in state.items() if overlap(p, q)), default=NO)

    def stored(st) -> list:
        found = []
        todo = [st]
        while todo:
            n = todo.pop()
            if n.__class__ is T.StoreField and (p := path(n)) is not None:
                found.append(p)
            todo.extend(c for c in T.children(n) if isinstance(c, T.Stmt))
        return found

    def flow(stmts, state: dict):
        for st in stmts:
            if st.__class__ is T.StoreField and (p := path(st)) is not None:
                stores.append((st, p, held(state, p)))
                state[p] = YES
            elif st.__class__ is T.If:
                arm = dict(state)
                flow(st.body, state)
                flow(st.orelse, arm)
                for q in state.keys() | arm.keys():
                    a, b = state.get(q, NO), arm.get(q, NO)
                    state[q] = a if a == b else MAYBE
            else:       # a loop, a `try`: each part may run after any other, or not
                for q in stored(st):
                    if held(state, q) != YES:
                        state[q] = MAYBE
                for child in T.children(st):
                    if isinstance(child, T.Stmt):
                        flow([child], dict(state))
    flow(body, {})
    flags: dict[tuple, T.Var] = {}
    for st, p, h in stores:
        if h == MAYBE and has_lifecycle(st.value.type) and p not in flags:
            flags[p] = T.Var(f"{this.name}.{'.'.join(map(str, p))}.held", BOOL, True,
                             st.span)
    for st, p, h in stores:
        st.init = h == NO and has_lifecycle(st.value.type)
        st.held = flags.get(p) if h == MAYBE else None
        st.flags = tuple(f for q, f in flags.items() if overlap(p, q))
    return tuple(T.Declare(f, T.Const(BOOL, False, span=f.span), span=f.span)
                 for f in flags.values()) + tuple(body)


def _self_stores(node: T.Node, this: T.Var, every: frozenset) -> frozenset:
    """The fields of `this` that `node` assigns anywhere in it (`self.x = ...`,
    `self.x.y = ...` counts x); all of them where it uses `this` as a whole or
    calls a nested function that captures it."""
    found: set[int] = set()
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, (T.StoreField, T.Field)):
            chain, k = n.base, n.index
            while isinstance(chain, T.Field):
                chain, k = chain.base, chain.index
            if isinstance(chain, T.Load) and chain.var is this:
                if isinstance(n, T.StoreField):
                    found.add(k)
                    todo.append(n.value)
                continue            # reading a field is not a use of the whole
        elif isinstance(n, T.Load) and n.var is this or \
                this in getattr(getattr(n, "fn", None), "captures", ()):
            return every            # `self` passed on, or a nested fn that uses it
        todo.extend(T.children(n))
    return frozenset(found)


def _repeatable(e: T.Expr) -> bool:
    """Whether evaluating `e` twice is the same as once: a variable, a constant, or a
    field of one."""
    while isinstance(e, T.Field):
        e = e.base
    return isinstance(e, (T.Load, T.Const))


def _written(t: Type) -> Type:
    """`t` as a parameter type a user can write: a literal's default type."""
    return INT if t == INT_LITERAL else FLOAT64 if t == FLOAT_LITERAL else t

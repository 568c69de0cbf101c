"""Type rules of the memory types: Tensor, UnsafePointer, List (and String values).

In: syntax nodes handed over by the checker (`typecheck._Checker` inherits
these methods). Out: typed nodes: `Builtin` for construction and methods,
`Index` for element reads, `Store` for element writes, desugared loops for
`for x in list`. Rules:
- `Tensor[dt](d0, ...)` (1 to 4 dimensions) allocates zeroed elements;
  `t[i, j]` takes one integer per axis; `t.dim(k) t.rank() t.num_elements()
  t.unsafe_ptr() t.load(i, ...) t.store(i, ..., v)`. Elements are writable
  through any Tensor, a `read` argument included: a Tensor is a view.
- `UnsafePointer[T].alloc(n)`, `UnsafePointer[T]()` (null), `p.free()`,
  `p[i]`, `p + k`, `p - k`, `p.offset(k)`, `p.load(i)`, `p.store(i, v)` (with no
  offset, `p[]`, `p.load()`, `p.store(v)`: offset 0),
  `memset_zero(p, n)`, `memcpy(dest, src, count)`.
- `List[T]()` / `List[T](a, b, ...)` / `List[T](capacity=n)` (a hint) /
  `List[T](length=n, fill=v)`,
  `l.append(v)`, `l.pop(i=-1)`, `l.insert(i, v)` (as Python's: clamped to the
  ends), `l.extend(other)`, `l.resize(n, v)`, `l.clear()`, `l.reverse()`, `len(l)`, `l[i]`,
  (`l.count(x)`, `l.index(x)` and `sort(l)` are check_lists.py's),
  `for x in l`, `for x in reversed(l)`, `for ref x in l` (x is the element
  itself), `l[a:b:s]` (check_memory.slice_expr), `x in l` (`==` with each
  element: a struct's `__eq__` through a helper function per List type). A
  list literal `[a, b, ...]` is a `List[T](a, b, ...)` of the type expected
  there, else of its first element that is not a literal.
  A List is a value: changing it needs a `var` (or a `mut` argument). Its
  elements may own memory (Strings, Lists, Tensors, structs holding them):
  the List copies and releases each one (codegen/memory.py, codegen/lists.py).
Any integer type indexes (converted to Int); the element type is exact.
"""
from __future__ import annotations

import dataclasses

from . import syntax as S
from . import typed as T
from .check_functions import Overloads, self_count
from .errors import UserError
from .typesys import (BOOL, DTYPE, ERROR, FLOAT64, FLOAT_LITERAL, INT, MAX_RANK, NONE, STRING,
                      FnType, ListType, Pointer, SIMD, Struct, Tensor, Type, has_lifecycle, is_int,
                      is_tuple, owns_memory)


def element_type(t: Type) -> Type | None:
    """What `t[...]` holds, for the indexable types."""
    if isinstance(t, Tensor):
        return SIMD(t.dtype, 1)
    if isinstance(t, Pointer):
        return t.pointee
    if isinstance(t, ListType):
        return t.element
    return None


class MemoryChecks:
    """Mixin of `_Checker`: everything here calls back into its `expr`, `coerce`..."""

    def compared_min_max(self, name: str, t: Type, args: list, span) -> T.Expr:
        """`max(p, q)` / `min(p, q)` of pointers (by address) or Strings (bytewise),
        as `<` and `>` compare them: `q if q > p else p`, each argument evaluated
        once, in order; of equal ones the first (Python's rule). The conditional
        gives a new value: a String picked is copied, as any conditional's."""
        op = S.CmpOp.GT if name == "max" else S.CmpOp.LT
        result = args[0]
        for k, e in enumerate(args[1:]):
            a, b = (T.Var(f"{name}.{k}.{w}", t, False, span) for w in "ab")
            la, lb = T.Load(t, a, span=span), T.Load(t, b, span=span)
            pick = T.IfExp(t, T.Compare(BOOL, (lb, la), (op,), span=span), lb, la, span=span)
            result = T.Let(t, a, result, T.Let(t, b, e, pick, span=span), span=span)
        return result

    # ------------------------------------------------------------ types
    def storable(self, t: Type, span, what: str = "a variable"):
        """Refuse types that values cannot have yet, where they are introduced."""
        if isinstance(t, SIMD):
            return
        if t in (STRING, ERROR) or isinstance(t, (Tensor, Struct)):
            return
        if isinstance(t, ListType):
            # A List owns its elements: copying it copies each one (a String or
            # Tensor counted, a List or struct copied), dropping it drops each.
            inner = t.element
            if not (isinstance(inner, (SIMD, Pointer, Struct, FnType, ListType, Tensor))
                    or inner in (STRING, ERROR)):
                raise self.error("List elements must be numbers, Bool, Strings, Errors, "
                                 f"pointers, Lists, Tensors or structs, not {inner}", span)
            if not isinstance(inner, Struct):
                self.storable(inner, span, what)
            return
        if isinstance(t, Pointer):
            inner = t.pointee
            if not isinstance(inner, (SIMD, Pointer, Struct)):
                raise self.error(f"UnsafePointer elements must be numbers, Bool, pointers or "
                                 f"structs, not {inner}", span)
            if isinstance(inner, Struct) and owns_memory(inner):
                holds = "has a `__del__` or `__copyinit__`" if has_lifecycle(inner) else \
                    "holds a List, a Tensor or a String"
                raise self.error(f"{inner} {holds}: it cannot be an UnsafePointer element", span,
                                 hint=f"keep the {inner} values in a List[{inner}]")
            if not isinstance(inner, Struct):
                self.storable(inner, span, what)
            return
        if t == DTYPE:
            raise self.error(f"a DType is a compile-time value; it cannot be {what}", span,
                             hint="name it with `alias`, e.g. `alias dt = DType.float32`")
        if t == NONE:
            raise self.error(f"NoneType cannot be {what}", span)
        if isinstance(t, FnType):      # check_functions.py
            if t.capturing or t.ct_params:
                raise self.error(f"`{t}` is only for a compile-time parameter; it cannot be "
                                 f"{what}", span,
                                 hint="a closure is passed as `f[closure](...)` to a function "
                                      "declared `fn f[body: fn (Int) capturing -> None](...)`")
            if t.ret != NONE:
                self.storable(t.ret, span, "a function result")
            return
        raise self.error(f"{t} cannot be {what}", span)

    def integer_index(self, node: S.Expr) -> T.Expr:
        i = self.expr(node)
        if i.type.is_literal:
            return self.coerce(i, INT, node.span)
        if not (is_int(i.type) and i.type.width == 1):
            raise self.error(f"an index must be an integer, not {i.type}", node.span,
                             hint=f"convert it: `Int({node.span.text})`"
                             if isinstance(i.type, SIMD) and i.type.dtype.is_float else "")
        return self.make_cast(i, INT, node.span)

    # ------------------------------------------------------------ slices
    def slice_expr(self, base: T.Expr, node: S.Subscript) -> T.Expr:
        """`l[a:b:s]` (a new List, its elements copied) or `s[a:b:s]` (a new String,
        by byte), as Python's slices: each part may be left out, a negative
        position counts from the end, one past an end is clamped to it; a zero
        step is a runtime fault. Operands: base, start, stop, step, and which of
        start (1) and stop (2) were given (Python's defaults depend on the step's
        sign, which may be known only at run time)."""
        if node.kwargs or len(node.args) != 1:
            raise self.error(f"a {'String' if base.type == STRING else 'List'} takes one "
                             "slice: `x[a:b]`", node.span)
        (sl,) = node.args
        zero = T.Const(INT, 0, span=sl.span)
        start, stop, step = (zero if part is None else self.integer_index(part)
                             for part in (sl.start, sl.stop, sl.step))
        if sl.step is None:
            step = T.Const(INT, 1, span=sl.span)
        given = T.Const(INT, (sl.start is not None) | (sl.stop is not None) << 1, span=sl.span)
        kind = "string" if base.type == STRING else "list"
        return T.Builtin(base.type, f"{kind}.slice", (base, start, stop, step, given),
                         span=node.span)

    def expr_Slice(self, node: S.Slice):
        raise self.error("a slice `a:b` can only index a List or a String", node.span)

    # ------------------------------------------------------------ list literals
    def expr_ListExpr(self, node: S.ListExpr) -> T.Expr:
        """`[a, b, ...]` where no type is expected: a List of the first element that is
        not a literal, else of the literals' default type (Float64 if one is a float)."""
        if not node.items:
            raise self.error("an empty list literal needs a declared type", node.span,
                             hint="write `var l: List[Int] = []` (or `List[Int]()`)")
        self.check_list_items(node)
        items = [self.expr(a) for a in node.items]
        typed = [e.type for e in items if not e.type.is_literal]
        elem = typed[0] if typed else \
            FLOAT64 if any(e.type == FLOAT_LITERAL for e in items) else INT
        return self.list_literal(node, self.list_of(elem, node.span), items)

    def check_list_items(self, node: S.ListExpr) -> None:
        """A list literal's items are values (a keyword is a mistake)."""
        for a in node.items:
            if isinstance(a, S.Keyword):
                raise self.error("a list literal holds values, not `name=value`", a.span)

    def list_literal(self, node: S.ListExpr, t: ListType, items=None) -> T.Expr:
        """`[a, b, ...]` as a `t`: each element converts as in `t(a, b, ...)`."""
        self.storable(t, node.span, "a List element")
        if items is None:           # each element where a `t.element` is expected
            self.check_list_items(node)
            values = [self.coerce_node(a, t.element, a.span) for a in node.items]
        else:
            values = [self.coerce(e, t.element, a.span) for e, a in zip(items, node.items)]
        return T.Builtin(t, "list.new", tuple(values), span=node.span)

    def coerce_node(self, node: S.Expr, t: Type, span, what: str = "") -> T.Expr:
        """`node` checked where a `t` is expected: a list literal takes its element
        type from `t` (`var l: List[Float64] = [1, 2]`, `f([])`, `ll[0] = []`), and so
        does one in a tuple literal of as many elements (`([], 1)`); others convert."""
        if isinstance(node, S.ListExpr) and isinstance(t, ListType):
            return self.list_literal(node, t)
        if isinstance(node, S.TupleExpr) and is_tuple(t) and len(node.items) == len(t.fields) \
                and any(isinstance(i, S.ListExpr) for i in node.items):
            outer = f" of {what}" if what else " of the tuple"
            return self.make_tuple(t, [self.coerce_node(i, ft, i.span, what=f"element {k}{outer}")
                                       for k, (i, (_, ft)) in enumerate(zip(node.items, t.fields))],
                                   node.span)
        return self.coerce(self.expr(node), t, span, what)

    def expr_Contains(self, node: S.Contains) -> T.Expr:
        """`x in c` / `x not in c`: a List of numbers, Bool, Strings, pointers, tuples or
        structs with `__eq__` (each element compared with `==`), a String (a
        substring), or a struct with `__contains__`."""
        container = self.expr(node.container)
        t = container.type
        what = "`not in`" if node.negated else "`in`"
        if is_tuple(t):
            raise self.error(f"{what} is not defined for a tuple ({t}) yet", node.container.span,
                             hint="compare with its elements: `x == t[0] or x == t[1]`")
        if isinstance(t, Struct):
            found = self.call_operator(t, "__contains__", [container, self.expr(node.item)],
                                       node.span, what)
            if found is None:
                raise self.error(f"{what} is not defined for {t}", node.container.span,
                                 hint="define `fn __contains__(self, x: ...) -> Bool`")
            if found.type != BOOL:
                raise self.error(f"'{t}.__contains__' must return Bool, not {found.type}",
                                 node.span)
        elif t == STRING:
            found = self.string_contains(container, node)          # check_strings.py
        elif isinstance(t, ListType) and (isinstance(t.element, SIMD) and t.element.width == 1
                                          or t.element == STRING):
            item = self.coerce(self.expr(node.item), t.element, node.item.span)
            found = T.Builtin(BOOL, "list.contains", (container, item), span=node.span)
        elif isinstance(t, ListType) and isinstance(t.element, (Struct, Pointer)):
            item = self.coerce(self.expr(node.item), t.element, node.item.span)
            fn = self.list_contains_fn(t, node, what)
            if fn.raises:                           # its element's `__eq__` raises
                self.check_raises(self.helper_raises[fn], node.span)
            found = T.Call(BOOL, fn, (container, item), span=node.span)
        else:
            raise self.error(f"{what} needs a String or a List of numbers, Bool, Strings, "
                             f"pointers, tuples or structs with `__eq__`, not {t}",
                             node.container.span,
                             hint="loop over the elements and compare them"
                             if isinstance(t, ListType) else "")
        return T.Unary(BOOL, S.UnOp.NOT, found, span=node.span) if node.negated else found

    def list_contains_fn(self, t: ListType, node: S.Contains, what: str):
        """`List[S].__contains__(l, x)` for struct (tuple, pointer) elements, made once per
        List type: `for k in range(len(l)): if l[k] == x: return True`, then
        `return False`; `==` is the element's `__eq__` (Mojo's EqualityComparable).
        It raises if that `__eq__` does (`helper_raises` names it)."""
        if t not in self.list_contains:
            elem, span = t.element, node.span
            info = self.struct_info(elem)
            if isinstance(elem, Struct) and not is_tuple(elem) \
                    and "__eq__" not in (info.methods if info else ()):
                raise self.error(f"{what} on {t} needs `==` on {elem}", node.container.span,
                                 hint=f"define `fn __eq__(self, other: {elem}) -> Bool` in "
                                      f"{elem}")
            lst, x = (T.Var(name, ty, False, span, is_param=True)
                      for name, ty in (("l", t), ("x", elem)))
            k = T.Var("k", INT, True, span)
            element = T.Index(elem, T.Load(t, lst, span=span), (T.Load(INT, k, span=span),),
                              span=span)
            eq = S.Compare((node.item, node.container), (S.CmpOp.EQ,), span=span)
            with self.raising_allowed():                    # checked at each call
                same = self.compare(eq, [element, T.Load(elem, x, span=span)])
            if same.type != BOOL:
                raise self.error(f"{what} on {t} needs `==` on {elem} to give a Bool, not "
                                 f"{same.type}", node.container.span)
            loop = T.ForRange(k, T.Const(INT, 0, span=span),
                              T.Builtin(INT, "list.len", (T.Load(t, lst, span=span),), span=span),
                              T.Const(INT, 1, span=span),
                              (T.If(same, (T.Return(T.Const(BOOL, True, span=span), span=span),),
                                    (), span=span),), span=span)
            raising = self.raised_by(same)
            fn = T.Function(f"{t}.__contains__", self.new_symbol("List.__contains__"),
                            [lst, x], BOOL, raising is not None, span,
                            body=(loop, T.Return(T.Const(BOOL, False, span=span), span=span)))
            self.functions.append(fn)
            self.list_contains[t] = fn
            if raising is not None:
                self.helper_raises[fn] = raising
        return self.list_contains[t]

    # ------------------------------------------------------------ construction
    def construct_memory(self, t: Type, node: S.Call) -> T.Expr:
        kwargs = node.kwargs
        if isinstance(t, ListType) and kwargs and kwargs[0].name == "capacity" \
                and not node.args:
            # `List[T](capacity=n)`: a List starts empty and grows as it needs, so the
            # capacity (an integer, checked) is only a hint: it is not evaluated.
            self.integer_index(kwargs[0].value)
            kwargs = kwargs[1:]
        if isinstance(t, ListType) and {kw.name for kw in kwargs} & {"length", "fill"} \
                and not node.args:
            # `List[T](length=n, fill=v)`: n copies of v.
            self.storable(t, node.span, "a List element")
            given = {kw.name: kw.value for kw in kwargs}
            for kw in kwargs:
                if kw.name not in ("length", "fill"):
                    raise self.error(f"{t}(length=n, fill=v) takes no argument '{kw.name}'",
                                     kw.span)
            if len(given) < 2:
                raise self.error(f"{t}(...) needs both `length` and `fill`", node.span,
                                 hint=f"e.g. `{t}(length=n, fill=v)`")
            n, v = given["length"], given["fill"]
            return T.Builtin(t, "list.filled", (self.integer_index(n), self.coerce_node(
                v, t.element, v.span)), span=node.span)
        if kwargs and isinstance(t, ListType):
            raise self.error(f"{t}(...) has no keyword argument '{kwargs[0].name}'",
                             kwargs[0].span, hint=f"give the elements, `{t}(1, 2)`, "
                             f"a capacity, `{t}(capacity=n)`, or `{t}(length=n, fill=v)`")
        if kwargs:
            raise self.error(f"{t}(...) takes no keyword arguments", kwargs[0].span)
        args = node.args
        if isinstance(t, Tensor):
            if not 1 <= len(args) <= MAX_RANK:
                raise self.error(f"{t}(...) takes 1 to {MAX_RANK} dimensions, got {len(args)}",
                                 node.span, hint=f"e.g. `{t}(rows, cols)`")
            return T.Builtin(t, "tensor.new", tuple(self.integer_index(a) for a in args),
                             span=node.span)
        if isinstance(t, ListType):
            self.storable(t, node.span, "a List element")
            items = tuple(self.coerce_node(a, t.element, a.span) for a in args)
            return T.Builtin(t, "list.new", items, span=node.span)
        if isinstance(t, Pointer):
            if args:
                raise self.error(f"{t}() takes no arguments (it is the null pointer)",
                                 node.span, hint=f"allocate with `{t}.alloc(n)`")
            return T.Builtin(t, "ptr.null", (), span=node.span)
        raise self.error(f"constructing {t} is not supported yet", node.span)

    def static_method(self, t: Type, name: str, node: S.Call) -> T.Expr:
        if isinstance(t, Struct):
            ent = self.method_entity(t, name, S.name_span(node.func))
            typed = None
            if isinstance(ent, Overloads):      # `S.foo()`: its static methods
                static = [e for e in ent.entities if not self_count(e.fn)]
                if static and len(static) < len(ent.entities):
                    ent = static[0] if len(static) == 1 else Overloads(ent.name, static)
            if isinstance(ent, Overloads):
                ent, typed = self.resolve_overload(ent, node)
            if ent.fn.params and ent.fn.params[0].name == "self":
                raise self.error(f"'{ent.fn.name}' needs an instance: call it on a value of "
                                 f"{t}", node.func.span)
            return self.call_user(ent.fn, node, typed=typed)
        if isinstance(t, Pointer) and name == "alloc":
            self.storable(t, node.span)
            (n,) = self.method_args(node, ("count",), f"{t}.alloc")
            return T.Builtin(t, "ptr.alloc", (self.integer_index(n),), span=node.span)
        raise self.error(f"{t} has no static method '{name}'", node.func.span)

    def method_args(self, node: S.Call, names: tuple[str, ...], what: str) -> list[S.Expr]:
        """Positional or keyword arguments matched to `names`, all required."""
        args: list[S.Expr | None] = list(node.args) + [None] * (len(names) - len(node.args))
        if len(node.args) > len(names):
            raise self.error(f"{what}() takes {len(names)} argument"
                             f"{'s' * (len(names) != 1)}, got {len(node.args)}", node.span)
        for kw in node.kwargs:
            if kw.name not in names:
                raise self.error(f"{what}() has no parameter named '{kw.name}'", kw.span)
            k = names.index(kw.name)
            if args[k] is not None:
                raise self.error(f"argument '{kw.name}' given twice", kw.span)
            args[k] = kw.value
        missing = [n for n, a in zip(names, args) if a is None]
        if missing:
            raise self.error(f"{what}() is missing argument '{missing[0]}'", node.span,
                             hint=f"call it as `{what}({', '.join(names)})`")
        return args

    # ------------------------------------------------------------ methods
    def method_call(self, base_node: S.Expr, name: str, node: S.Call) -> T.Expr:
        base = self.expr(base_node)
        t = base.type
        span = node.span
        if name == "copy" and (isinstance(t, SIMD) or t == STRING or is_tuple(t) or
                               t.is_literal):
            self.method_args(node, (), "copy")  # current Mojo's explicit copy: the value
            return self.materialize(base)
        if isinstance(t, Struct):
            return self.struct_method_call(base_node, base, name, node)
        if isinstance(t, SIMD):
            return self.simd_method(base, name, node)
        if t == DTYPE:
            return self.dtype_method(base, name, node)
        if t == STRING:
            return self.string_method(base, name, node)         # check_strings.py
        if isinstance(t, Tensor):
            if name == "dim":
                (k,) = self.method_args(node, ("axis",), "dim")
                return T.Builtin(INT, "tensor.dim", (base, self.integer_index(k)), span=span)
            if name in ("rank", "num_elements", "unsafe_ptr"):
                self.method_args(node, (), name)
                rtype = Pointer(SIMD(t.dtype, 1)) if name == "unsafe_ptr" else INT
                return T.Builtin(rtype, f"tensor.{name}", (base,), span=span)
            if name == "load":
                indices = tuple(self.integer_index(a) for a in self.no_keywords(node))
                return T.Index(SIMD(t.dtype, 1), base, indices, span=span)
        if isinstance(t, Pointer):
            if name == "free":
                self.method_args(node, (), "free")
                return T.Builtin(NONE, "ptr.free", (base,), span=span)
            if name == "offset":
                (k,) = self.method_args(node, ("idx",), "offset")
                return T.Builtin(t, "ptr.offset", (base, self.integer_index(k)), span=span)
            if name == "load":
                args = self.method_args(node, ("offset",), "load") if node.args or \
                    node.kwargs else ()
                return T.Index(t.pointee, base, self.pointer_indices(t, args, span), span=span)
            if name == "take_pointee":      # current Mojo: the value at offset 0
                self.method_args(node, (), name)
                return T.Index(t.pointee, base, self.pointer_indices(t, (), span), span=span)
        if isinstance(t, ListType):
            if name == "copy":      # current Mojo's explicit copy: `l[:]`, a new List
                self.method_args(node, (), "copy")
                zero, one = T.Const(INT, 0, span=span), T.Const(INT, 1, span=span)
                return T.Builtin(t, "list.slice", (base, zero, zero, one, zero), span=span)
            if name == "append":
                (v,) = self.method_args(node, ("value",), "append")
                ref = self.list_ref(base_node, "append to")
                return T.Builtin(NONE, "list.append",
                                 (ref, self.coerce_node(v, t.element, v.span)), span=span)
            if name == "pop":       # `pop()` is `pop(-1)`: the last element
                i = T.Const(INT, -1, span=span) if not node.args and not node.kwargs else \
                    self.integer_index(self.method_args(node, ("i",), "pop")[0])
                return T.Builtin(t.element, "list.pop",
                                 (self.list_ref(base_node, "pop from"), i), span=span)
            if name == "insert":
                i, v = self.method_args(node, ("i", "value"), "insert")
                return T.Builtin(NONE, "list.insert",
                                 (self.list_ref(base_node, "insert into"), self.integer_index(i),
                                  self.coerce(self.expr(v), t.element, v.span)), span=span)
            if name == "extend":
                (other,) = self.method_args(node, ("other",), "extend")
                return T.Builtin(NONE, "list.extend",
                                 (self.list_ref(base_node, "extend"),
                                  self.coerce_node(other, t, other.span)), span=span)
            if name == "resize":
                n, v = self.method_args(node, ("new_size", "value"), "resize")
                return T.Builtin(NONE, "list.resize",
                                 (self.list_ref(base_node, "resize"), self.integer_index(n),
                                  self.coerce(self.expr(v), t.element, v.span)), span=span)
            if name == "clear":
                self.method_args(node, (), "clear")
                return T.Builtin(NONE, "list.clear", (self.list_ref(base_node, "clear"),),
                                 span=span)
            if name == "reverse":
                self.method_args(node, (), "reverse")
                return T.Builtin(NONE, "list.reverse", (self.list_ref(base_node, "reverse"),),
                                 span=span)
            if name == "count":
                return self.list_count(base, node)          # check_lists.py
            if name == "index":
                return self.list_index(base, node)
        if name == "store" and isinstance(t, (Tensor, Pointer)) or \
                name in _INIT_POINTEE and isinstance(t, Pointer):
            raise self.error(f"{name}(...) has no value; call it as a statement", span)
        raise self.error(f"{t} has no method '{name}'", S.name_span(node.func),
                         hint=_METHOD_HINTS.get(type(t), ""))

    def no_keywords(self, node: S.Call) -> tuple[S.Expr, ...]:
        if node.kwargs:
            raise self.error("this method takes no keyword arguments", node.kwargs[0].span)
        return node.args

    def list_ref(self, node: S.Expr, verb: str) -> T.Ref:
        """The List variable itself (or a field of a mutable place), for an
        operation that changes it."""
        if isinstance(node, S.Attribute) or isinstance(node, S.Subscript) and \
                S.first_slice(node) is None and \
                (is_tuple(self.expr(node.value).type)          # `t[0].append(x)`
                 or isinstance(self.expr(node.value).type, ListType)):   # `l[0].append(x)`
            place = self.place(node, verb)
            return T.Ref(place.type, place, span=node.span)
        var = self.scope.lookup(node.id) if isinstance(node, S.Name) else None
        if not isinstance(var, T.Var):
            raise self.error(f"can only {verb} a List held in a variable", node.span,
                             hint="store it in a `var` first")
        if not var.mutable:
            raise self.error(f"cannot {verb} '{var.name}': it is read-only", node.span,
                             hint=self.read_only_hint(var, node.span))
        return T.Ref(var.type, T.Load(var.type, var, span=node.span), span=node.span)

    def store_call(self, node: S.Call) -> T.Store | None:
        """`t.store(i, ..., v)` / `p.store(i, v)` as a statement; None if not one."""
        func = node.func
        if not (isinstance(func, S.Attribute) and func.name in ("store",) + _INIT_POINTEE):
            return None
        if self.entity_of(func) is not None:
            return None
        base = self.expr(func.value)
        if not isinstance(base.type, (Tensor, Pointer)) or \
                func.name != "store" and not isinstance(base.type, Pointer):
            return None
        if func.name == "init_pointee":     # current Mojo's `init_pointee(copy=v)`
            if node.args or len(node.kwargs) != 1 or node.kwargs[0].name not in ("copy", "take"):
                raise self.error("init_pointee takes `copy=value` or `take=value`", node.span)
            v = node.kwargs[0].value
            value = self.coerce(self.expr(v), base.type.pointee, v.span)
            return T.Store(base, self.pointer_indices(base.type, (), node.span), value,
                           span=node.span)
        if func.name != "store":            # `p.init_pointee_copy(v)`: `p[0] = v`
            (v,) = self.method_args(node, ("value",), func.name)
            value = self.coerce(self.expr(v), base.type.pointee, v.span)
            return T.Store(base, self.pointer_indices(base.type, (), node.span), value,
                           span=node.span)
        args = self.no_keywords(node)
        if len(args) < 2 - isinstance(base.type, Pointer):
            raise self.error("store takes the indices and then the value: "
                             "`t.store(i, value)`", node.span)
        indices = self.pointer_indices(base.type, args[:-1], node.span)
        elem = element_type(base.type)
        value = self.coerce(self.expr(args[-1]), elem, args[-1].span)
        self.check_index_count(base.type, indices, node.span)
        return T.Store(base, indices, value, span=node.span)

    # ------------------------------------------------------------ indexing
    def check_index_count(self, t: Type, indices, span):
        if isinstance(t, Tensor):
            if not 1 <= len(indices) <= MAX_RANK:
                raise self.error(f"a Tensor takes 1 to {MAX_RANK} indices, got {len(indices)}",
                                 span)
        elif len(indices) != 1:
            raise self.error(f"{t} takes one index, got {len(indices)}", span)

    def pointer_indices(self, t: Type, args, span) -> tuple[T.Expr, ...]:
        """The checked indices of an element access; a pointer given none is at
        offset 0, as in Mojo: `p[]`, `p.load()`, `p.load[width=8]()`, `p.store(v)`."""
        if isinstance(t, Pointer) and not args:
            return (T.Const(INT, 0, span=span),)
        return tuple(self.integer_index(a) for a in args)

    def index_expr(self, base: T.Expr, node: S.Subscript) -> T.Index:
        if node.kwargs:
            raise self.error("an index cannot be a keyword argument", node.kwargs[0].span)
        indices = self.pointer_indices(base.type, node.args, node.span)
        self.check_index_count(base.type, indices, node.span)
        return T.Index(element_type(base.type), base, indices, span=node.span)

    def element_target(self, tgt: S.Subscript) -> tuple[T.Expr, tuple[T.Expr, ...], Type]:
        """The base and indices of `base[i, ...] = ...`, and the element type."""
        base = self.expr(tgt.value)
        if base.type == STRING:
            raise self.error("a String's bytes cannot be assigned", tgt.span,
                             hint="build a new String: `s = s + \"x\"`")
        if element_type(base.type) is None:
            raise self.error(f"{base.type} cannot be indexed", tgt.value.span)
        sliced = S.first_slice(tgt)
        if sliced is not None:
            raise self.error("a slice cannot be assigned to", sliced.span,
                             hint="assign the elements one by one")
        if isinstance(base.type, ListType):
            self.list_ref(tgt.value, "change an element of")
        ix = self.index_expr(base, tgt)
        return base, ix.indices, ix.type

    def element_aug_assign(self, node: S.AugAssign) -> list[T.Stmt]:
        """`t[i] op= v`: base and indices evaluated once (into hidden variables
        unless they are constants or plain variables), then read, op, store."""
        base, indices, elem = self.element_target(node.target)
        out: list[T.Stmt] = []
        rhs = self.expr(node.value)
        base = self.place_once(base, out, views=_calls(rhs))
        indices = tuple(self.value_once(i, out) for i in indices)
        current = T.Index(elem, base, indices, span=node.target.span)
        value = self.binary(node.op, current, rhs, node.span)
        out.append(T.Store(base, indices, self.aug_result(node, value, elem), span=node.span))
        return out

    def value_once(self, e: T.Expr, out: list[T.Stmt]) -> T.Expr:
        """`e`, or a hidden variable that holds its value (its Declare appended to
        `out`) unless it is a constant or a variable that cannot change: an
        expression that a read-modify-write statement uses twice but must evaluate
        once, before its right side (which may change a `var` index:
        `l[i] += bump(i)` with `mut i` adds to the element at i's old value; or
        move a pointer: `p[0] += step(p)` adds to the element p was at, as Python
        evaluates the target's object first). A Tensor is a view: its hidden copy
        shares the elements."""
        if isinstance(e, T.Const) or isinstance(e, T.Load) and \
                not (e.var.mutable and isinstance(e.type, (SIMD, Pointer, Tensor))):
            return e
        var = T.Var("element.tmp", e.type, False, e.span)
        out.append(T.Declare(var, e, span=e.span))
        return T.Load(e.type, var, span=e.span)

    def place_once(self, e: T.Expr, out: list[T.Stmt], views: bool = False) -> T.Expr:
        """The same place as `e` (a variable, its fields, elements), with each index
        and each computed base evaluated once by `value_once`. A List or a struct
        stays a place: a hidden copy of it would take the write
        (`self.counts[i] += 1`, `ps[next()].m += 1`). A pointer is evaluated once
        too, as the elements it reaches are not in it, and so is a Tensor when
        `views` says the right side calls something that might change it (a
        Tensor's copy counts a reference: not taken in `t[i] += 1.0`)."""
        if isinstance(e.type, Pointer) or views and isinstance(e.type, Tensor):
            return self.value_once(e, out)
        if isinstance(e, T.Field):
            return T.Field(e.type, self.place_once(e.base, out), e.index, e.name, span=e.span)
        if isinstance(e, T.Index):
            return T.Index(e.type, self.place_once(e.base, out),
                           tuple(self.value_once(i, out) for i in e.indices), span=e.span)
        return e if isinstance(e, T.Load) else self.value_once(e, out)

    # ------------------------------------------------------------ loops over lists
    def loop_place(self, e: T.Expr, out: list[T.Stmt]) -> T.Expr | None:
        """The List `for x in e` loops over, as a place read again at each element
        (`l`, `self.items`, `ll[i]`, `bs[k].items`), or None when `e` is no place.
        Each index is evaluated once, first (Python's and Mojo's
        iterator holds the List `e` names when the loop starts: a body that
        changes `i` or appends to `ll` keeps looping over that one); a negative
        List index is counted from the end then."""
        if isinstance(e, T.Load):
            return e
        if isinstance(e, T.Field):
            base = self.loop_place(e.base, out)
            return None if base is None else T.Field(e.type, base, e.index, e.name, span=e.span)
        if not isinstance(e, T.Index):
            return None
        base = self.loop_place(e.base, out)
        if base is None:
            return None
        indices = tuple(self.value_once(i, out) for i in e.indices)
        if isinstance(base.type, ListType) and not (isinstance(indices[0], T.Const)
                                                    and indices[0].value >= 0):
            i, sp = indices[0], indices[0].span
            n = T.Builtin(INT, "list.len", (base,), span=sp)
            wraps = T.Compare(BOOL, (T.Unary(INT, S.UnOp.NEG, n, span=sp), i,
                                     T.Const(INT, 0, span=sp)),
                              (S.CmpOp.LE, S.CmpOp.LT), span=sp)
            k = T.IfExp(INT, wraps, T.Binary(INT, S.BinOp.ADD, i, n, span=sp), i, span=sp)
            indices = (self.value_once(k, out),)
        return T.Index(e.type, base, indices, span=e.span)

    def for_each(self, node: S.For) -> list[T.Stmt]:
        """`for x in l` / `for x in reversed(l)`: a hidden index k over the List
        (a variable or a field of one, `self.items`, read where it is), its length
        read before each element as Mojo's and Python's List iterators do, so a
        body that appends sees the new elements and one that pops stops early
        (never reading past the end):

            k = -1;     while k + 1 < len(l):        k += 1; x = l[k]; body
            k = len(l); while 0 < k <= len(l):       k -= 1; x = l[k]; body

        `for c in s` (a String) loops so over a List of its characters
        (`string.chars`), made before the first pass."""
        it, backwards = node.iter, False
        if isinstance(it, S.Call) and isinstance(it.func, S.Name) and it.func.id == "reversed" \
                and len(it.args) == 1 and not it.kwargs:
            it, backwards = it.args[0], True
        seq = self.expr(it)
        if seq.type == STRING:      # Mojo's String iterator: each character, a String
            seq = T.Builtin(ListType(STRING), "string.chars", (seq,), span=it.span)
        if not isinstance(seq.type, ListType):
            raise self.error(f"cannot loop over {seq.type}", it.span,
                             hint="loop over `range(...)`, a List or a String")
        out: list[T.Stmt] = []
        place = self.loop_place(seq, out)
        if place is None:                   # a List made here: looped over as it is
            hidden = T.Var("for.seq", seq.type, False, seq.span)
            out.append(T.Declare(hidden, seq, span=seq.span))
            place = T.Load(seq.type, hidden, span=seq.span)
        seq = place
        k = T.Var("for.index", INT, True, node.span)
        target = node.targets[0]
        # read-only, as in Mojo: a write to it would change a copy, not the List
        # (elements with a `__del__`/`__copyinit__` are read where they are, not copied)
        x = T.Var(target.id, seq.type.element, False, target.span,
                  borrowed=has_lifecycle(seq.type.element))
        self.loop_elements[x] = it.span.text
        body = self.loop_body(x, node.body)
        read = T.Declare(x, T.Index(x.type, seq, (T.Load(INT, k, span=it.span),), span=it.span),
                         span=target.span)
        out.extend(_index_loop(k, seq, backwards, (read,), body, it.span, node.span))
        return out

    def ref_for_each(self, node: S.For) -> list[T.Stmt]:
        """`for ref x in l`: x is each element itself. The body is checked with each
        `x` read as `l[k]` (k a hidden index, the length read before each element as
        `for x in l` does), so `x += 1`, `x.f = v` and `x.bump()` change the List's
        elements."""
        target, it = node.targets[0], node.iter
        if node.compile_time:
            raise self.error("`@parameter for` cannot take `ref`", node.span)
        if self.is_builtin_call(it, "range"):
            raise self.error("`for ref` loops over the elements of a List, not a range",
                             it.span, hint=f"write `for {target.id} in {it.span.text}:`")
        base = it       # a variable, its fields, and an enclosing `for ref`'s element
        while (isinstance(base, S.Attribute)
               or isinstance(base, S.Subscript) and _ref_element(base)):
            base = base.value
        if not isinstance(base, S.Name):
            raise self.error("`for ref` needs a List variable or field to loop over", it.span,
                             hint=f"store it first: `var l = {it.span.text}`, then "
                                  f"`for ref {target.id} in l:`")
        seq = self.expr(it)
        if not isinstance(seq.type, ListType):
            raise self.error(f"`for ref` needs a List, not {seq.type}", it.span)
        self.ref_loops = getattr(self, "ref_loops", 0) + 1
        k = T.Var(f"for.ref{self.ref_loops}", INT, True, node.span)
        self.assigned.add(k)

        def element(name: S.Name) -> S.Expr:
            return S.Subscript(it, (S.Name(k.name, span=name.span),), (), span=name.span)
        body = self.loop_body(k, _with_name(node.body, target.id, element))
        return _index_loop(k, seq, False, (), body, it.span, node.span)

    # ------------------------------------------------------------ builtins
    def memory_builtin(self, name: str, node: S.Call) -> T.Expr:
        if name == "len":
            (x,) = self.method_args(node, ("obj",), "len")
            if self.is_builtin_call(x, "range"):        # check_numbers.py
                return self.range_len(x, node.span)
            seq = self.expr(x)
            if isinstance(seq.type, ListType):
                return T.Builtin(INT, "list.len", (seq,), span=node.span)
            if seq.type == STRING:                  # its length in UTF-8 bytes, as in Mojo
                return T.Builtin(INT, "string.len", (seq,), span=node.span)
            if is_tuple(seq.type):                  # a constant, as in Mojo
                n = T.Const(INT, len(seq.type.fields), span=node.span)
                if _pure(seq):
                    return n
                return T.Builtin(INT, "tuple.len", (seq, n), span=node.span)   # `f()` still runs
            if isinstance(seq.type, SIMD):          # its lane count, as Mojo's `__len__`
                n = T.Const(INT, seq.type.width, span=node.span)
                return n if _pure(seq) else T.Seq(INT, seq, n, span=node.span)
            if isinstance(seq.type, Struct):        # `__len__`
                call = S.Call(S.Attribute(x, "__len__", span=x.span), (), (), span=node.span)
                n = self.struct_method_call(x, seq, "__len__", call)
                if n.type != INT:                   # Mojo's `Sized`
                    raise self.error(f"'{n.fn.name}' must return Int, not {n.type}", node.span)
                return n
            raise self.error(f"len() needs a List or a String, not {seq.type}", x.span,
                             hint="for a Tensor use `t.dim(0)` or `t.num_elements()`"
                             if isinstance(seq.type, Tensor) else "")
        if name == "memset_zero":
            p, n = self.method_args(node, ("ptr", "count"), "memset_zero")
            return T.Builtin(NONE, "memset_zero", (self.pointer_arg(p), self.integer_index(n)),
                             span=node.span)
        if name == "memcpy":
            d, s, n = self.method_args(node, ("dest", "src", "count"), "memcpy")
            dest, src = self.pointer_arg(d), self.pointer_arg(s)
            if dest.type != src.type:
                raise self.error(f"memcpy needs pointers of one type, got {dest.type} and "
                                 f"{src.type}", node.span)
            return T.Builtin(NONE, "memcpy", (dest, src, self.integer_index(n)), span=node.span)
        if name == "reversed":
            raise self.error("reversed(...) can only be used in a for loop", node.span)
        raise self.error(f"'{name}' cannot be called like this", node.span)

    def pointer_arg(self, node: S.Expr) -> T.Expr:
        p = self.expr(node)
        if not isinstance(p.type, Pointer):
            raise self.error(f"expected an UnsafePointer, found {p.type}", node.span)
        return p

    def pointer_offset(self, op: S.BinOp, lhs: T.Expr, rhs: T.Expr, span) -> T.Expr | None:
        """`p + k`, `k + p`, `p - k`; None when neither side is a pointer."""
        if isinstance(rhs.type, Pointer) and op is S.BinOp.ADD:
            lhs, rhs = rhs, lhs
        if not isinstance(lhs.type, Pointer):
            return None
        if op not in (S.BinOp.ADD, S.BinOp.SUB) or isinstance(rhs.type, Pointer):
            hint = "a pointer moves by an integer: `p + k` or `p - k`"
            if op is S.BinOp.SUB and isinstance(rhs.type, Pointer):     # as in Mojo
                hint = ("a pointer has no difference with another: keep the element "
                        "index, and compare pointers with `<` or `==`")
            raise self.error(f"'{op.value}' is not defined for {lhs.type} and {rhs.type}", span,
                             hint=hint)
        k = rhs
        if k.type.is_literal:
            k = self.coerce(k, INT, k.span)
        elif not (is_int(k.type) and k.type.width == 1):
            raise self.error(f"a pointer moves by an integer, not {k.type}", k.span)
        k = self.make_cast(k, INT, k.span)
        if op is S.BinOp.SUB:
            k = T.Unary(INT, S.UnOp.NEG, k, span=k.span)
        return T.Builtin(lhs.type, "ptr.offset", (lhs, k), span=span)


# Current Mojo's spellings of `p[0] = v` on an UnsafePointer
_INIT_POINTEE = ("init_pointee_copy", "init_pointee_move", "init_pointee")

_METHOD_HINTS = {
    Tensor: "a Tensor has dim(k), rank(), num_elements(), unsafe_ptr(), load(...), store(...)",
    Pointer: "an UnsafePointer has free(), offset(k), load(i), store(i, v), "
             "init_pointee(copy=v), take_pointee() and `p[i]`",
    ListType: "a List has append(v), pop(), pop(i), insert(i, v), extend(other), "
              "resize(n, v), clear(), reverse(), count(v), index(v), len(l) and `l[i]`",
}


def _pure(e: T.Expr) -> bool:
    """A variable or a field of one: reading it has no effect to keep."""
    while isinstance(e, T.Field):
        e = e.base
    return isinstance(e, (T.Load, T.Const))


def _calls(e: T.Expr) -> bool:
    """Whether evaluating `e` calls a function or changes a place given to a
    built-in (`l.pop()`): something that may assign any variable."""
    if isinstance(e, (T.Call, T.CallValue, T.Construct, T.Parallelize)) or \
            isinstance(e, T.Builtin) and any(isinstance(a, T.Ref) for a in e.args):
        return True
    return any(_calls(c) for c in T.children(e))


def _index_loop(k: T.Var, seq: T.Expr, backwards: bool, read: tuple, body: tuple, sp,
                span) -> list[T.Stmt]:
    """The loop of `for_each` over the List `seq` (a place, without effects): k
    steps first (so a `continue` in `body` steps too), then `read` (the element
    into the loop's variable) and `body`."""
    def num(v):
        return T.Const(INT, v, span=sp)
    n = T.Builtin(INT, "list.len", (seq,), span=sp)
    at = T.Load(INT, k, span=sp)
    if backwards:
        start, cond = n, T.Compare(BOOL, (num(0), at, n), (S.CmpOp.LT, S.CmpOp.LE), span=sp)
        step = T.Binary(INT, S.BinOp.SUB, at, num(1), span=sp)
    else:
        after = T.Binary(INT, S.BinOp.ADD, at, num(1), span=sp)
        start, cond = num(-1), T.Compare(BOOL, (after, n), (S.CmpOp.LT,), span=sp)
        step = T.Binary(INT, S.BinOp.ADD, at, num(1), span=sp)
    return [T.Declare(k, start, span=sp),
            T.While(cond, (T.Assign((k,), (step,), span=sp), *read, *body), span=span)]


def _ref_element(node: S.Subscript) -> bool:
    """Whether `node` is `l[k]` with `k` an enclosing `for ref` loop's hidden index,
    which the body cannot change: the element that loop's variable stands for."""
    return (len(node.args) == 1 and not node.kwargs and isinstance(node.args[0], S.Name)
            and node.args[0].id.startswith("for.ref"))


def _with_name(node, name: str, make):
    """`node` (a syntax node or a tuple of them) with each use of the variable
    `name` replaced by `make(that Name)`; a loop over `name` or a nested function's
    parameter `name` shadows it."""
    if isinstance(node, tuple):
        return tuple(_with_name(n, name, make) for n in node)
    if isinstance(node, S.Name):
        return make(node) if node.id == name else node
    if not isinstance(node, S.Node):
        return node
    if isinstance(node, S.For) and any(isinstance(t, S.Name) and t.id == name
                                       for t in node.targets):
        return dataclasses.replace(node, iter=_with_name(node.iter, name, make))
    if isinstance(node, S.FnDef) and any(p.name == name for p in node.params):
        return node
    if isinstance(node, S.VarUnpack) and name in node.names:
        node = S.VarDecl(name, None, None, True, span=node.span,
                         name_span=node.name_spans[node.names.index(name)])
    if isinstance(node, S.VarDecl) and node.name == name:
        raise UserError(f"'{name}' is already declared in this scope", node.name_span,
                        label=f"'{name}' is the loop's element here",
                        hint="pick another name")
    changed = {}
    for f in dataclasses.fields(node):
        if f.name in ("span", "name_span"):
            continue
        old = getattr(node, f.name)
        new = _with_name(old, name, make)
        if new is not old:
            changed[f.name] = new
    return dataclasses.replace(node, **changed) if changed else node

"""Type rules of SIMD vectors, vector loads/stores and `vectorize`.

In: syntax nodes handed over by the checker (`typecheck._Checker` inherits
these methods). Out: typed nodes: `Splat` for every scalar-to-vector
broadcast, `Lanes`, `Extract`/`Insert` for lanes, `Reduce`, `Select`,
`VLoad`/`VStore`, and `vectorize` desugared to two counted loops. Rules:
- `SIMD[dt, w](x)` splats, `SIMD[dt, w](a, b, ...)` takes exactly w lanes;
  a lane is a Scalar[dt], a literal, or (Mojo's Int initializer) an Int or
  UInt converted to a number dtype;
- a binary operation, comparison or math function with a vector operand is
  lane-wise; every vector operand has the same type, and a scalar of the same
  dtype (or a literal) is broadcast; comparisons give `SIMD[DType.bool, w]`
  and cannot be chained;
- `v[i]` reads a lane, `v[i] = x` replaces one (v a variable, or a field or
  element that could be assigned);
  `v.reduce_add() reduce_mul() reduce_min() reduce_max()` (numbers),
  `reduce_and() reduce_or()` (Bool), `c.select(a, b)` (c Bool);
- `p.load[width=w](i)` / `p.load[w](i)`, `p.store[width=w](i, v)` /
  `p.store(i, v)` (width from v) on `UnsafePointer[Scalar[dt]]`, and the same on
  a Tensor with one index per axis, the vector running along the last axis;
- `vectorize[body, w](n)` (also `size=n`, and `vectorize[w, body](n)`) with
  `body` a nested `fn body[width: Int](i: Int)`: for i in 0, w, 2w... while
  i + w <= n: body[w](i); then body[1](i) for each remaining i. Desugared to
      var vectorize.n = max(n, 0); var vectorize.end = n - n % w
      for i in range(0, vectorize.end, w): body[w](i)
      for i in range(vectorize.end, vectorize.n): body[1](i)
  `unroll_factor=u` (Mojo's) makes the first loop step by u*w with u calls,
  body[w](i), body[w](i + w) ..., and a loop of single calls up to vectorize.end
  after it: the same calls in the same order (10 at w 2, u 2: body[2] at 0, 2 |
  4, 6 | then 8 alone).
  so the reference mode and the lowering need nothing new (the instances are
  small internal functions that LLVM inlines).
Widths are compile-time values: powers of two from 1 to 64.
"""
from __future__ import annotations

from . import syntax as S
from . import typed as T
from .check_structs import FuncTemplate
from .scopes import FuncEntity
from .errors import UserError
from .typesys import BOOL, INT, INT_LITERAL, NONE, UINT, DType, Pointer, SIMD, Tensor, Type

REDUCTIONS = ("add", "mul", "min", "max", "and", "or")
MAX_WIDTH = 64


def is_vector(t: Type) -> bool:
    return isinstance(t, SIMD) and t.width > 1


def _power_of_two(w: int) -> bool:
    return 1 <= w <= MAX_WIDTH and w & (w - 1) == 0


class SimdChecks:
    """Mixin of `_Checker`: everything here calls back into its `expr`, `coerce`..."""

    # ------------------------------------------------------------ operands
    def simd_operands(self, exprs: list[T.Expr], span, what: str = "combine",
                      sym: str = "") -> tuple[SIMD, list[T.Expr]]:
        """The vector type of a lane-wise operation and its operands, scalars
        and literals broadcast by explicit `Splat`s."""
        vectors = [e for e in exprs if is_vector(e.type)]
        t = vectors[0].type
        for e in vectors[1:]:
            if e.type != t:
                if isinstance(e.type, SIMD) and e.type.width != t.width:
                    label = f"lane counts differ ({t.width} vs {e.type.width})"
                else:
                    label = f"element types differ ({t.dtype} vs {e.type.dtype})" \
                        if isinstance(e.type, SIMD) else ""
                raise self.error(f"cannot {what} {t} and {e.type}", span, label=label,
                                 hint=f"convert one side with `.cast[{t.dtype}]()`"
                                 if isinstance(e.type, SIMD) and e.type.width == t.width
                                 else "")
        return t, [self.broadcast(e, t, span, what) for e in exprs]

    def broadcast(self, e: T.Expr, t: SIMD, span, what: str = "combine") -> T.Expr:
        """`e` as a value of vector type `t`: itself, or a scalar splat."""
        if e.type == t:
            return e
        scalar = SIMD(t.dtype, 1)
        if e.type.is_literal:
            return T.Splat(t, self.coerce(e, scalar, e.span), span=e.span)
        if e.type == scalar:
            return T.Splat(t, e, span=e.span)
        if isinstance(e.type, SIMD) and e.type.width == 1:
            raise self.error(f"cannot {what} {t} and {e.type}", span,
                             label=f"element types differ ({t.dtype} vs {e.type.dtype})",
                             hint=f"convert the scalar first: `{scalar}({e.span.text})`")
        raise self.error(f"cannot {what} {t} and {e.type}", span)

    def vector_coerce(self, e: T.Expr, t: Type, span, what: str = "") -> T.Expr | None:
        """Implicit scalar-to-vector conversion at an assignment, argument or
        return (`var v: SIMD[dt, 4] = 0.0`); None when it does not apply."""
        if is_vector(t) and (e.type.is_literal or e.type == SIMD(t.dtype, 1)):
            return self.broadcast(e, t, span)
        return None

    # ------------------------------------------------------------ construction
    def simd_construct(self, t: SIMD, node: S.Call) -> T.Expr:
        args = node.args
        if len(args) == 1:
            x = self.expr(args[0])
            if x.type == t:
                return x
            if is_vector(x.type) and x.type.width == t.width:   # Mojo's converting init
                return self.make_cast(x, t, node.span)
            if is_vector(x.type):
                raise self.error(f"cannot convert {x.type} to {t}", node.span,
                                 hint="lane counts differ")
            return T.Splat(t, self.lane_value(x, t, args[0]), span=node.span)
        if len(args) != t.width:
            raise self.error(f"{t}(...) takes one value to splat or {t.width} lanes, "
                             f"got {len(args)}", node.span)
        return T.Lanes(t, tuple(self.lane_value(self.expr(a), t, a) for a in args),
                       span=node.span)

    def lane_value(self, x: T.Expr, t: SIMD, node: S.Expr) -> T.Expr:
        scalar = SIMD(t.dtype, 1)
        if x.type.is_literal:
            return self.coerce(x, scalar, node.span)
        if x.type in (INT, UINT) and t.dtype is not DType.bool:    # Mojo's `__init__(Int)`
            return self.make_cast(x, scalar, node.span)
        if x.type != scalar:
            raise self.error(f"expected {scalar} for a lane of {t}, found {x.type}", node.span,
                             hint=f"convert explicitly: `{scalar}({node.span.text})`"
                             if isinstance(x.type, SIMD) and x.type.width == 1 else "")
        return x

    # ------------------------------------------------------------ operators
    def simd_compare(self, node: S.Compare, operands: list[T.Expr]) -> T.Expr:
        if len(node.ops) != 1:
            raise self.error("chained comparisons of vectors are not supported", node.span,
                             hint="combine lane-wise results with `&`: `(a < b) & (b < c)`")
        t, (a, b) = self.simd_operands(operands, node.span, "compare")
        return T.Compare(SIMD(DType.bool, t.width), (a, b), node.ops, span=node.span)

    def is_vector_op(self, *exprs: T.Expr) -> bool:
        return any(is_vector(e.type) for e in exprs)

    # ------------------------------------------------------------ lanes
    def lane_index(self, node: S.Subscript, t: SIMD) -> T.Expr:
        if not node.args and not node.kwargs:
            raise self.error(f"`[]` dereferences an UnsafePointer, not a value of {t}",
                             node.span, hint=f"use `{node.value.span.text}` itself")
        if t.dtype in (DType.index, DType.uindex) and t.width == 1:    # Int, UInt: not SIMD
            raise self.error(f"{t} cannot be indexed", node.span)
        if node.kwargs or len(node.args) != 1:
            raise self.error(f"a lane of {t} takes one index", node.span)
        i = self.integer_index(node.args[0])
        if isinstance(i, T.Const) and not 0 <= i.value < t.width:
            raise self.error(f"lane {i.value} is out of range for {t}", node.args[0].span,
                             label=f"lanes are 0 to {t.width - 1}" if t.width > 1
                             else "a scalar has one lane, 0")
        return i

    def lane_read(self, base: T.Expr, node: S.Subscript) -> T.Expr:
        t = base.type
        return T.Extract(SIMD(t.dtype, 1), base, self.lane_index(node, t), span=node.span)

    def lane_target(self, tgt: S.Subscript, base: T.Expr, out: list[T.Stmt]):
        """The vector whose lane `tgt` names, how to store a new vector in its
        place, and the lane index. The vector is a variable, or a field or
        element place (`self.vel[k]`, `ps[i].pos[k]`) evaluated once into `out`."""
        if isinstance(tgt.value, S.Name):
            var = self.assign_target(tgt.value)
            if var is None:
                raise self.unknown_name(tgt.value)
            vector = T.Load(var.type, var, span=tgt.value.span)

            def store(new, span):
                return T.Assign((var,), (new,), span=span)
        else:
            vector = self.place_once(self.place(tgt.value, "assign a lane of"), out)

            def store(new, span):
                if isinstance(vector, T.Field):
                    return T.StoreField(vector.base, vector.index, new, span=span)
                return T.Store(vector.base, vector.indices, new, span=span)
        return vector, store, self.lane_index(tgt, base.type)

    def lane_write(self, tgt: S.Subscript, base: T.Expr, value_node: S.Expr,
                   span) -> list[T.Stmt]:
        """`place[k] = value`: the value first (Python's order), then the vector
        with its lane replaced is stored back."""
        out: list[T.Stmt] = []
        vector, store, i = self.lane_target(tgt, base, out)
        value = self.coerce(self.expr(value_node), SIMD(vector.type.dtype, 1), value_node.span)
        first: list[T.Stmt] = []
        value = self.value_once(value, first)
        return first + out + [store(T.Insert(vector.type, vector, i, value, span=span), span)]

    def lane_aug_assign(self, node: S.AugAssign, base: T.Expr) -> list[T.Stmt]:
        out: list[T.Stmt] = []
        vector, store, i = self.lane_target(node.target, base, out)
        if not isinstance(i, T.Const):
            tmp = T.Var("lane.tmp", INT, False, i.span)
            out.append(T.Declare(tmp, i, span=i.span))
            i = T.Load(INT, tmp, span=i.span)
        lane = SIMD(vector.type.dtype, 1)
        current = T.Extract(lane, vector, i, span=node.target.span)
        value = self.binary(node.op, current, self.expr(node.value), node.span)
        # the new lane into a hidden variable before the vector is read again: the
        # right side may change the vector's other lanes (or move its List)
        value = self.value_once(self.aug_result(node, value, lane), out)
        out.append(store(T.Insert(vector.type, vector, i, value, span=node.span), node.span))
        return out

    # ------------------------------------------------------------ methods
    def dtype_method(self, base: T.Expr, name: str, node: S.Call) -> T.Const:
        """`dt.is_floating_point()` and Mojo's other DType queries: constants, so
        that `@parameter if dtype.is_integral():` picks a branch per instance."""
        query = _DTYPE_QUERIES.get(name)
        if query is None:
            raise self.error(f"DType has no method '{name}'", S.name_span(node.func),
                             hint=f"a DType has {', '.join(f'{q}()' for q in _DTYPE_QUERIES)}")
        self.method_args(node, (), name)
        value = query(self.fold(base).value)
        return T.Const(BOOL if isinstance(value, bool) else INT_LITERAL, value, span=node.span)

    def simd_method(self, base: T.Expr, name: str, node: S.Call) -> T.Expr:
        t = base.type
        if name.startswith("reduce_") and name[7:] in REDUCTIONS:
            self.method_args(node, (), name)
            op = name[7:]
            if op in ("and", "or") and t.dtype is not DType.bool:
                raise self.error(f"{name}() needs a vector of Bool, not {t}", node.span,
                                 hint="reduce_add, reduce_mul, reduce_min, reduce_max "
                                      "reduce numbers")
            if op not in ("and", "or") and t.dtype is DType.bool:
                raise self.error(f"{name}() needs numbers, not {t}", node.span,
                                 hint="a Bool vector has reduce_and() and reduce_or()")
            if t.width == 1:
                return base
            return T.Reduce(SIMD(t.dtype, 1), op, base, span=node.span)
        if name == "select":
            if t.dtype is not DType.bool:
                raise self.error(f"select needs a Bool condition, not {t}", node.func.span)
            a_node, b_node = self.method_args(node, ("true_case", "false_case"), "select")
            a, b = self.expr(a_node), self.expr(b_node)
            if a.type.is_literal and b.type.is_literal:
                a, b = self.materialize(a), self.materialize(b)
            if t.width == 1:
                vt = self.unify([a, b], node.span)
                if is_vector(vt):
                    raise self.error(f"a Bool selects between scalars, not {vt}", node.span)
                return T.IfExp(vt, base, self.coerce(a, vt, a.span), self.coerce(b, vt, b.span),
                               span=node.span)
            exprs = [a, b]
            if not self.is_vector_op(a, b):
                vt = self.unify(exprs, node.span)
                if not isinstance(vt, SIMD):
                    raise self.error(f"select needs numbers or Bool, not {vt}", node.span)
                exprs = [self.broadcast(e, SIMD(vt.dtype, t.width), node.span, "select")
                         for e in exprs]
            vt, (a, b) = self.simd_operands(exprs, node.span, "select between")
            if vt.width != t.width:
                raise self.error(f"cannot select {vt} with {t}", node.span,
                                 label=f"lane counts differ ({t.width} vs {vt.width})")
            return T.Select(vt, base, a, b, span=node.span)
        raise self.error(f"{t} has no method '{name}'", S.name_span(node.func),
                         hint="a SIMD value has reduce_add/mul/min/max(), cast[dt](), "
                              "select(a, b) (Bool) and `v[i]`")

    # ------------------------------------------------------------ loads and stores
    def width_param(self, node: S.Subscript, what: str) -> int:
        """The `[w]` or `[width=w]` of `load`/`store`."""
        args = list(node.args)
        for kw in node.kwargs:
            if kw.name != "width":
                raise self.error(f"{what} has no parameter named '{kw.name}'", kw.span,
                                 hint=f"write `{what}[width=8](...)`")
            args.append(kw.value)
        if len(args) != 1:
            raise self.error(f"{what} takes one compile-time parameter, the width", node.span)
        return self.ct_width(args[0])

    def ct_width(self, node: S.Expr) -> int:
        value = self.coerce(self.expr(node), INT, node.span)
        if not isinstance(value, T.Const):
            try:                                   # `4 * W` with `alias W = ...`
                value = self.fold(value)
            except UserError:
                pass
        if not isinstance(value, T.Const):
            raise self.error("a SIMD width must be a compile-time value", node.span,
                             label="this is known only at run time",
                             hint="use a literal, an `alias` or a compile-time parameter")
        w = self.fold(value).value
        if not _power_of_two(w):
            raise self.error(f"SIMD width must be a power of two from 1 to 64, not {w}",
                             node.span)
        return w

    def vector_base(self, base: T.Expr, span) -> DType | None:
        """The element dtype of a pointer or Tensor that vectors load from."""
        t = base.type
        if isinstance(t, Tensor):
            return t.dtype
        if isinstance(t, Pointer) and isinstance(t.pointee, SIMD):
            if t.pointee.width != 1:
                raise self.error(f"vector loads and stores need a pointer to scalars, not {t}",
                                 span, hint="index it instead: `p[i]`")
            return t.pointee.dtype
        return None

    def simd_load(self, func: S.Subscript, node: S.Call) -> T.Expr | None:
        """`base.load[w](indices)`; None when base is not a pointer or Tensor."""
        base = self.expr(func.value.value)
        dt = self.vector_base(base, node.span)
        if dt is None:
            return None
        w = self.width_param(func, "load")
        indices = self.vector_indices(base, self.no_keywords(node), node.span)
        t = SIMD(dt, w)
        if w == 1:
            return T.Index(t, base, indices, span=node.span)
        return T.VLoad(t, base, indices, span=node.span)

    def vector_indices(self, base: T.Expr, args, span) -> tuple[T.Expr, ...]:
        indices = self.pointer_indices(base.type, args, span)
        self.check_index_count(base.type, indices, span)
        return indices

    def simd_store(self, node: S.Call) -> T.Stmt | None:
        """`base.store[w](indices, v)` / `base.store(indices, v)` on a pointer or
        Tensor (a scalar value gives the ordinary element `Store`)."""
        func, width = node.func, None
        if isinstance(func, S.Subscript) and isinstance(func.value, S.Attribute) and \
                func.value.name == "store":
            sub, func = func, func.value
        elif isinstance(func, S.Attribute) and func.name == "store":
            sub = None
        else:
            return None
        if self.entity_of(func) is not None:
            return None
        base = self.expr(func.value)
        dt = self.vector_base(base, node.span)
        if dt is None:
            return None
        if sub is not None:
            width = self.width_param(sub, "store")
        args = self.no_keywords(node)
        if len(args) < 2 - isinstance(base.type, Pointer):
            raise self.error("store takes the indices and then the value: "
                             "`t.store(i, value)`", node.span)
        indices = self.vector_indices(base, args[:-1], node.span)
        value = self.expr(args[-1])
        if width is None:
            width = value.type.width if is_vector(value.type) else 1
        t = SIMD(dt, width)
        if is_vector(value.type) and value.type != t:
            raise self.error(f"expected {t} to store, found {value.type}", args[-1].span,
                             label=f"lane counts differ ({width} vs {value.type.width})"
                             if value.type.width != width else "")
        value = self.broadcast(value, t, args[-1].span, "store") if width > 1 else \
            self.coerce(value, t, args[-1].span)
        if width == 1:
            return T.Store(base, indices, value, span=node.span)
        return T.VStore(base, indices, value, span=node.span)

    # ------------------------------------------------------------ vectorize
    def simd_statement(self, node: S.Call):
        """A statement-only SIMD call (`vectorize`, `store`), or None."""
        func = node.func
        if isinstance(func, S.Subscript):
            ent = self.entity_of(func.value)        # `vectorize`, `algorithm.vectorize`
            if type(ent).__name__ == "BuiltinEntity" and ent.name == "vectorize":
                return self.vectorize(func, node)
        return self.simd_store(node)

    def vectorize(self, func: S.Subscript, node: S.Call) -> list[T.Stmt]:
        if len(func.args) != 2 or any(kw.name != "unroll_factor" for kw in func.kwargs):
            raise self.error("vectorize takes a function and a width: "
                             "`vectorize[body, width](n)`", func.span,
                             hint="and optionally `unroll_factor=k`" if func.kwargs else "")
        unroll = 1
        for kw in func.kwargs:
            unroll = self.int_param(kw.value)
            if unroll < 1:
                raise self.error(f"unroll_factor must be at least 1, not {unroll}",
                                 kw.value.span)
        kinds = [self.scope.lookup(a.id) if isinstance(a, S.Name) else None for a in func.args]
        fn_pos = next((k for k, e in enumerate(kinds)
                       if isinstance(e, FuncTemplate) or isinstance(e, FuncEntity)), None)
        if fn_pos is None:
            raise self.error("vectorize needs a nested function "
                             f"`{_vector_body(func.span, 'body')}`",
                             func.span)
        body_node, width_node = func.args[fn_pos], func.args[1 - fn_pos]
        template = kinds[fn_pos]
        if not isinstance(template, FuncTemplate) or len(template.node.ct_params) != 1 or \
                not (isinstance(template.node.ct_params[0].type, S.Name)
                     and template.node.ct_params[0].type.id == "Int"):
            raise self.error(f"'{body_node.id}' must take the width as its one compile-time "
                             "parameter", body_node.span,
                             hint=f"declare it `{_vector_body(body_node.span, body_node.id)}`")
        w = self.ct_width(width_node)
        (size,) = self.method_args(node, ("size",), "vectorize")
        n = self.integer_index(size)
        wide = self.instantiate_function(template, (w,), body_node.span).fn
        one = self.instantiate_function(template, (1,), body_node.span).fn
        for f in (wide, one):
            if len(f.params) != 1 or f.params[0].type != INT or f.params[0].by_ref \
                    or f.ret != NONE:
                raise self.error(f"'{body_node.id}' must take one Int and return nothing",
                                 body_node.span,
                                 hint=f"declare it `{_vector_body(body_node.span, body_node.id)}`")
            self.check_raises(f, node.span)
        span = node.span

        def const(v):
            return T.Const(INT, v, span=span)

        def load(var):
            return T.Load(INT, var, span=span)

        def call(f, var, offset=0):
            at = T.Binary(INT, S.BinOp.ADD, load(var), const(offset), span=span) \
                if offset else load(var)
            return T.ExprStmt(T.Call(NONE, f, (at,), span=span), span=span)

        def multiple_below(step):       # vectorize.n - vectorize.n % step
            rem = T.Binary(INT, S.BinOp.MOD, load(total), const(step), span=span)
            return T.Binary(INT, S.BinOp.SUB, load(total), rem, span=span)

        total = T.Var("vectorize.n", INT, False, span)
        end = T.Var("vectorize.end", INT, False, span)
        i, j = T.Var("vectorize.i", INT, True, span), T.Var("vectorize.j", INT, True, span)
        out: list[T.Stmt] = [
            T.Declare(total, T.MathCall(INT, "max", (n, const(0)), span=span), span=span),
            T.Declare(end, multiple_below(w), span=span)]
        start = const(0)
        if unroll > 1:
            unrolled = T.Var("vectorize.unrolled", INT, False, span)
            k = T.Var("vectorize.k", INT, True, span)
            out += [T.Declare(unrolled, multiple_below(unroll * w), span=span),
                    T.ForRange(k, const(0), load(unrolled), const(unroll * w),
                               tuple(call(wide, k, u * w) for u in range(unroll)), span=span)]
            start = load(unrolled)
        return out + [
            T.ForRange(i, start, load(end), const(w), (call(wide, i),), span=span),
            T.ForRange(j, load(end), load(total), const(1), (call(one, j),), span=span),
        ]


# Mojo's DType queries (a float is signed; Bool is neither signed nor numeric).
_DTYPE_QUERIES = {
    "is_floating_point": lambda dt: dt.is_float,
    "is_integral": lambda dt: dt.is_int,
    "is_signed": lambda dt: dt.is_signed or dt.is_float,
    "is_unsigned": lambda dt: dt.is_int and not dt.is_signed,
    "is_numeric": lambda dt: dt is not DType.bool,
    "bitwidth": lambda dt: max(dt.bits, 8),
    "sizeof": lambda dt: max(dt.bits // 8, 1),
}


def _vector_body(span, name: str) -> str:
    """A vectorize body's header, spelt for the surface `span` is written in (a
    Python kernel takes the width as a parameter, see docs/python.md)."""
    if span.source.python:
        return f"def {name}(i: Int, width: Param[Int])"
    return f"fn {name}[width: Int](i: Int)"

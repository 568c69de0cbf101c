"""The reference mode's SIMD rules: vectors as tuples, every operation lane-wise.

In: typed SIMD nodes (see `typed`, section "SIMD vectors") handed over by
`reference._Interpreter`, which inherits `SimdInterpreter`. Out: Python
values: a vector of width > 1 is a tuple of lane values (each as a scalar of
its dtype is), a lane is a scalar. Every lane goes through the same
`semantics` function as a scalar, so the JIT agrees bit for bit, with one
documented exception: exp, exp2, expm1, log, log2, log10, log1p, tanh, sinh,
cosh, sin, cos on vectors are computed here by the C library per lane, while
the JIT uses `codegen.vecmath` (never one libm call per lane); the two agree
within `vecmath.ULP_BOUNDS` (a few ulp), which the tests assert.
Reductions fold left to right from lane 0, the order LLVM's ordered
`llvm.vector.reduce.fadd/fmul` use, so float sums agree exactly too.
"""
from __future__ import annotations

from . import memory, typed
from .errors import RuntimeFault
from .semantics import COMPARE, UNARY, Fault, binary, cast, math_call, pow_by_multiplies
from .syntax import BinOp
from .typesys import DType, SIMD

LANE_FAULT = "lane index {a} is out of range for a SIMD width of {b}"
VECTOR_BOUNDS_FAULT = ("a vector of {w} lanes at index {a} runs past the end of axis {axis} "
                       "with size {b}")


def _reduce_op(op: str, dt: DType):
    if op == "and":
        return lambda a, b: a and b
    if op == "or":
        return lambda a, b: a or b
    if op in ("min", "max"):
        return lambda a, b: math_call(op, [a, b], dt)
    bop = BinOp.ADD if op == "add" else BinOp.MUL
    return lambda a, b: binary(bop, a, b, dt)


def reduce_lanes(op: str, lanes, dt: DType):
    f = _reduce_op(op, dt)
    acc = lanes[0]
    for x in lanes[1:]:
        acc = f(acc, x)
    return acc


class SimdInterpreter:
    """Mixin of `reference._Interpreter` (uses its `eval`, `_fault`)."""

    # -- lane-wise forms of the scalar nodes (called when a value is a tuple)
    def simd_unary(self, node: typed.Unary, a):
        dt = node.operand.type.dtype
        return tuple(UNARY[node.op](x, dt) for x in a)

    def simd_binary(self, node: typed.Binary, a: tuple, b: tuple):
        dt = node.lhs.type.dtype
        rhs = node.rhs
        if node.op is BinOp.POW and dt.is_float and rhs.__class__ is typed.Splat and \
                rhs.value.__class__ is typed.Const and rhs.value.value in (2.0, 3.0):
            n = int(rhs.value.value)            # multiplies, as the JIT lowers them
            return tuple(pow_by_multiplies(x, n, dt) for x in a)
        try:
            return tuple(binary(node.op, x, y, dt) for x, y in zip(a, b))
        except Fault as fault:
            self._fault(fault, node)

    def simd_compare(self, node: typed.Compare, a: tuple, b: tuple):
        f = COMPARE[node.ops[0]]
        return tuple(bool(f(x, y)) for x, y in zip(a, b))

    def simd_cast(self, node: typed.Cast, a: tuple):
        src, dst = node.value.type.dtype, node.type.dtype
        return tuple(cast(x, src, dst) for x in a)

    def simd_math(self, node: typed.MathCall, args: list):
        dt = node.args[0].type.dtype
        try:
            width = node.args[0].type.width     # a scalar option (isclose's atol) in each lane
            columns = [a if a.__class__ is tuple else (a,) * width for a in args]
            return tuple(math_call(node.name, list(lane), dt) for lane in zip(*columns))
        except Fault as fault:
            self._fault(fault, node)

    # -- the SIMD nodes
    def visit_Splat(self, node: typed.Splat, env: dict):
        return (self.eval(node.value, env),) * node.type.width

    def visit_Lanes(self, node: typed.Lanes, env: dict):
        return tuple(self.eval(v, env) for v in node.values)

    def _lane(self, node, width: int, i: int) -> int:
        if not 0 <= i < width:
            raise RuntimeFault(LANE_FAULT.format(a=i, b=width), node.span)
        return i

    def visit_Extract(self, node: typed.Extract, env: dict):
        """A scalar (`SIMD[dt, 1]`, a plain value here) is its own lane 0."""
        v = self.eval(node.vector, env)
        k = self._lane(node, node.vector.type.width, self.eval(node.index, env))
        return v if node.vector.type.width == 1 else v[k]

    def visit_Insert(self, node: typed.Insert, env: dict):
        v = self.eval(node.vector, env)
        i = self.eval(node.index, env)
        x = self.eval(node.value, env)
        k = self._lane(node, node.type.width, i)
        return x if node.type.width == 1 else v[:k] + (x,) + v[k + 1:]

    def visit_Reduce(self, node: typed.Reduce, env: dict):
        v = self.eval(node.vector, env)
        return reduce_lanes(node.op, v, node.vector.type.dtype)

    def visit_Select(self, node: typed.Select, env: dict):
        c = self.eval(node.cond, env)
        a = self.eval(node.then, env)
        b = self.eval(node.orelse, env)
        return tuple(x if k else y for k, x, y in zip(c, a, b))

    def _vector_start(self, node, base, indices: list, w: int):
        """(storage, first flat index, flat stride between lanes), checked."""
        if base.__class__ is memory.RefTensor:
            try:
                k = base.address(indices)
            except Fault as fault:
                self._fault(fault, node)
            axis = len(base.shape) - 1
            j, n = indices[-1], base.shape[-1]
            if j + w > n:
                raise RuntimeFault(VECTOR_BOUNDS_FAULT.format(w=w, a=j, b=n, axis=axis),
                                   node.span)
            return base, k, base.strides[-1]
        return base, indices[0], 1

    def visit_VLoad(self, node: typed.VLoad, env: dict):
        base = self.eval(node.base, env)
        indices = [self.eval(i, env) for i in node.indices]
        t = node.type
        lane_t = SIMD(t.dtype, 1)
        base, k, step = self._vector_start(node, base, indices, t.width)
        try:
            if base.__class__ is memory.RefTensor:
                return tuple(memory._to_python(base.mem[k + step * n], lane_t)
                             for n in range(t.width))
            return tuple(base.get(k + n) for n in range(t.width))
        except Fault as fault:
            self._fault(fault, node)

    def visit_VStore(self, node: typed.VStore, env: dict):
        base = self.eval(node.base, env)
        indices = [self.eval(i, env) for i in node.indices]
        value = self.eval(node.value, env)
        base, k, step = self._vector_start(node, base, indices, len(value))
        try:
            if base.__class__ is memory.RefTensor:
                for n, x in enumerate(value):
                    base.mem[k + step * n] = x
            else:
                for n, x in enumerate(value):
                    base.set(k + n, x)
        except Fault as fault:
            self._fault(fault, node)

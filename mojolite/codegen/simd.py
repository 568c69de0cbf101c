"""Lowering of SIMD vectors: lane-wise operations, vector loads/stores, fast-math.

In: typed SIMD nodes and vector-typed `Binary`/`MathCall`/`Const` nodes,
handed over by `lower._FunctionLowering` (which inherits `SimdLowering`).
Out: IR on LLVM vector types (`SIMD[DType.float64, 8]` is `<8 x double>`).
Rules (the meaning is `reference_simd`, lane by lane `semantics`):
- add/sub/mul/div, bitwise ops, shifts, negation, comparisons, casts and
  `select` are single vector instructions (LLVM splits widths above the
  hardware's); `v ** 2` and `v ** 3` (a splat constant exponent) are
  multiplies; integer `//`, `%`, `**` and float `//`, `%`, `**` run the
  scalar rule on each lane (they fault per lane, like the reference);
- math: sqrt fma abs min max floor ceil trunc round as vector intrinsics;
  exp exp2 expm1 log log2 log10 log1p tanh sinh cosh sin cos through
  `vecmath.vector_math` (branch-free vector code, within `vecmath.ULP_BOUNDS`
  of the C library that the reference calls); the rest (tan, asin, acos,
  atan, atan2, pow) call the C library per lane;
- reductions are LLVM's `llvm.vector.reduce.*`; float add/mul are the
  ordered (sequential, lane 0 first) forms, as the reference folds them;
- `VLoad`/`VStore` are unaligned vector loads/stores (`align` = element
  size). On a Tensor the lanes run along the last axis: in checked mode the
  element at the indices is checked as for `Index`, then the last lane
  (`j + w <= dim`); a last axis whose stride is not 1 (a NumPy view) takes a
  lane-by-lane path;
- `apply_fastmath` sets `reassoc nsz arcp contract afn` on every float
  instruction of the user's functions (not `nnan`/`ninf`: isnan/isinf and the
  special values of vector math keep working). It lets LLVM reassociate
  sums (vectorising reductions) and contract a*b+c into fma.

    VLoad on a Tensor (checked):   elem address (rank, index checks)
                                   → j + w > dim ? fault.vbounds : vload.ok
                                   → stride == 1 ? vload.fast : vload.strided → vload.end
"""
from __future__ import annotations

from dataclasses import replace

from llvmlite import ir

from .. import typed
from ..reference_simd import VECTOR_BOUNDS_FAULT, LANE_FAULT
from ..syntax import BinOp
from ..typesys import SIMD, DType, Tensor
from . import memory
from .irtypes import I8, I32, I64, TENSOR_SHAPE, TENSOR_STRIDES, llvm_type, mem_type
from .vecmath import VECTOR_MATH, vector_math

NATIVE_INT = {BinOp.ADD, BinOp.SUB, BinOp.MUL, BinOp.AND, BinOp.OR, BinOp.XOR}
NATIVE_FLOAT = {BinOp.ADD, BinOp.SUB, BinOp.MUL, BinOp.DIV}
VECTOR_INTRINSICS = {"sqrt", "rsqrt", "floor", "ceil", "trunc", "round", "abs", "fma", "min",
                     "max", "clamp", "isnan", "isinf", "isfinite"}
FAST_FLAGS = ("reassoc", "nsz", "arcp", "contract", "afn")
FLOAT_OPCODES = {"fadd", "fsub", "fmul", "fdiv", "frem", "fneg"}


class SimdLowering:
    """Mixin of `lower._FunctionLowering` (uses its builder, `visit`, `fault_if`...)."""

    # -- shared
    def lanes_of(self, v, width: int) -> list:
        return [self.builder.extract_element(v, I32(k)) for k in range(width)]

    def vector_of(self, lanes: list, ty: ir.Type):
        v = ir.Constant(ty, ir.Undefined)
        for k, x in enumerate(lanes):
            v = self.builder.insert_element(v, x, I32(k))
        return v

    def splat(self, x, ty: ir.VectorType):
        if isinstance(x, ir.Constant):
            return ir.Constant(ty, x.constant)
        b = self.builder
        one = b.insert_element(ir.Constant(ty, ir.Undefined), x, I32(0))
        mask = ir.Constant(ir.VectorType(I32, ty.count), None)
        return b.shuffle_vector(one, ir.Constant(ty, ir.Undefined), mask, name="splat")

    def per_lane(self, e: typed.Expr, rule, *vectors):
        """`rule(fx, scalar node, *lanes)` on each lane, gathered into a vector."""
        width = e.type.width
        scalar = replace(e, type=SIMD(e.type.dtype, 1))
        columns = [self.lanes_of(v, width) for v in vectors]
        results = [rule(self, scalar, *row) for row in zip(*columns)]
        return self.vector_of(results, llvm_type(e.type))

    # -- hooks for the scalar nodes
    def simd_const(self, e: typed.Const):
        ty = llvm_type(e.type)
        dt = e.type.dtype
        lane = (lambda v: int(bool(v))) if dt is DType.bool else (
            float if dt.is_float else int)
        return ir.Constant(ty, [ir.Constant(ty.element, lane(v)) for v in e.value])

    def simd_binary(self, e: typed.Binary, a, b, rules):
        dt = e.type.dtype
        if dt is DType.bool or (dt.is_float and e.op in NATIVE_FLOAT) or \
                (dt.is_int and e.op in NATIVE_INT):
            return rules[e.op](self, e, a, b)
        if e.op in (BinOp.SHL, BinOp.SHR):
            return self.vector_shift(e, a, b)
        n = splat_exponent(e.rhs) if e.op is BinOp.POW else None
        if n is not None:        # `v ** 2`, `v ** 3.0`: multiplies, as for scalars
            mul = self.builder.fmul if dt.is_float else self.builder.mul
            sq = mul(a, a)
            return mul(sq, a) if n == 3 else sq
        return self.per_lane(e, rules[e.op], a, b)

    def vector_shift(self, e: typed.Binary, a, b):
        """As lower._shl/_shr, with splat constants: count outside [0, bits) → 0
        (or -1 for `>>` of a negative signed lane)."""
        bld, ty = self.builder, a.type
        bits = ty.element.width
        in_range = bld.icmp_unsigned("<", b, ir.Constant(ty, bits))
        if e.op is BinOp.SHL:
            return bld.select(in_range, bld.shl(a, bld.and_(b, ir.Constant(ty, bits - 1))),
                              ir.Constant(ty, 0))
        if e.type.dtype.is_signed:
            return bld.ashr(a, bld.select(in_range, b, ir.Constant(ty, bits - 1)))
        return bld.select(in_range, bld.lshr(a, bld.and_(b, ir.Constant(ty, bits - 1))),
                          ir.Constant(ty, 0))

    def simd_math(self, e: typed.MathCall, args, rules):
        dt = e.args[0].type.dtype
        if dt.is_float and e.name in VECTOR_MATH:
            fn = vector_math(self.ml.module, e.name, args[0].type)
            return self.builder.call(fn, list(args))
        if dt.is_float and e.name in VECTOR_INTRINSICS or \
                not dt.is_float and e.name not in ("pow", "ceildiv"):   # these lane by lane
            return rules[e.name](self, e, *args)
        rule = rules[e.name]
        width = e.type.width
        scalar_args = [replace(a, type=SIMD(a.type.dtype, 1)) for a in e.args]
        scalar = replace(e, type=SIMD(e.type.dtype, 1), args=tuple(scalar_args))
        columns = [self.lanes_of(v, width) if isinstance(v.type, ir.VectorType) else [v] * width
                   for v in args]              # a scalar option (isclose's atol) in each lane
        results = [rule(self, scalar, *row) for row in zip(*columns)]
        return self.vector_of(results, llvm_type(e.type))

    def print_vector(self, value, t: SIMD):
        self.print_str("[")
        for k, lane in enumerate(self.lanes_of(value, t.width)):
            if k:
                self.print_str(", ")
            self.print_value(lane, SIMD(t.dtype, 1))
        self.print_str("]")

    # -- the SIMD nodes
    def visit_Splat(self, e: typed.Splat):
        return self.splat(self.visit(e.value), llvm_type(e.type))

    def visit_Lanes(self, e: typed.Lanes):
        return self.vector_of([self.visit(v) for v in e.values], llvm_type(e.type))

    def lane_index(self, e, index, width: int):
        """The lane number as i32; checked mode faults outside [0, width)."""
        b = self.builder
        if self.ml.checks:
            self.fault_if(b.icmp_unsigned(">=", index, I64(width)), e.span, LANE_FAULT,
                          "lane", a=index, b=I64(width))
        return b.trunc(b.and_(index, I64(width - 1)), I32)

    def visit_Extract(self, e: typed.Extract):
        """A scalar (`SIMD[dt, 1]`, not an LLVM vector) is its own lane 0."""
        v = self.visit(e.vector)
        lane = self.lane_index(e, self.visit(e.index), e.vector.type.width)
        return v if e.vector.type.width == 1 else self.builder.extract_element(v, lane)

    def visit_Insert(self, e: typed.Insert):
        v = self.visit(e.vector)
        i = self.visit(e.index)
        x = self.visit(e.value)
        lane = self.lane_index(e, i, e.type.width)
        return x if e.type.width == 1 else self.builder.insert_element(v, x, lane)

    def visit_Reduce(self, e: typed.Reduce):
        v = self.visit(e.vector)
        dt = e.vector.type.dtype
        ty, elem = v.type, v.type.element
        if dt.is_float and e.op in ("add", "mul"):
            start = ir.Constant(elem, -0.0 if e.op == "add" else 1.0)
            fn = self.ml.intrinsic(f"llvm.vector.reduce.f{e.op}", elem, [elem, ty], [ty])
            return self.builder.call(fn, [start, v])
        if dt.is_float:
            name = {"min": "fminimum", "max": "fmaximum"}[e.op]
        elif e.op in ("min", "max"):
            name = ("s" if dt.is_signed else "u") + e.op
        else:
            name = e.op
        fn = self.ml.intrinsic(f"llvm.vector.reduce.{name}", elem, [ty], [ty])
        return self.builder.call(fn, [v])

    def visit_Select(self, e: typed.Select):
        c, a, b = self.visit(e.cond), self.visit(e.then), self.visit(e.orelse)
        return self.builder.select(c, a, b)

    # -- loads and stores
    def vector_address(self, node, base_t, base, indices, width: int):
        """(address of the first lane, stride of the last axis or None)."""
        b = self.builder
        address = memory.element_address(self, node, base_t, base, indices)
        if not isinstance(base_t, Tensor):
            return address, None
        axis = len(indices) - 1
        if self.ml.checks:
            size = b.extract_value(base, [TENSOR_SHAPE, axis], f"dim{axis}")
            last = b.add(indices[-1], I64(width))
            message = VECTOR_BOUNDS_FAULT.replace("{w}", str(width)).replace(
                "{axis}", str(axis))
            self.fault_if(b.icmp_unsigned(">", last, size), node.span, message, "vbounds",
                          a=indices[-1], b=size)
        stride = b.extract_value(base, [TENSOR_STRIDES, axis], f"stride{axis}")
        return address, stride

    def visit_VLoad(self, e: typed.VLoad):
        base = self.borrowed(e.base)
        indices = [self.visit(i) for i in e.indices]
        t, width = e.type, e.type.width
        lane_t = SIMD(t.dtype, 1)
        elem_ty = mem_type(lane_t)
        vec_mem = ir.VectorType(elem_ty, width)
        address, stride = self.vector_address(e, e.base.type, base, indices, width)
        align = max(1, elem_ty.width // 8) if isinstance(elem_ty, ir.IntType) else \
            (4 if elem_ty == ir.FloatType() else 8)
        b = self.builder
        if stride is None:
            v = b.load(address, typ=vec_mem, align=align)
        else:
            fast, slow, end = (self.new_block(n) for n in ("vload.fast", "vload.strided",
                                                           "vload.end"))
            b.cbranch(b.icmp_unsigned("==", stride, I64(1)), fast, slow)
            b.position_at_end(fast)
            v_fast = b.load(address, typ=vec_mem, align=align)
            b.branch(end)
            b.position_at_end(slow)
            lanes = [b.load(b.gep(address, [b.mul(stride, I64(k))], source_etype=elem_ty),
                            typ=elem_ty) for k in range(width)]
            v_slow = self.vector_of(lanes, vec_mem)
            slow_end = b.block
            b.branch(end)
            b.position_at_end(end)
            v = b.phi(vec_mem, "vload")
            v.add_incoming(v_fast, fast)
            v.add_incoming(v_slow, slow_end)
        if elem_ty != llvm_type(lane_t):        # Bool: bytes in memory, True when not 0
            v = b.icmp_unsigned("!=", v, vec_mem(None))
        return v

    def visit_VStore(self, s: typed.VStore):
        base = self.borrowed(s.base)
        indices = [self.visit(i) for i in s.indices]
        value = self.visit(s.value)
        t, width = s.value.type, s.value.type.width
        lane_t = SIMD(t.dtype, 1)
        elem_ty = mem_type(lane_t)
        b = self.builder
        if elem_ty != llvm_type(lane_t):
            value = b.zext(value, ir.VectorType(I8, width))
        address, stride = self.vector_address(s, s.base.type, base, indices, width)
        align = max(1, elem_ty.width // 8) if isinstance(elem_ty, ir.IntType) else \
            (4 if elem_ty == ir.FloatType() else 8)
        if stride is None:
            b.store(value, address, align=align)
            return
        fast, slow, end = (self.new_block(n) for n in ("vstore.fast", "vstore.strided",
                                                       "vstore.end"))
        b.cbranch(b.icmp_unsigned("==", stride, I64(1)), fast, slow)
        b.position_at_end(fast)
        b.store(value, address, align=align)
        b.branch(end)
        b.position_at_end(slow)
        for k, lane in enumerate(self.lanes_of(value, width)):
            b.store(lane, b.gep(address, [b.mul(stride, I64(k))], source_etype=elem_ty))
        b.branch(end)
        b.position_at_end(end)


def splat_exponent(rhs: typed.Expr) -> int | None:
    """2 or 3 when `rhs` splats that constant (see semantics.pow_by_multiplies)."""
    if isinstance(rhs, typed.Splat) and isinstance(rhs.value, typed.Const) and \
            not isinstance(rhs.value.value, bool) and rhs.value.value in (2, 3):
        return int(rhs.value.value)
    return None


def apply_fastmath(module: ir.Module):
    """Fast-math flags on the float instructions and float-valued calls of the
    user's functions (`ml.*`; the vector-math helpers keep strict semantics)."""
    for fn in module.functions:
        if not fn.name.startswith("ml.") or fn.is_declaration:
            continue
        for block in fn.blocks:
            for instr in block.instructions:
                if isinstance(instr, ir.CallInstr):
                    if _is_float(instr.type):
                        for f in FAST_FLAGS:
                            instr.fastmath.add(f)
                elif instr.opname in FLOAT_OPCODES or isinstance(instr, ir.FCMPInstr):
                    for f in FAST_FLAGS:
                        if f not in instr.flags:
                            instr.flags.append(f)


def _is_float(ty: ir.Type) -> bool:
    if isinstance(ty, ir.VectorType):
        ty = ty.element
    return isinstance(ty, (ir.FloatType, ir.DoubleType))


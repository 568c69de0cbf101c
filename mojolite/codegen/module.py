"""What every function of one LLVM module shares while it is lowered.

In: the typed functions `lower_module` lowers, one by one. Out: `ModuleLowering`,
the module's state: each function's declaration (and a lazily linked callee's
slot and stub), the runtime functions, intrinsics and C library functions the
code calls, string constants, the fault sites (a site id indexes
`Lowered.sites`), the shared helpers (`mojolite.fault`, integer `**`, float
`//` and `%`), the debug information the dumps need, and the exported entry
wrapper `__entry_<symbol>` of each function Python calls (its slots are the
ABI that `lower.py`'s docstring describes).
"""
from __future__ import annotations

import os

from llvmlite import ir

from .. import typed
from ..errors import InternalError
from ..source import Source, Span
from ..typesys import SIMD, DType, Pointer, Type, is_tuple, owns_memory, ret_is_none
from .irtypes import (CODE_FAULT, CTX_FIELDS, F32, F64, I1, I8, I32, I64, PTR, is_aggregate,
                      llvm_type, mangle, result_type)

ENTRY_PREFIX = "__entry_"

# ctx field indices: struct { i32 code; i32 site; i64 a; i64 b; }
CTX_CODE, CTX_SITE, CTX_A, CTX_B = range(4)

# External functions the generated code calls; `runtime.py` provides them.
_VOID = ir.VoidType()
RUNTIME_FUNCTIONS = {
    "mojolite_print_i64": ir.FunctionType(_VOID, [I64]),
    "mojolite_print_u64": ir.FunctionType(_VOID, [I64]),
    "mojolite_print_f64": ir.FunctionType(_VOID, [F64]),
    "mojolite_print_f32": ir.FunctionType(_VOID, [F32]),
    "mojolite_print_bool": ir.FunctionType(_VOID, [I32]),
    "mojolite_print_str": ir.FunctionType(_VOID, [PTR, I64]),
    "mojolite_print_repr": ir.FunctionType(_VOID, [PTR, I64]),  # a String in a printed List
    "mojolite_print_done": ir.FunctionType(I32, []),    # one print's text goes out whole;
    #                                     1: Python raised meanwhile (errors.CALLBACK_RAISED)
    "mojolite_str_begin": ir.FunctionType(_VOID, []),    # String(x): prints go to a capture
    "mojolite_str_end": ir.FunctionType(I64, []),        # ... its length in bytes (-1: raised)
    "mojolite_str_take": ir.FunctionType(_VOID, [PTR]),  # ... copied to where it will live
    "mojolite_lazy_link": ir.FunctionType(PTR, [PTR]),  # a lazy slot's first call: lazylink
}


def _function_type(fn: typed.Function) -> ir.FunctionType:
    """ctx, then each parameter (a pointer for `mut`), then a pointer to each
    variable a nested function captures; returns {T, i1} or i1 (see the ABI)."""
    params = [PTR if p.by_ref else llvm_type(p.type) for p in fn.params]
    params += [PTR] * len(fn.captures)
    return ir.FunctionType(result_type(fn.ret), [PTR, *params])


def _slot_type(t: Type) -> ir.Type:
    """How a value travels in an 8-byte entry slot: a double for floats, the
    address for pointers, for Tensor/List/String values and for SIMD lanes,
    else an int64."""
    if isinstance(t, Pointer) or is_aggregate(t) or _is_vector(t):
        return PTR
    return F64 if scalar_dtype(t).is_float else I64


def _is_vector(t: Type) -> bool:
    return isinstance(t, SIMD) and t.width > 1


def _lanes_type(t: SIMD) -> ir.Type:
    """A vector as its lanes lie in an entry buffer (Bool lanes are bytes)."""
    return ir.VectorType(I8, t.width) if t.dtype is DType.bool else llvm_type(t)


def scalar_dtype(t: Type) -> DType:
    if not isinstance(t, SIMD):
        raise InternalError(f"codegen: expected a scalar type, got {t}")
    return t.dtype


# ------------------------------------------------------------------ debug info
def file_name(span: Span | None) -> str | None:
    return span.source.name if span is not None and span.source is not None else None


class _DebugInfo:
    """One DIFile/DICompileUnit per module; a DISubprogram per function; DILocations."""

    def __init__(self, module: ir.Module, filename: str):
        self.module = module
        directory, base = os.path.split(filename)
        self.file = module.add_debug_info("DIFile", {"filename": base or filename,
                                                     "directory": directory or "."})
        self.unit = module.add_debug_info("DICompileUnit", {
            "language": ir.DIToken("DW_LANG_C"),
            "file": self.file,
            "producer": "mojolite",
            "isOptimized": True,
            "runtimeVersion": 0,
            "emissionKind": ir.DIToken("LineTablesOnly"),
        }, is_distinct=True)
        module.add_named_metadata("llvm.dbg.cu", self.unit)
        self.files = {filename: self.file}     # a unit of kernels spans several files
        self.locations: dict[tuple[int, int, int], object] = {}   # see `location`
        module.add_named_metadata("llvm.module.flags", [I32(7), "Dwarf Version", I32(5)])
        module.add_named_metadata("llvm.module.flags", [I32(2), "Debug Info Version", I32(3)])
        self.fn_type = module.add_debug_info("DISubroutineType",
                                             {"types": module.add_metadata([])})

    def file_of(self, filename: str | None):
        """The DIFile of `filename` (the unit's own file when None)."""
        if filename is None:
            return self.file
        f = self.files.get(filename)
        if f is None:
            directory, base = os.path.split(filename)
            f = self.files[filename] = self.module.add_debug_info(
                "DIFile", {"filename": base or filename, "directory": directory or "."})
        return f

    def subprogram(self, llfn: ir.Function, name: str, linkage_name: str, line: int,
                   local: bool, filename: str | None = None):
        """The DISubprogram of `llfn`, attached to it: the scope of its locations."""
        flags = "DISPFlagDefinition" + (" | DISPFlagLocalToUnit" if local else "")
        file = self.file_of(filename)
        scope = self.module.add_debug_info("DISubprogram", {
            "name": name, "linkageName": linkage_name, "scope": file, "file": file,
            "line": line, "scopeLine": line, "type": self.fn_type,
            "spFlags": ir.DIToken(flags), "unit": self.unit,
        }, is_distinct=True)
        llfn.set_metadata("dbg", scope)
        return scope

    def location(self, span: Span, scope):
        """The DILocation of `span` in `scope`: one node per place, made
        directly (`add_debug_info` would hash its operands on every call)."""
        key = (span.start, id(span.source), id(scope))
        loc = self.locations.get(key)
        if loc is None:
            line, column = span.source.line_col(span.start)
            loc = self.locations[key] = ir.DIValue(
                self.module, False, "DILocation",
                (("column", column), ("line", line + span.source.line_offset), ("scope", scope)),
                name=str(len(self.module.metadata)))
        return loc


class _NoDebugInfo:
    """No debug information: what code compiled to run gets (the IR and assembly
    dumps, which show source lines, lower with `_DebugInfo`). Printing the
    locations and parsing them back is about a quarter of lowering's and IR
    printing's time, and LLVM would carry them through every pass."""

    def subprogram(self, *args, **kwargs):
        return None

    def location(self, span: Span, scope):
        return None


# ------------------------------------------------------------------ module state
class ModuleLowering:
    """Module-wide state: declarations, sites, strings, helpers, debug info."""

    def __init__(self, name: str, source: Source | None, debug_info: bool = True):
        self.module = ir.Module(name=name, context=ir.Context())
        self.ctx_type = self.module.context.get_identified_type("mojolite.ctx")
        self.ctx_type.set_body(*CTX_FIELDS)
        self.debug = (_DebugInfo(self.module, source.name if source else name) if debug_info
                      else _NoDebugInfo())
        self.sites: list[tuple[Span, str]] = []
        self.templates: set[int] = set()
        self.raised: set[int] = set()
        self.checks = True
        self.functions: dict[str, ir.Function] = {}
        self._strings: dict[str, ir.GlobalVariable] = {}
        self.site_base = 0
        self.deferred: dict[str, typed.Function] = {}    # called through lazy slots
        self.lazy_slots: dict[str, str] = {}             # slot symbol → callee symbol
        self.type_helpers: dict[tuple[str, Type], ir.Function] = {}   # codegen/memory.py

    # -- declarations
    def declare(self, fn: typed.Function) -> ir.Function:
        """The internal function of `fn` (its type: `_function_type`)."""
        llfn = ir.Function(self.module, _function_type(fn), fn.symbol)
        llfn.linkage = "internal"
        llfn.attributes.add("nounwind")
        if fn.inline:
            llfn.attributes.add("alwaysinline")
        llfn.args[0].name = "ctx"
        for arg, p in zip(llfn.args[1:], [*fn.params, *fn.captures]):
            arg.name = p.name
        self.functions[fn.symbol] = llfn
        return llfn

    def lazy_callee(self, builder: ir.IRBuilder, fn: typed.Function):
        """The address of `fn`, called through its lazily linked slot (made on
        first use: the slot starts out holding the stub below)."""
        fnty = _function_type(fn)
        name = "lazy." + fn.symbol
        slot = self.module.globals.get(name)
        if slot is None:
            if fn.symbol not in self.deferred:
                raise InternalError(f"codegen: call of unknown function {fn.symbol}")
            slot = ir.GlobalVariable(self.module, PTR, name)
            slot.initializer = self._lazy_stub(fn, fnty, slot)
            self.lazy_slots[name] = fn.symbol
        return builder.load_atomic(slot, "unordered", 8, typ=ir.PointerType(fnty))

    def _lazy_stub(self, fn: typed.Function, fnty: ir.FunctionType, slot) -> ir.Function:
        """What a slot holds until its first call:

            entry: target = mojolite_lazy_link(slot)   ; compiles fn, fills the slot
                   → call: return fn(ctx, args...)     ; through the filled slot
                   → fail: (target null) a fault at fn's definition
        """
        stub = ir.Function(self.module, fnty, "lazy.stub." + fn.symbol)
        stub.linkage = "internal"
        stub.attributes.add("noinline")
        stub.attributes.add("nounwind")
        link = self.runtime("mojolite_lazy_link")
        entry, call, fail = (stub.append_basic_block(n) for n in ("entry", "call", "fail"))
        b = ir.IRBuilder(entry)
        target = b.call(link, [slot], name="target")
        b.cbranch(b.icmp_unsigned("!=", target, ir.Constant(PTR, None)), call, fail)
        b.position_at_end(call)
        callee = b.load_atomic(slot, "unordered", 8, typ=ir.PointerType(fnty))
        b.ret(b.call(callee, list(stub.args)))
        b.position_at_end(fail)
        site = self.add_site(fn.span, f"internal error: compiling '{fn.name}' on its first "
                             "call failed (see the warning above)")
        ctx = stub.args[0]
        for field, value in ((CTX_SITE, site), (CTX_CODE, CODE_FAULT)):
            b.store(I32(value), b.gep(ctx, [I32(0), I32(field)], inbounds=True,
                                      source_etype=self.ctx_type))
        failed = ir.Constant(fnty.return_type, None)
        b.ret(I1(1) if fnty.return_type == I1 else b.insert_value(failed, I1(1), 1))
        return stub

    def _get_or_declare(self, name: str, fnty: ir.FunctionType, attrs=()) -> ir.Function:
        existing = self.module.globals.get(name)
        if existing is not None:
            return existing
        fn = ir.Function(self.module, fnty, name)
        for a in attrs:
            fn.attributes.add(a)
        return fn

    def intrinsic(self, base: str, ret: ir.Type, args: list[ir.Type],
                  overloads: list[ir.Type]) -> ir.Function:
        name = ".".join([base, *map(mangle, overloads)])
        return self._get_or_declare(name, ir.FunctionType(ret, args))

    def libm(self, name: str, ty: ir.Type, arity: int) -> ir.Function:
        """`name` (or `namef` for float) from the C library; see the module docstring
        for why `nobuiltin`. `readnone`: the only memory they touch is errno,
        which no mojolite program can read."""
        cname = name + ("f" if ty == F32 else "")
        return self._get_or_declare(cname, ir.FunctionType(ty, [ty] * arity),
                                    ("nobuiltin", "readnone", "nounwind"))

    def runtime(self, name: str) -> ir.Function:
        return self._get_or_declare(name, RUNTIME_FUNCTIONS[name], ("nounwind",))

    def string(self, text: str) -> tuple[ir.GlobalVariable, int]:
        """A private constant holding `text` as UTF-8; returns it and its byte length."""
        data = text.encode("utf-8")
        gv = self._strings.get(text)
        if gv is None:
            ty = ir.ArrayType(I8, len(data))
            gv = ir.GlobalVariable(self.module, ty, name=f".str.{len(self._strings)}")
            gv.linkage = "private"
            gv.global_constant = True
            gv.unnamed_addr = True
            gv.initializer = ir.Constant(ty, bytearray(data))
            self._strings[text] = gv
        return gv, len(data)

    def add_site(self, span: Span, message: str, template: bool = False,
                 raised: bool = False) -> int:
        """The id of a new fault site (`Lowered.sites`, counted from `site_base`)."""
        local = len(self.sites)
        self.sites.append((span, message))
        if template:
            self.templates.add(local)
        if raised:
            self.raised.add(local)
        return self.site_base + local

    def fault_helper(self) -> ir.Function:
        """`mojolite.fault(ctx, site, a, b)`: ctx = {CODE_FAULT, site, a, b}. One cold
        call per fault branch instead of four stores in each."""
        name = "mojolite.fault"
        if name in self.module.globals:
            return self.module.globals[name]
        fn = ir.Function(self.module, ir.FunctionType(ir.VoidType(), [PTR, I32, I64, I64]),
                         name)
        fn.linkage = "private"
        for attr in ("noinline", "cold", "nounwind"):
            fn.attributes.add(attr)
        ctx, site, a, b = fn.args
        ctx.name, site.name, a.name, b.name = "ctx", "site", "a", "b"
        builder = ir.IRBuilder(fn.append_basic_block("entry"))
        fields = ((a, CTX_A), (b, CTX_B), (site, CTX_SITE), (I32(CODE_FAULT), CTX_CODE))
        for value, field in fields:
            builder.store(value, builder.gep(ctx, [I32(0), I32(field)], inbounds=True,
                                             source_etype=self.ctx_type))
        builder.ret_void()
        return fn

    # -- helpers emitted once per type
    def ipow_helper(self, ty: ir.IntType) -> ir.Function:
        """Wrapping `base ** exp` by square-and-multiply, `exp` read as unsigned.

            entry → pow.cond ⇄ pow.body;  pow.cond → pow.end (exp == 0)
        """
        name = f"mojolite.ipow.{mangle(ty)}"
        if name in self.module.globals:
            return self.module.globals[name]
        fn = ir.Function(self.module, ir.FunctionType(ty, [ty, ty]), name)
        fn.linkage = "internal"
        fn.attributes.add("nounwind")
        base, exp = fn.args
        base.name, exp.name = "base", "exp"
        entry, cond, body, end = (fn.append_basic_block(n)
                                  for n in ("entry", "pow.cond", "pow.body", "pow.end"))
        b = ir.IRBuilder(entry)
        b.branch(cond)
        b.position_at_end(cond)
        acc = b.phi(ty, "acc")
        sq = b.phi(ty, "sq")
        e = b.phi(ty, "e")
        b.cbranch(b.icmp_unsigned("==", e, ty(0)), end, body)
        b.position_at_end(body)
        odd = b.trunc(e, I1, "odd")
        acc_next = b.select(odd, b.mul(acc, sq), acc, "acc.next")
        sq_next = b.mul(sq, sq, "sq.next")
        e_next = b.lshr(e, ty(1), "e.next")
        b.branch(cond)
        acc.add_incoming(ty(1), entry)
        acc.add_incoming(acc_next, body)
        sq.add_incoming(base, entry)
        sq.add_incoming(sq_next, body)
        e.add_incoming(exp, entry)
        e.add_incoming(e_next, body)
        b.position_at_end(end)
        b.ret(acc)
        return fn

    def fdivmod_helper(self, ty: ir.Type) -> ir.Function:
        """`semantics.float_divmod` step by step in `ty`; returns {floordiv, mod}.

            entry → byzero: {a / b, nan}
                  → divmod: mod = fmod(a, b); div = (a - mod) / b
                            if mod != 0: if (b < 0) != (mod < 0): mod += b; div -= 1
                            else:        mod = copysign(0, b)
                            if div != 0: fl = floor(div); if div - fl > 0.5: fl += 1
                            else:        fl = copysign(0, sign(a) * sign(b))
        Example: divmod(-7.5, 2.0): mod 0.5, div -4.0 → (-4.0, 0.5).
        """
        name = f"mojolite.fdivmod.{mangle(ty)}"
        if name in self.module.globals:
            return self.module.globals[name]
        pair = ir.LiteralStructType([ty, ty])
        fn = ir.Function(self.module, ir.FunctionType(pair, [ty, ty]), name)
        fn.linkage = "internal"
        fn.attributes.add("alwaysinline")
        fn.attributes.add("nounwind")
        a, b_ = fn.args
        a.name, b_.name = "a", "b"
        entry, byzero, body = (fn.append_basic_block(n) for n in ("entry", "byzero", "divmod"))
        b = ir.IRBuilder(entry)
        zero, one, half = ty(0.0), ty(1.0), ty(0.5)
        b.cbranch(b.fcmp_ordered("==", b_, zero), byzero, body)

        b.position_at_end(byzero)
        res = b.insert_value(ir.Constant(pair, ir.Undefined), b.fdiv(a, b_), 0)
        b.ret(b.insert_value(res, ty(float("nan")), 1))

        b.position_at_end(body)
        copysign = self.intrinsic("llvm.copysign", ty, [ty, ty], [ty])
        floor = self.intrinsic("llvm.floor", ty, [ty], [ty])
        mod = b.frem(a, b_, "mod")
        div = b.fdiv(b.fsub(a, mod), b_, "div")
        mod_nz = b.fcmp_unordered("!=", mod, zero, "mod.nz")
        signs_differ = b.xor(b.fcmp_ordered("<", b_, zero), b.fcmp_ordered("<", mod, zero))
        fix = b.and_(mod_nz, signs_differ, "fix")
        mod = b.select(fix, b.fadd(mod, b_), mod)
        div = b.select(fix, b.fsub(div, one), div, "div")
        mod = b.select(mod_nz, mod, b.call(copysign, [zero, b_]), "mod")
        floored = b.call(floor, [div])
        round_up = b.fcmp_ordered(">", b.fsub(div, floored), half)
        floored = b.select(round_up, b.fadd(floored, one), floored)
        sign = b.fmul(b.call(copysign, [one, a]), b.call(copysign, [one, b_]))
        signed_zero = b.call(copysign, [zero, sign])
        floordiv = b.select(b.fcmp_unordered("!=", div, zero), floored, signed_zero, "floordiv")
        res = b.insert_value(ir.Constant(pair, ir.Undefined), floordiv, 0)
        b.ret(b.insert_value(res, mod, 1))
        return fn

    # -- entry wrapper
    def emit_entry(self, fn: typed.Function) -> ir.Function:
        """`i32 __entry_<symbol>(ptr ctx, ptr args, ptr ret)`: unpack 8-byte slots,
        call, pack the result.

            entry → fail: ret 1
                  → ok:   store result; ret 0
        """
        callee = self.functions[fn.symbol]
        wrapper = ir.Function(self.module, ir.FunctionType(I32, [PTR, PTR, PTR]),
                              ENTRY_PREFIX + fn.symbol)
        ctx, args, ret = wrapper.args
        ctx.name, args.name, ret.name = "ctx", "args", "ret"
        scope = self.debug.subprogram(wrapper, wrapper.name, wrapper.name, fn.span.line,
                                      local=False, filename=file_name(fn.span))
        b = ir.IRBuilder(wrapper.append_basic_block("entry"))
        b.debug_metadata = self.debug.location(fn.span, scope)
        # The stack guard's limit is the running thread's (stackguard.py): a ctx
        # reused from an earlier call (the Python caller pools them, across
        # threads) must not carry another thread's limit in.
        b.store(I64(0), b.gep(ctx, [I32(0), I32(CTX_B)], inbounds=True,
                              source_etype=self.ctx_type))
        values, by_ref = [], []
        for i, p in enumerate(fn.params):
            slot = b.gep(args, [I64(i)], inbounds=True, source_etype=_slot_type(p.type))
            if p.by_ref and is_aggregate(p.type):     # the caller's struct is the variable
                values.append(b.load(slot, p.name, typ=PTR))
                continue
            v = self._from_slot(b, slot, p.type)
            v.name = p.name
            if p.mutable and not p.by_ref and owns_memory(p.type):
                v = self._handed_over(b, ctx, v, p.type)     # Python keeps its own
            if p.by_ref:
                cell = b.alloca(v.type, name=p.name + ".cell")
                b.store(v, cell)
                by_ref.append((slot, cell, p.type))
                v = cell
            values.append(v)
        res = b.call(callee, [ctx, *values])
        none = ret_is_none(fn.ret)
        flag = res if none else b.extract_value(res, 1, "failed")
        ok, fail = wrapper.append_basic_block("ok"), wrapper.append_basic_block("fail")
        b.cbranch(flag, fail, ok)
        b.position_at_end(fail)
        b.ret(I32(1))
        b.position_at_end(ok)
        for slot, cell, t in by_ref:        # a `mut` parameter's final value
            if _is_vector(t):               # back into its lanes
                slot = b.load(slot, typ=PTR)
            self._to_slot(b, b.load(cell, typ=llvm_type(t)), slot, t)
        if is_tuple(fn.ret):                # element k at its place in the result area
            from ..pycall import tuple_layout
            value = b.extract_value(res, 0, "result")
            for k, ((_, t), at) in enumerate(zip(fn.ret.fields, tuple_layout(fn.ret))):
                slot = b.gep(ret, [I64(at)], inbounds=True, source_etype=I8)
                self._to_slot(b, b.extract_value(value, k), slot, t)
        elif not none:
            self._to_slot(b, b.extract_value(res, 0, "result"), ret, fn.ret)
        b.ret(I32(0))
        return wrapper

    def _handed_over(self, b: ir.IRBuilder, ctx, value, t: Type):
        """A copy of `value` for an `owned` parameter, which the callee releases
        (Python's caller releases what it passed in). A type whose copy runs a
        user's method never comes from Python."""
        from . import memory

        class Emitter:          # what `memory.retain` asks of a function's lowering
            ml = self

            @staticmethod
            def check_call(flag):
                raise InternalError("codegen: a user's __copyinit__ in an entry wrapper")
        return memory.retain(Emitter, value, t, b, ctx)

    @staticmethod
    def _from_slot(b: ir.IRBuilder, slot, t: Type):
        """Read an 8-byte slot: int64 (truncated), double (fptrunc for Float32), a
        pointer, or the address of a Tensor/List/String (loaded)."""
        ty = llvm_type(t)
        v = b.load(slot, typ=_slot_type(t))
        if is_aggregate(t):
            return b.load(v, typ=ty)
        if _is_vector(t):
            lanes = b.load(v, typ=_lanes_type(t), align=1)
            return b.trunc(lanes, ty) if lanes.type != ty else lanes
        if ty == F32:
            return b.fptrunc(v, F32)
        if isinstance(ty, ir.IntType) and ty.width < 64:
            return b.trunc(v, ty)
        return v

    @staticmethod
    def _to_slot(b: ir.IRBuilder, v, slot, t: Type):
        """Write an 8-byte slot: ints extended by signedness, Bool 0/1, Float32 as
        double, a pointer; a Tensor/List/String result, and a SIMD vector's lanes,
        are written whole (the caller's buffer is large enough)."""
        if isinstance(t, Pointer) or is_aggregate(t):
            b.store(v, slot)
            return
        if _is_vector(t):
            if v.type != _lanes_type(t):
                v = b.zext(v, _lanes_type(t))
            b.store(v, slot, align=1)
            return
        dt = scalar_dtype(t)
        if v.type == F32:
            v = b.fpext(v, F64)
        elif isinstance(v.type, ir.IntType) and v.type.width < 64:
            v = (b.sext if dt.is_signed else b.zext)(v, I64)
        b.store(v, slot)

"""LLVM initialisation, verification, optimisation and machine code (MCJIT).

In: a `Lowered` module from `codegen.lower`. Out: a `JitModule` that keeps the
execution engine alive and hands out Python callables for each function's
`__entry_<symbol>` wrapper (see the ABI in `codegen/lower.py`). Invariants: the
IR is verified before any optimisation (a failure is an `InternalError`: the
lowering, not the user, is wrong); only the new pass builder is used; `timings`
holds milliseconds per step.

The Python-facing callers (`JitModule.caller`) are built by `pycall`. llvmlite
is imported where LLVM is used, not by this module: a `JitModule` over code
that `objload` mapped from the disk cache never loads LLVM.
"""
from __future__ import annotations

import ctypes
import struct
import threading
import time
from typing import TYPE_CHECKING

from .codegen import runtime
from .errors import InternalError, RuntimeFault
from .typesys import SIMD, DType, Type, ret_is_none

if TYPE_CHECKING:       # a module loaded from the disk cache never imports the lowering
    import llvmlite.binding as llvm

    from .codegen.lower import Lowered

_initialised = False
_initialising = threading.Lock()     # the pool may be compiled on a thread of its own


def _initialise() -> None:
    global _initialised
    if _initialised:
        return
    with _initialising:
        if _initialised:
            return
        import llvmlite.binding as llvm
        llvm.initialize_native_target()
        llvm.initialize_native_asmprinter()
        # Otherwise the IR parser itself verifies any module that carries debug
        # info and *aborts the process* on a failure; we verify right after
        # parsing and report an InternalError instead.
        llvm.set_option("mojolite", "-disable-auto-upgrade-debug-info")
        runtime.register()
        _initialised = True


class FaultSite(int):
    """A fault's site id (it indexes `JitModule.sites`) carrying the ctx's `a`
    and `b`, the values some fault messages quote."""

    def __new__(cls, site: int, a: int = 0, b: int = 0):
        self = super().__new__(cls, site)
        self.a, self.b = a, b
        return self


class Ctx(ctypes.Structure):
    """struct { int32 code; int32 site; int64 a; int64 b; } — the failure record."""
    _fields_ = [("code", ctypes.c_int32), ("site", ctypes.c_int32),
                ("a", ctypes.c_int64), ("b", ctypes.c_int64)]


_ENTRY_TYPE = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_void_p,
                               ctypes.c_void_p)
_MASK64 = (1 << 64) - 1


def target_machine(opt: int = 3, cpu_name: str | None = None) -> llvm.TargetMachine:
    """A target machine for this process (host CPU and features unless `cpu_name`)."""
    import llvmlite.binding as llvm
    _initialise()
    target = llvm.Target.from_triple(llvm.get_process_triple())
    host = llvm.get_host_cpu_name()
    if cpu_name is None or cpu_name == host:
        cpu, features = host, llvm.get_host_cpu_features().flatten()
    else:
        cpu, features = cpu_name, ""
    return target.create_target_machine(cpu=cpu, features=features, opt=max(0, min(opt, 3)),
                                        codemodel="jitdefault", jit=True)


def cached_engine(ir_text: str, tm, speed_level: int, what: str):
    """An MCJIT engine, finalized, holding `ir_text` optimised at `speed_level`
    for `tm` (which the engine then owns). The object code comes from the disk
    cache under `what` when it is stored there; else it is compiled and stored
    (the thread pool's runtime, the native Python callers)."""
    import llvmlite.binding as llvm

    from . import cache
    cached = cache.load_code(what)
    made: list[bytes] = []
    if cached is not None:
        engine = llvm.create_mcjit_compiler(llvm.parse_assembly(""), tm)
        engine.set_object_cache(None, lambda module: cached)
    else:
        mod = llvm.parse_assembly(ir_text)
        mod.verify()
        mod.triple = llvm.get_process_triple()
        mod.data_layout = str(tm.target_data)
        pb = llvm.create_pass_builder(tm, llvm.create_pipeline_tuning_options(
            speed_level=speed_level))
        pb.getModulePassManager().run(mod, pb)
        engine = llvm.create_mcjit_compiler(mod, tm)
        engine.set_object_cache(lambda module, data: made.append(bytes(data)), None)
    engine.finalize_object()
    if len(made) == 1:
        cache.store_code(what, made[0])
    return engine


def _optimise(mod, tm, opt: int) -> None:
    """LLVM's default pipeline at speed level `opt` (nothing at 0), in place."""
    if opt > 0:
        import llvmlite.binding as llvm
        pto = llvm.create_pipeline_tuning_options(speed_level=min(opt, 3))
        pto.loop_vectorization = opt >= 2
        pto.slp_vectorization = opt >= 2
        pb = llvm.create_pass_builder(tm, pto)
        pb.getModulePassManager().run(mod, pb)


def compile_ir(lowered: Lowered, *, opt: int = 3, keep_object: bool = False) -> "JitModule":
    """Parse, verify, optimise (new pass builder, speed level `opt`; none for 0)
    and compile `lowered` to machine code in this process. `keep_object`: keep
    the object code MCJIT made in `JitModule.object_code` (for the disk cache)."""
    import llvmlite.binding as llvm

    from .codegen import parallel, pool
    _initialise()
    if parallel.PARALLEL_FOR in lowered.module.globals:
        pool.ensure_runtime()           # the pool's symbols, for MCJIT to link against
    timings = {"lower": lowered.lower_ms}
    t0 = time.perf_counter()
    try:
        mod = llvm.parse_assembly(str(lowered.module))
        mod.verify()
    except RuntimeError as exc:
        raise InternalError(f"codegen produced invalid LLVM IR: {exc}") from exc
    tm = target_machine(opt, lowered.cpu_name)
    mod.triple = llvm.get_process_triple()
    mod.data_layout = str(tm.target_data)
    t1 = time.perf_counter()
    timings["verify"] = (t1 - t0) * 1e3
    _optimise(mod, tm, opt)
    # Kept for the dumps (compiled with debug locations); else printed on demand.
    optimised = str(mod) if getattr(lowered, "debug_info", False) else None
    t2 = time.perf_counter()
    timings["optimise"] = (t2 - t1) * 1e3
    engine = llvm.create_mcjit_compiler(mod, tm)
    objects = []
    if keep_object:
        engine.set_object_cache(lambda module, data: objects.append(bytes(data)), None)
    engine.finalize_object()
    timings["machine code"] = (time.perf_counter() - t2) * 1e3
    jit = JitModule(lowered, engine, tm, optimised, timings, opt)
    jit.object_code = objects[0] if len(objects) == 1 else None
    return jit


# ------------------------------------------------------------------ value slots
def _encoder(t: Type):
    """(Python value, list of buffers to keep alive) → the 8-byte argument slot
    (as an unsigned 64-bit int); a str for a String becomes the address of a
    `{ptr, i64, ptr}` value built for the call."""
    from .typesys import STRING
    if t == STRING:
        from .pycall import _string_value

        def string(v, held):
            held.append(_string_value(v))
            return held[-1][1]
        return string
    dt = _scalar_dtype(t)
    if dt.is_float:
        return lambda v, held: struct.unpack("<Q", struct.pack("<d", float(v)))[0]
    if dt is DType.bool:
        return lambda v, held: 1 if v else 0
    return lambda v, held: int(v) & _MASK64


def _decoder(t: Type):
    """The 8-byte result slot (as an unsigned 64-bit int) → Python value."""
    if ret_is_none(t):
        return lambda raw: None
    dt = _scalar_dtype(t)
    if dt.is_float:
        return lambda raw: struct.unpack("<d", struct.pack("<Q", raw))[0]
    if dt is DType.bool:
        return lambda raw: bool(raw & 1)
    if dt.is_signed:
        return lambda raw: raw - (1 << 64) if raw >> 63 else raw
    return lambda raw: raw


def _scalar_dtype(t: Type) -> DType:
    if not (isinstance(t, SIMD) and t.width == 1):
        raise InternalError(f"jit: values of type {t} cannot cross the entry ABI yet")
    return t.dtype


class JitModule:
    """Compiled code and the engine that owns it; callables stay valid while it lives."""

    def __init__(self, lowered: Lowered, engine, tm, optimised_ir: str | None, timings: dict,
                 opt: int = 3):
        self.lowered = lowered
        self._opt = opt
        self.sites = lowered.sites
        self.timings = timings
        self._engine = engine
        self._tm = tm
        self._optimised_ir = optimised_ir
        self._entries: dict[str, object] = {}
        self.object_code: bytes | None = None
        self.linker = None          # `codegen/lazylink.Linker`, for units that link lazily

    def entry(self, fn):
        """`fn` (a typed.Function or its symbol) as `call(args) -> (ok, value, site)`:
        on a fault ok is False, value None and `site`, a `FaultSite`, indexes
        `self.sites` and carries the ctx's a and b. Missing trailing arguments
        take the function's `defaults`. Scalars and strings only: `caller` is
        the full Python boundary."""
        func = self.lowered.function(fn)
        cached = self._entries.get(func.symbol)
        if cached is not None:
            return cached
        symbol = self.lowered.entry_symbol(func)
        addr = self._engine.get_function_address(symbol)
        if not addr:
            raise InternalError(f"jit: no machine code for {symbol}")
        cfunc = _ENTRY_TYPE(addr)
        encoders = [_encoder(p.type) for p in func.params]
        decode = _decoder(func.ret)
        n = len(encoders)
        engine = self._engine      # the closure keeps the code alive

        defaults = list(func.defaults)

        def call(args):
            missing = n - len(args)
            if 0 < missing <= len(defaults):     # trailing defaulted parameters
                args = list(args) + defaults[len(defaults) - missing:]
            if len(args) != n:
                raise InternalError(f"jit: {func.name} takes {n} arguments, got {len(args)}")
            held = []                  # String values live until the call returns
            slots = [enc(a, held) for enc, a in zip(encoders, args)]
            buf = (ctypes.c_uint64 * max(n, 1))(*slots)
            ret = ctypes.c_uint64(0)
            ctx = Ctx()
            failed = cfunc(ctypes.addressof(ctx), ctypes.addressof(buf), ctypes.addressof(ret))
            _ = engine
            if failed:
                return False, None, FaultSite(ctx.site, ctx.a, ctx.b)
            return True, decode(ret.value), None

        self._entries[func.symbol] = call
        return call

    def call(self, fn, args):
        """Run `fn`; a fault becomes a `RuntimeFault` at its site's span."""
        ok, value, site = self.entry(fn)(list(args))
        if not ok:
            raise self.fault(site, site.a, site.b)
        return value

    def fault(self, site: int, a: int, b: int) -> RuntimeFault:
        """The error of a fault at `site`: a site of this unit or, through the
        linker, of a unit it linked lazily."""
        unit = self.linker.owner(site) if self.linker is not None else None
        return (unit or self).lowered.fault(site, a, b)

    def function_address(self, symbol: str) -> int:
        return self._engine.get_function_address(symbol)

    def global_address(self, symbol: str) -> int:
        """The address of the global variable `symbol` (a lazily linked slot)."""
        return self._engine.get_global_value_address(symbol)

    def caller(self, fn, convert, bind=None, fault=None, native: bool = True):
        """`fn` as a Python function taking its parameters (positionally or by
        name, defaults filled in) and returning a Python scalar, a NumPy array
        (for a Tensor result) or None.

        Arguments of the exact expected Python type (float for floats, int in
        range for integers, bool for Bool, an ndarray of the right dtype and
        rank), all given positionally, take the fast path. Otherwise
        `bind(args, kwargs)` makes one positional list of them and
        `convert(list)` checks it, fills defaults and returns canonical values
        or raises the TypeError the user sees. A fault raises
        `fault(site, a, b)`. `native` False skips the native entry (see `pycall`)."""
        func = self.lowered.function(fn)
        symbol = self.lowered.entry_symbol(func)
        addr = self._engine.get_function_address(symbol)
        if not addr:
            raise InternalError(f"jit: no machine code for {symbol}")
        if bind is None:
            def bind(args, kwargs):
                if kwargs:
                    raise TypeError(f"{func.name}() takes no keyword arguments here")
                return list(args)
        from .pycall import build_caller
        return build_caller(func, addr, convert, bind, fault or self.fault, keep_alive=self,
                            native=native)

    def optimised_ir(self) -> str | None:
        """The optimised module's text: kept from compiling, or optimised again
        from the lowered module (the engine's copy was changed by code
        generation); None for code loaded from the disk cache."""
        if self._optimised_ir is None and hasattr(self.lowered, "module"):
            import llvmlite.binding as llvm
            mod = llvm.parse_assembly(str(self.lowered.module))
            mod.triple = llvm.get_process_triple()
            mod.data_layout = str(self._tm.target_data)
            _optimise(mod, self._tm, self._opt)
            self._optimised_ir = str(mod)
        return self._optimised_ir

    def assembly(self) -> str:
        """Assembly of the optimised module (compiled again from its text, so the
        engine's copy is left alone)."""
        import llvmlite.binding as llvm
        mod = llvm.parse_assembly(self.optimised_ir())
        mod.triple = llvm.get_process_triple()
        mod.data_layout = str(self._tm.target_data)
        return self._tm.emit_assembly(mod)

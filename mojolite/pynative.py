"""Native Python entries: a compiled function as a CPython builtin function.

In: a checked `typed.Function`, the address of its `__entry_<symbol>` wrapper,
the Python caller to fall back on (`pycall.python_caller`) and the fault hook.
Out: a builtin function object (vectorcall convention) whose machine code
unpacks the arguments itself, or None where this interpreter's object layouts
are not the ones it was written for.

What the generated function does, for `f(a: Float64, t: Tensor[DType.float64])`:

    entry:   nargs == 2 and no keywords?                      else → slow
    arg0:    type(a) is float?  slot0 = a's double             else → slow
    arg1:    type(t) is ndarray, its descr is float64's, 1 <= ndim <= 4 (or
             ndim == the rank t's uses need, `Function.ranks`),
             every stride a multiple of 8?                    else → slow
             desc1 = {data, ndim, shape (1-padded), strides / 8 (0-padded), NULL}
             slot1 = &desc1
    call:    release the GIL; rc = __entry_f(ctx, slots, ret); take it back
             rc != 0 → fault: on_fault(site, a, b) raises the RuntimeFault
    ok:      box ret (PyFloat_FromDouble ...); a Tensor result goes through
             on_result(address of ret, *array arguments)
    kept:    errors.callback_flag set (a print callback kept an exception after
             the call's last check)? → on_kept(result) raises it
    slow:    return python_caller(*args, **kwargs): converts or raises

`slow` runs before anything has happened, so falling back is always safe.
The offsets it reads (a float's value; an ndarray's data, nd, dimensions,
strides, descr and flags) are found once per process and checked against the
values Python and NumPy report for sample objects; if any check fails, no
native entry is built and calls take the Python caller.
"""
from __future__ import annotations

import ctypes
import sys
import threading

from .errors import InternalError
from .kernel import shown_name

METH_FASTCALL, METH_KEYWORDS = 0x0080, 0x0002
NPY_ARRAY_WRITEABLE = 0x0400
VECTORCALL_NARGS_MASK = (1 << 63) - 1        # PY_VECTORCALL_ARGUMENTS_OFFSET is the top bit

_C_API = {   # name: (result, parameters), with "p" a pointer, "l" a C long
    "PyTuple_GetItem": ("p", "pq"),
    "PyObject_Vectorcall": ("p", "ppqp"),
    "PyLong_AsLongLongAndOverflow": ("q", "pp"),
    "PyFloat_FromDouble": ("p", "d"),
    "PyLong_FromLongLong": ("p", "q"),
    "PyLong_FromUnsignedLongLong": ("p", "q"),
    "PyLong_FromVoidPtr": ("p", "p"),
    "PyBool_FromLong": ("p", "l"),
    "Py_IncRef": ("v", "p"),
    "Py_DecRef": ("v", "p"),
    "PyEval_SaveThread": ("p", ""),
    "PyEval_RestoreThread": ("v", "p"),
}


class _PyMethodDef(ctypes.Structure):
    _fields_ = [("ml_name", ctypes.c_char_p), ("ml_meth", ctypes.c_void_p),
                ("ml_flags", ctypes.c_int), ("ml_doc", ctypes.c_char_p)]


_new_function = ctypes.pythonapi.PyCFunction_NewEx
_new_function.restype = ctypes.py_object
_new_function.argtypes = [ctypes.c_void_p, ctypes.py_object, ctypes.c_void_p]

_lock = threading.Lock()
_state: dict = {}
# The generated code's own name and that of the entry it calls: fixed, so the
# code (and its object code, which the disk cache keeps) is the same in every
# process; each caller gets an engine of its own.
NAME = "__py_native_caller"
ENTRY = "__py_native_caller.entry"


def native_plan(func):
    """What `native_caller` makes `func`'s caller from: (kinds, result kind,
    layout, dtypes, spec), or None where this process cannot have one (a
    String parameter, a result or object layout it does not know). Builds no code."""
    from .typesys import numpy_dtype
    from .pycall import _param_kind, result_kind
    kinds = [_param_kind(p.type) for p in func.params]
    ret_kind = result_kind(func.ret)
    if None in kinds or "string" in kinds or "simd" in kinds or "list" in kinds or \
            ret_kind in (None, "simd", "tuple", "string", "list"):
        return None        # String, SIMD and List values: the Python caller builds and reads them
    if func.positional is not None:
        return None        # keyword-only parameters: the Python caller binds by name
    layout = _layout(arrays="tensor" in kinds)
    if layout is None:
        return None
    dtypes = {i: numpy_dtype(p.type.dtype) for i, p in enumerate(func.params)
              if kinds[i] == "tensor"}
    if any(not _canonical_dtype(dt) for dt in dtypes.values()):
        return None
    return kinds, ret_kind, layout, dtypes, _spec(func, kinds, ret_kind, func.writes, layout)


def native_caller(func, plan, entry_address: int, slow, fault, keep_alive, *,
                  compile: bool = True):
    """A builtin function calling `func`'s entry at `entry_address` (see the
    module docstring), made from `native_plan(func)`. Its machine code comes
    from the disk cache, else it is compiled; `compile` False: None instead of
    compiling (nothing is compiled, LLVM is not loaded when `objload` maps it)."""
    from . import cache, objload
    from .typesys import numpy_dtype
    from .pycall import _tensor_result, python_signature, text_signature
    kinds, ret_kind, layout, dtypes, spec = plan
    code = cache.load_code(spec)
    found = _load_cached(code, dtypes, layout, entry_address) \
        if code is not None and objload.enabled() else None
    if found is None:
        if code is None and not compile:
            return None
        # Compiled, or loaded through MCJIT where `objload` declines the cached code.
        ir_text, objects = _emit(NAME, func, kinds, ret_kind, dtypes, func.writes, layout)
        found = _compile(ir_text, objects, entry_address, spec)
    address, engine = found

    def on_fault(site, a, b):
        raise fault(site, a, b)
    from .errors import raise_kept

    on_result = _array_maker(_tensor_result(numpy_dtype(func.ret.dtype))) \
        if ret_kind == "tensor" else None
    # A builtin's `inspect.signature` has names and defaults only (CPython reads no
    # annotations from `__text_signature__`): its doc shows the types, as `help` does for
    # the Python caller.
    name = shown_name(func.name)
    method = _PyMethodDef(name.encode(), address, METH_FASTCALL | METH_KEYWORDS,
                          (text_signature(func) + f"Calls the compiled "
                           f"{name}{python_signature(func)}.").encode())
    # The builtin's `self`: what the machine code calls back, and what it must keep alive.
    state = (slow, on_fault, on_result, raise_kept, method, keep_alive,
             tuple(dtypes.values()), engine)
    return _new_function(ctypes.addressof(method), state, None)


def _array_maker(make):
    """on_result(address of a TensorDesc, *argument arrays) → a NumPy array."""
    def on_result(address, *arrays):
        return make(ctypes.string_at(address, 88), 0, arrays)
    return on_result


def _canonical_dtype(dt) -> bool:
    """Arrays of this dtype carry this very descr object (the identity the native
    check compares), as NumPy's built-in dtypes do."""
    import numpy as np
    return np.empty(1, dt).dtype is dt and np.empty((2, 2), dt).T.dtype is dt


# ------------------------------------------------------------------ layouts
def _layout(arrays: bool) -> dict | None:
    """Field offsets of float (and with `arrays`, ndarray) objects, checked
    against this process; None where they differ from what the code reads."""
    key = "arrays" if arrays else "scalars"
    with _lock:
        if key not in _state:
            try:
                _state[key] = _find_layout(arrays)
            except Exception:           # an unknown interpreter or NumPy: no native entries
                _state[key] = None
        return _state[key]


def _free_threaded() -> bool:
    """A free-threaded build (other object layouts). `sys.abiflags` says so
    where it exists; `sysconfig` (2 ms to import: a warm load avoids it) elsewhere."""
    if hasattr(sys, "abiflags"):
        return "t" in sys.abiflags
    import sysconfig
    return bool(sysconfig.get_config_var("Py_GIL_DISABLED"))


def _find_layout(arrays: bool) -> dict | None:
    if sys.implementation.name != "cpython" or ctypes.sizeof(ctypes.c_void_p) != 8 or \
            _free_threaded():
        return None
    word = ctypes.c_void_p.from_address
    ob_type = 8
    floats = [1.5, -0.0, 1e300, float("inf")]
    if not all(word(id(x) + ob_type).value == id(float) for x in floats) or \
            not all(ctypes.c_double.from_address(id(x) + 16).value == x for x in floats) or \
            word(id(7) + ob_type).value != id(int):
        return None
    types = {"float": id(float), "int": id(int), "True": id(True), "False": id(False),
             "None": id(None), "kept": _kept_flag_address()}
    off = {"ob_type": ob_type, "float_value": 16, "types": types}
    if not arrays:
        return off
    import numpy as np
    samples = [np.arange(6.0), np.zeros((3, 4), np.int32)[::2, ::-1], np.ones((2, 3, 4)).T]
    samples[1].flags.writeable = False

    def field(offset, a):
        return word(id(a) + offset).value

    def ints(address, n):
        return tuple((ctypes.c_int64 * n).from_address(address)) if n else ()

    for a in samples:
        if word(id(a) + ob_type).value != id(np.ndarray):
            return None
    # NumPy's PyArrayObject: data, nd, dimensions, strides, base, descr, flags.
    off.update(data=16, nd=24, dims=32, strides=40, descr=56, flags=64)
    for a in samples:
        if field(off["data"], a) != a.__array_interface__["data"][0] or \
                ctypes.c_int.from_address(id(a) + off["nd"]).value != a.ndim or \
                ints(field(off["dims"], a), a.ndim) != a.shape or \
                ints(field(off["strides"], a), a.ndim) != a.strides or \
                field(off["descr"], a) != id(a.dtype) or \
                bool(ctypes.c_int.from_address(id(a) + off["flags"]).value
                     & NPY_ARRAY_WRITEABLE) != a.flags.writeable:
            return None
    types["ndarray"] = id(np.ndarray)
    return off


def _kept_flag_address() -> int:
    """The address of `errors.callback_flag`'s byte (the bytearray, exported,
    can no longer move or resize)."""
    from .errors import callback_flag
    if "kept" not in _state:
        _state["kept"] = ctypes.c_uint8.from_buffer(callback_flag)
    return ctypes.addressof(_state["kept"])


# ------------------------------------------------------------------ code
def _spec(func, kinds, ret_kind, written, layout) -> str:
    """Everything `_emit` makes the code from, as text: the disk cache's key
    for it (with mojolite's own files, so an edit to this module misses too).
    The addresses of Python's objects are not part of it: the code names them
    by symbol."""
    params = [(k, str(p.type), p.name in written, func.ranks.get(p.name))
              for k, p in zip(kinds, func.params)]
    offsets = sorted((k, v) for k, v in layout.items() if k != "types")
    return f"native caller {NAME}\n{params!r}\n{ret_kind!r} {func.ret}\n{offsets!r}"


def _load_cached(code: bytes, dtypes: dict, layout: dict, entry_address: int):
    """(address of the caller, what holds its code) for the cached object
    `code`, mapped by `objload` without LLVM; None when the loader declines it
    (then `_compile` loads it with MCJIT)."""
    from . import objload
    table = {api: ctypes.cast(getattr(ctypes.pythonapi, api), ctypes.c_void_p).value
             for api in _C_API}
    table.update({f"mojolite.py.{what}": address for what, address in layout["types"].items()})
    table.update({f"mojolite.py.dtype.{dt.name}": id(dt) for dt in dtypes.values()})
    table[ENTRY] = entry_address
    try:
        holder = objload.load(code, table)
    except objload.LoadError:
        return None
    address = holder.get_function_address(NAME)
    return (address, holder) if address else None


def _compile(text: str, objects: dict[str, int], entry_address: int, spec: str):
    """(address of the caller `NAME`, the engine that holds it) for the IR
    `text`, its symbols bound to this process's objects and entry. The object
    code comes from the disk cache when it holds it (under `spec`, see `cache.py`)."""
    import llvmlite.binding as llvm

    from .jit import cached_engine, target_machine
    with _lock:
        if "api" not in _state:
            for api, _ in _C_API.items():
                llvm.add_symbol(api, ctypes.cast(getattr(ctypes.pythonapi, api),
                                                 ctypes.c_void_p).value)
            _state["api"] = True
        # -O2: 16 ms to compile, once per signature and machine (the disk cache keeps
        # the code); -O0 would take 2 ms but make a call with two arrays 7 ns slower
        # (78 ns, not 71), on every call. The engine owns (and frees) its target machine.
        tm = target_machine(2)
        # Bound at finalize_object, under the lock: the next caller may rebind ENTRY.
        for symbol, address in objects.items():
            llvm.add_symbol(symbol, address)
        llvm.add_symbol(ENTRY, entry_address)
        engine = cached_engine(text, tm, 2, spec)
        address = engine.get_function_address(NAME)
    if not address:
        raise InternalError(f"pynative: no machine code for {NAME}")
    return address, engine


def _emit(name, func, kinds, ret_kind, dtypes, written, layout) -> tuple[str, dict[str, int]]:
    """The caller's IR, and the symbols it names for Python objects (the type
    objects, True/False/None, dtypes) with their addresses in this process."""
    from llvmlite import ir
    I8, I32, I64, F64 = ir.IntType(8), ir.IntType(32), ir.IntType(64), ir.DoubleType()
    LONG = ir.IntType(8 * ctypes.sizeof(ctypes.c_long))
    PTR = ir.PointerType()
    m = ir.Module(name=name)
    ty = {"p": PTR, "q": I64, "d": F64, "l": LONG, "v": ir.VoidType()}
    api = {n: ir.Function(m, ir.FunctionType(ty[r], [ty[c] for c in ps]), n)
           for n, (r, ps) in _C_API.items()}
    fn = ir.Function(m, ir.FunctionType(PTR, [PTR, PTR, I64, PTR]), name)
    self_, args, nargsf, kwnames = fn.args
    for a, n in zip(fn.args, ("self", "args", "nargsf", "kwnames")):
        a.name = n
    n = len(kinds)
    tensors = [i for i, k in enumerate(kinds) if k == "tensor"]
    types = layout["types"]

    objects: dict[str, int] = {}

    def const_ptr(what: str, address: int):
        # A symbol, not the address itself: the code stays the same in every process.
        symbol = f"mojolite.py.{what}"
        objects[symbol] = address
        if symbol not in m.globals:
            ir.GlobalVariable(m, I8, symbol)
        return m.globals[symbol]

    entry = fn.append_basic_block("entry")
    slow = fn.append_basic_block("slow")
    b = ir.IRBuilder(entry)
    # Buffers as runs of 8-byte words: every value stored is an i64.
    ctx = b.alloca(I64, size=ir.Constant(I64, 3), name="ctx")
    slots = b.alloca(I64, size=ir.Constant(I64, max(n, 1)), name="slots")
    ret = b.alloca(I64, size=ir.Constant(I64, 11), name="ret")
    descs = b.alloca(I64, size=ir.Constant(I64, 11 * max(len(tensors), 1)), name="descs")
    overflow = b.alloca(I32, name="overflow")
    for word in range(3):           # a clean failure record, as a fresh ctx would be
        b.store(ir.Constant(I64, 0), b.gep(ctx, [ir.Constant(I64, word)], source_etype=I64))
    nargs = b.and_(nargsf, ir.Constant(I64, VECTORCALL_NARGS_MASK), name="nargs")
    ok = b.and_(b.icmp_unsigned("==", nargs, ir.Constant(I64, n)),
                b.icmp_unsigned("==", kwnames, ir.Constant(PTR, None)))

    def guard(cond, label):
        nxt = fn.append_basic_block(label)
        b.cbranch(cond, nxt, slow)
        b.position_at_end(nxt)

    def at(base, offset, typ):
        return b.load(b.gep(base, [ir.Constant(I64, offset)], source_etype=I8), typ=typ)

    def slot(i):
        return b.gep(slots, [ir.Constant(I64, i)], source_etype=I64)

    guard(ok, "args")
    for i, kind in enumerate(kinds):
        obj = b.load(b.gep(args, [ir.Constant(I64, i)], source_etype=PTR), typ=PTR,
                     name=f"arg{i}")
        if kind == "bool":
            is_true = b.icmp_unsigned("==", obj, const_ptr("True", types["True"]))
            is_false = b.icmp_unsigned("==", obj, const_ptr("False", types["False"]))
            guard(b.or_(is_true, is_false), f"arg{i}.bool")
            b.store(b.zext(is_true, I64), slot(i))
            continue
        typ = at(obj, layout["ob_type"], PTR)
        want = {"float": "float", "signed": "int", "unsigned": "int", "tensor": "ndarray"}[kind]
        guard(b.icmp_unsigned("==", typ, const_ptr(want, types[want])), f"arg{i}.{kind}")
        if kind == "float":
            b.store(b.bitcast(at(obj, layout["float_value"], F64), I64), slot(i))
        elif kind in ("signed", "unsigned"):
            v = b.call(api["PyLong_AsLongLongAndOverflow"], [obj, overflow])
            fits = b.icmp_signed("==", b.load(overflow, typ=I32), ir.Constant(I32, 0))
            lo, hi = func.params[i].type.dtype.int_range
            if kind == "unsigned":
                fits = b.and_(fits, b.icmp_signed(">=", v, ir.Constant(I64, 0)))
                if hi < 2**63 - 1:
                    fits = b.and_(fits, b.icmp_signed("<=", v, ir.Constant(I64, hi)))
            elif lo > -2**63:
                fits = b.and_(fits, b.and_(b.icmp_signed(">=", v, ir.Constant(I64, lo)),
                                           b.icmp_signed("<=", v, ir.Constant(I64, hi))))
            guard(fits, f"arg{i}.fits")
            b.store(v, slot(i))
        else:
            p = func.params[i]
            _emit_tensor(b, ir, obj, i, tensors.index(i), dtypes[i], p.name in written,
                         func.ranks.get(p.name), descs, slot(i), layout, guard, at, const_ptr)
    # -- the call, without the GIL
    # The entry lives in another engine: the symbol is bound to its address.
    entry_fn = ir.Function(m, ir.FunctionType(I32, [PTR, PTR, PTR]), ENTRY)
    ts = b.call(api["PyEval_SaveThread"], [], name="tstate")
    rc = b.call(entry_fn, [ctx, slots, ret], name="rc")
    b.call(api["PyEval_RestoreThread"], [ts])
    failed = b.icmp_signed("!=", rc, ir.Constant(I32, 0))
    fault_bb, done_bb = fn.append_basic_block("fault"), fn.append_basic_block("done")
    b.cbranch(failed, fault_bb, done_bb)
    # -- fault: on_fault(site, a, b) raises the RuntimeFault
    b.position_at_end(fault_bb)
    site = b.sext(at(ctx, 4, I32), I64)
    values = [b.call(api["PyLong_FromLongLong"], [v])
              for v in (site, at(ctx, 8, I64), at(ctx, 16, I64))]
    b.ret(_call_back(b, ir, api, self_, 1, values, PTR, I64, decref=values))
    # -- done: box the result
    b.position_at_end(done_bb)
    if ret_kind == "none":
        result = const_ptr("None", types["None"])
        b.call(api["Py_IncRef"], [result])
    elif ret_kind == "float":
        result = b.call(api["PyFloat_FromDouble"], [at(ret, 0, F64)])
    elif ret_kind == "signed":
        result = b.call(api["PyLong_FromLongLong"], [at(ret, 0, I64)])
    elif ret_kind == "unsigned":
        result = b.call(api["PyLong_FromUnsignedLongLong"], [at(ret, 0, I64)])
    elif ret_kind == "bool":
        bit = b.and_(at(ret, 0, I64), ir.Constant(I64, 1))
        result = b.call(api["PyBool_FromLong"], [b.trunc(bit, LONG) if LONG.width < 64 else bit])
    else:   # tensor: on_result(address of ret, *array arguments)
        address = b.call(api["PyLong_FromVoidPtr"], [ret])
        arrays = [b.load(b.gep(args, [ir.Constant(I64, i)], source_etype=PTR), typ=PTR)
                  for i in tensors]
        result = _call_back(b, ir, api, self_, 2, [address] + arrays, PTR, I64,
                            decref=[address])
    # -- kept: an exception a print callback kept after the call's last check
    flag = b.load(const_ptr("kept", types["kept"]), typ=I8)
    kept = b.and_(b.icmp_unsigned("!=", flag, ir.Constant(I8, 0)),
                  b.icmp_unsigned("!=", result, ir.Constant(PTR, None)))
    kept_bb, out_bb = fn.append_basic_block("kept"), fn.append_basic_block("out")
    b.cbranch(kept, kept_bb, out_bb)
    b.position_at_end(kept_bb)
    b.ret(_call_back(b, ir, api, self_, 3, [result], PTR, I64, decref=[result]))
    b.position_at_end(out_bb)
    b.ret(result)
    # -- slow: the Python caller converts, fills defaults, binds keywords or raises
    b.position_at_end(slow)
    python = b.call(api["PyTuple_GetItem"], [self_, ir.Constant(I64, 0)])
    b.ret(b.call(api["PyObject_Vectorcall"], [python, args, nargsf, kwnames]))
    return str(m), objects


def _emit_tensor(b, ir, obj, i, k, dtype, written, rank, descs, slot, layout, guard, at,
                 const_ptr):
    """Check that `obj` is an array the entry can take as is (of `rank` dimensions,
    where not None), and fill TensorDesc k."""
    I32, I64, PTR = ir.IntType(32), ir.IntType(64), ir.PointerType()
    descr = at(obj, layout["descr"], PTR)
    guard(b.icmp_unsigned("==", descr, const_ptr(f"dtype.{dtype.name}", id(dtype))),
          f"arg{i}.dtype")
    nd = at(obj, layout["nd"], I32)
    if rank is not None:
        guard(b.icmp_unsigned("==", nd, ir.Constant(I32, rank)), f"arg{i}.rank")
    else:
        guard(b.icmp_unsigned("<", b.sub(nd, ir.Constant(I32, 1)), ir.Constant(I32, 4)),
              f"arg{i}.rank")
    if written:
        flags = at(obj, layout["flags"], I32)
        guard(b.icmp_unsigned("!=", b.and_(flags, ir.Constant(I32, NPY_ARRAY_WRITEABLE)),
                              ir.Constant(I32, 0)), f"arg{i}.writeable")
    desc = b.gep(descs, [ir.Constant(I64, 11 * k)], source_etype=I64, name=f"desc{k}")

    def field(j):
        return b.gep(desc, [ir.Constant(I64, j)], source_etype=I64)

    dims, strides = at(obj, layout["dims"], PTR), at(obj, layout["strides"], PTR)
    b.store(b.ptrtoint(at(obj, layout["data"], PTR), I64), field(0))
    b.store(b.sext(nd, I64), field(1))
    shift = dtype.itemsize.bit_length() - 1
    bad = ir.Constant(ir.IntType(1), 0)
    last = b.sext(b.sub(nd, ir.Constant(I32, 1)), I64)
    for d in range(4):
        # Axes past the rank are shape 1, stride 0; the loads stay inside
        # NumPy's arrays (index min(d, nd - 1)).
        present = b.icmp_signed(">", nd, ir.Constant(I32, d))
        index = b.select(present, ir.Constant(I64, d), last)
        extent = b.load(b.gep(dims, [index], source_etype=I64), typ=I64)
        stride = b.load(b.gep(strides, [index], source_etype=I64), typ=I64)
        stride = b.select(present, stride, ir.Constant(I64, 0))
        b.store(b.select(present, extent, ir.Constant(I64, 1)), field(2 + d))
        if shift:
            rem = b.and_(stride, ir.Constant(I64, dtype.itemsize - 1))
            bad = b.or_(bad, b.icmp_unsigned("!=", rem, ir.Constant(I64, 0)))
            stride = b.ashr(stride, ir.Constant(I64, shift))
        b.store(stride, field(6 + d))
    b.store(ir.Constant(I64, 0), field(10))
    guard(b.not_(bad), f"arg{i}.strides")
    b.store(b.ptrtoint(desc, I64), slot)


def _call_back(b, ir, api, self_, index, values, PTR, I64, decref):
    """state[index](*values) through vectorcall; drops the references in `decref`."""
    callback = b.call(api["PyTuple_GetItem"], [self_, ir.Constant(I64, index)])
    stack = b.alloca(PTR, size=ir.Constant(I64, len(values)))
    for j, v in enumerate(values):
        b.store(v, b.gep(stack, [ir.Constant(I64, j)], source_etype=PTR))
    result = b.call(api["PyObject_Vectorcall"],
                    [callback, stack, ir.Constant(I64, len(values)), ir.Constant(PTR, None)])
    for v in decref:
        b.call(api["Py_DecRef"], [v])
    return result

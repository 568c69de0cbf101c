"""The Python boundary: a compiled function as a Python callable.

In: a checked `typed.Function`, the address of its `__entry_<symbol>(ctx,
args, ret)` wrapper (ABI in `codegen/lower.py`), and three Python hooks:
`bind` (keywords → positions), `convert` (checks and canonicalises arguments,
raising the TypeError the user sees) and `fault` (site, a, b → RuntimeFault).
Out: a callable taking Python int/float/bool for scalars, str for `String`
and NumPy arrays for `Tensor`s, returning a Python scalar, a NumPy array, a str,
a list (of a List, whose memory is then freed), a tuple or None.

Two layers, the second falling back on the first:
- `python_caller`: generated Python code that packs arguments into a pooled
  *frame* and calls the entry through ctypes (which releases the GIL). A frame
  is one block of memory:

      0    ctx     struct { i32 code; i32 site; i64 a; i64 b; }
      32   ret     the result slot, a TensorDesc for a Tensor result, or a
                   SIMD result's lanes (at the end instead when wider than 88 bytes)
      120  args    one 8-byte slot per parameter
      ...  descs   one TensorDesc (88 bytes) per Tensor parameter
      ...  lanes   the lanes of each SIMD parameter (its slot holds their address)

  A scalar slot holds an int64 or a double; a String slot holds the address of
  a `{ptr bytes, i64 length, ptr owner}` value (owner NULL) built for the call;
  a Tensor slot holds the address of a TensorDesc `{ptr data, i64 rank,
  [4 x i64] shape, [4 x i64] strides (in elements), ptr owner}` (owner NULL:
  borrowed, the caller keeps the array alive). Frames are pooled in a list
  (pop and append are atomic under the GIL), so two threads never share one.
- `native_caller`: a CPython builtin function generated in LLVM IR
  (vectorcall convention) that unpacks exact floats, ints, bools and NumPy
  arrays itself, releases the GIL around the entry and boxes the result; any
  argument it does not recognise (a keyword, a NumPy scalar, a wrong dtype)
  sends the whole call to the Python caller, which converts or raises. It is
  used only where the object layouts it reads (a float's value, an array's
  data/nd/dimensions/strides/descr/flags fields) were checked at run time
  against the running interpreter and NumPy; `MOJOLITE_NATIVE_CALLS=0` turns it
  off. It is compiled on the function's `native_after()`-th call (`tiered`)
  unless the disk cache holds it already.

Returned tensors: a TensorDesc with an owner (a block from `aligned_alloc`
whose first 8 bytes are a reference count) becomes an array whose base frees
the block when the last reference goes; one without an owner is a view of the
argument array that contains its data.
"""
from __future__ import annotations

import ctypes
import os
import struct

from .errors import InternalError, debug_enabled
from .kernel import shown_name
from .typesys import SIMD, DType, Type, numpy_dtype, ret_is_none


# Calls a function takes through the Python caller before its native caller is
# compiled (MOJOLITE_NATIVE_AFTER): compiling one costs 10-30 ms, once per signature
# and machine (the disk cache keeps it), and saves 0.5-1.5 us a call. A function
# called a few times, or once for a long run, never pays for it.
NATIVE_AFTER = 100


def native_after() -> int:
    """The call on which a function's native caller is built (MOJOLITE_NATIVE_AFTER;
    1 or less: before the first call)."""
    try:
        return int(os.environ.get("MOJOLITE_NATIVE_AFTER", NATIVE_AFTER))
    except ValueError:
        return NATIVE_AFTER


def build_caller(func, entry_address: int, convert, bind, fault, keep_alive,
                 native: bool = True):
    """The fastest caller this process supports for `func` (see the module
    docstring); `native` False: the Python caller alone (cheaper to build).

    A native caller whose code the disk cache holds is used at once. Otherwise
    the result is `tiered`: the Python caller until the `native_after()`-th
    call, which compiles the native one."""
    cfunc = _ENTRY_TYPE(entry_address)
    slow = python_caller(func, cfunc, convert, bind, fault, keep_alive)
    if not native or os.environ.get("MOJOLITE_NATIVE_CALLS", "") == "0":
        return slow
    from . import pynative
    plan = pynative.native_plan(func)
    if plan is None:
        return slow
    after = native_after()

    def build(compile=True):
        return pynative.native_caller(func, plan, entry_address, slow, fault, keep_alive,
                                      compile=compile)
    fast = build(compile=after <= 1)
    if fast is not None:
        return fast
    return tiered(slow, build, after)


def tiered(slow, build, after: int):
    """A Python function calling `slow` until its `after`-th call, which runs
    `build()` once (in one thread; the others go on with `slow`) and from then
    on calls what it made. Its list `on_native` holds hooks called with what
    `build` made and the milliseconds it took: owners that hand out the
    function swap it for the native one there, dropping this layer."""
    import threading
    import time
    left, fast, built = after, None, threading.Lock()

    def promote(args, kwargs):
        nonlocal fast
        if not built.acquire(blocking=False):     # another thread builds it (or did)
            return slow(*args, **kwargs)
        from .kernel import BUILDING
        t0 = time.perf_counter()
        try:
            with BUILDING:                        # LLVM runs: none across a fork
                made = build()
        except Exception as e:                    # a bug of ours: the Python caller is right
            if debug_enabled():
                raise
            import warnings
            warnings.warn(f"mojolite: no native caller for {slow.__name__} (internal error: "
                          f"{type(e).__name__}: {e}); its calls go through the Python caller",
                          RuntimeWarning, stacklevel=3)
            made = None
        if made is None:
            return slow(*args, **kwargs)
        fast = made
        for hook in call.on_native:
            hook(made, (time.perf_counter() - t0) * 1e3)
        return made(*args, **kwargs)

    def call(*args, **kwargs):
        nonlocal left
        if fast is not None:
            return fast(*args, **kwargs)
        left -= 1
        if left <= 0:
            return promote(args, kwargs)
        return slow(*args, **kwargs)
    call.__name__ = call.__qualname__ = slow.__name__
    call.__doc__ = slow.__doc__
    call.__signature__ = getattr(slow, "__signature__", None)
    call.on_native = []
    return call


def python_signature(func):
    """`inspect.Signature` of `func` as Python calls it: its parameters, defaults
    and types as the language spells them (`(x: Int, y: Int = 3) -> Int`)."""
    import inspect
    from .markers import Marker

    def spelt(t):
        return Marker(str(t), "type", str(t))
    from .typesys import REQUIRED, default_of
    positional = len(func.params) if func.positional is None else func.positional
    posonly = getattr(func, "posonly", 0)
    P = inspect.Parameter
    params = [P(p.name, P.VAR_POSITIONAL, annotation=spelt(p.type.element))
              if i == func.variadic else
              P(p.name, P.POSITIONAL_ONLY if i < posonly else
                P.POSITIONAL_OR_KEYWORD if i < positional else P.KEYWORD_ONLY,
                annotation=spelt(p.type),
                default=shown_default(default_of(func, i), p.type)
                if default_of(func, i) is not REQUIRED else P.empty)
              for i, p in enumerate(func.params)]
    ret = inspect.Signature.empty if ret_is_none(func.ret) else spelt(func.ret)
    return inspect.Signature(params, return_annotation=ret)


class _ShownLanes(tuple):
    """A SIMD default's lanes, printed as the language writes the vector."""

    def __repr__(self) -> str:
        return self.text


class _ShownFloat(float):
    """A Float32 default's exact value, printed in the type's shortest digits."""

    def __repr__(self) -> str:
        return self.text


def shown_default(value, t):
    """A default for `inspect.Signature`: the value itself (so `apply_defaults` still
    gives what a call takes), printed as `kernel.signature` prints it where Python's
    repr would differ (`SIMD[DType.float64, 2](1.0, 2.0)`, a Float32's `0.1`)."""
    from .kernel import _value_text
    text = _value_text(value, t)
    if isinstance(value, (tuple, list)):
        shown = _ShownLanes(value)
    elif type(value) is float and repr(value) != text:
        shown = _ShownFloat(value)
    else:
        return value
    shown.text = text
    return shown


def text_signature(func) -> str:
    """The head of a builtin's docstring from which `inspect.signature` reads
    its parameters (`f(x, y=3)` then a `--` line); "" where a default is not a
    plain literal (`inf`), which that reader cannot parse."""
    import ast
    from .typesys import REQUIRED, default_of
    parts = []
    posonly = getattr(func, "posonly", 0)
    for i, p in enumerate(func.params):
        if i and i == posonly:
            parts.append("/")
        if i == func.positional:
            parts.append("*")
        value = default_of(func, i)
        if value is REQUIRED:
            parts.append(p.name)
            continue
        text = repr(shown_default(value, p.type) if type(value) is float else value)  # 0.1
        try:
            ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return ""
        parts.append(f"{p.name}={text}")
    if posonly and posonly == len(func.params):
        parts.append("/")
    return f"{shown_name(func.name)}({', '.join(parts)})\n--\n\n"


_ENTRY_TYPE = ctypes.CFUNCTYPE(ctypes.c_int32, ctypes.c_void_p, ctypes.c_void_p,
                               ctypes.c_void_p)

CTX_OFF, RET_OFF, ARGS_OFF = 0, 32, 120
DESC_SIZE = 88
_CTX = struct.Struct("<iiqq")
_DESC = struct.Struct("<Qq4q4qQ")
_PARAM_CODE = {"float": "d", "signed": "q", "unsigned": "Q", "bool": "q", "tensor": "Q",
               "string": "Q", "simd": "Q", "list": "Q"}


def _param_kind(t: Type) -> str | None:
    """How a parameter of type `t` crosses the boundary; None: it cannot yet."""
    from .typesys import STRING, ListType, Tensor
    if isinstance(t, Tensor):
        return "tensor"
    if isinstance(t, ListType):
        return "list" if list_passable(t) else None
    if t == STRING:
        return "string"
    if not isinstance(t, SIMD) or t.dtype is DType.float16:
        return None
    if t.width > 1:
        return "simd"
    dt = t.dtype
    if dt.is_float:
        return "float"
    if dt is DType.bool:
        return "bool"
    return "signed" if dt.is_signed else "unsigned"


def result_kind(t: Type) -> str | None:
    """How a result of type `t` comes back: "none", "tensor", "simd" (a NumPy
    array of its lanes), a scalar kind, "list" (a Python list of its elements,
    each a scalar, a SIMD vector, a String or a List), "tuple" (a Python tuple
    of its elements, each a scalar, a SIMD vector, a String, a Tensor or a
    List), or None when it cannot yet."""
    from .typesys import ListType, Tensor, is_tuple
    if ret_is_none(t):
        return "none"
    if is_tuple(t):
        kinds = [result_kind(e) for _, e in t.fields]
        return "tuple" if all(k not in (None, "none", "tuple") for k in kinds) \
            else None
    if isinstance(t, ListType):
        e = t.element
        if list_nesting(t) > MAX_LIST_NESTING:
            return None     # decoding recurses per level, on Python's (and C's) stack
        if isinstance(e, SIMD) and e.width > 1 and e.dtype is DType.bool:
            return None     # a Bool vector's lanes are bits in a List (irtypes): not decoded yet
        return "list" if result_kind(e) in ("float", "signed", "unsigned", "bool", "simd",
                                             "string", "list") else None
    return "tensor" if isinstance(t, Tensor) else _param_kind(t)


MAX_LIST_NESTING = 100      # Lists in Lists (`List[List[Int]]`: 2) a result may be


def list_nesting(t: Type) -> int:
    """How many Lists `t` is of Lists (0: `t` is no List); a loop, as `t` may nest
    deeper than Python's recursion limit allows `str(t)` or `t == u` to go."""
    from .typesys import ListType
    n = 0
    while isinstance(t, ListType):
        t, n = t.element, n + 1
    return n


def list_passable(t: Type) -> bool:
    """Whether Python can pass a List of type `t`: one of numbers, Bools, Strings
    or Lists of these, nested at most MAX_LIST_NESTING deep."""
    from .typesys import STRING, ListType
    depth = list_nesting(t)
    while isinstance(t, ListType):
        t = t.element
    return depth <= MAX_LIST_NESTING and (
        t == STRING or isinstance(t, SIMD) and t.width == 1 and t.dtype is not DType.float16)


def shown_result(t: Type) -> str:
    """`t` as a refused result's message shows it: a List nested too deeply to
    return (whose `str` would recurse once per level) by its depth."""
    from .typesys import is_tuple
    for e in [e for _, e in t.fields] if is_tuple(t) else [t]:
        depth = list_nesting(e)
        if depth > MAX_LIST_NESTING:
            return (f"{'a tuple holding ' if e is not t else ''}Lists nested {depth:,} deep "
                    f"(Python takes at most {MAX_LIST_NESTING})")
    return str(t)


def tuple_layout(t) -> list[int]:
    """Where each element of a tuple result lies from the start of the result
    area (8 bytes a scalar, a TensorDesc a Tensor, a SIMD vector's lanes rounded
    up to 8 bytes, a String's {bytes, length, owner} and a List's {data, len,
    cap} 24), and the area's size last."""
    offsets, at = [], 0
    for _, e in t.fields:
        offsets.append(at)
        kind = result_kind(e)
        at += DESC_SIZE if kind == "tensor" else _STRING.size if kind in ("string", "list") else \
            (_lanes_size(e) + 7) // 8 * 8 if kind == "simd" else 8
    return offsets + [at]


def _fast_check(kind: str, t: Type, var: str, k: int, written: bool,
                rank: int | None = None) -> str:
    """A Python expression true when `var` can be encoded without `convert`
    (`rank`: the ndim a Tensor parameter's uses need, see `check_ranks`)."""
    if kind == "float":                    # Float32: the entry rounds the double
        return f"type({var}) is float"
    if kind == "bool":
        return f"({var} is True or {var} is False)"
    if kind in ("signed", "unsigned"):
        lo, hi = t.dtype.int_range
        return f"type({var}) is int and {lo} <= {var} <= {hi}"
    if kind == "string":                   # other text is checked by `convert`
        return f"type({var}) is str and {var}.isascii()"
    if kind == "list":                     # `convert` copies the elements
        return "False"
    if kind == "simd":
        return f"type({var}) is _ml_ndarray and {var}.dtype is _ml_dt{k} and " \
               f"{var}.shape == ({t.width},)"
    ndim = f"{var}.ndim == {rank}" if rank is not None else f"0 < {var}.ndim < 5"
    check = f"type({var}) is _ml_ndarray and {var}.dtype is _ml_dt{k} and {ndim}"
    return check + (f" and {var}.flags.writeable" if written else "")


def python_caller(func, cfunc, convert, bind, fault, keep_alive):
    """Generate the Python function that encodes arguments into a pooled frame,
    calls the entry wrapper and decodes the result (see the module docstring).

    For `f(a: Float64, b: Float64) -> Float64` the generated code reads:

        def f(*_ml_args, **_ml_kw):
            if _ml_kw or len(_ml_args) != 2:          # keywords, defaults, a wrong count
                a0, a1 = _ml_convert(_ml_bind(_ml_args, _ml_kw))
            else:
                a0, a1 = _ml_args
                if not (type(a0) is float and type(a1) is float):
                    a0, a1 = _ml_convert([a0, a1])
            try: _ml_fr = _ml_pop()
            except IndexError: _ml_fr = _ml_frame()
            _ml_pack(_ml_fr[0], 120, a0, a1)
            if _ml_cfunc(_ml_fr[1], _ml_fr[2], _ml_fr[3]): ... raise the fault
            _ml_r = _ml_ret(_ml_fr[0], 32)[0]
            _ml_push(_ml_fr)
            if _ml_kept: return _ml_raise_kept(_ml_r)    # Ctrl-C in the last print
            return _ml_r
    """
    params = func.params
    n = len(params)
    kinds = [_param_kind(p.type) for p in params]
    names = [f"a{i}" for i in range(n)]
    written = func.writes
    ns: dict = {"_ml_convert": convert, "_ml_bind": bind, "_ml_cfunc": cfunc,
                "_ml_keep": keep_alive}
    arglist = "[" + ", ".join(names) + "]"
    unpack = ", ".join(names) + ("," if n == 1 else "")
    lines = ["def call(*_ml_args, **_ml_kw):"]
    if None in kinds:
        # A parameter Python cannot pass yet: `convert` raises the TypeError.
        lines.append("    _ml_convert(_ml_bind(_ml_args, _ml_kw))")
        lines.append("    raise AssertionError('unreachable')")
        return _exec_caller(lines, ns, func)
    if result_kind(func.ret) is None:
        # Checked arguments, then a TypeError: the call never runs, so nothing it
        # would return (and own) is lost.
        ns["_ml_error"] = TypeError(f"{shown_name(func.name)}() returns {shown_result(func.ret)}, "
                                    "which cannot be "
                                    "returned to Python yet")
        lines.append("    _ml_convert(_ml_bind(_ml_args, _ml_kw))")
        lines.append("    raise _ml_error")
        return _exec_caller(lines, ns, func)
    tensors = [i for i, k in enumerate(kinds) if k == "tensor"]
    vectors = [i for i, k in enumerate(kinds) if k == "simd"]
    # Keyword-only parameters (after a bare `*`), a variadic one: every call is bound.
    fast = f"_ml_kw or len(_ml_args) != {n}" \
        if func.positional is None and func.variadic is None else "True"
    lines.append(f"    if {fast}:")
    if n:
        lines.append(f"        {unpack} = _ml_convert(_ml_bind(_ml_args, _ml_kw))")
        lines.append("    else:")
        lines.append(f"        {unpack} = _ml_args")
        ranks = func.ranks
        checks = " and ".join(
            f"({_fast_check(k, p.type, v, i, p.name in written, ranks.get(p.name))})"
            for i, (k, p, v) in enumerate(zip(kinds, params, names)))
        lines.append(f"        if not ({checks}):")
        lines.append(f"            {unpack} = _ml_convert({arglist})")
    else:
        lines.append("        _ml_convert(_ml_bind(_ml_args, _ml_kw))")
    size = ARGS_OFF + 8 * n + DESC_SIZE * len(tensors)
    desc_offsets = [ARGS_OFF + 8 * n + DESC_SIZE * j for j in range(len(tensors))]
    lane_offsets = {}                  # a SIMD argument's lanes, after the descs
    for i in vectors:
        lane_offsets[i] = size
        size += _lanes_size(params[i].type)
    ret_off = RET_OFF
    if result_kind(func.ret) == "simd" and _lanes_size(func.ret) > ARGS_OFF - RET_OFF:
        ret_off, size = size, size + _lanes_size(func.ret)     # wider than the ret slot
    if result_kind(func.ret) == "tuple" and tuple_layout(func.ret)[-1] > ARGS_OFF - RET_OFF:
        ret_off, size = size, size + tuple_layout(func.ret)[-1]

    def new_frame():
        buf = ctypes.create_string_buffer(size)
        base = ctypes.addressof(buf)
        return (buf, base + CTX_OFF, base + ARGS_OFF, base + ret_off,
                *(base + off for off in desc_offsets),
                *(base + off for off in lane_offsets.values()))
    pool: list = []
    ns.update(_ml_pop=pool.pop, _ml_push=pool.append, _ml_frame=new_frame)
    lines.append("    try:")
    lines.append("        _ml_fr = _ml_pop()")
    lines.append("    except IndexError:")
    lines.append("        _ml_fr = _ml_frame()")
    slot_values = []
    if tensors or vectors or result_kind(func.ret) in ("simd", "tuple"):
        import numpy as np
        ns["_ml_ndarray"], ns["_ml_frombuffer"] = np.ndarray, np.frombuffer
        for j, i in enumerate(tensors):
            dtype = numpy_dtype(params[i].type.dtype)
            ns[f"_ml_dt{i}"] = dtype
            ns[f"_ml_desc{i}"] = _desc_filler(dtype.itemsize)
            lines.append(f"    if not _ml_desc{i}(_ml_fr[0], {desc_offsets[j]}, {names[i]}):")
            lines.append("        _ml_push(_ml_fr)")
            lines.append(f"        _ml_convert({arglist})")      # raises: bad strides
            lines.append("        raise AssertionError('unreachable')")
    for i in vectors:
        ns[f"_ml_dt{i}"] = numpy_dtype(params[i].type.dtype)
        start, end = lane_offsets[i], lane_offsets[i] + _lanes_size(params[i].type)
        lines.append(f"    _ml_fr[0][{start}:{end}] = {names[i]}.tobytes()")
    for i, name in enumerate(names):
        if kinds[i] == "simd":
            slot_values.append(f"_ml_fr[{4 + len(tensors) + vectors.index(i)}]")
            continue
        if kinds[i] == "string":     # the String value lives while this call runs
            ns["_ml_string"] = _string_value
            lines.append(f"    _ml_s{i} = _ml_string({name})")
            slot_values.append(f"_ml_s{i}[1]")
            continue
        if kinds[i] == "list":       # so does the List value, or a `mut` one's
            ns[f"_ml_list_in{i}"] = _list_value(params[i].type.element, params[i].by_ref)
            lines.append(f"    _ml_l{i} = _ml_list_in{i}({name})")
            slot_values.append(f"_ml_l{i}[1]")
            continue
        slot_values.append(f"_ml_fr[{4 + tensors.index(i)}]" if i in tensors else name)
    if n:
        ns["_ml_pack"] = struct.Struct("<" + "".join(_PARAM_CODE[k] for k in kinds)).pack_into
        lines.append(f"    _ml_pack(_ml_fr[0], {ARGS_OFF}, {', '.join(slot_values)})")
    ns["_ml_fault"] = lambda buf: fault(*_fault_record(buf))
    changed = [i for i, k in enumerate(kinds) if k == "list" and params[i].by_ref]
    if changed:     # a `mut` List's elements go back into the Python list, fault or not
        lines.append("    _ml_failed = _ml_cfunc(_ml_fr[1], _ml_fr[2], _ml_fr[3])")
        for i in changed:
            ns[f"_ml_list_back{i}"] = _list_written_back(params[i].type.element)
            lines.append(f"    _ml_list_back{i}(_ml_l{i}[0], {names[i]}.target)")
    lines.append("    if _ml_failed:" if changed else
                 "    if _ml_cfunc(_ml_fr[1], _ml_fr[2], _ml_fr[3]):")
    lines.append("        _ml_error = _ml_fault(_ml_fr[0])")      # before another thread
    lines.append("        _ml_push(_ml_fr)")                      # may take the frame
    lines.append("        raise _ml_error")
    # An exception a print callback kept after the call's last check: raised here.
    from .errors import _callback_exceptions, raise_kept
    ns.update(_ml_kept=_callback_exceptions, _ml_raise_kept=raise_kept)
    ret = func.ret
    if ret_is_none(ret):
        lines.append("    _ml_push(_ml_fr)")
        lines.append("    if _ml_kept: return _ml_raise_kept()")
        lines.append("    return None")
        return _exec_caller(lines, ns, func)
    arrays = "(" + "".join(f"{names[i]}, " for i in tensors) + ")"
    if result_kind(ret) == "tuple":
        offsets = tuple_layout(ret)
        for k, (_, e) in enumerate(ret.fields):
            lines.append(_decode_result(e, f"_ml_r{k}", ret_off + offsets[k], ns, arrays, k))
        lines.append(f"    _ml_r = ({''.join(f'_ml_r{k}, ' for k in range(len(ret.fields)))})")
    else:
        lines.append(_decode_result(ret, "_ml_r", ret_off, ns, arrays, ""))
    lines.append("    _ml_push(_ml_fr)")
    lines.append("    if _ml_kept: return _ml_raise_kept(_ml_r)")
    lines.append("    return _ml_r")
    return _exec_caller(lines, ns, func)


def _decode_result(t: Type, var: str, offset: int, ns: dict, arrays: str, k) -> str:
    """The line of the caller that reads a result (or a tuple result's element
    `k`) of type `t` at `offset` in the frame into `var`."""
    kind = result_kind(t)
    if kind == "tensor":
        ns[f"_ml_result{k}"] = _tensor_result(numpy_dtype(t.dtype))
        return f"    {var} = _ml_result{k}(_ml_fr[0], {offset}, {arrays})"
    if kind == "simd":
        ns[f"_ml_rdt{k}"] = numpy_dtype(t.dtype)
        return f"    {var} = _ml_frombuffer(_ml_fr[0], _ml_rdt{k}, {t.width}, {offset}).copy()"
    if kind == "string":
        ns["_ml_text"] = _string_result
        return f"    {var} = _ml_text(_ml_fr[0], {offset})"
    if kind == "list":
        ns[f"_ml_list{k}"] = _list_result(t)
        return f"    {var} = _ml_list{k}(_ml_fr[0], {offset})"
    code = {"float": "d", "signed": "q", "unsigned": "Q", "bool": "?"}[kind]
    ns[f"_ml_ret{k}"] = struct.Struct("<" + code).unpack_from
    return f"    {var} = _ml_ret{k}(_ml_fr[0], {offset})[0]"


def _lanes_size(t: SIMD) -> int:
    """Bytes of a SIMD vector's lanes in a frame (Bool lanes are bytes)."""
    return t.width * numpy_dtype(t.dtype).itemsize


def _string_value(text: str):
    """(buffer, address): a String value `{ptr bytes, i64 length, ptr owner}`
    (no owner: the text is borrowed) followed by the UTF-8 bytes it points to,
    kept alive by holding the buffer."""
    data = text.encode("utf-8")
    head = _STRING.size
    buf = ctypes.create_string_buffer(head + len(data))
    address = ctypes.addressof(buf)
    _STRING.pack_into(buf, 0, address + head, len(data), 0)
    buf[head:head + len(data)] = data
    return buf, address


_STRING = struct.Struct("<QqQ")


def _string_result(buf, offset: int) -> str:
    """The String result at `offset` as a Python str; the reference the result
    held to a computed String's block is given back."""
    address, n, owner = _STRING.unpack_from(buf, offset)
    text = ctypes.string_at(address, n).decode("utf-8", "replace")
    _release(owner)
    return text


_LIST = struct.Struct("<QqQ")


def _list_value(e: Type, by_ref: bool):
    """value(elements) → (buffer, address, kept): a List value `{ptr data, i64 len,
    i64 cap}` of the checked `elements` (`api.ListArgument`), alive while `kept`
    (the buffers its elements point into) is. A read List's elements, and the
    Lists in it, lie in buffers of `kept`; a `mut` one's, and each List's in it,
    are blocks from malloc, which the call may grow or free, and which
    `_list_written_back` frees after it. A String element borrows its text
    (owner NULL) from a buffer of `kept`."""
    encode = _elements_encoder(e, by_ref)

    def value(elements):
        kept: list = []
        buf = ctypes.create_string_buffer(_LIST.size)
        _LIST.pack_into(buf, 0, _list_block(encode(elements, kept), by_ref, kept),
                        len(elements), len(elements))
        return buf, ctypes.addressof(buf), kept
    return value


def _list_block(data: bytes, by_ref: bool, kept: list) -> int:
    """The address of a copy of a List's element bytes: a malloc block for a `mut`
    List (0 for none), else a buffer that `kept` holds."""
    if by_ref:
        block = _malloc(len(data)) if data else 0
        if data:
            ctypes.memmove(block, data, len(data))
        return block
    if not data:
        return 0
    block = ctypes.create_string_buffer(data, len(data))
    kept.append(block)
    return ctypes.addressof(block)


def _elements_encoder(e: Type, by_ref: bool = False):
    """encode(elements, kept) → the bytes of a List's elements of type `e`: numbers
    as NumPy lays them out, a String as `{bytes, length, NULL}` over its UTF-8 text
    (all of a List's texts in one buffer of `kept`), a List as `{data, len, cap}`
    (`_list_block`)."""
    from .typesys import STRING, ListType
    if e == STRING:
        def encode(elements, kept):
            texts = [t.encode("utf-8") for t in elements]
            block = ctypes.create_string_buffer(b"".join(texts))
            kept.append(block)
            out, at = bytearray(_STRING.size * len(texts)), ctypes.addressof(block)
            for k, t in enumerate(texts):
                _STRING.pack_into(out, k * _STRING.size, at, len(t), 0)
                at += len(t)
            return bytes(out)
        return encode
    if isinstance(e, ListType):
        def encode(elements, kept):
            out = bytearray(_LIST.size * len(elements))
            for k, inner in enumerate(elements):
                _LIST.pack_into(out, k * _LIST.size,
                                _list_block(inner_encode(inner, kept), by_ref, kept),
                                len(inner), len(inner))
            return bytes(out)
        inner_encode = _elements_encoder(e.element, by_ref)
        return encode
    import numpy as np
    dtype = numpy_dtype(e.dtype)
    return lambda elements, kept: np.array(elements, dtype).tobytes()


def _list_written_back(e: Type):
    """back(buffer, target): the `mut` List in `buffer` (`_list_value`) as the
    call left it becomes the elements of the Python list `target`, in place;
    its memory is freed."""
    items = _list_items(e)

    def back(buf, target):
        data, n, _ = _LIST.unpack_from(buf, 0)
        target[:] = items(data, n)
    return back


def _list_result(t):
    """result(buf, offset) → the List result at `offset` as a Python list of
    what each element would be alone; the List's memory (its buffer, its
    Strings' references, its Lists) is given back. The List is the caller's
    alone: a List is never shared."""
    unpack, items = _LIST.unpack_from, _list_items(t.element)

    def result(buf, offset):
        data, n, _ = unpack(buf, offset)
        return items(data, n)
    return result


def _list_items(e: Type):
    """items(data, n) → the `n` elements of type `e` at `data` as a Python
    list, after which the buffer is freed (and what its elements owned)."""
    kind = result_kind(e)
    if kind == "string":
        size = _STRING.size

        def decode(raw, n):
            return [_string_result(raw, k * size) for k in range(n)]
    elif kind == "list":
        size, inner = _LIST.size, _list_items(e.element)

        def decode(raw, n):
            return [inner(*_LIST.unpack_from(raw, k * size)[:2]) for k in range(n)]
    else:                                   # numbers, or vectors: their lanes
        import numpy as np
        dtype, width = numpy_dtype(e.dtype), e.width
        size = dtype.itemsize * width

        def decode(raw, n):
            a = np.frombuffer(raw, dtype)
            return a.tolist() if width == 1 else list(a.reshape(n, width).copy())

    def items(data, n):
        out = decode(ctypes.string_at(data, n * size), n) if n else []
        _free(data)
        return out
    return items


def _fault_record(buf) -> tuple[int, int, int]:
    """(site, a, b) of a failed call; the frame's ctx is left clean for its next use."""
    _, site, a, b = _CTX.unpack_from(buf, CTX_OFF)
    _CTX.pack_into(buf, CTX_OFF, 0, 0, 0, 0)
    return site, a, b


def _exec_caller(lines: list[str], ns: dict, func):
    text = "\n".join(lines) + "\n"
    exec(compile(text, f"<mojolite caller of {func.name}>", "exec"), ns)
    call = ns["call"]
    call.__name__ = call.__qualname__ = shown_name(func.name)
    call.__signature__ = python_signature(func)
    call.__doc__ = f"Calls the compiled {call.__name__}{call.__signature__}."   # as the builtin's
    call._ml_source = text
    return call


def _desc_filler(itemsize: int):
    """fill(buf, offset, array) → True after writing the array's TensorDesc at
    `offset`, False when a stride is not a multiple of the item size."""
    pack = _DESC.pack_into
    data_of = _data_pointer_reader()
    pad_shape = [(1,) * (4 - r) for r in range(5)]
    pad_strides = [(0,) * (4 - r) for r in range(5)]

    def fill(buf, offset, a):
        shape, strides = a.shape, a.strides
        if len(shape) == 1:
            s = strides[0]
            if s % itemsize:
                return False
            pack(buf, offset, data_of(a) or 0, 1, shape[0], 1, 1, 1, s // itemsize, 0, 0, 0, 0)
            return True
        if any(s % itemsize for s in strides):
            return False
        r = len(shape)
        pack(buf, offset, data_of(a) or 0, r, *shape, *pad_shape[r],
             *(s // itemsize for s in strides), *pad_strides[r], 0)
        return True
    return fill


_data_reader = None


def _data_pointer_reader():
    """array → its data address. NumPy's own accessors (`__array_interface__`,
    `.ctypes`) cost about a microsecond; the address is also a field of the
    array object, at an offset found (and checked) once against them."""
    global _data_reader
    if _data_reader is not None:
        return _data_reader
    import numpy as np
    samples = [np.arange(6.0), np.arange(6.0)[1::2], np.zeros((2, 3), dtype=np.int8).T]
    truth = [x.__array_interface__["data"][0] for x in samples]
    for off in range(16, 56, 8):
        if all(ctypes.c_void_p.from_address(id(x) + off).value == t
               for x, t in zip(samples, truth)):
            from_address = ctypes.c_void_p.from_address
            _data_reader = lambda a: from_address(id(a) + off).value  # noqa: E731
            break
    else:
        _data_reader = lambda a: a.__array_interface__["data"][0]  # noqa: E731
    return _data_reader


_libc = None


def _c_library():
    global _libc
    if _libc is None:
        libc = ctypes.CDLL(None)
        libc.free.argtypes, libc.free.restype = [ctypes.c_void_p], None
        libc.malloc.argtypes, libc.malloc.restype = [ctypes.c_size_t], ctypes.c_void_p
        _libc = libc
    return _libc


def _free(address: int) -> None:
    _c_library().free(address)


def _malloc(size: int) -> int:
    address = _c_library().malloc(size)
    if not address:
        raise MemoryError(f"cannot allocate {size} bytes for a List argument")
    return address


class _ArrayMemory:
    """The base a returned array keeps alive: either a block the program
    allocated (`owner`: its first 8 bytes are a reference count; the array
    holds one reference, given back when the array dies), or an argument array
    the result is a view of."""

    def __init__(self, interface: dict, owner: int = 0, base=None):
        self.__array_interface__ = interface
        self.owner, self.base = owner, base

    def __del__(self):
        owner, self.owner = self.owner, 0
        _release(owner)


def _release(owner: int) -> None:
    """Give back one reference to a block the program allocated (its first 8
    bytes count them; the last frees it). 0: nothing to give back."""
    if owner:
        count = ctypes.c_int64.from_address(owner)
        count.value -= 1
        if count.value == 0:
            _free(owner)


def _tensor_result(dtype):
    """result(buf, offset, argument_arrays) → the TensorDesc at `offset` as a
    NumPy array without a copy."""
    import numpy as np
    itemsize, typestr = dtype.itemsize, dtype.str
    unpack = _DESC.unpack_from

    def result(buf, offset, arrays):
        data, rank, *rest = unpack(buf, offset)
        shape, owner = tuple(rest[:rank]), rest[8]
        strides = tuple(s * itemsize for s in rest[4:4 + rank])
        interface = {"data": (data, False), "shape": shape, "strides": strides,
                     "typestr": typestr, "version": 3}
        if owner:
            return np.asarray(_ArrayMemory(interface, owner=owner))
        base = _array_containing(data, arrays)
        if base is None:
            if 0 in shape:
                return np.empty(shape, dtype)
            raise InternalError("jit: a returned Tensor views memory no argument owns")
        interface["data"] = (data, not base.flags.writeable)
        return np.asarray(_ArrayMemory(interface, base=base))
    return result


def _array_containing(address: int, arrays):
    data_of = _data_pointer_reader()
    for a in arrays:
        lo = hi = data_of(a) or 0
        for n, s in zip(a.shape, a.strides):
            if n == 0:
                break
            if s < 0:
                lo += (n - 1) * s
            else:
                hi += (n - 1) * s
        else:
            if lo <= address < hi + a.itemsize:
                return a
    return None

"""The Python side of the functions JIT-compiled code calls.

In: nothing. Out: `symbols()`, the addresses of every name in
`module.py`'s `RUNTIME_FUNCTIONS` (ctypes callbacks, kept alive here), of the `random`
state, of the stack guard's pthread key and of what `publish` added (the thread pool's entry points): the table
`objload` links cached code against, without LLVM. `register()` gives the same
names to MCJIT (and loads the C math library the IR calls, `sin`, `expf`,
`fmod` ...); it is part of LLVM's initialisation (`jit._initialise`). Printing
goes through `fmt.format_value`, the same text the reference interpreter prints,
and writes to whatever `sys.stdout` is at call time (pytest capture, redirects),
one whole `print` per write (the pieces gather per thread until `print_done`).
`String(x)` prints x into a capture instead (`str_begin`, the print calls,
`str_end`, which gives the text's length, and `str_take`, which copies it to
where the compiled code allocated room for it): one formatter for both.
"""
from __future__ import annotations

import ctypes
import functools
import sys
import threading

from ..errors import callback_raised, keep_callback_exception
from ..fmt import format_element, format_value
from ..target import libm_name
from ..typesys import BOOL, FLOAT32, FLOAT64, INT, STRING, UINT


# The pieces of the print being made, per thread (by `threading.get_ident`: a
# pool thread is not a Python thread, and its callbacks get a fresh Python
# thread state, and fresh thread-locals, on every call).
_pending: dict[int, list[str]] = {}


def _write(text: str) -> None:
    _pending.setdefault(threading.get_ident(), []).append(text)


# The Python functions the callbacks call (`_keep_dropped`).
_CALLBACK_FUNCTIONS: set = set()


def _callback(failed=None):
    """A callback that keeps its exception for the call to raise: Python runs its
    SIGINT handler in any callback of the main thread, and ctypes would print the
    KeyboardInterrupt, drop it and run the code on. The code checks at the end of
    each print and `String(x)` and fails there (errors.CALLBACK_RAISED); the
    callback returns `failed`. One raised before the `try` (the handler may run
    as the function starts) reaches `_keep_dropped`."""
    def wrap(fn):
        @functools.wraps(fn)
        def run(*args):
            try:
                return fn(*args)
            except BaseException as e:      # Ctrl-C included, on purpose
                _keep(e)
                return failed
        _CALLBACK_FUNCTIONS.add(run)
        return run
    return wrap


def _keep(e: BaseException) -> None:
    """Keep `e`, and drop what the interrupted callback left half done for this thread."""
    keep_callback_exception(e)
    tid = threading.get_ident()
    for state in (_pending, _set_aside, _captured):
        state.pop(tid, None)


def _keep_dropped(unraisable) -> None:
    """`sys.unraisablehook` once this module is loaded: an exception a callback
    raised before its `try` is kept (`_callback`); any other goes to the hook
    there was before."""
    if unraisable.object in _CALLBACK_FUNCTIONS and unraisable.exc_value is not None:
        _keep(unraisable.exc_value)
    else:
        _previous_hook(unraisable)


_previous_hook = sys.unraisablehook
sys.unraisablehook = _keep_dropped


@ctypes.CFUNCTYPE(ctypes.c_int32)
@_callback(failed=1)
def _print_done():
    """One `print` is complete: write its text with one call, so that lines
    printed by parallel threads do not interleave; 1 where Python raised in
    this print's callbacks (or this one), for the code to fail."""
    parts = _pending.pop(threading.get_ident(), None)
    if parts:
        sys.stdout.write("".join(parts))
    return 1 if callback_raised() else 0


# `String(x)`: per thread, the pieces of the enclosing print set aside while
# x prints into a capture, and the text of the capture just ended.
_set_aside: dict[int, list] = {}
_captured: dict[int, bytes] = {}


@ctypes.CFUNCTYPE(None)
@_callback()
def _str_begin():
    tid = threading.get_ident()
    _set_aside.setdefault(tid, []).append(_pending.pop(tid, None))


@ctypes.CFUNCTYPE(ctypes.c_int64)
@_callback(failed=-1)
def _str_end():
    """The captured text's length in UTF-8 bytes, which `str_take` copies; -1
    where Python raised meanwhile."""
    tid = threading.get_ident()
    data = "".join(_pending.pop(tid, ())).encode("utf-8")
    outer = _set_aside[tid].pop() if _set_aside.get(tid) else None
    if not _set_aside.get(tid, True):
        del _set_aside[tid]
    if outer is not None:
        _pending[tid] = outer
    if callback_raised():       # the code fails here: the enclosing print never ends
        _pending.pop(tid, None)
        return -1
    _captured[tid] = data
    return len(data)


@ctypes.CFUNCTYPE(None, ctypes.c_void_p)
@_callback()
def _str_take(dest):
    data = _captured.pop(threading.get_ident(), b"")
    if data:
        ctypes.memmove(dest, data, len(data))


@ctypes.CFUNCTYPE(None, ctypes.c_int64)
@_callback()
def _print_i64(v):
    _write(format_value(v, INT))


@ctypes.CFUNCTYPE(None, ctypes.c_uint64)
@_callback()
def _print_u64(v):
    _write(format_value(v, UINT))


@ctypes.CFUNCTYPE(None, ctypes.c_double)
@_callback()
def _print_f64(v):
    _write(format_value(v, FLOAT64))


@ctypes.CFUNCTYPE(None, ctypes.c_float)
@_callback()
def _print_f32(v):
    _write(format_value(v, FLOAT32))


@ctypes.CFUNCTYPE(None, ctypes.c_int32)
@_callback()
def _print_bool(v):
    _write(format_value(bool(v), BOOL))


@ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int64)
@_callback()
def _print_str(ptr, n):
    _write(ctypes.string_at(ptr, n).decode("utf-8") if n else "")


@ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int64)
@_callback()
def _print_repr(ptr, n):
    """A String element of a printed List: quoted as Python's `repr` does."""
    _write(format_element(ctypes.string_at(ptr, n).decode("utf-8") if n else "", STRING))


@ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p)
def _lazy_link(slot):
    """A lazily linked slot's first call: see `lazylink.link`."""
    from .lazylink import link
    return link(slot)


CALLBACKS = {
    "mojolite_print_i64": _print_i64,
    "mojolite_print_u64": _print_u64,
    "mojolite_print_f64": _print_f64,
    "mojolite_print_f32": _print_f32,
    "mojolite_print_bool": _print_bool,
    "mojolite_print_str": _print_str,
    "mojolite_print_repr": _print_repr,
    "mojolite_print_done": _print_done,
    "mojolite_str_begin": _str_begin,
    "mojolite_str_end": _str_end,
    "mojolite_str_take": _str_take,
    "mojolite_lazy_link": _lazy_link,
}

# The pthread key under which each thread caches its stack limit
# (`stackguard.py`): made once per process, its value read by compiled code.
STACK_KEY_SYMBOL = "mojolite_stack_key"
_stack_key = ctypes.c_uint32(0)
if sys.platform.startswith("linux"):
    if ctypes.CDLL(None).pthread_key_create(ctypes.byref(_stack_key), None) != 0:
        raise ImportError("mojolite: pthread_key_create failed")

_registered = False
_published: dict[str, int] = {}     # runtime symbols made at run time: the pool's entries


def symbols() -> dict[str, int]:
    """name -> address of every runtime symbol this process provides so far."""
    from .. import stdlib          # the `random` state, shared with the reference mode
    table = {name: ctypes.cast(cb, ctypes.c_void_p).value for name, cb in CALLBACKS.items()}
    table[stdlib.STATE_SYMBOL] = stdlib.state_address()
    table[STACK_KEY_SYMBOL] = ctypes.addressof(_stack_key)
    table.update(_published)
    return table


def publish(table: dict[str, int]) -> None:
    """Add runtime symbols (the thread pool's entry points) for later code to
    link against: for `objload` at once, for MCJIT now if LLVM is in use, else
    when `register()` runs."""
    _published.update(table)
    if _registered or "llvmlite.binding" in sys.modules:
        import llvmlite.binding as llvm
        for name, address in table.items():
            llvm.add_symbol(name, address)


def register() -> None:
    """Idempotent: add `symbols()` and the C math library to LLVM's symbol
    table (part of LLVM initialisation, hence process-wide)."""
    global _registered
    if _registered:
        return
    import llvmlite.binding as llvm
    for name, address in symbols().items():
        llvm.add_symbol(name, address)
    llvm.load_library_permanently(libm_name())
    _registered = True

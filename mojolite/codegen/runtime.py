"""The Python side of the functions JIT-compiled code calls.

In: nothing. Out: `register()`, which makes every name in
`lower.RUNTIME_FUNCTIONS` resolvable by MCJIT (ctypes callbacks, kept alive here)
and loads the C math library the IR calls (`sin`, `expf`, `fmod` ...). Printing
goes through `fmt.format_value`, the same text the reference interpreter prints,
and writes to whatever `sys.stdout` is at call time (pytest capture, redirects).
"""
from __future__ import annotations

import ctypes
import sys

import llvmlite.binding as llvm

from ..fmt import format_value
from ..target import libm_name
from ..typesys import BOOL, FLOAT32, FLOAT64, INT, UINT


def _write(text: str) -> None:
    sys.stdout.write(text)


@ctypes.CFUNCTYPE(None, ctypes.c_int64)
def _print_i64(v):
    _write(format_value(v, INT))


@ctypes.CFUNCTYPE(None, ctypes.c_uint64)
def _print_u64(v):
    _write(format_value(v, UINT))


@ctypes.CFUNCTYPE(None, ctypes.c_double)
def _print_f64(v):
    _write(format_value(v, FLOAT64))


@ctypes.CFUNCTYPE(None, ctypes.c_float)
def _print_f32(v):
    _write(format_value(v, FLOAT32))


@ctypes.CFUNCTYPE(None, ctypes.c_int32)
def _print_bool(v):
    _write(format_value(bool(v), BOOL))


@ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int64)
def _print_str(ptr, n):
    _write(ctypes.string_at(ptr, n).decode("utf-8") if n else "")


CALLBACKS = {
    "mojolite_print_i64": _print_i64,
    "mojolite_print_u64": _print_u64,
    "mojolite_print_f64": _print_f64,
    "mojolite_print_f32": _print_f32,
    "mojolite_print_bool": _print_bool,
    "mojolite_print_str": _print_str,
}

_registered = False


def register() -> None:
    """Idempotent: add the callbacks' addresses and the C math library to LLVM's
    symbol table (part of LLVM initialisation, hence process-wide)."""
    global _registered
    if _registered:
        return
    for name, cb in CALLBACKS.items():
        llvm.add_symbol(name, ctypes.cast(cb, ctypes.c_void_p).value)
    llvm.load_library_permanently(libm_name())
    from .. import stdlib          # the `random` state, shared with the reference mode
    llvm.add_symbol(stdlib.STATE_SYMBOL, stdlib.state_address())
    _registered = True

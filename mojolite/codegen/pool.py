"""The thread pool in this process: its machine code, loaded once, and the thread count.

In: nothing. Out: `ensure_runtime()`, which makes the pool's entry points
(`EXPORTS`, see `threadpool.py` for the IR and the scheduling) callable and
publishes them (`runtime.publish`) for compiled code to link against;
`set_num_threads` and `get_num_threads`.

The machine code comes from the disk cache when it holds it, mapped by
`objload` (no LLVM in the process); otherwise, or when the loader declines
the object, `threadpool.compile_runtime` builds it with MCJIT (and stores it).
This module imports no llvmlite, so a warm-cache load of a parallel program
never loads LLVM.

Building it costs about 40 ms of LLVM, which runs without the GIL:
`prepare_runtime()` starts that on a thread of its own while the caller parses
and checks a program that uses `parallelize`, and `ensure_runtime` then waits
for it (llvmlite serialises its calls, so the two threads never run LLVM at once).
"""
from __future__ import annotations

import ctypes
import os
import sys
import threading
import warnings

from ..target import cores
from . import runtime

MAX_THREADS = 256             # workers in one region, the calling thread included
ENV_VAR = "MOJOLITE_NUM_THREADS"
EXPORTS = ("mojolite_parallel_for", "mojolite_set_num_threads", "mojolite_get_num_threads")
AFTER_FORK = "mojolite_pool_after_fork"
CACHE_NAME = "threadpool runtime"       # what its object code is stored under
FAST_SWITCH_S = 0.0005        # the GIL switch interval while `prepare_runtime` compiles


class _Runtime:
    """The loaded pool: what holds its code (never released) and ctypes views of its entries."""

    def __init__(self, holder, addresses: dict[str, int]):
        self.holder = holder
        self.addresses = addresses
        self.set_threads = ctypes.CFUNCTYPE(None, ctypes.c_int64)(
            addresses["mojolite_set_num_threads"])
        self.get_threads = ctypes.CFUNCTYPE(ctypes.c_int64)(addresses["mojolite_get_num_threads"])
        self.after_fork = ctypes.CFUNCTYPE(None)(addresses[AFTER_FORK])


_runtime: _Runtime | None = None
_lock = threading.Lock()
_code = None                      # what holds the pool's machine code, once made
_code_lock = threading.Lock()
_preparing: threading.Thread | None = None


def prepare_runtime() -> None:
    """Start making the pool's machine code on another thread (once per process);
    a failure there is left for `ensure_runtime` to raise where the pool is used."""
    global _preparing
    if _code is None and _preparing is None:
        _preparing = threading.Thread(target=_prepare, name="mojolite pool compile")
        _preparing.start()
        # A fork while that thread holds a lock (ours, llvmlite's) would leave the lock
        # held forever in the child: fork waits for it instead (40 ms at most).
        os.register_at_fork(before=_preparing.join)


def _prepare() -> None:
    # Between its LLVM calls this thread needs the GIL for a moment, and the thread
    # running the front end hands it over only every switch interval (5 ms by
    # default): a shorter interval while the pool compiles lets the two overlap.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, FAST_SWITCH_S))
    try:
        _machine_code()
    except Exception:       # noqa: BLE001 (ensure_runtime makes it again, and reports it)
        pass
    finally:
        if sys.getswitchinterval() == min(interval, FAST_SWITCH_S):
            sys.setswitchinterval(interval)


def _machine_code():
    """The pool's code: mapped from the disk cache, else compiled (made once)."""
    global _code
    with _code_lock:
        if _code is None:
            _code = _load_cached()
            if _code is None:
                from .threadpool import compile_runtime
                _code = compile_runtime()
        return _code


def ensure_runtime() -> None:
    """Load (or compile) and publish the pool once per process (idempotent, thread-safe)."""
    global _runtime
    if _runtime is not None:
        return
    with _lock:
        if _runtime is not None:
            return
        holder = _machine_code()
        addresses = {}
        for name in (*EXPORTS, AFTER_FORK):
            addresses[name] = holder.get_function_address(name)
            if not addresses[name]:
                raise RuntimeError(f"thread pool: no machine code for {name}")
        made = _Runtime(holder, addresses)
        runtime.publish({name: addresses[name] for name in EXPORTS})
        made.set_threads(_initial_num_threads())
        os.register_at_fork(after_in_child=made.after_fork)
        _runtime = made


def _load_cached():
    """The pool's code mapped from the disk cache by `objload`, or None."""
    from .. import cache, objload
    code = cache.load_code(CACHE_NAME) if objload.enabled() else None
    if code is None:
        return None
    try:
        return objload.load(code, runtime.symbols())
    except objload.LoadError:
        return None


def _initial_num_threads() -> int:
    """`MOJOLITE_NUM_THREADS` if it is a valid count, else the usable cores."""
    default = max(1, min(cores(), MAX_THREADS))
    raw = os.environ.get(ENV_VAR, "").strip()
    if not raw:
        return default
    try:
        n = int(raw)
    except ValueError:
        n = 0
    if n < 1:
        warnings.warn(f"{ENV_VAR}={raw!r} is not a positive integer; using {default} threads",
                      RuntimeWarning, stacklevel=3)
        return default
    if n > MAX_THREADS:
        warnings.warn(f"{ENV_VAR}={raw!r} exceeds the maximum; using {MAX_THREADS} threads",
                      RuntimeWarning, stacklevel=3)
        return MAX_THREADS
    return n


def set_num_threads(n: int) -> None:
    """Use `n` workers (the calling thread included) in later parallel regions."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"set_num_threads: expected an int, got {type(n).__name__}")
    if not 1 <= n <= MAX_THREADS:
        raise ValueError(f"set_num_threads: the thread count must be between 1 and "
                         f"{MAX_THREADS}, got {n}")
    ensure_runtime()
    _runtime.set_threads(n)


def get_num_threads() -> int:
    """The number of workers a parallel region uses (at most)."""
    ensure_runtime()
    return int(_runtime.get_threads())

"""Facts about the host CPU that the language folds at compile time.

In: nothing. Out: `simd_width(dtype)` (lanes in the widest native vector) and
the CPU name and features that `jit.py` targets. llvmlite is imported on
first use only, so `import mojolite` stays cheap.
"""
from __future__ import annotations

import functools
import os

from .typesys import DType


@functools.cache
def host() -> tuple[str, str]:
    import llvmlite.binding as llvm
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()
    return llvm.get_host_cpu_name(), llvm.get_host_cpu_features().flatten()


@functools.cache
def vector_bytes() -> int:
    features = host()[1]
    if "+avx512f" in features.split(","):
        return 64
    if "+avx" in features.split(","):
        return 32
    return 16


def simd_width(dtype: DType) -> int:
    bits = 8 if dtype is DType.bool else dtype.bits
    return max(1, vector_bytes() * 8 // bits)


@functools.cache
def libm_name() -> str:
    """The C math library, by a name dlopen accepts. `find_library` spawns a
    process (tens of milliseconds), so the usual names are tried first."""
    import ctypes
    for name in ("libm.so.6", "libm.dylib"):
        try:
            ctypes.CDLL(name)
            return name
        except OSError:
            pass
    import ctypes.util          # imports subprocess: only when the usual names fail
    return ctypes.util.find_library("m") or "libm.so.6"


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)

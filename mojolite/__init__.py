"""mojolite: a small typed Mojo-like language embedded in Python, compiled with LLVM.

    import mojolite
    from mojolite import Float64, Int

    @mojolite.fn
    def hypot2(x: Float64, y: Float64) -> Float64:
        return x * x + y * y

    hypot2(3.0, 4.0)                      # 25.0, compiled on this first call

    m = mojolite.compile(open("prog.ml").read())
    m.main()

`import mojolite` stays light: the parser, the checker, NumPy and LLVM load on
the first compile. The type names (`Float64`, `Tensor`, `DType` ...) are
markers Python evaluates in annotations; `docs/python.md` lists the Python
spellings of the language.
"""
import os as _os

# Print LLVM pointers as `ptr` (LLVM's own, opaque spelling) in IR dumps; this
# only takes effect if llvmlite was not imported before mojolite.
_os.environ.setdefault("LLVMLITE_ENABLE_IR_LAYER_TYPED_POINTERS", "0")

from .errors import CompileError, InternalError, MojoliteError, RaisedError, RuntimeFault, UserError
from .kernel import Kernel, fn
from .markers import MARKERS as _MARKERS
from .pystruct import PyStruct, struct

__version__ = "0.1.0"

# The names kernels annotate with: Bool, Int, UInt, Int8..UInt64, Float32, Float64,
# String, SIMD, Scalar, Tensor, UnsafePointer, DTypePointer, List, Tuple, DType, Mut,
# Inout, Owned, Param, Alias, vectorize, parallelize, simdwidthof, ... parameter, Error.
globals().update(_MARKERS)


def compile(text: str, name: str = "<string>", *, opt: int = 3, reference: bool | None = None,
            boundscheck: bool = True, fastmath: bool = False):
    """Compile mojolite source text to a module whose functions are callable.
    `reference` None follows the environment variable MOJOLITE_REFERENCE."""
    from .api import compile as _compile
    try:
        return _compile(text, name, opt=opt, reference=reference, boundscheck=boundscheck,
                        fastmath=fastmath)
    except MojoliteError as e:          # the compiler's own frames are of no use here
        raise e.with_traceback(None) from None


def load(path, *, opt: int = 3, reference: bool | None = None, boundscheck: bool = True,
         fastmath: bool = False):
    """Compile a `.ml` file to a module whose functions are callable."""
    from .api import load as _load
    try:
        return _load(path, opt=opt, reference=reference, boundscheck=boundscheck,
                     fastmath=fastmath)
    except MojoliteError as e:
        raise e.with_traceback(None) from None


def set_num_threads(n: int) -> None:
    """Run later `parallelize` regions on at most `n` threads, the calling one
    included (1 to 256; the default is the number of usable cores, or the
    environment variable MOJOLITE_NUM_THREADS)."""
    from .codegen.pool import set_num_threads as _set
    _set(n)


def get_num_threads() -> int:
    """The number of threads a `parallelize` region uses at most."""
    from .codegen.pool import get_num_threads as _get
    return _get()


__all__ = ["compile", "load", "fn", "struct", "PyStruct", "Kernel", "set_num_threads", "get_num_threads", "CompileError", "InternalError", "MojoliteError",
           "RaisedError", "RuntimeFault", "UserError", "__version__", *sorted(_MARKERS)]

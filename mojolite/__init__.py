"""mojolite: a small typed Mojo-like language embedded in Python, compiled with LLVM.

    import mojolite
    m = mojolite.compile(open("prog.ml").read())
    m.main()

`import mojolite` stays light: the parser, the checker and LLVM load on the
first compile.
"""
import os as _os

# Print LLVM pointers as `ptr` (LLVM's own, opaque spelling) in IR dumps; this
# only takes effect if llvmlite was not imported before mojolite.
_os.environ.setdefault("LLVMLITE_ENABLE_IR_LAYER_TYPED_POINTERS", "0")

from .errors import CompileError, InternalError, MojoliteError, RuntimeFault, UserError

__version__ = "0.1.0"


def compile(text: str, name: str = "<string>", *, opt: int = 3, reference: bool = False):
    """Compile mojolite source text to a module whose functions are callable."""
    from .api import compile as _compile
    return _compile(text, name, opt=opt, reference=reference)


def load(path, *, opt: int = 3, reference: bool = False):
    """Compile a `.ml` file to a module whose functions are callable."""
    from .api import load as _load
    return _load(path, opt=opt, reference=reference)


__all__ = ["compile", "load", "CompileError", "InternalError", "MojoliteError", "RuntimeFault",
           "UserError", "__version__"]

"""LLVM back end: `lower.lower_module` turns a typed Program into an LLVM module;
`runtime` holds the Python side of the functions that module calls (print).

The names below load `lower` on first use: importing `codegen.runtime` (as a
module loaded from the disk cache does) must not import the lowering."""

__all__ = ["Lowered", "llvm_type", "lower_module"]


def __getattr__(name):
    if name in __all__:
        from . import lower
        return getattr(lower, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""LLVM back end: `lower.lower_module` turns a typed Program into an LLVM module;
`runtime` holds the Python side of the functions that module calls (print)."""
from .lower import Lowered, annotate_asm, annotate_ir, llvm_type, lower_module

__all__ = ["Lowered", "annotate_asm", "annotate_ir", "llvm_type", "lower_module"]

"""Operators: enums whose value is their spelling.

In: nothing. Out: `BinOp`, `UnOp`, `CmpOp`, `LogicOp`, shared by the syntax
tree, the typed tree and the rule tables of `semantics`. A module of their own
so that the run time (`semantics`, `memory`, `stdlib`), which a module loaded
from the disk cache imports, does not import the node classes of `syntax`.
"""
import enum


class BinOp(enum.Enum):
    __hash__ = object.__hash__   # singletons; Enum's hash is slow

    ADD = "+"
    SUB = "-"
    MUL = "*"
    DIV = "/"
    FLOORDIV = "//"
    MOD = "%"
    POW = "**"
    MATMUL = "@"
    AND = "&"
    OR = "|"
    XOR = "^"
    SHL = "<<"
    SHR = ">>"


class UnOp(enum.Enum):
    __hash__ = object.__hash__   # singletons; Enum's hash is slow

    NEG = "-"
    POS = "+"
    INVERT = "~"
    NOT = "not"


class CmpOp(enum.Enum):
    __hash__ = object.__hash__   # singletons; Enum's hash is slow

    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    EQ = "=="
    NE = "!="


class LogicOp(enum.Enum):
    __hash__ = object.__hash__   # singletons; Enum's hash is slow

    AND = "and"
    OR = "or"

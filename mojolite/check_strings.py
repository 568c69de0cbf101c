"""Type rules of String operations beyond `+`, `==`, `len` and `String(x)`.

In: syntax nodes handed over by the checker (`typecheck._Checker` inherits
these methods). Out: `typed.Builtin` nodes named `string.*` (the reference
mode's `memory.BUILTINS`, the JIT's `codegen/strings.RULES`). Rules,
as current Mojo's String (UTF-8 bytes, indexed and measured by byte):
- `s[i]`: a one-byte String; a negative `i` counts from the end; out of range
  is a runtime fault (checked mode), and so is a byte inside a multi-byte
  character (Mojo would give a String that is not UTF-8);
- `s[a:b:k]`: the bytes Python's slice of a list would take (check_memory.slice_expr);
  cutting a multi-byte character is a runtime fault;
- `for c in s`: each character, a String (check_memory.for_each, `string.chars`);
- `ord(s)`: the code point of a one-character String; `chr(i)`: the String of
  code point `i`;
- `<`, `<=`, `>`, `>=` compare bytewise (code point order; typecheck.py);
  `s * n` is s repeated n times ("" for n <= 0; Mojo has no `n * s`);
  `sub in s` tests for a substring (check_memory.expr_Contains);
- methods: `startswith(p)`, `endswith(p)`, `find(sub, start=0)` (a byte
  position, -1 when absent), `count(sub)`, `upper()`, `lower()` (ASCII letters),
  `strip()`, `lstrip()`, `rstrip()` (ASCII whitespace), `replace(old, new)`,
  `split(sep)` / `split()` (runs of ASCII whitespace) -> `List[String]`,
  `sep.join(list_of_strings)`, `isdigit()` (ASCII digits, not empty);
- `Int(s)` / `atol(s)`: base 10 with an optional sign, `_` between digits and
  whitespace around; other text, or a value past Int64, is a runtime fault.
- `Float64(s)` / `atof(s)` (and `Float32(s)`, the Float64 rounded): Python's
  `float(s)` in ASCII: a sign, digits with `_` between them, `.`, an exponent,
  or `inf` / `infinity` / `nan` in any case, whitespace around; other text is a
  runtime fault.
"""
from __future__ import annotations

from . import syntax as S
from . import typed as T
from .typesys import BOOL, FLOAT64, INT, STRING, ListType, SIMD, is_int

STRING_FUNCTIONS = {"ord", "chr", "atol", "atof"}

# method: (parameter names, the number required, result type); every parameter
# is a String but `find`'s start.
_METHODS = {
    "startswith": (("prefix",), 1, BOOL),
    "endswith": (("suffix",), 1, BOOL),
    "find": (("substr", "start"), 1, INT),
    "count": (("substr",), 1, INT),
    "upper": ((), 0, STRING),
    "lower": ((), 0, STRING),
    "strip": ((), 0, STRING),
    "lstrip": ((), 0, STRING),
    "rstrip": ((), 0, STRING),
    "replace": (("old", "new"), 2, STRING),
    "split": (("sep",), 0, ListType(STRING)),
    "join": (("elems",), 1, STRING),
    "isdigit": ((), 0, BOOL),
}


class StringChecks:
    def string_index(self, base: T.Expr, node: S.Subscript) -> T.Expr:
        if node.kwargs or len(node.args) != 1:
            raise self.error("a String takes one index: `s[i]`", node.span)
        i = self.integer_index(node.args[0])
        return T.Builtin(STRING, "string.index", (base, i), span=node.span)

    def string_repeat(self, lhs: T.Expr, rhs: T.Expr, span) -> T.Expr:
        if lhs.type != STRING:
            raise self.error("'*' repeats the String on its left", span,
                             hint=f"write `{rhs.span.text} * {lhs.span.text}`")
        n = self.materialize(rhs)
        if not (isinstance(n.type, SIMD) and n.type.width == 1 and is_int(n.type)):
            raise self.error(f"cannot repeat a String {n.type} times", span,
                             hint="'*' takes a String and an integer: `s * 3`")
        n = self.make_cast(n, INT, span)
        if isinstance(lhs, T.Const) and isinstance(n, T.Const) and n.value < 4096:
            return T.Const(STRING, lhs.value * n.value, span=span)
        return T.Builtin(STRING, "string.repeat", (lhs, n), span=span)

    def string_contains(self, text: T.Expr, node) -> T.Expr:
        """`sub in s`."""
        sub = self.string_arg(node.item, "`in` on a String")
        return T.Builtin(BOOL, "string.contains", (text, sub), span=node.span)

    def string_arg(self, node: S.Expr, what: str) -> T.Expr:
        x = self.expr(node)
        if x.type != STRING:
            raise self.error(f"{what} needs a String, not {self.materialize(x).type}",
                             node.span)
        return x

    def writer_call(self, node: S.Call):
        """`writer.write(a, b, ...)` on a String (the Writer a `write_to` method is
        given): `writer += str(a) + str(b) + ...`; None if not one."""
        func = node.func
        if not (isinstance(func, S.Attribute) and func.name == "write") or \
                self.entity_of(func) is not None or self.expr(func.value).type != STRING:
            return None
        if node.kwargs:
            raise self.error("write() takes no keyword arguments", node.kwargs[0].span)
        if not node.args:
            return []
        text = None
        for a in node.args:
            piece = S.Call(S.Name("str", span=a.span), (a,), (), span=a.span)
            text = piece if text is None else S.Binary(S.BinOp.ADD, text, piece, span=node.span)
        return self.visit_AugAssign(S.AugAssign(S.BinOp.ADD, func.value, text, span=node.span))

    def string_method(self, base: T.Expr, name: str, node: S.Call) -> T.Expr:
        if name not in _METHODS:
            raise self.error(f"String has no method '{name}'", S.name_span(node.func),
                             hint="a String has " + ", ".join(f"{m}()" for m in _METHODS))
        names, required, rtype = _METHODS[name]
        given = len(node.args) + len(node.kwargs)
        if given < len(names):          # the optional ones left out
            args = self.method_args(node, names[:max(given, required)], name)
        else:
            args = self.method_args(node, names, name)
        if name == "join":
            elems = self.expr(args[0])
            if elems.type != ListType(STRING):
                raise self.error(f"join() needs a List[String], not {elems.type}",
                                 args[0].span)
            return T.Builtin(STRING, "string.join", (base, elems), span=node.span)
        values = [self.integer_index(a) if p == "start" else self.string_arg(a, f"{name}()")
                  for p, a in zip(names, args)]
        if name == "find" and len(values) == 1:
            values.append(T.Const(INT, 0, span=node.span))
        key = "words" if name == "split" and not values else name
        return T.Builtin(rtype, f"string.{key}", (base, *values), span=node.span)

    def string_builtin(self, name: str, node: S.Call) -> T.Expr:
        """`ord(s)`, `chr(i)`, `atol(s)`, `atof(s)`."""
        if name in ("atol", "atof"):
            (s,) = self.method_args(node, ("str",), name)
            return T.Builtin(INT if name == "atol" else FLOAT64, f"string.{name}",
                             (self.string_arg(s, f"{name}()"),), span=node.span)
        if name == "ord":
            (s,) = self.method_args(node, ("s",), "ord")
            return T.Builtin(INT, "string.ord", (self.string_arg(s, "ord()"),), span=node.span)
        (c,) = self.method_args(node, ("c",), "chr")
        return T.Builtin(STRING, "string.chr", (self.integer_index(c),), span=node.span)

"""Parser and checker structure: precedence, spans, literal typing, dispatch coverage."""
import inspect

import pytest

from mojolite import syntax as S
from mojolite import typed as T
from mojolite.api import front_end
from mojolite.parser import parse
from mojolite.source import Source
from mojolite.target import simd_width
from mojolite.typecheck import _Checker
from mojolite.typesys import DType


def expr(text):
    module = parse(Source("t.ml", f"fn main():\n    _ = {text}\n"))
    return module.body[0].body[0].value


def n(x):
    return S.Name(x, span=None)


@pytest.mark.parametrize("text,tree", [
    ("a + b * c", S.Binary(S.BinOp.ADD, n("a"), S.Binary(S.BinOp.MUL, n("b"), n("c")))),
    ("-a ** b", S.Unary(S.UnOp.NEG, S.Binary(S.BinOp.POW, n("a"), n("b")))),
    ("a ** b ** c", S.Binary(S.BinOp.POW, n("a"), S.Binary(S.BinOp.POW, n("b"), n("c")))),
    ("a - b - c", S.Binary(S.BinOp.SUB, S.Binary(S.BinOp.SUB, n("a"), n("b")), n("c"))),
    ("a << 1 + b", S.Binary(S.BinOp.SHL, n("a"), S.Binary(S.BinOp.ADD, S.IntLit(1), n("b")))),
    ("a & b | c ^ d", S.Binary(S.BinOp.OR, S.Binary(S.BinOp.AND, n("a"), n("b")),
                               S.Binary(S.BinOp.XOR, n("c"), n("d")))),
    ("not a < b", S.Unary(S.UnOp.NOT, S.Compare((n("a"), n("b")), (S.CmpOp.LT,)))),
    ("a < b <= c", S.Compare((n("a"), n("b"), n("c")), (S.CmpOp.LT, S.CmpOp.LE))),
    ("a or b and c", S.Logic(S.LogicOp.OR, n("a"), S.Logic(S.LogicOp.AND, n("b"), n("c")))),
    ("a if b else c if d else e", S.IfExp(n("b"), n("a"), S.IfExp(n("d"), n("c"), n("e")))),
    ("0x_ff + 0b101 + 0o17 + 1_000", S.Binary(S.BinOp.ADD, S.Binary(S.BinOp.ADD, S.Binary(
        S.BinOp.ADD, S.IntLit(255), S.IntLit(5)), S.IntLit(15)), S.IntLit(1000))),
    (".5 + 1e-3", S.Binary(S.BinOp.ADD, S.FloatLit(0.5), S.FloatLit(0.001))),
    # `_` separates the digits of an exponent too, as in Python
    ("1_0e1_0 + 1.5e-0_1", S.Binary(S.BinOp.ADD, S.FloatLit(1e11), S.FloatLit(0.15))),
])
def test_precedence(text, tree):
    assert expr(text) == tree


@pytest.mark.parametrize("text,tree", [
    ("f(a^, b^)", S.Call(n("f"), (S.Transfer(n("a")), S.Transfer(n("b"))), ())),
    ("[a^]", S.ListExpr((S.Transfer(n("a")),))),
    ("a^.x", S.Attribute(S.Transfer(n("a")), "x")),
    ("f(a^\n    )", S.Call(n("f"), (S.Transfer(n("a")),), ())),
    ("a^  # moved", S.Transfer(n("a"))),
    ("a^", S.Transfer(n("a"))),
    # `^` before an operand is xor, also over a line break inside brackets
    ("a ^ b", S.Binary(S.BinOp.XOR, n("a"), n("b"))),
    ("a^b", S.Binary(S.BinOp.XOR, n("a"), n("b"))),
    ("(a ^\n    b)", S.Binary(S.BinOp.XOR, n("a"), n("b"))),
    ("(a\n    ^ b)", S.Binary(S.BinOp.XOR, n("a"), n("b"))),
    ("a ^ .5", S.Binary(S.BinOp.XOR, n("a"), S.FloatLit(0.5))),
    ("f(a ^ \"),\") ^ b", S.Binary(S.BinOp.XOR, S.Call(n("f"), (S.Binary(
        S.BinOp.XOR, n("a"), S.StrLit("),")),), ()), n("b"))),
])
def test_transfer_sigil_and_xor(text, tree):
    assert expr(text) == tree


def _sub(value, *args, kwargs=()):
    return S.Subscript(value, tuple(args), tuple(kwargs))


@pytest.mark.parametrize("text,tree", [
    ("l[a:b]", _sub(n("l"), S.Slice(n("a"), n("b"), None))),
    ("l[a:]", _sub(n("l"), S.Slice(n("a"), None, None))),
    ("l[:b]", _sub(n("l"), S.Slice(None, n("b"), None))),
    ("l[:]", _sub(n("l"), S.Slice(None, None, None))),
    ("l[::]", _sub(n("l"), S.Slice(None, None, None))),
    ("l[a:b:]", _sub(n("l"), S.Slice(n("a"), n("b"), None))),
    ("l[::-1]", _sub(n("l"), S.Slice(None, None, S.Unary(S.UnOp.NEG, S.IntLit(1))))),
    ("l[a + 1:f(b):s]", _sub(n("l"), S.Slice(S.Binary(S.BinOp.ADD, n("a"), S.IntLit(1)),
                                             S.Call(n("f"), (n("b"),), ()), n("s")))),
    ("l[1:][::2]", _sub(_sub(n("l"), S.Slice(S.IntLit(1), None, None)),
                        S.Slice(None, None, S.IntLit(2)))),
    # what shares the brackets stays as it was
    ("t[i, j]", _sub(n("t"), n("i"), n("j"))),
    ("p.load[width=w](i)", S.Call(_sub(S.Attribute(n("p"), "load"),
                                       kwargs=(S.Keyword("width", n("w")),)),
                                  (n("i"),), ())),
    ("SIMD[dt, 4]", _sub(n("SIMD"), n("dt"), S.IntLit(4))),
    ("p[]", _sub(n("p"))),
])
def test_subscripts_and_slices(text, tree):
    assert expr(text) == tree


def test_a_slice_spans_its_colons():
    assert [a.span.text for a in expr("l[a : b, :, ::2, 1:]").args] == \
        ["a : b", ":", "::2", "1:"]


def test_transfer_spans_its_sigil():
    e = expr("f(abc^)").args[0]
    assert e.span.text == "abc^" and e.value.span.text == "abc"


def test_spans_point_at_source():
    e = expr("alpha  +  beta * 2")
    assert e.span.text == "alpha  +  beta * 2"
    assert e.rhs.span.text == "beta * 2" and e.rhs.span.column == 19


def test_layout_forms():
    src = ('"""doc"""\nfn main():\n    var x = (1 +\n             2)\n    var y = 1 + \\\n        2\n'
           '    if x == y: print(x)\n    pass  # comment\n')
    assert len(parse(Source("t.ml", src)).body) == 1


def test_tabs_in_continuation_lines_are_no_indentation():
    # inside brackets, or after a `\`, a line's leading whitespace is not indentation
    # (Python's rule), tabs included; a comment or string between changes nothing
    src = ('fn main():\n    var x = (1,  # a ) in a comment\n\t2)\n'
           '    var l = List[String](\n\t\t"3", ")",\n\t"4")\n'
           '    var y = 1 + \\\n\t2\n    print(x[1], y, len(l))\n')
    assert len(parse(Source("t.ml", src)).body) == 1


def test_mojo_spellings_accepted():
    src = ("fn f(borrowed a: Int, inout b: Int, owned c: Int, read d: Int, mut e: Int) raises -> Int:\n"
           "    return a\n")
    fn = parse(Source("t.ml", src)).body[0]
    assert [p.convention for p in fn.params] == [S.Convention.READ, S.Convention.MUT,
                                                  S.Convention.OWNED, S.Convention.READ,
                                                  S.Convention.MUT]
    assert fn.raises


def test_literals_take_the_other_operands_type():
    _, program = front_end(Source("t.ml", "fn f(x: Int8) -> Int8:\n    return x + 1\n"))
    ret = program.functions[0].body[0].value
    assert isinstance(ret, T.Binary) and ret.rhs == T.Const(ret.type, 1)
    assert str(ret.type) == "Int8"


def test_aliases_fold_to_constants():
    _, program = front_end(Source("t.ml", "alias N = 3 * 4\nalias W = N + 1\n"
                                          "fn f() -> Int:\n    return W\n"))
    assert program.functions[0].body[0].value == T.Const(program.functions[0].ret, 13)


@pytest.mark.parametrize("imports, use", [
    ("import sys.info", "sys.info.simdwidthof"),
    ("import sys.info", "sys.simdwidthof"),
    ("import sys", "sys.info.simdwidthof"),
    ("from sys import info", "info.simdwidthof"),
    ("import sys.info as si", "si.simdwidthof"),
])
def test_submodules_resolve_as_python_resolves_them(imports, use):
    _, program = front_end(Source("t.ml", f"{imports}\nfn f() -> Int:\n"
                                          f"    return {use}[DType.float64]()\n"))
    assert program.functions[0].body[0].value == T.Const(program.functions[0].ret,
                                                         simd_width(DType.float64))


def test_checker_handles_every_syntax_node():
    stmts = [c for c in vars(S).values() if inspect.isclass(c) and issubclass(c, S.Stmt)
             and c is not S.Stmt]
    exprs = [c for c in vars(S).values() if inspect.isclass(c) and issubclass(c, S.Expr)
             and c is not S.Expr and c is not S.FnTypeExpr]
    for c in stmts:
        assert hasattr(_Checker, "visit_" + c.__name__), c
    for c in exprs:
        assert hasattr(_Checker, "expr_" + c.__name__), c

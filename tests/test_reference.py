"""The reference interpreter on hand-built typed trees.

Each test builds the typed tree the checker would produce, runs it with
`reference.run` and checks the value, the printed text, or the runtime fault
with its span. No parser or checker is involved, so these tests pin the
oracle's semantics on their own.
"""
import io
import math
import sys

import pytest

from mojolite import reference, semantics, typed
from mojolite.errors import InternalError, RuntimeFault
from mojolite.source import Source
from mojolite.syntax import BinOp, CmpOp, LogicOp, UnOp
from mojolite.typesys import BOOL, FLOAT32, FLOAT64, INT, NONE, STRING, DType, scalar

SRC = Source("t.ml", "abcdefghijklmnopqrstuvwxyz\n" * 4)


def sp(start: int = 0):
    """Distinct spans let a test check which node a fault points at."""
    return SRC.span(start, start + 1)


# ------------------------------------------------------------------ tree builders
def const(value, type_=INT):
    return typed.Const(type_, value, span=sp())


def var(name, type_=INT):
    return typed.Var(name, type_, True, sp())


def param(name, type_=INT):
    return typed.Var(name, type_, False, sp(), is_param=True)


def load(v):
    return typed.Load(v.type, v, span=sp())


def binop(op, a, b, span=None):
    return typed.Binary(a.type, op, a, b, span=span or sp())


def cmp(operands, ops):
    return typed.Compare(BOOL, tuple(operands), tuple(ops), span=sp())


def call(fn, *args, span=None):
    return typed.Call(fn.ret, fn, tuple(args), span=span or sp())


def ret(value=None):
    return typed.Return(value, span=sp())


def prints(*values, sep=" ", end="\n"):
    return typed.Print(tuple(values), const(sep, STRING), const(end, STRING), span=sp())


def assign(targets, values):
    return typed.Assign(tuple(targets), tuple(values), span=sp())


def function(name, params, ret_type, body=()):
    return typed.Function(name, name, list(params), ret_type, False, sp(), tuple(body))


def run(fns, name="main", args=(), **kw):
    """Run `name`; returns (result, printed text)."""
    out = io.StringIO()
    result = reference.run(typed.Program(list(fns), "t.ml"), name, list(args), out=out, **kw)
    return result, out.getvalue()


def run_binary(op, dtype, a, b):
    """The value of `a op b` computed by a function of two parameters of `dtype`."""
    t = scalar(dtype)
    x, y = param("x", t), param("y", t)
    f = function("f", [x, y], t, [ret(binop(op, load(x), load(y)))])
    return run([f], "f", [a, b])[0]


def noisy_fn(type_=INT):
    """`fn noisy(x) -> T: print("eval", x); return x` — makes evaluation visible."""
    x = param("x", type_)
    return function("noisy", [x], type_,
                    [prints(const("eval", STRING), load(x)), ret(load(x))])


# ------------------------------------------------------------------ integers
@pytest.mark.parametrize("dtype, op, a, b, expected", [
    (DType.int8, BinOp.ADD, 127, 1, -128),
    (DType.int8, BinOp.MUL, 16, 16, 0),
    (DType.uint8, BinOp.SUB, 0, 1, 255),
    (DType.uint8, BinOp.ADD, 200, 100, 44),
    (DType.int16, BinOp.ADD, 32767, 1, -32768),
    (DType.uint16, BinOp.MUL, 256, 256, 0),
    (DType.int32, BinOp.MUL, 65536, 32768, -2**31),
    (DType.uint32, BinOp.SUB, 3, 5, 2**32 - 2),
    (DType.int64, BinOp.ADD, 2**63 - 1, 1, -2**63),
    (DType.index, BinOp.SUB, -2**63, 1, 2**63 - 1),
    (DType.uint64, BinOp.SUB, 0, 1, 2**64 - 1),
    (DType.uindex, BinOp.MUL, 2**63, 2, 0),
    (DType.int8, BinOp.POW, 3, 5, 243 - 256),
    (DType.int32, BinOp.SHL, 1, 31, -2**31),
    (DType.int32, BinOp.SHL, 1, 32, 0),
    (DType.int32, BinOp.SHR, -8, 40, -1),
])
def test_integer_arithmetic_wraps_per_dtype(dtype, op, a, b, expected):
    assert run_binary(op, dtype, a, b) == expected


@pytest.mark.parametrize("dtype, a, b, quotient, remainder", [
    (DType.index, -7, 2, -4, 1),
    (DType.index, 7, -2, -4, -1),
    (DType.index, -7, -2, 3, -1),
    (DType.int8, -128, 3, -43, 1),
    (DType.int64, -2**63, -1, -2**63, 0),    # INT_MIN // -1 wraps to INT_MIN
    (DType.int8, -128, -1, -128, 0),
    (DType.uint8, 255, 7, 36, 3),
])
def test_floor_division_and_modulo(dtype, a, b, quotient, remainder):
    assert run_binary(BinOp.FLOORDIV, dtype, a, b) == quotient
    assert run_binary(BinOp.MOD, dtype, a, b) == remainder


@pytest.mark.parametrize("op, message", [(BinOp.FLOORDIV, semantics.DIV_BY_ZERO),
                                         (BinOp.MOD, semantics.MOD_BY_ZERO)])
def test_division_by_zero_is_a_fault_at_the_binary(op, message):
    x = param("x")
    division = binop(op, const(1), load(x), span=SRC.span(30, 35))
    f = function("f", [x], INT, [prints(const("before", STRING)),
                                 ret(binop(BinOp.ADD, division, const(1)))])
    out = io.StringIO()
    with pytest.raises(RuntimeFault) as info:
        reference.run(typed.Program([f], "t.ml"), "f", [0], out=out)
    assert info.value.message == message
    assert info.value.span is division.span
    assert "t.ml:2:4" in info.value.render()
    assert out.getvalue() == "before\n"


def test_unary_and_cast():
    t8 = scalar(DType.int8)
    assert reference.eval_const(typed.Unary(t8, UnOp.NEG, const(-128, t8), span=sp())) == -128
    u8 = scalar(DType.uint8)
    assert reference.eval_const(typed.Unary(u8, UnOp.INVERT, const(1, u8), span=sp())) == 254
    assert reference.eval_const(typed.Unary(BOOL, UnOp.NOT, const(False, BOOL), span=sp()))

    def cast(value, src, dst):
        return reference.eval_const(typed.Cast(dst, const(value, src), span=sp()))
    assert cast(300, INT, t8) == 44
    assert cast(-1, t8, scalar(DType.uint16)) == 65535
    assert cast(1e30, FLOAT64, scalar(DType.int32)) == 2**31 - 1
    assert cast(-2.9, FLOAT64, INT) == -2
    assert cast(math.nan, FLOAT64, INT) == 0
    assert cast(0.1, FLOAT64, FLOAT32) == semantics.f32(0.1)
    assert cast(2, INT, BOOL) is True


# ------------------------------------------------------------------ floats
def test_float32_rounds_every_operation():
    a, b = semantics.f32(0.1), semantics.f32(0.2)
    total = run_binary(BinOp.ADD, DType.float32, a, b)
    assert total == semantics.f32(a + b) != a + b
    assert run_binary(BinOp.ADD, DType.float32, 16777216.0, 1.0) == 16777216.0
    assert run_binary(BinOp.ADD, DType.float64, 16777216.0, 1.0) == 16777217.0
    big = semantics.f32(1e30)
    assert run_binary(BinOp.MUL, DType.float32, big, big) == math.inf


def test_float_division_by_zero_is_ieee():
    assert run_binary(BinOp.DIV, DType.float64, 1.0, 0.0) == math.inf
    assert run_binary(BinOp.DIV, DType.float64, -1.0, 0.0) == -math.inf
    assert math.isnan(run_binary(BinOp.DIV, DType.float64, 0.0, 0.0))


@pytest.mark.parametrize("dtype, x, cube", [
    # (x*x)*x differs from libm's pow(x, 3.0) in the last place for these x.
    (DType.float64, 1.134364244112401, 1.4596797611099233),
    (DType.float32, 1.8474336862564087, 6.305312156677246),
])
def test_float_pow_by_constant_3_is_multiplies(dtype, x, cube):
    t = scalar(dtype)
    p = param("x", t)
    by_const = function("c", [p], t, [ret(binop(BinOp.POW, load(p), const(3.0, t)))])
    assert run([by_const], "c", [x])[0] == cube
    # A variable exponent goes to pow, which rounds the other way.
    q = param("y", t)
    by_var = function("v", [p, q], t, [ret(binop(BinOp.POW, load(p), load(q)))])
    assert run([by_var], "v", [x, 3.0])[0] != cube


def test_math_calls():
    def math_call(name, *args, type_=FLOAT64):
        result = BOOL if name in semantics.MATH_PREDICATES else type_
        return typed.MathCall(result, name, tuple(const(a, type_) for a in args),
                              span=SRC.span(40, 45))
    assert reference.eval_const(math_call("sqrt", 2.0)) == math.sqrt(2.0)
    assert reference.eval_const(math_call("sqrt", 2.0, type_=FLOAT32)) == semantics.f32(
        math.sqrt(2.0))
    assert reference.eval_const(math_call("isnan", math.nan)) is True
    assert reference.eval_const(math_call("max", 3, 9, type_=INT)) == 9
    bad = math_call("pow", 2, -1, type_=INT)
    f = function("f", [], INT, [ret(bad)])
    with pytest.raises(RuntimeFault) as info:
        run([f], "f")
    assert info.value.message == semantics.NEG_EXPONENT
    assert info.value.span is bad.span


# ------------------------------------------------------------------ evaluation order
def test_chained_compare_evaluates_each_operand_once():
    noisy = noisy_fn()
    main = function("main", [], NONE, [
        prints(cmp([const(0), call(noisy, const(5)), const(10)], [CmpOp.LT, CmpOp.LT])),
        prints(cmp([const(1), call(noisy, const(0)), call(noisy, const(99))],
                   [CmpOp.LT, CmpOp.LT])),
    ])
    assert run([noisy, main])[1] == "eval 5\nTrue\neval 0\nFalse\n"


def test_logic_and_ifexp_evaluate_only_what_they_need():
    noisy = noisy_fn(BOOL)

    def logic(op, lhs, rhs):
        return typed.Logic(BOOL, op, lhs, rhs, span=sp())
    main = function("main", [], NONE, [
        prints(logic(LogicOp.AND, const(False, BOOL), call(noisy, const(True, BOOL)))),
        prints(logic(LogicOp.OR, const(True, BOOL), call(noisy, const(False, BOOL)))),
        prints(logic(LogicOp.AND, const(True, BOOL), call(noisy, const(False, BOOL)))),
        prints(logic(LogicOp.OR, const(False, BOOL), call(noisy, const(True, BOOL)))),
        prints(typed.IfExp(BOOL, const(True, BOOL), call(noisy, const(True, BOOL)),
                           call(noisy, const(False, BOOL)), span=sp())),
    ])
    assert run([noisy, main])[1] == (
        "False\nTrue\neval False\nFalse\neval True\nTrue\neval True\nTrue\n")


def test_assign_evaluates_all_values_before_storing():
    a, b = var("a"), var("b")
    noisy = noisy_fn()
    main = function("main", [], NONE, [
        typed.Declare(a, const(1), span=sp()),
        typed.Declare(b, const(2), span=sp()),
        assign([a, b], [load(b), load(a)]),
        assign([None], [call(noisy, const(7))]),
        prints(load(a), load(b)),
    ])
    assert run([noisy, main])[1] == "eval 7\n2 1\n"


def test_variables_are_keyed_by_identity_not_name():
    outer, inner = var("x"), var("x")
    main = function("main", [], NONE, [
        typed.Declare(outer, const(1), span=sp()),
        typed.Declare(inner, const(2), span=sp()),
        prints(load(outer), load(inner)),
    ])
    assert run([main])[1] == "1 2\n"


# ------------------------------------------------------------------ loops
def for_range(v, start, stop, step, body, span=None):
    return typed.ForRange(v, start, stop, step, tuple(body), span=span or sp())


def test_for_range_negative_step_ignores_assignments_to_the_loop_variable():
    i = var("i")
    main = function("main", [], NONE, [
        for_range(i, const(10), const(0), const(-3), [
            prints(load(i), end=" "),
            assign([i], [const(100)]),
        ]),
        prints(load(i)),
    ])
    assert run([main])[1] == "10 7 4 1 100\n"


def test_for_range_evaluates_bounds_once_and_zero_step_faults():
    i = var("i")
    noisy = noisy_fn()
    loop = for_range(i, call(noisy, const(0)), call(noisy, const(5)), call(noisy, const(0)),
                     [prints(load(i))], span=SRC.span(50, 60))
    main = function("main", [], NONE, [loop])
    out = io.StringIO()
    with pytest.raises(RuntimeFault) as info:
        reference.run(typed.Program([noisy, main], "t.ml"), "main", [], out=out)
    assert info.value.message == semantics.ZERO_STEP
    assert info.value.span is loop.span
    assert out.getvalue() == "eval 0\neval 5\neval 0\n"


def test_while_with_break_continue_and_return_from_a_loop():
    # fn f(n) -> Int: var i = 0; var s = 0
    #   while True: i += 1; if i > n: break; if i % 2 == 0: continue; if i == 7: return -s
    #   s += i
    #   return s
    n, i, s = param("n"), var("i"), var("s")
    true = const(True, BOOL)

    def when(cond, *body):
        return typed.If(cond, tuple(body), (), span=sp())
    body = [
        typed.Declare(i, const(0), span=sp()),
        typed.Declare(s, const(0), span=sp()),
        typed.While(true, (
            assign([i], [binop(BinOp.ADD, load(i), const(1))]),
            when(cmp([load(i), load(n)], [CmpOp.GT]), typed.Break(span=sp())),
            when(cmp([binop(BinOp.MOD, load(i), const(2)), const(0)], [CmpOp.EQ]),
                 typed.Continue(span=sp())),
            when(cmp([load(i), const(7)], [CmpOp.EQ]),
                 ret(typed.Unary(INT, UnOp.NEG, load(s), span=sp()))),
            assign([s], [binop(BinOp.ADD, load(s), load(i))]),
        ), span=sp()),
        ret(load(s)),
    ]
    f = function("f", [n], INT, body)
    assert run([f], "f", [5])[0] == 1 + 3 + 5
    assert run([f], "f", [20])[0] == -(1 + 3 + 5)


# ------------------------------------------------------------------ calls
def factorial_program():
    """fn fact(n: Int) -> Int: if n <= 1: return 1 \\n return n * fact(n - 1)"""
    n = param("n")
    fact = function("fact", [n], INT)
    fact.body = (
        typed.If(cmp([load(n), const(1)], [CmpOp.LE]), (ret(const(1)),), (), span=sp()),
        ret(binop(BinOp.MUL, load(n), call(fact, binop(BinOp.SUB, load(n), const(1))))),
    )
    return fact


def test_recursion():
    fact = factorial_program()
    assert run([fact], "fact", [20])[0] == 2432902008176640000
    assert run([fact], "fact", [25])[0] == semantics.wrap(math.factorial(25), DType.index)
    assert run([fact], "fact", [1500])[0] == 0     # deeper than Python's default limit


def test_deep_recursion_is_a_fault_not_a_crash():
    # fn down(n: Int) -> Int: if n == 0: return 0 \n return down(n - 1) + 1
    n = param("n")
    down = function("down", [n], INT)
    inner = call(down, binop(BinOp.SUB, load(n), const(1)), span=SRC.span(70, 80))
    down.body = (
        typed.If(cmp([load(n), const(0)], [CmpOp.EQ]), (ret(const(0)),), (), span=sp()),
        ret(binop(BinOp.ADD, inner, const(1))),
    )
    limit = sys.getrecursionlimit()
    with pytest.raises(RuntimeFault) as info:
        run([down], "down", [10**7])
    assert info.value.message == reference.TOO_DEEP
    assert info.value.span is down.span      # the function, as checked JIT code says
    assert sys.getrecursionlimit() == limit
    assert run([down], "down", [1000])[0] == 1000


def test_mut_arguments_write_back_to_the_callers_variable():
    # fn bump(mut x: Int) -> Int: x += 10; return x
    # fn show(mut x: Int, y: Int): print(x, y); x = 0
    # fn main(): var a = 1; show(a, bump(a)); print(a)
    x = typed.Var("x", INT, True, sp(), is_param=True, by_ref=True)
    bump = function("bump", [x], INT, [assign([x], [binop(BinOp.ADD, load(x), const(10))]),
                                       ret(load(x))])
    x2, y = typed.Var("x", INT, True, sp(), is_param=True, by_ref=True), param("y")
    show = function("show", [x2, y], NONE, [prints(load(x2), load(y)), assign([x2], [const(0)])])
    a = var("a")

    def ref(v):
        return typed.Ref(v.type, typed.Load(v.type, v, span=sp()), span=sp())
    main = function("main", [], NONE, [
        typed.Declare(a, const(1), span=sp()),
        typed.ExprStmt(call(show, ref(a), call(bump, ref(a))), span=sp()),
        prints(load(a)),
    ])
    # show starts from a's value after bump ran (11), and its write of 0 is seen.
    assert run([bump, show, main])[1] == "11 11\n0\n"


def test_raise_stops_with_its_message_at_the_raise():
    stop = typed.Raise(const("boom", STRING), span=SRC.span(3, 9))
    f = function("f", [], NONE, [prints(const("a", STRING)), stop, prints(const("b", STRING))])
    out = io.StringIO()
    with pytest.raises(RuntimeFault) as info:
        reference.run(typed.Program([f], "t.ml"), "f", [], out=out)
    assert info.value.message == "boom"
    assert info.value.span is stop.span
    assert out.getvalue() == "a\n"


def test_defaults_and_argument_checks():
    a, b = param("a"), param("b", FLOAT32)
    f = function("f", [a, b], NONE, [prints(load(a), load(b))])
    f.defaults = (semantics.f32(0.1),)
    assert run([f], "f", [3]) == (None, "3 0.1\n")
    with pytest.raises(InternalError):
        run([f], "f", [])
    assert run([f], "f", [3, 0.1])[1] == "3 0.1\n"      # rounded to float32 on the way in
    assert run([f], "f", [3, 2])[1] == "3 2.0\n"
    with pytest.raises(InternalError):
        run([f], "f", [2**63, 1.0])         # out of range for Int
    with pytest.raises(InternalError):
        run([f], "f", [True, 1.0])          # a Bool is not an Int
    with pytest.raises(InternalError):
        run([f], "nope")


# ------------------------------------------------------------------ print
def test_print_formats_like_python():
    main = function("main", [], NONE, [
        prints(const(1e-05, FLOAT64), const(-0.0, FLOAT64), const(math.nan, FLOAT64),
               const(math.inf, FLOAT64), const(-math.inf, FLOAT64), const(0.1, FLOAT64)),
        prints(const(True, BOOL), const(False, BOOL), const(-5), const("s", STRING), sep=","),
        prints(const(semantics.f32(0.1), FLOAT32), const(1e16, FLOAT32),
               const(semantics.f32(1e-05), FLOAT32), sep="", end="|"),
        prints(),
    ])
    assert run([main])[1] == ("1e-05 -0.0 nan inf -inf 0.1\n"
                              "True,False,-5,s\n"
                              "0.11e+161e-05|\n")


def test_print_defaults_to_current_stdout(capsys):
    main = function("main", [], NONE, [prints(const(42))])
    reference.run(typed.Program([main], "t.ml"), "main", [])
    assert capsys.readouterr().out == "42\n"


# ------------------------------------------------------------------ eval_const and rules
def test_eval_const_folds_and_raises_semantic_faults():
    expr = binop(BinOp.MUL, binop(BinOp.ADD, const(2), const(3)), const(7))
    assert reference.eval_const(expr) == 35
    with pytest.raises(semantics.Fault) as info:
        reference.eval_const(binop(BinOp.FLOORDIV, const(1), const(0)))
    assert info.value.kind == semantics.DIV_BY_ZERO
    with pytest.raises(InternalError):
        reference.eval_const(load(var("x")))


def test_every_typed_node_class_has_a_rule():
    abstract = {typed.Node, typed.Expr, typed.Stmt}
    classes = [c for c in vars(typed).values()
               if isinstance(c, type) and issubclass(c, typed.Node) and c not in abstract]
    assert len(classes) >= 20
    for cls in classes:
        assert hasattr(reference._Interpreter, "visit_" + cls.__name__), cls.__name__

"""codegen + jit against the oracle: hand-built typed trees, JIT results compared
bit for bit with `semantics.py` (NaN equals NaN; -0.0 differs from 0.0)."""
from __future__ import annotations

import itertools
import math
import random
import struct

import llvmlite.binding as llvm
import pytest

from mojolite import memory, semantics, strings, typed
from mojolite.codegen import lower, lower_module, runtime
from mojolite.codegen.module import RUNTIME_FUNCTIONS
from mojolite.codegen.annotate import annotate_asm, annotate_ir
from mojolite.fmt import format_value
from mojolite.jit import compile_ir
from mojolite.source import Source
from mojolite.syntax import BinOp, CmpOp, LogicOp, UnOp
from mojolite.typesys import BOOL, FLOAT32, FLOAT64, INT, NONE, STRING, DType, scalar

SRC = Source("t.ml", "x\n")
SP = SRC.span(0, 1)

INT_DTYPES = [DType.int8, DType.int16, DType.int32, DType.int64, DType.uint8, DType.uint16,
              DType.uint32, DType.uint64, DType.index, DType.uindex]
FLOAT_DTYPES = [DType.float32, DType.float64]
ALL_DTYPES = [DType.bool, *INT_DTYPES, *FLOAT_DTYPES]


# ------------------------------------------------------------------ tree builders
def C(t, v, span=SP):
    return typed.Const(t, v, span=span)


def L(var, span=SP):
    return typed.Load(var.type, var, span=span)


def P(name, t):
    return typed.Var(name, t, False, SP, is_param=True)


def V(name, t):
    return typed.Var(name, t, True, SP)


def B(op, a, b, span=SP):
    return typed.Binary(a.type, op, a, b, span=span)


def ret(e=None):
    return typed.Return(e, span=SP)


def assign(var, e):
    return typed.Assign((var,), (e,), span=SP)


def fn(symbol, params, result, *body, span=SP):
    return typed.Function(symbol, symbol, list(params), result, False, span, tuple(body))


def build(*fns, opt=3):
    return compile_ir(lower_module(typed.Program(list(fns), "t.ml")), opt=opt)


def run(jit, symbol, *args):
    """("ok", value) or ("fault", message)."""
    ok, value, site = jit.entry(symbol)(list(args))
    return ("ok", value) if ok else ("fault", jit.sites[site][1])


def oracle(f, *args):
    try:
        return ("ok", f(*args))
    except semantics.Fault as fault:
        return ("fault", fault.kind)


def same(x, y, dt: DType | None = None) -> bool:
    if x[0] != y[0]:
        return False
    a, b = x[1], y[1]
    if dt is not None and dt.is_float:
        a, b = float(a), float(b)
    if isinstance(a, float) or isinstance(b, float):
        if a != a and b != b:
            return True
        return struct.pack("<d", a) == struct.pack("<d", b)
    return a == b and isinstance(a, bool) == isinstance(b, bool)


def f32(x):
    return semantics.f32(x)


def int_values(dt: DType) -> list[int]:
    lo, hi = dt.int_range
    vals = {lo, lo + 1, -1, 0, 1, 2, 3, 5, 7, -7, dt.bits - 1, dt.bits, dt.bits + 1,
            hi - 1, hi, hi // 2, lo // 2}
    return sorted(v for v in vals if lo <= v <= hi)


F64_VALUES = [0.0, -0.0, 1.0, -1.0, 0.1, -0.1, 0.5, 2.0, 3.0, -2.5, 7.5, -7.0, 123.456,
              1e16, -1e300, 1e-300, 5e-324, 1.7976931348623157e308, math.inf, -math.inf,
              math.nan]
F32_VALUES = sorted({f32(x) for x in F64_VALUES if not math.isnan(x)}) + \
    [math.nan, 3.4028234663852886e38, f32(1e-45), f32(0.3)]


def float_values(dt):
    return F32_VALUES if dt is DType.float32 else F64_VALUES


# ------------------------------------------------------------------ tables
def test_rule_tables_cover_semantics():
    assert set(lower.INT_BINARY_RULES) == set(semantics.INT_BINARY)
    assert set(lower.BOOL_BINARY_RULES) == set(semantics.BOOL_BINARY)
    assert set(lower.FLOAT_BINARY_RULES) == set(semantics.FLOAT_BINARY)
    assert set(lower.UNARY_RULES) == set(semantics.UNARY)
    assert set(lower.COMPARE_RULES) == set(semantics.COMPARE)
    assert set(lower.FLOAT_MATH_RULES) == set(semantics.MATH)
    assert set(lower.INT_MATH_RULES) == set(semantics.MATH_INT)
    assert set(runtime.CALLBACKS) == set(RUNTIME_FUNCTIONS)
    assert set(lower.BUILTIN_RULES) == set(memory.BUILTINS) | set(strings.BUILTINS)


def test_every_node_class_has_a_rule():
    classes = [c for c in vars(typed).values() if isinstance(c, type)
               and issubclass(c, typed.Node) and c not in (typed.Node, typed.Expr, typed.Stmt)]
    assert len(classes) > 15
    missing = [c.__name__ for c in classes
               if not hasattr(lower._FunctionLowering, "visit_" + c.__name__)]
    assert missing == []


# ------------------------------------------------------------------ integer arithmetic
INT_OPS = list(semantics.INT_BINARY)


@pytest.mark.parametrize("opt", [3, 0])
def test_int_binary_all_dtypes(opt):
    fns = []
    for dt in INT_DTYPES:
        t = scalar(dt)
        for op in INT_OPS:
            a, b = P("a", t), P("b", t)
            fns.append(fn(f"{op.name}_{dt.value}", [a, b], t, ret(B(op, L(a), L(b)))))
    jit = build(*fns, opt=opt)
    bad = []
    for dt in INT_DTYPES:
        vals = int_values(dt)
        for op in INT_OPS:
            for x, y in itertools.product(vals, vals):
                got = run(jit, f"{op.name}_{dt.value}", x, y)
                want = oracle(semantics.binary, op, x, y, dt)
                if not same(got, want):
                    bad.append((dt, op, x, y, got, want))
    assert bad == []


def test_int_binary_constant_operands_fold_like_the_oracle():
    """Constant operands: LLVM folds at compile time, which must agree too."""
    fns, cases = [], []
    for dt in (DType.int8, DType.int64, DType.uint32, DType.uint64):
        t = scalar(dt)
        lo, hi = dt.int_range
        for op in INT_OPS:
            for x, y in [(lo, -1), (-7, 2), (7, -2), (hi, 0), (lo, 1), (hi, dt.bits),
                         (-1, dt.bits - 1), (3, 4), (lo, lo), (-5, -3)]:
                if not (lo <= x <= hi and lo <= y <= hi):
                    continue
                sym = f"c{len(fns)}"
                fns.append(fn(sym, [], t, ret(B(op, C(t, x), C(t, y)))))
                cases.append((sym, dt, op, x, y))
    jit = build(*fns)
    bad = [(c, run(jit, c[0])) for c in cases
           if not same(run(jit, c[0]), oracle(semantics.binary, c[2], c[3], c[4], c[1]))]
    assert bad == []


def test_int_floordiv_mod_by_constant_powers_of_two():
    fns, cases = [], []
    for dt in INT_DTYPES:
        t = scalar(dt)
        for op in (BinOp.FLOORDIV, BinOp.MOD):
            for c in (1, 2, 4, 8, 64, 3, -1, -2, -4):
                if not dt.int_range[0] <= c <= dt.int_range[1]:
                    continue
                a = P("a", t)
                sym = f"k{len(fns)}"
                fns.append(fn(sym, [a], t, ret(B(op, L(a), C(t, c)))))
                cases += [(sym, op, v, c, dt) for v in int_values(dt)]
    jit = build(*fns)
    bad = [c for c in cases
           if run(jit, c[0], c[2]) != oracle(semantics.binary, c[1], c[2], c[3], c[4])]
    assert bad == []


def test_int_min_floordiv_minus_one_wraps():
    t = INT
    a, b = P("a", t), P("b", t)
    jit = build(fn("d", [a, b], t, ret(B(BinOp.FLOORDIV, L(a), L(b)))),
                fn("m", [a, b], t, ret(B(BinOp.MOD, L(a), L(b)))))
    assert run(jit, "d", -2**63, -1) == ("ok", -2**63)
    assert run(jit, "m", -2**63, -1) == ("ok", 0)
    assert run(jit, "d", 7, 0) == ("fault", semantics.DIV_BY_ZERO)
    assert run(jit, "m", 7, 0) == ("fault", semantics.MOD_BY_ZERO)


def test_bool_binary_and_unary():
    fns = []
    for op in semantics.BOOL_BINARY:
        a, b = P("a", BOOL), P("b", BOOL)
        fns.append(fn(f"b_{op.name}", [a, b], BOOL, ret(B(op, L(a), L(b)))))
    for op in (UnOp.NOT, UnOp.INVERT):
        a = P("a", BOOL)
        fns.append(fn(f"u_{op.name}", [a], BOOL,
                      ret(typed.Unary(BOOL, op, L(a), span=SP))))
    jit = build(*fns)
    for op in semantics.BOOL_BINARY:
        for x, y in itertools.product([False, True], repeat=2):
            assert run(jit, f"b_{op.name}", x, y) == ("ok", bool(
                semantics.binary(op, x, y, DType.bool)))
    for op in (UnOp.NOT, UnOp.INVERT):
        for x in (False, True):
            assert run(jit, f"u_{op.name}", x) == ("ok", semantics.UNARY[op](x, DType.bool))


def test_unary_all_dtypes():
    fns, cases = [], []
    for dt in INT_DTYPES + FLOAT_DTYPES:
        t = scalar(dt)
        ops = [UnOp.NEG] + ([UnOp.INVERT] if dt.is_int else [])
        for op in ops:
            a = P("a", t)
            sym = f"{op.name}_{dt.value}"
            fns.append(fn(sym, [a], t, ret(typed.Unary(t, op, L(a), span=SP))))
            vals = int_values(dt) if dt.is_int else float_values(dt)
            cases += [(sym, dt, op, v) for v in vals]
    jit = build(*fns)
    bad = [c for c in cases
           if not same(run(jit, c[0], c[3]), oracle(semantics.UNARY[c[2]], c[3], c[1]), c[1])]
    assert bad == []


# ------------------------------------------------------------------ floats
FLOAT_OPS = list(semantics.FLOAT_BINARY)


def _float_oracle(op, x, y, dt):
    return oracle(semantics.binary, op, x, y, dt)


@pytest.mark.parametrize("opt", [3, 0])
def test_float_binary(opt):
    fns = []
    for dt in FLOAT_DTYPES:
        t = scalar(dt)
        for op in FLOAT_OPS:
            a, b = P("a", t), P("b", t)
            fns.append(fn(f"{op.name}_{dt.value}", [a, b], t, ret(B(op, L(a), L(b)))))
    jit = build(*fns, opt=opt)
    bad = []
    for dt in FLOAT_DTYPES:
        vals = float_values(dt)
        for op in FLOAT_OPS:
            for x, y in itertools.product(vals, vals):
                want = _float_oracle(op, x, y, dt)
                got = run(jit, f"{op.name}_{dt.value}", x, y)
                if not same(got, want, dt):
                    bad.append((dt, op, x, y, got, want))
    assert bad == []


def test_float_floordiv_mod_constant_folded():
    fns, cases = [], []
    vals = [7.5, -7.5, 2.0, -2.0, 0.1, 10.0, -0.0, 0.0, 1e300, 3.0, math.nan]
    for dt in FLOAT_DTYPES:
        t = scalar(dt)
        for op in (BinOp.FLOORDIV, BinOp.MOD, BinOp.POW):
            for x, y in itertools.product(vals, vals):
                x, y = semantics.round_to(x, dt), semantics.round_to(y, dt)
                sym = f"c{len(fns)}"
                fns.append(fn(sym, [], t, ret(B(op, C(t, x), C(t, y)))))
                cases.append((sym, dt, op, x, y))
    jit = build(*fns)
    bad = [c for c in cases
           if not same(run(jit, c[0]), _float_oracle(c[2], c[3], c[4], c[1]), c[1])]
    assert bad == []


def test_float_divmod_matches_python_divmod():
    t = FLOAT64
    a, b = P("a", t), P("b", t)
    jit = build(fn("fd", [a, b], t, ret(B(BinOp.FLOORDIV, L(a), L(b)))),
                fn("md", [a, b], t, ret(B(BinOp.MOD, L(a), L(b)))))
    rng = random.Random(7)
    vals = F64_VALUES + [rng.uniform(-1e3, 1e3) for _ in range(40)] + \
        [rng.uniform(-1, 1) * 10.0 ** rng.randint(-20, 20) for _ in range(40)]
    for x, y in itertools.product(vals, vals):
        if y == 0.0:
            continue
        q, r = divmod(x, y)
        assert same(run(jit, "fd", x, y), ("ok", q)), (x, y)
        assert same(run(jit, "md", x, y), ("ok", r)), (x, y)


def test_float_pow_by_constant_two_three_is_multiplies():
    fns = []
    for dt in FLOAT_DTYPES:
        t = scalar(dt)
        for n in (2.0, 3.0):
            a = P("a", t)
            fns.append(fn(f"p{int(n)}_{dt.value}", [a], t,
                          ret(B(BinOp.POW, L(a), C(t, n)))))
    jit = build(*fns)
    for dt in FLOAT_DTYPES:
        for x in float_values(dt) + [1.1, -3.3, 1e200]:
            x = semantics.round_to(x, dt)
            for n in (2, 3):
                assert same(run(jit, f"p{n}_{dt.value}", x),
                            ("ok", semantics.pow_by_multiplies(x, n, dt)), dt)
    assert "@pow" not in jit.optimised_ir() and "@llvm.pow" not in jit.optimised_ir()


def test_int_pow_constant_exponent_and_negative_fault():
    a, b = P("a", INT), P("b", INT)
    jit = build(fn("sq", [a], INT, ret(B(BinOp.POW, L(a), C(INT, 3)))),
                fn("pw", [a, b], INT, ret(B(BinOp.POW, L(a), L(b)))))
    assert run(jit, "sq", -3) == ("ok", -27)
    assert run(jit, "sq", 2**40) == ("ok", semantics.wrap(2**120, DType.index))
    assert run(jit, "pw", 3, 40) == ("ok", semantics.wrap(3**40, DType.index))
    assert run(jit, "pw", 0, 0) == ("ok", 1)
    assert run(jit, "pw", 2, -1) == ("fault", semantics.NEG_EXPONENT)


# ------------------------------------------------------------------ comparisons
def test_compare_all_dtypes():
    fns, cases = [], []
    for dt in ALL_DTYPES:
        t = scalar(dt)
        for op in CmpOp:
            a, b = P("a", t), P("b", t)
            sym = f"{op.name}_{dt.value}"
            fns.append(fn(sym, [a, b], BOOL,
                          ret(typed.Compare(BOOL, (L(a), L(b)), (op,), span=SP))))
            vals = ([False, True] if dt is DType.bool else
                    int_values(dt)[::2] if dt.is_int else float_values(dt))
            cases += [(sym, op, x, y) for x, y in itertools.product(vals, vals)]
    jit = build(*fns)
    bad = [c for c in cases if run(jit, c[0], c[2], c[3]) != ("ok", semantics.COMPARE[c[1]](
        c[2], c[3]))]
    assert bad == []


def test_compare_chain_short_circuits():
    """1 < x < 10 // y: with x = 0 the division (by y = 0) must not run."""
    x, y = P("x", INT), P("y", INT)
    chain = typed.Compare(BOOL, (C(INT, 1), L(x), B(BinOp.FLOORDIV, C(INT, 10), L(y))),
                          (CmpOp.LT, CmpOp.LT), span=SP)
    jit = build(fn("c", [x, y], BOOL, ret(chain)))
    assert run(jit, "c", 0, 0) == ("ok", False)
    assert run(jit, "c", 2, 0) == ("fault", semantics.DIV_BY_ZERO)
    assert run(jit, "c", 2, 3) == ("ok", True)
    assert run(jit, "c", 4, 3) == ("ok", False)


def test_logic_and_ifexp_evaluate_lazily():
    x, y = P("x", INT), P("y", INT)
    div = B(BinOp.FLOORDIV, C(INT, 10), L(y))
    pos = typed.Compare(BOOL, (L(x), C(INT, 0)), (CmpOp.GT,), span=SP)
    big = typed.Compare(BOOL, (div, C(INT, 2)), (CmpOp.GT,), span=SP)
    jit = build(
        fn("land", [x, y], BOOL, ret(typed.Logic(BOOL, LogicOp.AND, pos, big, span=SP))),
        fn("lor", [x, y], BOOL, ret(typed.Logic(BOOL, LogicOp.OR, pos, big, span=SP))),
        fn("ifx", [x, y], INT, ret(typed.IfExp(INT, pos, div, C(INT, -1), span=SP))))
    assert run(jit, "land", 0, 0) == ("ok", False)
    assert run(jit, "land", 1, 0) == ("fault", semantics.DIV_BY_ZERO)
    assert run(jit, "land", 1, 3) == ("ok", True)
    assert run(jit, "lor", 1, 0) == ("ok", True)
    assert run(jit, "lor", 0, 5) == ("ok", False)
    assert run(jit, "ifx", 0, 0) == ("ok", -1)
    assert run(jit, "ifx", 1, 4) == ("ok", 2)


# ------------------------------------------------------------------ casts
def cast_values(dt: DType) -> list:
    if dt is DType.bool:
        return [False, True]
    if dt.is_int:
        extra = [(1 << 60) + (1 << 36) + 1, -(1 << 60) - (1 << 36) - 1,
                 (1 << 63) + (1 << 39) + 1, 16777217, 2**53 + 1]
        lo, hi = dt.int_range
        return int_values(dt) + [v for v in extra if lo <= v <= hi]
    vals = [0.0, -0.0, 0.5, -0.5, 0.9999, -0.9999, 1.5, -1.5, 127.9, 128.0, -128.5, -129.0,
            255.9, 256.0, 32767.5, 65536.0, 2147483647.9, 2147483648.0, -2147483649.0,
            4294967296.0, 9.2233720368547758e18, -9.2233720368547758e18, 1.8446744073709552e19,
            1e30, -1e30, 0.1, 1e-300, math.inf, -math.inf, math.nan]
    return [semantics.round_to(v, dt) for v in vals]


@pytest.mark.parametrize("opt", [3, 0])
def test_casts_every_pair(opt):
    fns = []
    for src, dst in itertools.product(ALL_DTYPES, ALL_DTYPES):
        a = P("a", scalar(src))
        fns.append(fn(f"{src.value}_{dst.value}", [a], scalar(dst),
                      ret(typed.Cast(scalar(dst), L(a), span=SP))))
    jit = build(*fns, opt=opt)
    bad = []
    for src, dst in itertools.product(ALL_DTYPES, ALL_DTYPES):
        for v in cast_values(src):
            got = run(jit, f"{src.value}_{dst.value}", v)
            want = ("ok", semantics.cast(v, src, dst))
            if not same(got, want, dst):
                bad.append((src, dst, v, got, want))
    assert bad == []


def test_casts_constant_folded():
    fns, cases = [], []
    for src, dst in itertools.product(ALL_DTYPES, ALL_DTYPES):
        for v in cast_values(src)[::3]:
            sym = f"c{len(fns)}"
            fns.append(fn(sym, [], scalar(dst),
                          ret(typed.Cast(scalar(dst), C(scalar(src), v), span=SP))))
            cases.append((sym, src, dst, v))
    jit = build(*fns)
    bad = [c for c in cases
           if not same(run(jit, c[0]), ("ok", semantics.cast(c[3], c[1], c[2])), c[2])]
    assert bad == []


# ------------------------------------------------------------------ math
def _math_args(dt, arity, rng):
    base = float_values(dt)
    if arity == 1:
        extra = [rng.uniform(-4, 4) for _ in range(40)] + \
            [rng.uniform(0, 1) * 10.0 ** rng.randint(-30, 30) for _ in range(20)] + \
            [rng.uniform(-1, 1) for _ in range(20)] + [2.5, -2.5, 0.49999999999999994, 1e15 + 0.5]
        return [(semantics.round_to(x, dt),) for x in base + extra]
    small = [0.0, -0.0, 1.0, -1.0, 0.5, 2.0, -2.5, 10.0, 1e300, math.inf, -math.inf, math.nan,
             0.3, -7.25]
    small = [semantics.round_to(x, dt) for x in small]
    if arity == 2:
        pairs = list(itertools.product(small, small))
        pairs += [(semantics.round_to(rng.uniform(0, 3), dt),
                   semantics.round_to(rng.uniform(-5, 5), dt)) for _ in range(60)]
        return pairs
    return list(itertools.product(small[::2], small[1::2], small[::3]))


def _math_oracle(name, args, dt):
    want = semantics.math_call(name, list(args), dt)
    return ("ok", bool(want) if name in semantics.MATH_PREDICATES else want)


def _math_fn(sym, name, dt, args_exprs, params):
    t = scalar(dt)
    rt = BOOL if name in semantics.MATH_PREDICATES else t
    return fn(sym, params, rt,
              ret(typed.MathCall(rt, name, tuple(args_exprs), span=SP)))


@pytest.mark.parametrize("opt", [3, 0])
def test_math_functions_bit_exact(opt):
    fns = []
    for dt in FLOAT_DTYPES:
        for name, (arity, _) in semantics.MATH.items():
            params = [P(f"x{i}", scalar(dt)) for i in range(arity)]
            fns.append(_math_fn(f"{name}_{dt.value}", name, dt, [L(p) for p in params],
                                params))
    jit = build(*fns, opt=opt)
    rng = random.Random(11)
    bad = []
    for dt in FLOAT_DTYPES:
        for name, (arity, _) in semantics.MATH.items():
            for args in _math_args(dt, arity, rng):
                got = run(jit, f"{name}_{dt.value}", *args)
                want = _math_oracle(name, args, dt)
                if not same(got, want, None if name in semantics.MATH_PREDICATES else dt):
                    bad.append((dt, name, args, got, want))
    assert bad == []


def test_math_functions_with_constant_arguments_are_not_folded_differently():
    """LLVM folds sinf(c) in double precision; the libm calls are nobuiltin so the
    JIT still calls the same functions as the oracle."""
    fns, cases = [], []
    vals = [0.5, -1.5, 2.0, 0.1, 1e10, -0.0, 0.7, 3.0]
    for dt in FLOAT_DTYPES:
        t = scalar(dt)
        for name, (arity, _) in semantics.MATH.items():
            for args in itertools.islice(itertools.product(vals, repeat=arity), 12):
                args = tuple(semantics.round_to(a, dt) for a in args)
                sym = f"c{len(fns)}"
                fns.append(_math_fn(sym, name, dt, [C(t, a) for a in args], []))
                cases.append((sym, name, dt, args))
    jit = build(*fns)
    bad = [c for c in cases
           if not same(run(jit, c[0]), _math_oracle(c[1], c[3], c[2]),
                       None if c[1] in semantics.MATH_PREDICATES else c[2])]
    assert bad == []


def test_int_math_functions():
    fns, cases = [], []
    for dt in INT_DTYPES:
        t = scalar(dt)
        vals = int_values(dt)
        for name, f in semantics.MATH_INT.items():
            arity = f.__code__.co_argcount - 1          # ceildiv: integers only, no MATH entry
            params = [P(f"x{i}", t) for i in range(arity)]
            sym = f"{name}_{dt.value}"
            fns.append(fn(sym, params, t,
                          ret(typed.MathCall(t, name, tuple(L(p) for p in params), span=SP))))
            argsets = (itertools.product(vals, repeat=arity) if arity < 3
                       else itertools.product(vals[::2], vals[::3], vals[1::3]))
            cases += [(sym, f, dt, args) for args in argsets]
    jit = build(*fns)
    bad = [c for c in cases if run(jit, c[0], *c[3]) != oracle(c[1], *c[3], c[2])]
    assert bad == []


# ------------------------------------------------------------------ print
def test_print_values(capsys):
    u64max = 2**64 - 1
    items = [(FLOAT64, 1e-05), (FLOAT64, -0.0), (FLOAT64, math.nan), (FLOAT64, math.inf),
             (FLOAT64, -math.inf), (FLOAT64, 0.1), (FLOAT64, 1e16), (FLOAT64, 123456789.0),
             (FLOAT32, f32(0.1)), (FLOAT32, f32(1e-45)), (FLOAT32, f32(16777217.0)),
             (scalar(DType.uint64), u64max), (scalar(DType.uindex), u64max),
             (scalar(DType.int8), -128), (scalar(DType.uint8), 255),
             (scalar(DType.int32), -2**31), (scalar(DType.uint32), 2**32 - 1),
             (INT, -2**63), (BOOL, True), (BOOL, False), (STRING, "héllo")]
    params = [P(f"p{i}", t) for i, (t, _) in enumerate(items) if t != STRING]
    loads = iter(L(p) for p in params)
    exprs = tuple(C(t, v) if t == STRING else next(loads) for t, v in items)
    const_exprs = tuple(C(t, v) for t, v in items)
    jit = build(
        fn("pr", params, NONE, typed.Print(exprs, C(STRING, ", "), C(STRING, "|\n"), span=SP)),
        fn("pc", [], NONE, typed.Print(const_exprs, C(STRING, " "), C(STRING, "\n"), span=SP),
           typed.Print((), C(STRING, " "), C(STRING, "\n"), span=SP),
           typed.Print((C(INT, 1), C(INT, 2)), C(STRING, ""), C(STRING, ""), span=SP)))
    capsys.readouterr()
    assert run(jit, "pr", *(v for t, v in items if t != STRING)) == ("ok", None)
    assert run(jit, "pc") == ("ok", None)
    out = capsys.readouterr().out
    texts = [format_value(v, t) if t != STRING else v for t, v in items]
    assert out == ", ".join(texts) + "|\n" + " ".join(texts) + "\n" + "\n" + "12"
    assert "1e-05" in texts and "-0.0" in texts and "18446744073709551615" in texts
    assert texts[8] == "0.1"


def test_print_evaluates_every_value_before_printing(capsys):
    x = P("x", INT)
    jit = build(fn("p", [x], NONE, typed.Print(
        (C(INT, 1), B(BinOp.FLOORDIV, C(INT, 1), L(x))), C(STRING, " "), C(STRING, "\n"),
        span=SP)))
    capsys.readouterr()
    assert run(jit, "p", 0) == ("fault", semantics.DIV_BY_ZERO)
    assert capsys.readouterr().out == ""
    assert run(jit, "p", 1) == ("ok", None)
    assert capsys.readouterr().out == "1 1\n"


# ------------------------------------------------------------------ loops
def _range_hash_fn(sym, t, assign_var=False, const_step=None):
    """h = h * 31 + i over range(start, stop, step), wrapping in Int; returns h*1000+n
    folded into one Int (n = iterations). `const_step`: the step is that constant (the
    function still takes a `step` parameter, unused)."""
    start, stop, step = P("start", t), P("stop", t), P("step", t)
    i, h, n = V("i", t), V("h", INT), V("n", INT)
    body = [assign(h, B(BinOp.ADD, B(BinOp.MUL, L(h), C(INT, 31)),
                        typed.Cast(INT, L(i), span=SP))),
            assign(n, B(BinOp.ADD, L(n), C(INT, 1)))]
    if assign_var:
        body.append(assign(i, C(t, 0)))
    step_value = L(step) if const_step is None else C(t, const_step)
    loop = typed.ForRange(i, L(start), L(stop), step_value, tuple(body), span=SRC.span(0, 2))
    return fn(sym, [start, stop, step], INT,
              typed.Declare(h, C(INT, 0), span=SP), typed.Declare(n, C(INT, 0), span=SP),
              loop, ret(B(BinOp.ADD, B(BinOp.MUL, L(h), C(INT, 1000)), L(n))))


def _range_hash(start, stop, step, dt):
    h = n = 0
    for v in range(start, stop, step):
        h = semantics.wrap(h * 31 + semantics.cast(v, dt, DType.index), DType.index)
        n += 1
    return semantics.wrap(h * 1000 + n, DType.index)


def test_for_range_forms_and_edges():
    dts = [DType.index, DType.int8, DType.uint8, DType.int64, DType.uint64, DType.int32]
    jit = build(*[_range_hash_fn(f"r_{dt.value}", scalar(dt)) for dt in dts],
                *[_range_hash_fn(f"a_{dt.value}", scalar(dt), True) for dt in dts])
    for dt in dts:
        lo, hi = dt.int_range
        cases = [(0, 10, 1), (10, 0, -3), (5, -6, -2), (0, -10, -1), (3, -3, -3), (0, 0, 1),
                 (5, 5, -1), (0, 10, 100), (hi - 5, hi, 1), (hi - 5, hi, 2), (hi - 1, hi, hi),
                 (lo + 3, lo, -1), (lo + 7, lo, -2), (lo, lo + 3, 1), (hi, lo, lo),
                 (lo, hi, hi), (hi, hi - 4, -1), (1, 100, 7), (100, 1, -7)]
        for start, stop, step in cases:
            if not all(lo <= v <= hi for v in (start, stop, step)) or step == 0:
                continue
            want = ("ok", _range_hash(start, stop, step, dt))
            assert run(jit, f"r_{dt.value}", start, stop, step) == want, (dt, start, stop, step)
            assert run(jit, f"a_{dt.value}", start, stop, step) == want, (dt, start, stop, step)


def test_for_range_constant_steps_need_no_zero_test_and_count_alike():
    """A constant step is lowered with one arm of the trip count and no zero-step test;
    the iterations are those of the general form."""
    dts = [DType.index, DType.int8, DType.uint8, DType.uint64]
    steps = {DType.uint8: [1, 3, 255], DType.uint64: [1, 7]}
    fns = [_range_hash_fn(f"c_{dt.value}_{k}", scalar(dt), const_step=k)
           for dt in dts for k in steps.get(dt, [1, 2, -1, -3])]
    lowered = lower_module(typed.Program(fns, "t.ml"))
    assert "zerostep" not in str(lowered.module)
    jit = compile_ir(lowered)
    for dt in dts:
        lo, hi = dt.int_range
        for k in steps.get(dt, [1, 2, -1, -3]):
            ends = [(0, 10), (10, 0), (lo, lo + 9), (hi, hi - 9), (lo + 2, lo), (5, 5),
                    (hi - 3, hi), (hi - 9, hi)]
            if dt.bits == 8:
                ends += [(lo, hi), (hi, lo)]
            for start, stop in ends:
                want = ("ok", _range_hash(start, stop, k, dt))
                assert run(jit, f"c_{dt.value}_{k}", start, stop, 0) == want, (dt, k, start, stop)


def test_for_range_zero_step_faults_at_the_loop():
    jit_lowered = lower_module(typed.Program([_range_hash_fn("r", INT)], "t.ml"))
    jit = compile_ir(jit_lowered)
    ok, value, site = jit.entry("r")([0, 10, 0])
    assert not ok
    span, message = jit.sites[site]
    assert message == semantics.ZERO_STEP and (span.start, span.end) == (0, 2)


def test_while_break_continue_and_for_break():
    """s = sum of odd i below n, stopping once s > limit; while and for versions."""
    n, limit = P("n", INT), P("limit", INT)
    i, s = V("i", INT), V("s", INT)
    odd = typed.Compare(BOOL, (B(BinOp.MOD, L(i), C(INT, 2)), C(INT, 0)), (CmpOp.EQ,), span=SP)
    over = typed.Compare(BOOL, (L(s), L(limit)), (CmpOp.GT,), span=SP)
    body = (typed.If(odd, (typed.Continue(span=SP),), (), span=SP),
            assign(s, B(BinOp.ADD, L(s), L(i))),
            typed.If(over, (typed.Break(span=SP),), (), span=SP))
    w = fn("w", [n, limit], INT,
           typed.Declare(i, C(INT, -1), span=SP), typed.Declare(s, C(INT, 0), span=SP),
           typed.While(typed.Compare(BOOL, (L(i), L(n)), (CmpOp.LT,), span=SP),
                       (assign(i, B(BinOp.ADD, L(i), C(INT, 1))), *body), span=SP),
           ret(L(s)))
    i2, s2 = V("i", INT), V("s", INT)
    body2 = tuple(_rebind(st, {i: i2, s: s2}) for st in body)
    f = fn("f", [n, limit], INT, typed.Declare(s2, C(INT, 0), span=SP),
           typed.ForRange(i2, C(INT, 0), L(n), C(INT, 1), body2, span=SP), ret(L(s2)))
    jit = build(w, f)

    def py(n, limit):
        s = 0
        for i in range(n):
            if i % 2 == 0:
                continue
            s += i
            if s > limit:
                break
        return s
    for args in [(10, 100), (10, 5), (0, 0), (100, 50), (7, 1)]:
        assert run(jit, "w", *args) == ("ok", py(*args))
        assert run(jit, "f", *args) == ("ok", py(*args))


def _rebind(node, mapping):
    """Copy a tree replacing Vars (tests reuse a body in two functions)."""
    import dataclasses
    if isinstance(node, typed.Var):
        return mapping.get(node, node)
    if isinstance(node, tuple):
        return tuple(_rebind(x, mapping) for x in node)
    if dataclasses.is_dataclass(node) and isinstance(node, typed.Node):
        kw = {f.name: _rebind(getattr(node, f.name), mapping) for f in dataclasses.fields(node)}
        return type(node)(**kw)
    return node


# ------------------------------------------------------------------ calls, faults
def test_calls_recursion_and_fault_propagation():
    src = Source("calls.ml", "fn f(a, b):\n    return a // b\nfn g(x):\n    return f(x, 0)\n")
    div_span = src.span(23, 29)
    a, b, x, n = P("a", INT), P("b", INT), P("x", INT), P("n", INT)
    f = typed.Function("f", "f", [a, b], INT, True, src.span(0, 4),
                       (typed.Return(typed.Binary(INT, BinOp.FLOORDIV, L(a), L(b), span=div_span),
                                     span=src.span(16, 29)),))
    g = typed.Function("g", "g", [x], INT, True, src.span(30, 34), ())
    g.body = (typed.Return(B(BinOp.ADD, C(INT, 1),
                             typed.Call(INT, f, (L(x), L(x)), span=SP)), span=SP),
              )
    # fact(n) = 1 if n <= 1 else n * fact(n - 1)
    fact = typed.Function("fact", "fact_Int", [n], INT, False, SP)
    fact.body = (ret(typed.IfExp(INT, typed.Compare(BOOL, (L(n), C(INT, 1)), (CmpOp.LE,), span=SP),
                                 C(INT, 1),
                                 B(BinOp.MUL, L(n), typed.Call(INT, fact, (B(BinOp.SUB, L(n),
                                                                              C(INT, 1)),),
                                                               span=SP)), span=SP)),)
    lowered = lower_module(typed.Program([f, g, fact], "calls.ml"))
    jit = compile_ir(lowered)
    assert run(jit, "g", 6) == ("ok", 2)
    ok, _, site = jit.entry(g)([0])
    assert not ok
    span, msg = lowered.sites[site]
    assert msg == semantics.DIV_BY_ZERO and span is div_span and span.line == 2
    with pytest.raises(Exception) as info:
        jit.call(g, [0])
    assert "integer division by zero" in str(info.value) and "calls.ml:2:12" in str(info.value)
    assert run(jit, "fact_Int", 20) == ("ok", math.factorial(20))
    assert run(jit, "fact_Int", 25) == ("ok", semantics.wrap(math.factorial(25), DType.index))
    assert lowered.entry_symbol(fact) == "__entry_fact_Int"


def test_raise_reports_message_and_site():
    src = Source("r.ml", "fn f(x):\n    if x > 3:\n        raise Error(\"too big\")\n")
    raise_span = src.span(35, 54)
    x = P("x", INT)
    cond = typed.Compare(BOOL, (L(x), C(INT, 3)), (CmpOp.GT,), span=SP)
    f = typed.Function("f", "f", [x], INT, True, src.span(0, 4), (
        typed.If(cond, (typed.Raise(C(STRING, "too big"), span=raise_span),), (), span=SP),
        ret(B(BinOp.MUL, L(x), C(INT, 2)))))
    jit = build(f)
    assert run(jit, "f", 2) == ("ok", 4)
    ok, _, site = jit.entry("f")([5])
    assert not ok and jit.sites[site] == (raise_span, "too big")


def test_mut_parameters_write_to_the_callers_variable():
    """inc(mut x): x += 1; twice(mut y): inc(y); inc(y); f(a): v = a; twice(v); v * 10."""
    x = typed.Var("x", INT, True, SP, is_param=True, by_ref=True)
    y = typed.Var("y", INT, True, SP, is_param=True, by_ref=True)
    a, v = P("a", INT), V("v", INT)
    inc = fn("inc", [x], NONE, assign(x, B(BinOp.ADD, L(x), C(INT, 1))))
    twice = fn("twice", [y], NONE,
               *[typed.ExprStmt(typed.Call(NONE, inc, (typed.Ref(INT, typed.Load(INT, y, span=SP), span=SP),), span=SP),
                                span=SP) for _ in range(2)])
    f = fn("f", [a], INT, typed.Declare(v, L(a), span=SP),
           typed.ExprStmt(typed.Call(NONE, twice, (typed.Ref(INT, typed.Load(INT, v, span=SP), span=SP),), span=SP),
                          span=SP),
           ret(B(BinOp.MUL, L(v), C(INT, 10))))
    for opt in (0, 3):
        jit = build(inc, twice, f, opt=opt)
        assert run(jit, "f", 4) == ("ok", 60)
        assert run(jit, "twice", 1) == ("ok", None)


def test_void_function_and_multiple_assignment():
    a, b = V("a", INT), V("b", INT)
    swap = fn("swap", [], INT,
              typed.Declare(a, C(INT, 1), span=SP), typed.Declare(b, C(INT, 2), span=SP),
              typed.Assign((a, b, None), (L(b), L(a), C(INT, 9)), span=SP),
              ret(B(BinOp.SUB, B(BinOp.MUL, L(a), C(INT, 10)), L(b))))
    nothing = fn("nothing", [], NONE, typed.ExprStmt(C(INT, 1), span=SP))
    jit = build(swap, nothing)
    assert run(jit, "swap") == ("ok", 19)
    assert run(jit, "nothing") == ("ok", None)


def test_a_fault_branch_is_one_call_to_the_cold_fault_helper():
    """Each fault branch fills ctx by one call (site, a, b), then leaves through fail."""
    a, b = P("a", INT), P("b", INT)
    jit_lowered = lower_module(typed.Program(
        [fn("d", [a, b], INT, ret(B(BinOp.FLOORDIV, L(a), L(b))))], "t.ml"))
    text = str(jit_lowered.module)
    assert 'define private void @"mojolite.fault"(ptr %"ctx", i32 %"site", i64 %"a", ' \
           'i64 %"b")' in text
    block = text[text.index("\nfault.") + 1:]
    block = block[:block.index("\n", block.index("br label"))].splitlines()
    assert [line.split("(")[0].strip() for line in block] == \
        ["fault.divzero:", 'call void @"mojolite.fault"', 'br label %"fail", !dbg !7']
    assert run(compile_ir(jit_lowered), "d", 1, 0) == ("fault", semantics.DIV_BY_ZERO)


# ------------------------------------------------------------------ IR and annotations
def _annotated_program():
    src = Source("a.ml", "fn f(a: Int, b: Int) -> Int:\n    var c = a * b\n"
                         "    return c // 3\n")
    a, b, c = P("a", INT), P("b", INT), V("c", INT)
    line2, line3 = src.span(37, 42), src.span(58, 64)
    f = typed.Function("f", "f", [a, b], INT, False, src.span(0, 4), (
        typed.Declare(c, B(BinOp.MUL, L(a), L(b), span=line2), span=line2),
        typed.Return(B(BinOp.FLOORDIV, L(c), C(INT, 3), span=line3), span=line3)))
    return src, lower_module(typed.Program([f], "a.ml"))


def test_unoptimised_ir_verifies_and_is_annotated():
    src, lowered = _annotated_program()
    text = str(lowered.module)
    mod = llvm.parse_assembly(text)
    mod.verify()
    assert "@\"__entry_f\"" in text and 'define internal {i64, i1} @"f"(ptr %"ctx"' in text
    annotated = annotate_ir(text, src).splitlines()
    i = annotated.index("  ; line 2: var c = a * b")
    assert "mul i64" in "".join(annotated[i + 1:i + 4])
    assert any(ln.strip() == "; line 3: return c // 3" for ln in annotated)
    for k, ln in enumerate(annotated):     # each comment sits above an instruction
        if ln.lstrip().startswith("; line"):
            assert annotated[k + 1].startswith("  ") and "!dbg" in annotated[k + 1]


def test_optimised_ir_and_assembly_keep_source_lines():
    src, lowered = _annotated_program()
    jit = compile_ir(lowered)
    assert set(jit.timings) == {"lower", "verify", "optimise", "machine code"}
    assert run(jit, "f", 7, 5) == ("ok", 11)
    opt_text = annotate_ir(jit.optimised_ir(), src)
    assert "; line 2: var c = a * b" in opt_text and "alloca" not in jit.optimised_ir()
    asm = annotate_asm(jit.assembly(), src)
    assert "# line 3: return c // 3" in asm or "# line 2: var c = a * b" in asm


def test_code_that_runs_has_no_debug_locations_and_the_dumps_do():
    """Code compiled to run is lowered without `!dbg` locations (they only cost
    time there); the IR and assembly dumps compile an annotated copy."""
    import mojolite
    from mojolite.api import dump_stage
    m = mojolite.compile("fn f(a: Int, b: Int) -> Int:\n    var c = a * b\n    return c // 3\n",
                         "a.ml")
    assert m.f(7, 5) == 11
    ran = m.unit("f")
    assert "!dbg" not in str(ran.lowered.module) and "!dbg" not in ran.optimised_ir()
    assert "; line 2: var c = a * b" in dump_stage(m, "opt")
    assert "; line 2: var c = a * b" in dump_stage(m, "ll", "f")
    assert m.annotated() is m.annotated() and m.unit("f") is ran


KNOWN_CONDITIONS = """
fn pick[n: Int](x: Int) -> Int:
    var r = x
    if n > 1 and not n == 3:
        r += 100
    elif n == 3 or x > 0:
        return r + 1000
    else:
        r -= 1
    var t = r * 2 if n < 2 else r * 3
    if True:
        return t
    return -1

fn main():
    print(pick[1](5), pick[1](-5), pick[2](5), pick[3](5), pick[4](-5))
"""


def test_conditions_known_while_compiling_lower_only_the_branch_taken(capsys):
    import mojolite
    from mojolite.api import dump_stage
    for reference in (False, True):
        mojolite.compile(KNOWN_CONDITIONS, "k.ml", reference=reference).main()
        assert capsys.readouterr().out == "1005 -12 315 1005 285\n"
    m = mojolite.compile(KNOWN_CONDITIONS, "k.ml", opt=0)
    ll = dump_stage(m, "ll", "pick[3]")
    assert "icmp" not in ll and "if.then" not in ll and "ifexp" not in ll
    assert "add i64" in ll and "1000" in ll and "100," not in ll
    assert "icmp" in dump_stage(m, "ll", "pick[1]")     # `x > 0` is decided at run time


def test_invalid_ir_is_an_internal_error():
    """IR that parses but does not verify (a use its definition does not dominate)."""
    from llvmlite import ir
    from mojolite.errors import InternalError
    _, lowered = _annotated_program()
    i32 = ir.IntType(32)
    bad = ir.Function(lowered.module, ir.FunctionType(i32, [ir.IntType(1)]), "bad")
    entry, left, join = (bad.append_basic_block(n) for n in ("entry", "left", "join"))
    b = ir.IRBuilder(entry)
    b.cbranch(bad.args[0], left, join)
    b.position_at_end(left)
    v = b.add(bad.args[0], bad.args[0])
    b.branch(join)
    b.position_at_end(join)
    b.ret(b.zext(v, i32))
    with pytest.raises(InternalError):
        compile_ir(lowered)


def test_element_sizes_agree_with_llvms_data_layout():
    """`irtypes.elem_size` (List and pointer strides, allocation sizes, memmove
    lengths) must be what LLVM's own layout gives the same type, or GEPs and
    copies disagree: scalars, vectors (Bool vectors are bits in memory),
    structs mixing them."""
    import llvmlite.binding as llvm
    from llvmlite import ir
    from mojolite.codegen import irtypes
    from mojolite.jit import target_machine
    td = target_machine(3, None).target_data
    i1, i8, i32, i64, f32, f64 = (ir.IntType(1), ir.IntType(8), ir.IntType(32), ir.IntType(64),
                                  ir.FloatType(), ir.DoubleType())
    types = [i8, i32, i64, f32, f64, ir.PointerType()]
    types += [ir.VectorType(e, n) for e in (i1, i8, i32, i64, f32, f64) for n in (1, 2, 4, 8, 16, 32, 64)]
    types += [ir.LiteralStructType(m) for m in (
        [i8, ir.VectorType(i1, 4), i64], [ir.VectorType(i1, 16), f32], [f64, ir.VectorType(i1, 64)],
        [i32, ir.VectorType(f32, 4), i8], [ir.ArrayType(i64, 4), ir.VectorType(i1, 8)])]
    for ty in types:
        m = llvm.parse_assembly(f"@g = global {ty} zeroinitializer")
        theirs = td.get_abi_size(m.get_global_variable("g").global_value_type)
        assert irtypes._size_align(ty)[0] == theirs, ty

"""The front end never fails except with a user error.

Whatever text `mojolite.compile` gets, it either succeeds or raises `CompileError`
whose every error has a non-empty message and a span at line >= 1, column >= 1
inside the text, and renders as a caret diagram. Any other exception (an
`InternalError`, a Python exception) or a hang is a bug. Inputs:

(a) arbitrary text (`st.text()`), random sequences of the language's tokens, and
    random lines of tokens laid out as a program (so more of them get past the
    parser and into the checker);
(b) mutations of the corpus programs in tests/programs/*.ml: delete, duplicate or
    swap lines, truncate, re-indent a line by 1..4 spaces, replace a token.

A mutant that compiles is also lowered and JIT-compiled (code generation must
not fail on a program the checker accepted) but never run: it may loop forever.

Every compile runs under `signal.alarm` (5 s), so a hang fails the test instead
of stalling the run. Bugs found here are pinned by strict xfail tests at the end
of this file and of test_differential.py; the fuzzers tolerate exactly those
failures (KNOWN_BUGS) so that they keep looking for new ones. Derandomized;
`-m slow` runs many more examples (MOJOLITE_FUZZ_CASES of them, 3000 by default).
"""
from __future__ import annotations

import contextlib
import os
import re
import signal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mojolite
from mojolite import CompileError

PROGRAMS = sorted((Path(__file__).parent / "programs").glob("*.ml"))
CORPUS = {p.stem: p.read_text() for p in PROGRAMS}
TIMEOUT_S = 5


class Hang(BaseException):
    """Not an Exception: the API wraps every Exception into InternalError."""


@contextlib.contextmanager
def time_limit(seconds: int = TIMEOUT_S):
    """Fail with `Hang` if the body runs longer than `seconds` (main thread, Unix)."""
    def on_alarm(signum, frame):
        raise Hang(f"compile did not finish within {seconds} s")
    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# Bugs already pinned by strict xfail tests (here and in test_differential.py). A
# fuzzer that keeps tripping on them finds nothing new, so their exact signatures
# are tolerated; when a bug is fixed its xfail test turns red: drop its line here.
KNOWN_BUGS = [
]


def known_bug(e: Exception) -> bool:
    return isinstance(e, (mojolite.InternalError, mojolite.UserError)) and \
        any(re.search(p, str(e)) for p in KNOWN_BUGS)


def check_compile(text: str, *, codegen: bool = False, tolerate_known: bool = True):
    """Compile `text`; only success or a well-formed `CompileError` may come out.

    With `codegen`, a program that compiles is also lowered and JIT-compiled
    (-O3, the default; never run). Returns the module, or None after a compile error (or, with
    `tolerate_known`, after one of the KNOWN_BUGS).
    """
    try:
        with time_limit():
            module = mojolite.compile(text, "fuzz.ml")
            if codegen:
                module.jit()
            return module
    except CompileError as e:
        n_lines = text.count("\n") + 1
        assert e.errors, f"CompileError without errors for:\n{text!r}"
        for err in e.errors:
            assert isinstance(err.message, str) and err.message.strip(), (err, text)
            assert err.span is not None, f"error without a span: {err.message!r}\n{text!r}"
            assert 1 <= err.span.line <= n_lines, (err.span.line, err.message, text)
            assert err.span.column >= 1, (err.span.column, err.message, text)
        rendered = str(e)        # the caret diagram a user sees must render
        assert "error:" in rendered and "-->" in rendered, rendered
        return None
    except Hang:
        raise AssertionError(f"compile hung on:\n{text!r}") from None
    except Exception as e:
        if tolerate_known and known_bug(e):
            return None
        raise AssertionError(f"compile raised {type(e).__name__}: {e}\non:\n{text!r}") from None


def _settings(n: int):
    return settings(max_examples=n, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])


# ------------------------------------------------------------------ (a) random text
KEYWORDS = ["fn", "def", "var", "let", "alias", "if", "elif", "else", "while", "for", "in",
            "range", "return", "break", "continue", "pass", "raise", "raises", "from",
            "import", "as", "struct", "try", "except", "and", "or", "not", "True", "False",
            "None", "mut", "owned", "inout", "borrowed", "read", "out", "Error", "print",
            "math", "sqrt", "min", "max", "abs", "fma", "isnan", "inf", "nan", "pi", "DType",
            "DType.float32", "DType.int8", "SIMD", "Scalar", "simdwidthof", "cast", "sep", "end",
            "@always_inline", "@parameter", "vectorize", "List", "Tensor", "String"]
TYPE_NAMES = ["Int", "UInt", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32",
              "UInt64", "Float32", "Float64", "Float16", "Bool", "NoneType"]
NAMES = ["a", "b", "x", "y", "n", "i", "main", "f", "_", "self", "__init__"]
NUMBERS = ["0", "1", "2", "42", "-1", "255", "256", "0x1F", "0b101", "0o17", "1_000", "1.5",
           "0.0", "1e10", "1e400", "2.", ".5", "9223372036854775808", "18446744073709551616",
           "0x", "1__0", "08", "1e", "99999999999999999999999999999999999999"]
OPERATORS = ["+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "~", "<", ">",
             "<=", ">=", "==", "!=", "=", "+=", "-=", "*=", "/=", "//=", "%=", "**=", "&=",
             "|=", "^=", "<<=", ">>=", "@", "@=", "->", ".", ",", ":", ";", "(", ")", "[",
             "]", "{", "}", "!", "$", "?", "`"]
STRINGS = ['"s"', "'x'", '""', '"""doc"""', '"unterminated', "'''", '"\\n"', '"ü"', '"\\x"']
LAYOUT = ["\n", "\n", "\n    ", "\n        ", "    ", "\t", "\n\t", "#comment", "\\\n", "\r\n",
          " ", "\n  ", "\x0c", "\x00"]
TOKENS = KEYWORDS + TYPE_NAMES + NAMES + NUMBERS + OPERATORS + STRINGS + LAYOUT

token = st.sampled_from(TOKENS)


@_settings(250)
@given(text=st.text(max_size=200))
def test_random_text(text):
    check_compile(text)


PROGRAM_CHARS = "fnvardeli():=+-*/<>%&|^~ \n\t\"'#.,0123456789_xyzIFT"


@_settings(200)
@given(text=st.text(alphabet=st.sampled_from(PROGRAM_CHARS),
                    max_size=120))
def test_random_text_from_program_characters(text):
    check_compile(text)


@_settings(300)
@given(tokens=st.lists(token, max_size=40), seps=st.lists(st.sampled_from(["", " "]),
                                                          min_size=40, max_size=40))
def test_random_token_sequences(tokens, seps):
    check_compile("".join(t + s for t, s in zip(tokens, seps)))


ATOMS = NAMES + TYPE_NAMES + NUMBERS[:18] + STRINGS[:3] + [
    "True", "False", "None", "inf", "nan", "pi", "DType.float32", "DType.int8", "DType.bool",
    "math.sqrt", "math.pi", "x.y", "print", "range", "Error", "SIMD", "Scalar", "sqrt", "fma",
    "min", "max", "abs", "isnan", "simdwidthof", "f", "g", "main", "N", "T"]
BINARY = ["+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "@", "<", ">", "<=",
          ">=", "==", "!=", "and", "or"]

# Random expressions over every kind of atom: syntactically plausible, badly typed.
expressions = st.recursive(
    st.sampled_from(ATOMS),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(BINARY), inner).map(" ".join),
        st.tuples(st.sampled_from(["-", "~", "not ", "+"]), inner).map("".join),
        st.tuples(inner, st.lists(inner, max_size=3)).map(
            lambda c: f"{c[0]}({', '.join(c[1])})"),
        st.tuples(inner, st.lists(inner, min_size=1, max_size=2)).map(
            lambda c: f"{c[0]}[{', '.join(c[1])}]"),
        st.tuples(inner, inner, inner).map(lambda c: f"({c[0]} if {c[1]} else {c[2]})"),
        inner.map(lambda e: f"({e})"),
        inner.map(lambda e: f"{e}^"),                  # the transfer sigil
        st.tuples(inner, st.sampled_from(["cast[DType.float32]()", "y", "value"])).map(
            lambda c: f"{c[0]}.{c[1]}"),
        st.tuples(inner, st.sampled_from(["sep", "end", "x"]), inner).map(
            lambda c: f"{c[0]}({c[1]}={c[2]})"),
    ),
    max_leaves=8)

STATEMENTS = ["var v = {e}", "var v: {t} = {e}", "let w = {e}", "v = {e}", "x = {e}",
              "v += {e}", "x **= {e}", "a, b = {e}, {e}", "return {e}", "return", "print({e})",
              "print({e}, {e}, sep={e})", "_ = {e}", "{e}", "raise Error({e})", "raise {e}",
              "alias K = {e}", "if {e}:", "elif {e}:", "else:", "while {e}:",
              "for i in range({e}):", "for i in {e}:", "break", "continue", "pass",
              "var q: {t}", "fn inner():", "{e} = {e}"]


@st.composite
def token_programs(draw):
    """Programs with a plausible skeleton (imports, headers, indentation) whose lines
    are random statements over random expressions, with raw token garbage mixed
    in: most parse, and the checker sees every kind of confusion."""
    lines = []
    for _ in range(draw(st.integers(0, 2))):
        lines.append(draw(st.sampled_from(["from math import sqrt, inf, fma", "import math",
                                           "alias N = 4", "alias T = DType.float32",
                                           "from sys import simdwidthof", "import math as m",
                                           "from math import nope", "alias F = Float32"])))
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(["main", "f", "g"]))
        params = draw(st.sampled_from(["", "x: Int", "x: Float64, y: Float64", "mut x: Int",
                                       "x: Int8 = 3", "owned x: UInt", "x", "x: T",
                                       "x: SIMD[DType.float32, 4]", "inout x: Bool, y: F"]))
        ret = draw(st.sampled_from(["", " -> Int", " -> Float32", " -> Bool", " raises",
                                    " raises -> Int", " -> None", " -> T"]))
        lines.append(f"{draw(st.sampled_from(['fn', 'def']))} {name}({params}){ret}:")
        depth = 1
        for _ in range(draw(st.integers(1, 6))):
            if draw(st.integers(0, 9)) == 0:      # a line of raw tokens
                text = " ".join(draw(st.lists(token, min_size=1, max_size=8)))
            else:
                text = draw(st.sampled_from(STATEMENTS)).replace(
                    "{t}", draw(st.sampled_from(TYPE_NAMES + ["T", "F", "x"])))
                while "{e}" in text:
                    text = text.replace("{e}", draw(expressions), 1)
            lines.append("    " * depth + text)
            if text.endswith(":"):
                depth = min(depth + 1, 4)
            elif draw(st.integers(0, 3)) == 0:
                depth = max(1, depth - 1)
        if lines[-1].endswith(":"):
            lines.append("    " * depth + "pass")
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n", "\n    "]))


@_settings(250)
@given(text=token_programs())
def test_random_token_programs(text):
    check_compile(text, codegen=True)


# ------------------------------------------------------------------ (b) corpus mutations
# Tokens as the lexer sees them, roughly: strings, numbers, names, operators.
_TOKEN_RE = re.compile(r'"[^"\n]*"|\'[^\'\n]*\'|\d[\w.]*|[A-Za-z_]\w*|\*\*=?|//=?|<<=?|>>=?|'
                       r'[-+*/%&|^@<>=!]=|->|\S')


def _tokens(text: str) -> list[re.Match]:
    return [m for m in _TOKEN_RE.finditer(text) if not m.group().startswith("#")]


@st.composite
def mutated_programs(draw, max_mutations: int = 3):
    name = draw(st.sampled_from(sorted(CORPUS)))
    text = CORPUS[name]
    applied = []
    for _ in range(draw(st.integers(1, max_mutations))):
        lines = text.split("\n")
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "truncate", "indent",
                                     "token", "token", "token_from_program"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        if kind == "delete" and lines:
            del lines[i]
        elif kind == "duplicate" and lines:
            lines.insert(i, lines[i])
        elif kind == "swap" and lines:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "indent" and lines:
            d = draw(st.sampled_from([-4, -3, -2, -1, 1, 2, 3, 4]))
            line = lines[i]
            lead = len(line) - len(line.lstrip(" "))
            lines[i] = " " * d + line if d > 0 else line[min(-d, lead):]
        if kind in ("delete", "duplicate", "swap", "indent"):
            text = "\n".join(lines)
        elif kind == "truncate":
            text = text[:draw(st.integers(0, len(text)))]
        else:
            toks = _tokens(text)
            if not toks:
                continue
            tok = toks[draw(st.integers(0, len(toks) - 1))]
            if kind == "token":
                new = draw(st.sampled_from(TOKENS))
            else:       # a token of the same program: more mutants survive the parser
                new = toks[draw(st.integers(0, len(toks) - 1))].group()
            text = text[:tok.start()] + new + text[tok.end():]
        applied.append((kind, i))
    return name, applied, text


@_settings(300)
@given(case=mutated_programs())
def test_mutated_corpus_programs(case):
    name, applied, text = case
    check_compile(text)


@_settings(60)
@given(case=mutated_programs(max_mutations=1))
def test_mutated_corpus_programs_that_compile_also_lower(case):
    """One small mutation keeps many programs valid: those must get through code
    generation and LLVM too (they are compiled, never run)."""
    name, applied, text = case
    check_compile(text, codegen=True)


def test_every_corpus_program_compiles():
    """The mutation source itself is clean (a broken corpus would make (b) vacuous)."""
    assert len(CORPUS) >= 40
    for name, text in CORPUS.items():
        assert check_compile(text) is not None, name


@pytest.mark.slow
@_settings(int(os.environ.get("MOJOLITE_FUZZ_CASES", "3000")))
@given(case=mutated_programs(max_mutations=4))
def test_many_mutated_corpus_programs(case):
    name, applied, text = case
    check_compile(text, codegen=True)


@pytest.mark.slow
@_settings(int(os.environ.get("MOJOLITE_FUZZ_CASES", "3000")))
@given(text=st.one_of(st.text(max_size=400), token_programs()))
def test_much_random_text(text):
    check_compile(text, codegen=True)


# ------------------------------------------------------------------ harness self-checks
def test_the_guard_reports_a_hang():
    with pytest.raises(Hang):
        with time_limit(1):
            while True:
                pass


@pytest.mark.parametrize("text", ["fn main(:\n", "fn main():\n\tpass\n", "var x = 1\n",
                                  "fn main():\n    print(\"unterminated)\n", "\x00", "fn"])
def test_known_bad_programs_give_located_errors(text):
    assert check_compile(text) is None


# ------------------------------------------------------------------ bugs found
def test_a_long_flat_sum_compiles():
    # Found by this fuzzer: deep left-nested sums used to exceed Python's recursion limit.
    text = "fn f(y: Int) -> Int:\n    return " + " + ".join(["y"] * 3000) + "\n"
    assert check_compile(text) is not None


# Found by this fuzzer: the parser decoded string literals with ast.literal_eval, so an
# invalid escape escaped as InternalError ('SyntaxError: (unicode error) ...').
@pytest.mark.parametrize("literal", [r'"\x"', r'"\x4"', r'"\u12"', r'"\N{NO SUCH NAME}"'])
def test_bad_string_escapes_are_compile_errors(literal):
    text = f"fn main():\n    print({literal})\n"
    with pytest.raises(CompileError) as info:
        mojolite.compile(text, "t.ml")
    err = info.value.errors[0]
    assert (err.span.line, err.span.column) == (2, 12)      # the escape, after the quote


ESCAPE_PIECES = ["a", "é", "😀", " ", "'", "\\\\", "\\n", "\\t", "\\r", "\\a", "\\0", "\\7",
                 "\\101", "\\777", "\\8", "\\q", "\\'", '\\"', "\\x41", "\\x4", "\\xZ",
                 "\\u00e9", "\\u12", "\\ud800", "\\udfff", "\\U0001F600", "\\U00110000",
                 "\\U0010ffff", "\\N{BULLET}", "\\N{bullet}", "\\N{NOPE}", "\\N", "\\N{", "}",
                 "0", "f", "F"]


@_settings(300)
@given(pieces=st.lists(st.sampled_from(ESCAPE_PIECES), max_size=6))
def test_string_escapes_decode_as_python_does(pieces):
    """Python's own decoding is the oracle; what Python rejects, or decodes to a lone
    surrogate, is a located compile error instead."""
    import ast
    import warnings
    from mojolite.parser import parse
    from mojolite.source import Source
    literal = '"' + "".join(pieces) + '"'
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # `\q` is deprecated in Python, kept here
        try:
            want = ast.literal_eval(literal)
        except SyntaxError:
            want = None
    if want is not None and any(0xD800 <= ord(c) <= 0xDFFF for c in want):
        want = None
    source = Source("t.ml", f"fn main():\n    print({literal})\n")
    if want is None:
        with pytest.raises(CompileError) as info:
            parse(source)
        span = info.value.errors[0].span      # inside the literal, after its quote
        assert span.line == 2 and 11 < span.column < 11 + len(literal), literal
    else:
        call = parse(source).body[0].body[0].expr
        assert call.args[0].value == want, literal


# Found by this fuzzer: the tree builder's own UserErrors escaped parse() bare.
@pytest.mark.parametrize("text, line, column", [
    ("fn f(foo x: Int):\n    pass\n", 1, 6),
    ("fn main():\n    var a = 1\n    var b = 2\n    a = b = 3\n", 4, 5),
], ids=["unknown-convention", "chained-assignment"])
def test_parser_user_errors_come_inside_a_compile_error(text, line, column):
    with pytest.raises(CompileError) as info:
        mojolite.compile(text, "t.ml")
    err = info.value.errors[0]
    assert (err.span.line, err.span.column) == (line, column)


# Found by this fuzzer: literal folding let Python's OverflowError (huge int to float)
# and ValueError (negative shift) escape as InternalError.
@pytest.mark.parametrize("ret, expr", [
    ("Float64", "2 ** 4000 + 0.5"),
    ("Float64", "10 ** 400 / 10 ** 399"),
    ("Float64", "2.0 ** (10 ** 400)"),
    ("Int", "1 << -1"),
    ("Int", "1 >> -1"),
])
def test_literal_folding_failures_are_compile_errors(ret, expr):
    check_compile(f"fn f() -> {ret}:\n    return {expr}\n", tolerate_known=False)


# Found by this fuzzer: a decorator with arguments crashed the parser (TypeError).
@pytest.mark.parametrize("decorator", ['@always_inline("x")', "@always_inline(1)", "@foo(1)"])
def test_decorator_arguments_are_checked(decorator):
    check_compile(f"{decorator}\nfn f() -> Int:\n    return 1\n", tolerate_known=False)


def test_decorator_arguments_parse_with_keywords():
    from mojolite import syntax as S
    from mojolite.parser import parse
    from mojolite.source import Source
    text = "@mojolite.jit(2, opt=3, fastmath=True)\nfn f() -> Int:\n    return 1\n"
    deco, = parse(Source("t.ml", text)).body[0].decorators
    assert deco == S.Decorator("mojolite.jit", (
        S.IntLit(2, span=None), S.Keyword("opt", S.IntLit(3, span=None), span=None),
        S.Keyword("fastmath", S.BoolLit(True, span=None), span=None)), span=None)
    assert [a.span.column for a in deco.args] == [15, 18, 25]


# Found by this fuzzer: literal folding computed 10 ** 10 ** 10 exactly (a 10**10-digit
# integer) before its size check, and the compile hung.
def test_a_huge_literal_power_fails_fast():
    with time_limit(1):
        with pytest.raises(CompileError, match="overflows"):
            mojolite.compile("fn f() -> Int:\n    return 10 ** 10 ** 10\n", "t.ml")


# ------------------------------------------------------------------ the parser's lexer
def _parse_outcome(text: str, lark) -> str:
    """The syntax tree (spans included) or the error `parse` gives for `text`
    when it parses with `lark`."""
    from unittest import mock

    from mojolite import parser
    from mojolite.source import Source
    with mock.patch.object(parser, "_lark", lambda: lark):
        try:
            return repr(parser.parse(Source("t.ml", text)))
        except CompileError as e:
            return "error: " + str(e)


@pytest.fixture(scope="module")
def lexers():
    """(the parser's Lark, whose lexer scans with its root scanner first; one
    whose contextual lexer is as Lark built it)."""
    from mojolite import parser
    return parser._lark(), parser._lark_as_built()


def _same_parse(text: str, lexers):
    ours, larks = (_parse_outcome(text, lark) for lark in lexers)
    assert ours == larks


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_root_first_lexing_parses_the_corpus_as_lark_does(name, lexers):
    _same_parse(CORPUS[name], lexers)


LEXER_INPUTS = st.one_of(mutated_programs().map(lambda case: case[-1]), token_programs(),
                        st.text(max_size=200), st.lists(token, max_size=40).map(" ".join))


@_settings(300)
@given(text=LEXER_INPUTS)
def test_root_first_lexing_parses_as_lark_does(text, lexers):
    _same_parse(text, lexers)


@pytest.mark.slow
@_settings(int(os.environ.get("MOJOLITE_FUZZ_CASES", "3000")))
@given(text=LEXER_INPUTS)
def test_root_first_lexing_parses_as_lark_does_on_many_inputs(text, lexers):
    _same_parse(text, lexers)

"""String operations beyond `+`, `==`, `len` and `String(x)` (check_strings.py,
strings.py, codegen/strings.py): their runtime faults (the same message and
place in the reference mode and the JIT), their compile errors, and that the
Strings they make are given back. What they compute is in
tests/programs/string_*.ml."""
import os

import pytest

import mojolite
from mojolite.errors import CompileError, RuntimeFault
from test_memory import MODES, assert_fault   # the three modes; a located fault in one


FAULTS = [
    # (id, program, message, line, column, printed before the fault)
    ("index-past-end", """\
        fn main():
            var s = String("ab")
            print(s[1])
            print(s[2])
        """, "String index 2 is out of range for length 2", 4, 11, "b\n"),
    ("index-before-start", """\
        fn main():
            var s = "ab"
            print(s[-2], s[-3])
        """, "String index -3 is out of range for length 2", 3, 18, ""),
    ("index-empty", """\
        fn main():
            var s = String()
            var c = s[0]
        """, "String index 0 is out of range for length 0", 3, 13, ""),
    ("index-inside-character", """\
        fn main():
            var s = "aé"
            print(s[0], len(s))
            print(s[1])
        """, "String index 1 is inside a multi-byte character (a String is indexed by "
             "UTF-8 byte)", 4, 11, "a 3\n"),
    ("ord-two-characters", """\
        fn main():
            print(ord("ab"))
        """, "ord() needs a String of one character, not one of 2 bytes", 2, 11, ""),
    ("ord-empty", """\
        fn main():
            print(ord(String()))
        """, "ord() needs a String of one character, not one of 0 bytes", 2, 11, ""),
    ("ord-character-and-more", """\
        fn main():
            print(ord("é!"))
        """, "ord() needs a String of one character, not one of 3 bytes", 2, 11, ""),
    ("chr-negative", """\
        fn main():
            var n = -1
            print(chr(n))
        """, "chr(-1) is not a Unicode code point (0 to 0x10FFFF, not a surrogate)", 3, 11, ""),
    ("chr-surrogate", """\
        fn main():
            print(chr(0xDFFF))
        """, "chr(57343) is not a Unicode code point (0 to 0x10FFFF, not a surrogate)", 2, 11,
     ""),
    ("chr-too-big", """\
        fn main():
            print(chr(0x110000))
        """, "chr(1114112) is not a Unicode code point (0 to 0x10FFFF, not a surrogate)", 2, 11,
     ""),
    ("repeat-overflows", """\
        fn main():
            var n = 1 << 62
            print("ab" * n)
        """, "size overflows Int64 (more than 2**63 - 1 bytes)", 3, 11, ""),
    ("atol-not-a-number", """\
        fn main():
            print(atol(" 12 "))
            print(Int("1 2"))
        """, "the String is not a base-10 integer (an optional sign, digits, `_` between them)",
     3, 11, "12\n"),
    ("atol-empty", """\
        fn main():
            var n = atol(String())
        """, "the String is not a base-10 integer (an optional sign, digits, `_` between them)",
     2, 13, ""),
    ("atol-too-big", """\
        fn main():
            print(Int("-9223372036854775808"))
            print(Int("9223372036854775808"))
        """, "the String's integer does not fit in Int64", 3, 11, "-9223372036854775808\n"),
    ("atof-not-a-number", """\
        fn main():
            print(atof(" 1_0.5e1 "), Float64("-iNf"), Float32("1e39"))
            print(Float64("1__0"))
        """, "the String is not a decimal number (an optional sign, digits with an optional "
             "`.` and exponent, `inf` or `nan`)", 3, 11, "105.0 -inf inf\n"),
    ("atof-hex", """\
        fn main():
            var x = Float32("0x1p3")
        """, "the String is not a decimal number (an optional sign, digits with an optional "
             "`.` and exponent, `inf` or `nan`)", 2, 13, ""),
    ("atof-empty", """\
        fn main():
            var s = String()
            print(atof(s))
        """, "the String is not a decimal number (an optional sign, digits with an optional "
             "`.` and exponent, `inf` or `nan`)", 3, 11, ""),
    ("atof-nan-payload", """\
        fn main():
            print(Float64("nan(1)"))
        """, "the String is not a decimal number (an optional sign, digits with an optional "
             "`.` and exponent, `inf` or `nan`)", 2, 11, ""),
    ("split-empty-separator", """\
        fn main():
            var sep = ""
            var parts = "a b".split(sep)
        """, "split() with an empty separator", 3, 17, ""),
    ("slice-ends-inside-character", """\
        fn main():
            var s = "aé!"
            print(s[:1], s[:3], s[1:3] == "é", s[3:] + s[1:1] + s[2:2])
            print(s[:2])
        """, "String slice cuts a multi-byte character at byte 2 (a String is sliced by "
             "UTF-8 byte)", 4, 11, "a aé True !\n"),
    ("slice-starts-inside-character", """\
        fn main():
            var s = "aé!"
            var k = -2
            print(s[k:])
        """, "String slice cuts a multi-byte character at byte 2 (a String is sliced by "
             "UTF-8 byte)", 4, 11, ""),
    ("slice-steps-onto-character", """\
        fn main():
            var s = "ab-é"
            print(s[:3:2], s[2::-1], s[-3:0:-2])
            print(s[::-1])
        """, "String slice cuts a multi-byte character at byte 4 (a String is sliced by "
             "UTF-8 byte)", 4, 11, "a- -ba -\n"),
    ("slice-string-step-zero", """\
        fn main():
            var s = "abc"
            var k = 0
            print(s[::k])
        """, "slice step cannot be zero", 4, 11, ""),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("src,message,line,col,printed", [c[1:] for c in FAULTS],
                         ids=[c[0] for c in FAULTS])
def test_fault(src, message, line, col, printed, mode, capsys):
    assert_fault(src, mode, message, line, col, printed, capsys)


ERRORS = [
    # (id, body of main, message, line, column)
    ("assign-byte", 'var s = String("ab")\n    s[0] = "x"', "a String's bytes cannot be assigned",
     3, 5),
    ("index-float", 'var s = "ab"\n    print(s[1.0])', "expected Int, found a float literal",
     3, 13),
    ("index-two", 'var s = "ab"\n    print(s[0, 1])', "a String takes one index: `s[i]`", 3, 11),
    ("ord-int", "print(ord(65))", "ord() needs a String, not Int", 2, 15),
    ("chr-string", 'print(chr("a"))', "an index must be an integer, not String", 2, 15),
    ("in-int", 'var s = "ab"\n    print(1 in s)', "`in` on a String needs a String, not Int",
     3, 11),
    ("no-such-method", 'print("ab".title())', "String has no method 'title'", 2, 16),
    ("startswith-int", 'print("ab".startswith(1))', "startswith() needs a String, not Int", 2, 27),
    ("join-ints", 'print(",".join(List[Int](1)))', "join() needs a List[String], not List[Int]",
     2, 20),
    ("replace-one-arg", 'print("ab".replace("a"))', "replace() is missing argument 'new'", 2, 11),
    ("int32-of-string", 'print(Int32("1"))', "cannot convert String to Int32", 2, 11),
    ("atof-int", "print(atof(1))", "atof() needs a String, not Int", 2, 16),
    ("atof-two", 'print(atof("1", "2"))', "atof() takes 1 argument, got 2", 2, 11),
    ("compare-float", 'var s = "ab"\n    print(s >= 1.5)', "cannot compare String and Float64",
     3, 11),
]


@pytest.mark.parametrize("body,message,line,col", [c[1:] for c in ERRORS],
                         ids=[c[0] for c in ERRORS])
def test_compile_error(body, message, line, col):
    with pytest.raises(CompileError) as info:
        mojolite.compile(f"fn main():\n    {body}\n", "t.ml")
    err = info.value.errors[0] if hasattr(info.value, "errors") else info.value
    assert err.message == message
    assert (err.span.line, err.span.column) == (line, col)


def test_unchecked_index_still_refuses_a_partial_character():
    """--release drops the bounds check (as for Lists), never the UTF-8 one: a
    String that is not UTF-8 would reach print and Python."""
    m = mojolite.compile('fn f(i: Int) -> String:\n    var s = "é"\n    return s[i]\n', "t.ml",
                         boundscheck=False)
    with pytest.raises(RuntimeFault, match="inside a multi-byte character"):
        m.f(0)


def test_unchecked_slices_still_refuse_a_partial_character_and_a_zero_step():
    m = mojolite.compile('fn f(k: Int) -> String:\n    var s = "é"\n    return s[:1:k]\n',
                         "t.ml", boundscheck=False)
    with pytest.raises(RuntimeFault, match="cuts a multi-byte character at byte 1"):
        m.f(1)
    with pytest.raises(RuntimeFault, match="slice step cannot be zero"):
        m.f(0)
    assert m.f(-1) == ""


def test_atof_automaton_is_python_float_text():
    """The JIT's atof automaton (codegen/strings.py) accepts exactly the text the
    reference mode's pattern does, which is the text Python's float() takes:
    every string of up to 5 bytes over the bytes that matter."""
    import itertools
    from mojolite.codegen.strings import _CLASSES, _MOVES
    from mojolite.strings import _decimal

    def accepts(data: bytes) -> bool:
        state = "start"
        for c in data:
            kind = next((k for k, v in _CLASSES.items() if c in v), "other")
            state = _MOVES[state].get(kind, "bad")
        return state.endswith("$")
    for n in range(6):
        for t in itertools.product(b" 1_.e+-inftyaNFx", repeat=n):
            data = bytes(t)
            ok = _decimal().fullmatch(data) is not None
            assert accepts(data) == ok, data
            try:
                float(data)
                assert ok, data
            except ValueError:
                assert not ok, data


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


LEAK_SRC = """\
fn churn(n: Int) -> Int:
    var total = 0
    for i in range(n):
        var s = String(i) + "abc"
        var t = String()
        for k in range(len(s)):
            t += chr(ord(s[k]) + 200)
        t = t * 3
        if t < s * 2 or "é" in t:
            total += 1
        var parts = (" " + t.upper() + " , " + s.lower() + " ").split(",")
        var words = ("  " + parts[0].strip() + "  " + parts[1].lstrip().rstrip()).split()
        total += len(" ".join(words).replace("a", "xyz")) + words[0].count("") + Int(String(i))
        total += Int(s.startswith("1")) + s.find("c") + Int(String(i).isdigit())
        total += len(t) + ord(chr(i % 1000 + 128)) + Int(Float64(" " + s[:-3] + "_5.25"))
        for c in t + s:
            total += len(c)
    return total
"""


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc")
def test_strings_made_are_given_back():
    m = mojolite.compile(LEAK_SRC, "s.ml")
    ref = mojolite.compile(LEAK_SRC, "s.ml", reference=True)
    assert m.churn(300) == ref.churn(300)
    m.churn(100_000)
    before = _rss()
    m.churn(100_000)
    assert _rss() - before < 10 * 2**20

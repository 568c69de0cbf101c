"""Structs holding Lists and Tensors, errors (`raise`, `try`/`except`) and
function values, at run time; and the IR of a small struct's methods.

- struct fields of List/Tensor types: copying a struct copies its Lists and
  shares its Tensors (values printed here are worked out by hand); a million
  structs made, copied, passed `owned` and dropped leave the process flat;
- an error nobody catches reaches Python as a `RaisedError` (a `RuntimeFault`)
  with the message and the `raise`'s line:column, in the three modes, and ends
  `mojolite run` with the same; a fault is not an error: `try` lets it pass;
- a function-valued field never assigned faults instead of crashing;
- after optimisation, a loop of `Vec2` operator calls allocates nothing on the
  heap (CHECK / CHECK-NOT lines on the optimised IR), while the same loop
  making a List does (so the check can fail).
The corpus programs struct_list_tensor_fields, try_except and function_values
(tests/programs) run the rest in the three modes.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import mojolite
from mojolite import RaisedError, RuntimeFault
from mojolite.api import dump_stage

MODES = {"ref": dict(reference=True), "O3": dict(opt=3), "O0": dict(opt=0)}
ROOT = Path(__file__).resolve().parent.parent


def compile_(src: str, mode: str):
    return mojolite.compile(textwrap.dedent(src), "t.ml", **MODES[mode])


# ------------------------------------------------------------------ List/Tensor fields
@pytest.mark.parametrize("mode", MODES)
def test_struct_stored_in_a_list_is_a_copy(mode, capsys):
    compile_("""\
        struct P:
            var x: Int
            fn __init__(out self, x: Int):
                self.x = x

        fn main():
            var l = List[P]()
            var s = P(1)
            l.append(s)
            s.x = 5
            print(l[0].x)
            l[0] = s
            s.x = 7
            print(l[0].x, s.x)
        """, mode).main()
    assert capsys.readouterr().out == "1\n5 7\n"


LEAK_SRC = """\
struct Tape:
    var values: List[Float64]
    var grads: Tensor[DType.float64]

    fn __init__(out self, n: Int):
        self.values = List[Float64]()
        self.grads = Tensor[DType.float64](n)

    fn push(mut self, v: Float64):
        self.values.append(v)

@value
struct Pair:
    var name: Int
    var xs: List[Int]

@value
struct Outer:
    var p: Pair
    var t: Tape

fn make_pair(n: Int) -> Pair:
    var l = List[Int]()
    for i in range(n):
        l.append(i)
    return Pair(n, l)

fn grow(owned p: Pair) -> Int:
    p.xs.append(100)
    return len(p.xs)

fn main(n: Int) -> Float64:
    var s = 0.0
    for i in range(n):
        var t = Tape(16)
        t.push(1.0)
        t.push(2.0)
        var u = t
        u.values = List[Float64](3.0)
        t.grads[1] = 1.0
        var p = make_pair(3)
        var o = Outer(p, t)
        o.p.xs = List[Int](1, 2, 3, 4)
        o = Outer(make_pair(2), u)
        s += t.values[1] + u.values[0] + Float64(grow(p)) + Float64(make_pair(4).xs[3])
        s += Float64(len(o.p.xs)) + o.t.values[0] + t.grads[1]
    return s
"""
# Per iteration: 2 + 3 + 4 (grow: [0, 1, 2] + [100]) + 3 + 2 + 3 + 1 = 18.


def test_struct_fields_agree_in_all_modes():
    for mode in MODES:
        assert mojolite.compile(LEAK_SRC, "t.ml", **MODES[mode]).main(7) == 18.0 * 7, mode


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc")
def test_struct_fields_do_not_leak():
    """Each iteration makes, copies and drops about a dozen Lists and Tensors held
    in structs (fields of fields too); leaking any one of them would grow the
    process by tens of MB over 200,000 iterations."""
    m = mojolite.compile(LEAK_SRC, "t.ml", opt=3)
    m.main(1000)
    m.main(200_000)
    before = _rss()
    assert m.main(200_000) == 18.0 * 200_000
    assert _rss() - before < 10 * 2**20


# ------------------------------------------------------------------ errors
RAISING = """\
fn f(x: Int) raises -> Int:
    if x > 2:
        raise Error("too big")
    return x

fn h(x: Int) raises -> Int:
    try:
        return f(x)
    except e:
        raise e

fn main(x: Int) raises -> Int:
    return h(x) + 1
"""


@pytest.mark.parametrize("mode", MODES)
def test_uncaught_error_reaches_python(mode):
    m = mojolite.compile(RAISING, "t.ml", **MODES[mode])
    assert m.main(2) == 3
    with pytest.raises(RaisedError) as info:
        m.main(5)
    err = info.value
    assert isinstance(err, RuntimeFault)
    assert (err.message, err.span.line, err.span.column) == ("too big", 3, 9)
    assert m.main(1) == 2           # the module stays usable


def test_uncaught_error_from_the_disk_cache(tmp_path):
    """A second process loads the machine code from the cache: the error is
    still a RaisedError with the raise's location."""
    probe = ("import mojolite, sys\n"
             "m = mojolite.compile(sys.stdin.read(), 't.ml')\n"
             "try:\n    m.main(5)\n"
             "except mojolite.RaisedError as e:\n"
             "    print(e.message, e.span.line, e.span.column)\n")
    env = {k: v for k, v in os.environ.items() if k != "MOJOLITE_DEBUG"}
    env.update(PYTHONPATH=str(ROOT), MOJOLITE_CACHE="1", MOJOLITE_CACHE_DIR=str(tmp_path))
    for _ in range(2):
        r = subprocess.run([sys.executable, "-c", probe], input=RAISING, capture_output=True,
                           text=True, env=env, timeout=120)
        assert r.stdout == "too big 3 9\n", r.stderr
    assert list(tmp_path.rglob("*.mlc"))      # the second run could load an entry


def test_uncaught_error_ends_mojolite_run(tmp_path):
    path = tmp_path / "t.ml"
    path.write_text("fn main() raises:\n    print(\"start\")\n    raise Error(\"stop here\")\n")
    env = {k: v for k, v in os.environ.items() if k != "MOJOLITE_DEBUG"}
    env["PYTHONPATH"] = str(ROOT)
    for flags in ([], ["--reference"]):
        r = subprocess.run([sys.executable, "-m", "mojolite", "run", str(path), *flags],
                           capture_output=True, text=True, env=env, timeout=120)
        assert r.returncode != 0
        assert r.stdout == "start\n"
        assert "stop here" in r.stderr and "t.ml:3:5" in r.stderr
        assert "Traceback" not in r.stderr


@pytest.mark.parametrize("mode", MODES)
def test_try_does_not_catch_a_fault(mode, capsys):
    m = compile_("""\
        fn main():
            var l = List[Int](1, 2)
            var i = 5
            try:
                print(l[i])
            except e:
                print("caught", e)
        """, mode)
    with pytest.raises(RuntimeFault) as info:
        m.main()
    assert not isinstance(info.value, RaisedError)
    assert info.value.message == "List index 5 is out of range for length 2"
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("mode", MODES)
def test_error_in_loop_caught_each_time(mode, capsys):
    """A handler inside a loop, a callee that raises on some iterations and a
    `mut` argument written before the raise (the write stays)."""
    compile_("""\
        fn step(mut total: Int, i: Int) raises:
            total += i
            if i % 3 == 0:
                raise Error("multiple of three")
            total += 100

        fn main():
            var total = 0
            var caught = 0
            for i in range(10):
                try:
                    step(total, i)
                except e:
                    caught += 1
                    if i == 9:
                        print(String(e))
            print(total, caught)
        """, mode).main()
    # i = 0..9 all add i (45); the six not divisible by 3 add 100 more.
    assert capsys.readouterr().out == "multiple of three\n645 4\n"


@pytest.mark.parametrize("mode", MODES)
def test_a_bare_raise_raises_the_handled_error_again(mode, capsys):
    """`raise` alone in a handler (named, `except:` or `except Error:`) raises
    the error being handled, with the place it was first raised; inside a `try`
    nested in the handler's body it is still the outer handler's error."""
    m = compile_("""\
        fn boom(x: Int) raises -> Int:
            if x > 2:
                raise Error("too big")
            return x

        fn named(x: Int) raises -> Int:
            try:
                return boom(x)
            except e:
                print("named", e)
                raise

        fn anonymous(x: Int) raises -> Int:
            try:
                return boom(x)
            except:
                print("anonymous")
                raise

        fn nested(x: Int) raises -> Int:
            try:
                return boom(x)
            except Error:
                try:
                    print("nested", boom(1))
                    raise
                except e:
                    print("inner", e)
            return -1
        """, mode)
    assert m.named(1) == 1 and m.anonymous(2) == 2
    for fn, printed in ((m.named, "named too big\n"), (m.anonymous, "anonymous\n")):
        with pytest.raises(RaisedError) as info:
            fn(5)
        err = info.value
        assert (err.message, err.span.line, err.span.column) == ("too big", 3, 9)
        assert capsys.readouterr().out == printed
    assert m.nested(5) == -1
    assert capsys.readouterr().out == "nested 1\ninner too big\n"


@pytest.mark.parametrize("mode", MODES)
def test_error_with_no_message_raises_an_empty_one(mode, capsys):
    """Mojo's `Error()` (no argument) is an error whose message is empty."""
    m = compile_("""\
        fn quiet(x: Int) raises -> Int:
            if x > 0:
                raise Error()
            return x

        fn main() raises:
            try:
                _ = quiet(1)
            except e:
                print("[" + String(e) + "]")
        """, mode)
    m.main()
    assert capsys.readouterr().out == "[]\n"
    with pytest.raises(RaisedError) as info:
        m.quiet(2)
    assert (info.value.message, info.value.span.line, info.value.span.column) == ("", 3, 9)


def test_a_bare_raise_outside_a_handler_is_a_compile_error():
    with pytest.raises(mojolite.CompileError) as info:
        mojolite.compile("fn f() raises:\n    try:\n        raise\n    except e:\n"
                         "        pass\n", "t.ml")
    (err,) = info.value.errors
    assert "bare `raise`" in err.message and (err.span.line, err.span.column) == (3, 9)


@pytest.mark.parametrize("mode", MODES)
def test_try_inside_a_closure(mode, capsys):
    """The handler's `e` belongs to the closure (not a captured variable); the
    captured counter is shared."""
    compile_("""\
        fn risky(x: Int) raises -> Int:
            if x == 2:
                raise Error("two")
            return x

        fn main():
            var count = 0
            @parameter
            fn body(i: Int):
                try:
                    count += risky(i)
                except e:
                    print("caught", e, i)
            for i in range(4):
                body(i)
            print(count)
        """, mode).main()
    assert capsys.readouterr().out == "caught two 2\n4\n"


@pytest.mark.parametrize("mode", MODES)
def test_augmented_assignment_through_getitem_and_setitem(mode, capsys):
    """`m[i, j] op= v` is `m.__setitem__(i, j, m.__getitem__(i, j) op v)`, each
    index evaluated once, before the value."""
    compile_("""\
        struct M:
            var d: List[Int]
            fn __init__(out self):
                self.d = List[Int]()
                for i in range(9):
                    self.d.append(i)
            fn __getitem__(self, i: Int, j: Int) -> Int:
                return self.d[i * 3 + j]
            fn __setitem__(mut self, i: Int, j: Int, v: Int):
                self.d[i * 3 + j] = v

        struct H:
            var m: M
            fn __init__(out self):
                self.m = M()

        fn idx(k: Int) -> Int:
            print("idx", k)
            return k

        fn value() -> Int:
            print("value")
            return 100

        fn main():
            var m = M()
            m[1, 2] += 10
            m[idx(2), idx(0)] -= value()
            m[0, 1] <<= 3
            print(m[1, 2], m[2, 0], m[0, 1])
            var h = H()
            h.m[2, 2] //= 3
            print(h.m[2, 2])
        """, mode).main()
    assert capsys.readouterr().out == "idx 2\nidx 0\nvalue\n15 -94 8\n2\n"


def test_unknown_field_suggests_the_nearest():
    with pytest.raises(mojolite.CompileError) as info:
        mojolite.compile("@value\nstruct P:\n    var count: Int\n\nfn main():\n"
                         "    var p = P(1)\n    print(p.cuont)\n", "t.ml")
    assert info.value.errors[0].hint == "did you mean 'count'?"


# ------------------------------------------------------------------ function values
@pytest.mark.parametrize("mode", MODES)
def test_unassigned_function_field_faults(mode, capsys):
    # A field assigned only in a loop passes the checker's (lenient) rule that
    # __init__ assigns every field; a loop that runs no times leaves it null.
    m = compile_("""\
        fn neg(x: Float64) -> Float64:
            return -x

        struct Holder:
            var op: fn (Float64) -> Float64
            fn __init__(out self, n: Int):
                for _ in range(n):
                    self.op = neg

        fn main():
            var h = Holder(0)
            print("before")
            print(h.op(1.0))
        """, mode)
    with pytest.raises(RuntimeFault) as info:
        m.main()
    err = info.value
    assert (err.message, err.span.line, err.span.column) == \
        ("call of a function value that was never assigned", 13, 11)
    assert capsys.readouterr().out == "before\n"


# ------------------------------------------------------------------ IR
def filecheck(text: str, checks: str):
    """FileCheck's CHECK and CHECK-NOT: each CHECK regex matches a line after the
    previous CHECK's line; each CHECK-NOT regex matches no line between the
    CHECKs around it (or the end of the text)."""
    lines = text.splitlines()
    pos, nots = 0, []

    def no_match_before(end):
        for pat in nots:
            for line in lines[pos:end]:
                assert not re.search(pat, line), f"CHECK-NOT: {pat} matched: {line}"
        nots.clear()

    for spec in textwrap.dedent(checks).strip().splitlines():
        kind, pat = spec.split(":", 1)
        pat = pat.strip()
        if kind == "CHECK-NOT":
            nots.append(pat)
            continue
        assert kind == "CHECK", spec
        for k in range(pos, len(lines)):
            if re.search(pat, lines[k]):
                no_match_before(k)
                pos = k + 1
                break
        else:
            raise AssertionError(f"CHECK: {pat} not found in order\n{text}")
    no_match_before(len(lines))


VEC2 = """\
@value
struct Vec2:
    var x: Float64
    var y: Float64

    fn __add__(self, other: Vec2) -> Vec2:
        return Vec2(self.x + other.x, self.y + other.y)

    fn __mul__(self, k: Float64) -> Vec2:
        return Vec2(self.x * k, self.y * k)

    fn dot(self, other: Vec2) -> Float64:
        return self.x * other.x + self.y * other.y

fn walk(n: Int) -> Float64:
    var p = Vec2(0.0, 0.0)
    var v = Vec2(1.0, 0.5)
    for i in range(n):
        p = p + v * 0.5
        {extra}
    return p.dot(v)
"""

HEAP = r"@(malloc|calloc|realloc|aligned_alloc|posix_memalign)\b"


def _walk_ir(extra: str) -> str:
    m = mojolite.compile(VEC2.replace("{extra}", extra), "t.ml", opt=3)
    assert m.walk(4) == 2.0 * 1.0 + 1.0 * 0.5
    return dump_stage(m, "opt", fn="walk")


def test_small_struct_methods_allocate_nothing():
    """`Vec2.__add__`, `__mul__` and `dot` pass and return the struct by value:
    once optimised, the loop is scalar arithmetic with no heap call and no
    stack slot left."""
    filecheck(_walk_ir("pass"), r"""
        CHECK: define .*walk
        CHECK-NOT: HEAP
        CHECK-NOT: \balloca\b
        CHECK-NOT: call .*Vec2
        CHECK: fadd double
        CHECK-NOT: HEAP
        CHECK: ret
        """.replace("HEAP", HEAP))


def test_heap_check_sees_an_allocation():
    """The same loop making a List each time: the CHECK-NOT above must fail."""
    text = _walk_ir("var l = List[Int](i)")
    with pytest.raises(AssertionError, match="CHECK-NOT"):
        filecheck(text, f"CHECK: define .*walk\nCHECK-NOT: {HEAP}\nCHECK: ret")


def test_always_inline_is_an_inlining_hint():
    """`@always_inline` (also Mojo's `@always_inline("nodebug")`) puts LLVM's
    alwaysinline on the function (and on nothing else); decorators of the type
    system only are accepted."""
    m = mojolite.compile("""
@value
@register_passable
struct P(Copyable, Movable):
    var x: Int

    @always_inline
    fn get(self) -> Int:
        return self.x

@always_inline
fn twice(x: Int) -> Int:
    return 2 * x

fn once(x: Int) -> Int:
    return x

@always_inline("nodebug")
fn thrice(x: Int) -> Int:
    return 3 * x

fn main():
    print(thrice(twice(once(P(3).get()))))
""", "t.ml", opt=0)
    text = dump_stage(m, "ll")
    attrs = {name: line for line in text.splitlines() if line.startswith("define internal")
             for name in ("twice", "thrice", "once", "P.get") if f'ml.{name}"' in line}
    assert "alwaysinline" in attrs["twice"] and "alwaysinline" in attrs["P.get"]
    assert "alwaysinline" in attrs["thrice"]
    assert "alwaysinline" not in attrs["once"]
    assert m.main() is None

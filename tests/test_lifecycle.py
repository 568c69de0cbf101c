"""A struct's own `__del__`, `__copyinit__` and `__moveinit__` (the programs
tests/programs/lifecycle*.ml show where each runs, in both modes): values that
own memory through them are freed (no growth over a million iterations), a
struct with `__del__` and no way to copy is only moved, and the methods'
signatures are checked."""
import os

import pytest

import mojolite
from mojolite.errors import CompileError

MATRIX = """\
from memory import UnsafePointer

struct Matrix:
    var data: UnsafePointer[Float32]
    var rows: Int
    var cols: Int

    fn __init__(out self, rows: Int, cols: Int):
        self.data = UnsafePointer[Float32].alloc(rows * cols)
        self.rows = rows
        self.cols = cols

    fn __copyinit__(out self, existing: Self):
        self.rows = existing.rows
        self.cols = existing.cols
        self.data = UnsafePointer[Float32].alloc(self.rows * self.cols)
        for i in range(self.rows * self.cols):
            self.data[i] = existing.data[i]

    fn __moveinit__(out self, owned existing: Self):
        self.data = existing.data
        self.rows = existing.rows
        self.cols = existing.cols

    fn __del__(owned self):
        self.data.free()

    fn __getitem__(self, i: Int, j: Int) -> Float32:
        return self.data[i * self.cols + j]

    fn __setitem__(mut self, i: Int, j: Int, v: Float32):
        self.data[i * self.cols + j] = v

fn make(n: Int) -> Matrix:
    var m = Matrix(n, n)
    m[0, 0] = 1
    return m

fn first(owned m: Matrix) -> Float32:
    return m[0, 0]

fn main(n: Int) -> Float32:
    var s: Float32 = 0
    var keep = make(16)
    for i in range(n):
        var m = Matrix(16, 16)
        m[0, 0] = 1
        var c = m
        s += c[0, 0] + make(16)[0, 0] + first(keep) - 1
        var l = List[Matrix]()
        l.append(c^)
        l.append(make(16))
        var l2 = l
        s += l2[1][0, 0] - 1
        try:
            s += fails(m, i)
        except:
            pass
    return s

fn fails(m: Matrix, i: Int) raises -> Float32:
    var local = m
    if i >= 0:
        raise Error("no")
    return local[0, 0]
"""


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="needs /proc")
@pytest.mark.parametrize("boundscheck", [True, False], ids=["checked", "release"])
def test_matrices_are_freed(boundscheck):
    """Each iteration makes, copies, moves, stores in Lists and drops (an error
    unwinding too) about ten 1 KiB Matrices: a leak of any one of them would
    grow the process by gigabytes over a million iterations."""
    m = mojolite.compile(MATRIX, "t.ml", opt=3, boundscheck=boundscheck)
    assert m.main(1000) == 2000.0
    before = _rss()
    assert m.main(1_000_000) == 2_000_000.0
    assert _rss() - before < 10 * 2**20


def test_reference_mode_agrees():
    """The reference mode faults on a double free or a use after free: the same
    program runs there without one."""
    assert mojolite.compile(MATRIX, "t.ml", reference=True).main(50) == 100.0


UNIQUE = ("from memory import UnsafePointer\nstruct U:\n    var n: Int\n\n    fn __init__(out self, n: Int):\n"
          "        self.n = n\n\n    fn __del__(owned self):\n        print(\"drop\", self.n)\n\n"
          "fn take(owned u: U) -> Int:\n    return u.n\n\n")

CASES = [
    # (id, program, message, line, column)
    ("copy-to-var", UNIQUE + "fn main():\n    var a = U(1)\n    var b = a\n",
     "'U' cannot be copied: it has __del__ but no __copyinit__; transfer it with `a^`", 16, 13),
    ("copy-to-owned-arg", UNIQUE + "fn main():\n    var a = U(1)\n    print(take(a))\n",
     "'U' cannot be copied: it has __del__ but no __copyinit__; transfer it with `a^`", 16, 16),
    ("copy-to-list", UNIQUE + "fn main():\n    var a = U(1)\n    var l = List[U]()\n"
     "    l.append(a)\n",
     "'U' cannot be copied: it has __del__ but no __copyinit__; transfer it with `a^`", 17, 14),
    ("copy-list-of-unique", UNIQUE + "fn main():\n    var l = List[U]()\n    var m = l\n",
     "'U' cannot be copied: it has __del__ but no __copyinit__; transfer it with `l^`", 16, 13),
    ("copy-element", UNIQUE + "fn main():\n    var l = List[U]()\n    l.append(U(1))\n"
     "    var x = l[0]\n",
     "'U' cannot be copied: it has __del__ but no __copyinit__", 17, 13),
    ("pointer-element", UNIQUE + "fn main():\n    var p = UnsafePointer[U].alloc(2)\n",
     "U has a `__del__` or `__copyinit__`: it cannot be an UnsafePointer element", 15, 13),
    ("function-value", UNIQUE + "fn main():\n    var f = take\n",
     "'take' takes an `owned` argument with a `__del__` or `__copyinit__`: it cannot be a "
     "function value yet", 15, 13),
    ("del-raises", "struct U:\n    var n: Int\n\n    fn __del__(owned self) raises:\n"
     "        pass\n",
     "`__del__` cannot raise: it runs where a value is copied, moved or dropped, which "
     "cannot fail", 4, 8),
    ("moveinit-read", "struct U:\n    var n: Int\n\n"
     "    fn __moveinit__(out self, existing: Self):\n        self.n = existing.n\n",
     "`__moveinit__` takes `out self, owned existing: Self`", 4, 8),
    ("copyinit-other-type", "struct U:\n    var n: Int\n\n"
     "    fn __copyinit__(out self, existing: Int):\n        self.n = existing\n",
     "`__copyinit__` takes `existing: Self`, not Int", 4, 31),
]


@pytest.mark.parametrize("src,message,line,col", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_error(src, message, line, col):
    with pytest.raises(CompileError) as info:
        mojolite.compile(src, "t.ml")
    err = info.value.errors[0]
    assert err.message == message
    assert (err.span.line, err.span.column) == (line, col)
    assert f"--> t.ml:{line}:{col}" in str(info.value)


@pytest.mark.parametrize("reference", [True, False], ids=["reference", "jit"])
def test_unique_values_move(reference, capsys):
    """Without `__copyinit__`, `^` moves a value into a variable, an argument and
    a List, each dropped once; a copyable struct (`@value`) with `__del__` copies."""
    src = UNIQUE + ("@value\nstruct V:\n    var n: Int\n\n    fn __del__(owned self):\n"
                    "        print(\"drop v\", self.n)\n\n"
                    "fn main():\n    var a = U(1)\n    var b = a^\n    print(take(b^))\n"
                    "    var l = List[U]()\n    l.append(U(2))\n    var c = U(3)\n"
                    "    l.append(c^)\n    var v = V(4)\n    var w = v\n    print(len(l))\n")
    mojolite.compile(src, "t.ml", reference=reference).main()
    assert capsys.readouterr().out == ("drop 1\n1\n2\ndrop 2\ndrop 3\ndrop v 4\ndrop v 4\n")


FAULTY = """\
struct Bad:
    var id: Int

    fn __init__(out self, id: Int):
        self.id = id

    fn __copyinit__(out self, existing: Self):
        self.id = existing.id + List[Int](100)[existing.id // 20]

    fn __del__(owned self):
        print("del", self.id)
        if self.id % 2 == 1:
            print(List[Int]()[self.id])


struct Quiet:
    var id: Int

    fn __init__(out self, id: Int):
        self.id = id

    fn __del__(owned self):
        try:
            raise Error("inner")
        except e:
            print("caught", e)


fn peek(b: Bad) -> Int:
    return b.id


fn fails() raises:
    var a = Bad(3)
    raise Error("boom")


fn main() raises:
"""


def in_del(n: int) -> tuple:
    """The fault of `Bad(n).__del__`, n odd: its message, line and column."""
    return f"List index {n} is out of range for length 0", 13, 19


IN_COPY = "List index 1 is out of range for length 1", 8, 33

FAULTS = [
    # (id, main's body, its output, the fault's message, line, column): a fault
    # in a `__del__` or `__copyinit__` that runs implicitly ends the program
    ("del-at-end", "var b = Bad(1)\nprint('end')", "end\ndel 1\n", *in_del(1)),
    ("copy", "var a = Bad(20)\nvar b = a\nprint('end')", "del 20\n", *IN_COPY),
    ("temporaries", "var c = Bad(4)\nprint(peek(Bad(5)) + peek(Bad(7)))\nprint('end')",
     "12\ndel 7\ndel 5\ndel 4\n", *in_del(7)),
    ("reassigned", "var a = Bad(4)\na = Bad(1)\na = Bad(6)\nprint('end')",
     "del 4\ndel 1\ndel 6\n", *in_del(1)),
    # every variable is dropped on the way out, the first fault is reported
    ("all-dropped", "var a = Bad(1)\nvar b = Bad(3)\nvar c = Bad(4)\nprint('end')",
     "end\ndel 1\ndel 3\ndel 4\n", *in_del(1)),
    ("while-faulting", "var a = Bad(1)\nprint(List[Int]()[7])", "del 1\n",
     "List index 7 is out of range for length 0", 40, 11),
    ("quiet-while-faulting", "var q = Quiet(1)\nprint(List[Int]()[9])", "caught inner\n",
     "List index 9 is out of range for length 0", 40, 11),
    # a fault replaces the error under way (which nothing may catch then)
    ("while-raising", "try:\n    fails()\nexcept e:\n    print('caught', e)\nprint('end')",
     "del 3\n", *in_del(3)),
    # a List's elements: the drops stop at the first fault
    ("list-dropped", "var l = List[Bad]()\nl.append(Bad(4))\nl.append(Bad(5))\n"
     "l.append(Bad(7))\nprint('end')", "end\ndel 4\ndel 5\n", *in_del(5)),
    ("list-cleared", "var l = List[Bad]()\nl.append(Bad(4))\nl.append(Bad(5))\n"
     "l.append(Bad(6))\nl.clear()\nprint('end')", "del 4\ndel 5\n", *in_del(5)),
    ("list-resized", "var l = List[Bad]()\nl.append(Bad(4))\nl.append(Bad(5))\n"
     "l.resize(1, Bad(8))\nprint('end')", "del 5\ndel 8\ndel 4\n", *in_del(5)),
    ("list-copied", "var l = List[Bad]()\nl.append(Bad(4))\nl.append(Bad(20))\n"
     "l.append(Bad(6))\nvar m = l\nprint('end')", "del 4\ndel 20\ndel 6\n", *IN_COPY),
]


@pytest.mark.parametrize("reference", [True, False], ids=["reference", "jit"])
@pytest.mark.parametrize("body,out,message,line,col", [c[1:] for c in FAULTS],
                         ids=[c[0] for c in FAULTS])
def test_fault_in_lifecycle_method(reference, body, out, message, line, col, capsys):
    """Both modes report a fault inside an implicit `__del__`/`__copyinit__`, at
    its place there (the first one, where another runs on the way out)."""
    src = FAULTY + "".join(f"    {s}\n" for s in body.replace("'", '"').split("\n"))
    m = mojolite.compile(src, "t.ml", reference=reference)
    with pytest.raises(mojolite.RuntimeFault) as info:
        m.main()
    assert capsys.readouterr().out == out
    assert str(info.value).startswith(f"runtime error: {message}\n  --> t.ml:{line}:{col}\n")

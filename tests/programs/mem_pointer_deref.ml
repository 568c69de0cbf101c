# Mojo's spellings for the element a pointer points at: `p[]`, `p.load()`,
# `p.load[width=w]()`, `p.store(v)`, `p.store[width=w](v)` are at offset 0.
from memory import UnsafePointer, memset_zero

@value
struct Pair:
    var a: Int
    var b: Int

fn bump(p: UnsafePointer[Int]):
    p[] += 10

fn main():
    var p = UnsafePointer[Float64].alloc(8)
    memset_zero(p, 8)
    p[] = 3.5
    print(p[], p[0], p.load())
    (p + 1)[] = 2.0
    print(p[1], (p + 1)[])
    p.store(SIMD[DType.float64, 4](1.0, 2.0, 3.0, 4.0))
    print(p.load[width=4]())
    (p + 4).store[width=4](7.0)
    print(p.load[width=8]())
    p.store(0.25)
    print(p.load[4]())
    p.free()
    var q = UnsafePointer[Int].alloc(1)
    q[] = 1
    bump(q)
    print(q[], q.load())
    q.free()
    var s = UnsafePointer[Pair].alloc(1)
    s[] = Pair(1, 2)
    s[].b = 5
    print(s[].a, s[].b)
    s.free()

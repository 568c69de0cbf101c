# UnsafePointer: alloc/free, indexing, offsets both ways, load/store, memset_zero, params
from memory import memset_zero

fn fill(p: UnsafePointer[Int], n: Int, start: Int):
    for i in range(n):
        p[i] = start + i

fn psum(p: UnsafePointer[Int], n: Int) -> Int:
    var s = 0
    for i in range(n):
        s += p[i]
    return s

fn reverse_in_place(p: UnsafePointer[Int], n: Int):
    var lo = p
    var hi = p + (n - 1)
    for i in range(n // 2):
        var tmp = lo[0]
        lo[0] = hi[0]
        hi[0] = tmp
        lo = lo + 1
        hi = hi - 1

fn make(n: Int) -> UnsafePointer[Float64]:
    var p = UnsafePointer[Float64].alloc(n)
    for i in range(n):
        p[i] = Float64(i) * 0.5
    return p

fn main():
    var p = UnsafePointer[Int].alloc(10)
    fill(p, 10, 1)
    print(psum(p, 10), p[0], p[9])
    var mid = p + 5
    print(mid[0], mid[-2], (mid - 3)[0], p.offset(7)[0], mid.offset(-5)[0])
    mid[-1] = 50
    print(p[4], psum(p, 10))
    print(p.load(2), mid.load(-5))
    p.store(3, -4)
    mid.store(1, 70)
    print(p[3], p[6], (3 + p)[0])
    reverse_in_place(p, 10)
    print(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9])
    # offsets by other integer types
    var k8: Int8 = 2
    var k32: UInt32 = 4
    print((p + k8)[0], (p + k32)[0], p[k8], p[k32])
    p[0] += 1000
    p[k32] *= 3
    print(p[0], p[4])
    memset_zero(p + 2, 5)
    print(p[0], p[1], p[2], p[6], p[7], psum(p, 10))
    memset_zero(p, 10)
    print(psum(p, 10))
    p.free()

    var q = make(4)
    q[3] += 0.25
    print(q[0], q[1], q[2], q[3])
    q.free()

    # the null pointer and re-pointing a variable
    var z = UnsafePointer[Int32]()
    z = UnsafePointer[Int32].alloc(3)
    z[0] = 2147483647
    z[0] += 1
    z[2] = 7
    print(z[0], z[2])
    var walk = z
    for i in range(3):
        walk[0] = Int32(i * 11)
        walk = walk + 1
    print(z[0], z[1], z[2], (walk - 1)[0])
    z.free()

    # a big allocation, written and read back
    var big = UnsafePointer[UInt64].alloc(100000)
    for i in range(100000):
        big[i] = UInt64(i) * 3
    var s: UInt64 = 0
    for i in range(100000):
        s += big[i]
    print(s)
    big.free()
    # zero-length alloc and free are fine
    var empty = UnsafePointer[Int].alloc(0)
    empty.free()
    print("done")

# `p[i] op= f()` evaluates the target's object before the right side, as
# Python does (the object, the index, then the right side): a right side that
# moves the pointer `p` (a `mut` argument, a closure writing it) or puts a new
# Tensor in `t` still updates the element of the old one. A List is the value
# its variable holds: a right side that assigns the variable a new List changes
# that same List, as Python's `l[:] = ...` would, and the element is stored in it.
@fieldwise_init
struct S(Copyable, Movable):
    var p: UnsafePointer[Int]
    var t: Tensor[DType.int64]


@fieldwise_init
struct P(Copyable, Movable):
    var m: Int


fn advance(mut p: UnsafePointer[Int]) -> Int:
    p += 1
    return 100


fn advance_p(mut p: UnsafePointer[P]) -> Int:
    p += 1
    return 5


fn renew(mut s: S) -> Int:
    s.p += 1
    s.t = Tensor[DType.int64](2)
    return 20


fn new_tensor(mut t: Tensor[DType.int64]) -> Int64:
    t = Tensor[DType.int64](2)
    return 7


fn new_list(mut l: List[Int]) -> Int:
    l = [7, 7, 7]
    return 100


fn main():
    var buf = UnsafePointer[Int].alloc(3)
    for i in range(3):
        buf[i] = i
    var p = buf
    p[0] += advance(p)
    print(buf[0], buf[1], buf[2])
    var q = buf

    @parameter
    fn step() -> Int:
        q += 1
        return 10

    q[1] *= step()
    q[0] -= step()
    print(buf[0], buf[1], buf[2])
    var t = Tensor[DType.int64](2)
    var old = t
    t[1] += new_tensor(t)
    print(old[1], t[1])
    var s = S(buf, t)
    s.p[0] += renew(s)
    var u = s.t
    s.t[0] += Int64(renew(s))
    print(buf[0], buf[1], buf[2], u[0], s.t[0])
    buf.free()
    var ps = UnsafePointer[P].alloc(2)
    ps.init_pointee_copy(P(1))
    (ps + 1).init_pointee_copy(P(2))
    var r = ps
    r[0].m += advance_p(r)
    print(ps[0].m, ps[1].m)
    ps.free()
    var ts = [Tensor[DType.int64](2), Tensor[DType.int64](2)]
    var first = ts[0]

    @parameter
    fn swap() -> Int64:
        ts[0] = Tensor[DType.int64](2)
        return 3

    ts[0][1] += swap()
    print(first[1], ts[0][1])
    var l = [1, 2, 3]
    l[0] += new_list(l)
    print(l)

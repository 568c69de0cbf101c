# A Tensor is a view: copies, arguments and results share the elements
fn scale(t: Tensor[DType.float64], k: Float64):
    # t is a read argument, but its elements are writable
    for i in range(t.dim(0)):
        for j in range(t.dim(1)):
            t[i, j] *= k

fn ramp(n: Int) -> Tensor[DType.int32]:
    var t = Tensor[DType.int32](n)
    for i in range(n):
        t[i] = Int32(i + 1)
    return t

fn total(t: Tensor[DType.int32]) -> Int:
    var s = 0
    for i in range(t.dim(0)):
        s += Int(t[i])
    return s

fn alias_of(t: Tensor[DType.int32]) -> Tensor[DType.int32]:
    return t

fn bump_all(t: Tensor[DType.int32], by: Int32):
    for i in range(t.num_elements()):
        t[i] += by

fn through_pointer(p: UnsafePointer[Int32], n: Int):
    for i in range(n):
        p[i] = p[i] * 2

fn identity(n: Int) -> Tensor[DType.float64]:
    var m = Tensor[DType.float64](n, n)
    for i in range(n):
        m[i, i] = 1.0
    return m

fn main():
    var t = Tensor[DType.float64](2, 3)
    var u = t
    u[1, 2] = 4.5
    print(t[1, 2])
    t[0, 0] = 1.25
    print(u[0, 0])
    scale(u, 2.0)
    print(t[0, 0], t[1, 2], u[1, 2])

    # aug-assign on elements of every operator kind
    var a = Tensor[DType.int64](4)
    a[0] = 10
    a[0] += 5
    a[0] -= 3
    a[0] *= 4
    a[0] //= 5
    a[0] %= 7
    print(a[0])
    a[1] = 6
    a[1] <<= 3
    a[1] |= 1
    a[1] ^= 3
    a[1] &= 62
    a[1] >>= 1
    print(a[1])
    var g = Tensor[DType.float64](1)
    g[0] = 2.0
    g[0] **= 3
    g[0] /= 16.0
    print(g[0])

    # results of functions
    var r = ramp(5)
    print(total(r), r[4])
    var r2 = alias_of(r)
    r2[0] = 100
    print(r[0], total(r))
    bump_all(alias_of(r), 10)
    print(r[0], r[4], total(r))
    print(total(ramp(10)))
    print(ramp(3)[2])
    print(identity(3)[1, 1], identity(3)[0, 1])

    # unsafe_ptr writes are visible in the tensor
    var q = ramp(4)
    var p = q.unsafe_ptr()
    p[3] = 40
    through_pointer(p, 3)
    print(q[0], q[1], q[2], q[3])
    print((p + 1)[0], q.unsafe_ptr()[2])

    # reassigning a variable drops its old view, not the data shared with others
    var keep = ramp(3)
    var other = keep
    keep = ramp(2)
    print(other[2], keep.dim(0), other.dim(0))
    other = keep
    other[1] = 77
    print(keep[1])

    # tensors created in loops
    var acc = 0
    for i in range(50):
        var tmp = Tensor[DType.int32](i + 1, 2)
        tmp[i, 1] = Int32(i)
        acc += Int(tmp[i, 1]) + tmp.num_elements()
    print(acc)
    var last = Tensor[DType.int32](1)
    for i in range(20):
        last = ramp(i + 1)
    print(last.dim(0), total(last))
    var n = 0
    while n < 5:
        var w = identity(n + 1)
        w[n, 0] += 2.0
        print(w[n, 0], end=" ")
        n += 1
    print()

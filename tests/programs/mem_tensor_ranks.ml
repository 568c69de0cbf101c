# Tensors of rank 1 to 4: shapes, zero initialisation, row-major element access
fn fill1(t: Tensor[DType.int64]):
    for i in range(t.dim(0)):
        t[i] = Int64(i * i)

fn sum1(t: Tensor[DType.int64]) -> Int64:
    var s: Int64 = 0
    for i in range(t.dim(0)):
        s += t[i]
    return s

fn main():
    var a = Tensor[DType.int64](7)
    print(a.rank(), a.dim(0), a.num_elements(), sum1(a))
    fill1(a)
    print(a[0], a[3], a[6], sum1(a))

    var b = Tensor[DType.float64](3, 5)
    print(b.rank(), b.dim(0), b.dim(1), b.num_elements())
    for i in range(3):
        for j in range(5):
            b[i, j] = Float64(i) * 10.0 + Float64(j) / 4.0
    print(b[0, 0], b[1, 3], b[2, 4])
    var total = 0.0
    for i in range(b.dim(0)):
        for j in range(b.dim(1)):
            total += b[i, j]
    print(total)

    var c = Tensor[DType.int32](2, 3, 4)
    print(c.rank(), c.dim(0), c.dim(1), c.dim(2), c.num_elements())
    var n: Int32 = 0
    for i in range(2):
        for j in range(3):
            for k in range(4):
                c[i, j, k] = n
                n += 1
    print(c[0, 0, 0], c[0, 2, 3], c[1, 0, 0], c[1, 2, 3])
    # row-major: the flat position of [i, j, k] is (i * 3 + j) * 4 + k
    var p = c.unsafe_ptr()
    print(p[13], c[1, 0, 1], p[23])

    var d = Tensor[DType.uint8](2, 2, 3, 2)
    print(d.rank(), d.dim(0), d.dim(1), d.dim(2), d.dim(3), d.num_elements())
    for i in range(2):
        for j in range(2):
            for k in range(3):
                for l in range(2):
                    d[i, j, k, l] = UInt8(i * 100 + j * 10 + k * 2 + l)
    print(d[0, 0, 0, 0], d[1, 1, 2, 1], d[1, 0, 1, 0], d[0, 1, 2, 0])
    var dsum = 0
    for i in range(2):
        for j in range(2):
            for k in range(3):
                for l in range(2):
                    dsum += Int(d[i, j, k, l])
    print(dsum)
    # uint8 elements wrap
    d[0, 0, 0, 0] = 250
    d[0, 0, 0, 0] += 10
    print(d[0, 0, 0, 0])

    # load/store spell the same element access
    b.store(2, 1, -1.5)
    print(b.load(2, 1), b[2, 1])
    c.store(1, 1, 1, Int32(-7))
    print(c.load(1, 1, 1))
    a.store(2, 99)
    print(a.load(2))
    d.store(1, 1, 1, 1, 7)
    print(d.load(1, 1, 1, 1))

    # a zero-sized tensor
    var e = Tensor[DType.float32](0, 3)
    print(e.rank(), e.dim(0), e.dim(1), e.num_elements())
    # Bool and Float32 elements
    var flags = Tensor[DType.bool](4)
    flags[2] = True
    print(flags[0], flags[2])
    var f = Tensor[DType.float32](2)
    f[0] = 0.1
    f[1] = f[0] * 3.0
    print(f[0], f[1])

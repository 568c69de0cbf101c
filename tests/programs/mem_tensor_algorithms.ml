# Small numeric kernels on Tensors: matmul, transpose, prefix sums, a stencil, histogram
alias dt = DType.float64

fn matmul(a: Tensor[dt], b: Tensor[dt]) -> Tensor[dt]:
    var c = Tensor[dt](a.dim(0), b.dim(1))
    for i in range(a.dim(0)):
        for k in range(a.dim(1)):
            var aik = a[i, k]
            for j in range(b.dim(1)):
                c[i, j] += aik * b[k, j]
    return c

fn transpose(a: Tensor[dt]) -> Tensor[dt]:
    var t = Tensor[dt](a.dim(1), a.dim(0))
    for i in range(a.dim(0)):
        for j in range(a.dim(1)):
            t[j, i] = a[i, j]
    return t

fn trace(a: Tensor[dt]) -> Float64:
    var s = 0.0
    for i in range(min(a.dim(0), a.dim(1))):
        s += a[i, i]
    return s

fn prefix_sums(mut t: Tensor[DType.int64]):
    for i in range(1, t.dim(0)):
        t[i] += t[i - 1]

fn smooth(src: Tensor[dt], dst: Tensor[dt]):
    var n = src.dim(0)
    for i in range(n):
        var left = src[i - 1] if i > 0 else src[i]
        var right = src[i + 1] if i < n - 1 else src[i]
        dst[i] = (left + 2.0 * src[i] + right) / 4.0

fn main():
    var a = Tensor[dt](2, 3)
    var b = Tensor[dt](3, 2)
    for i in range(2):
        for j in range(3):
            a[i, j] = Float64(i * 3 + j + 1)
            b[j, i] = Float64(j * 2 + i) - 2.5
    var c = matmul(a, b)
    print(c.dim(0), c.dim(1))
    print(c[0, 0], c[0, 1], c[1, 0], c[1, 1])
    var at = transpose(a)
    print(at.dim(0), at.dim(1), at[2, 1], at[0, 1])
    var g = matmul(at, a)
    print(g.dim(0), trace(g), g[1, 2], g[2, 1])
    print(trace(matmul(transpose(b), transpose(a))), trace(c))

    var p = Tensor[DType.int64](10)
    for i in range(10):
        p[i] = Int64(i + 1)
    prefix_sums(p)
    print(p[0], p[4], p[9])

    var src = Tensor[dt](6)
    src[2] = 8.0
    src[5] = 4.0
    var dst = Tensor[dt](6)
    smooth(src, dst)
    for i in range(6):
        print(dst[i], end=" ")
    print()
    smooth(dst, src)
    for i in range(6):
        print(src[i], end=" ")
    print()

    # histogram of a pseudo-random sequence into a rank-1 Int32 tensor
    var hist = Tensor[DType.int32](8)
    var x: UInt32 = 12345
    for i in range(1000):
        x = x * 1103515245 + 12345
        hist[Int((x >> 16) & 7)] += 1
    var total = 0
    for i in range(8):
        total += Int(hist[i])
        print(hist[i], end=" ")
    print(total)

    # a 3-D box sum
    var box = Tensor[DType.int16](3, 4, 5)
    for i in range(3):
        for j in range(4):
            for k in range(5):
                box[i, j, k] = Int16((i + 1) * (j - k))
    var plane = Tensor[DType.int64](4, 5)
    for i in range(box.dim(0)):
        for j in range(box.dim(1)):
            for k in range(box.dim(2)):
                plane[j, k] += Int64(box[i, j, k])
    print(plane[0, 4], plane[3, 0], plane[2, 2])

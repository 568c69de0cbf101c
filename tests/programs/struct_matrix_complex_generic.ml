from memory import memset_zero

struct Matrix[dtype: DType]:
    var data: UnsafePointer[Scalar[dtype]]
    var rows: Int
    var cols: Int

    fn __init__(out self, rows: Int, cols: Int):
        self.data = UnsafePointer[Scalar[dtype]].alloc(rows * cols)
        memset_zero(self.data, rows * cols)
        self.rows = rows
        self.cols = cols

    fn __getitem__(self, y: Int, x: Int) -> Scalar[dtype]:
        return self.data[y * self.cols + x]

    fn __setitem__(mut self, y: Int, x: Int, val: Scalar[dtype]):
        self.data[y * self.cols + x] = val

    fn __add__(self, o: Self) -> Self:
        var r = Matrix[dtype](self.rows, self.cols)
        for i in range(self.rows):
            for j in range(self.cols):
                r[i, j] = self[i, j] + o[i, j]
        return r

    fn __mul__(self, k: Scalar[dtype]) -> Self:
        var r = Matrix[dtype](self.rows, self.cols)
        for i in range(self.rows):
            for j in range(self.cols):
                r[i, j] = self[i, j] * k
        return r

    fn __matmul__(self, o: Self) -> Self:
        var r = Matrix[dtype](self.rows, o.cols)
        for i in range(self.rows):
            for j in range(o.cols):
                var acc: Scalar[dtype] = 0
                for k in range(self.cols):
                    acc += self[i, k] * o[k, j]
                r[i, j] = acc
        return r

    fn transpose(self) -> Self:
        var r = Matrix[dtype](self.cols, self.rows)
        for i in range(self.rows):
            for j in range(self.cols):
                r[j, i] = self[i, j]
        return r

    fn free(self):
        self.data.free()

@value
struct Complex:
    var re: Float64
    var im: Float64

    fn __add__(self, o: Complex) -> Complex:
        return Complex(self.re + o.re, self.im + o.im)

    fn __mul__(self, o: Complex) -> Complex:
        return Complex(self.re * o.re - self.im * o.im, self.re * o.im + self.im * o.re)

    fn __rmul__(self, k: Float64) -> Complex:
        return Complex(k * self.re, k * self.im)

    fn __neg__(self) -> Complex:
        return Complex(-self.re, -self.im)

    fn __eq__(self, o: Complex) -> Bool:
        return self.re == o.re and self.im == o.im

    fn __iadd__(mut self, o: Complex):
        self.re += o.re
        self.im += o.im

    fn norm2(self) -> Float64:
        return self.re * self.re + self.im * self.im

    @staticmethod
    fn unit() -> Complex:
        return Complex(1.0, 0.0)

fn third[dt: DType](x: Scalar[dt]) -> Scalar[dt]:
    return x / 3

fn main():
    var a = Matrix[DType.float64](2, 3)
    for i in range(2):
        for j in range(3):
            a[i, j] = Float64(i * 3 + j)
    var t = a.transpose()
    var p = a @ t
    print(p[0, 0], p[0, 1], p[1, 1])
    var s = (a + a) * 0.5
    print(s[1, 2], t[2, 1], t.rows, t.cols)
    var z = Complex(1.0, 2.0)
    var w = z * z + Complex.unit()
    w += z
    print(w.re, w.im, (-w).re, (2.0 * z).im, w == w, z == w, z.norm2())
    print(third[DType.float32](1.0), third(Float64(1.0)), third(Float32(2.0)))
    var total = 0
    @parameter
    fn add(k: Int):
        total += k
    for k in range(5):
        add(k)
    print(total)
    a.free()
    t.free()
    p.free()
    s.free()

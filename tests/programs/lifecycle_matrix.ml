# The usual Matrix that owns its buffer: __copyinit__ copies the elements,
# __del__ frees them; copies are independent, a List of Matrices copies and
# frees its elements, and a loop of temporaries frees each one.
from memory import UnsafePointer


struct Matrix:
    var data: UnsafePointer[Float32]
    var rows: Int
    var cols: Int

    fn __init__(out self, rows: Int, cols: Int):
        self.data = UnsafePointer[Float32].alloc(rows * cols)
        self.rows = rows
        self.cols = cols
        for i in range(rows * cols):
            self.data[i] = 0

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


fn identity(n: Int) -> Matrix:
    var m = Matrix(n, n)
    for i in range(n):
        m[i, i] = 1
    return m


fn matmul(a: Matrix, b: Matrix) -> Matrix:
    var c = Matrix(a.rows, b.cols)
    for i in range(a.rows):
        for j in range(b.cols):
            var s: Float32 = 0
            for k in range(a.cols):
                s += a[i, k] * b[k, j]
            c[i, j] = s
    return c


fn trace(m: Matrix) -> Float32:
    var s: Float32 = 0
    for i in range(m.rows):
        s += m[i, i]
    return s


fn main():
    var a = identity(3)
    a[0, 1] = 2
    var b = a
    b[0, 1] = 5
    print(a[0, 1], b[0, 1])
    var total: Float32 = 0
    for i in range(1000):
        var m = matmul(a, identity(3))
        m[2, 2] = Float32(i % 3)
        total += trace(m) + trace(matmul(m, b))
    print(total)
    var ms = List[Matrix]()
    for i in range(4):
        var m = identity(2)
        m[0, 0] = Float32(i)
        ms.append(m)
    ms.append(identity(5))
    var copies = ms
    copies[0][1, 1] = 9
    print(len(ms), ms[0][1, 1], copies[0][1, 1], trace(ms[4]))
    var s: Float32 = 0
    for m in ms:
        s += trace(m)
    print(s)

# A struct's compile-time members, its `alias`es and its parameters, read as
# Mojo reads them: `Self.N`, `Name.N`, `Name[params].N` and `value.N`; a type
# alias member is a type (`Self.V(x)`, `var w: Vec[...].V`).
from memory import memset_zero

struct Matrix[rows: Int, cols: Int]:
    alias size = rows * cols
    var data: UnsafePointer[Float32]

    fn __init__(out self):
        self.data = UnsafePointer[Float32].alloc(Self.size)
        memset_zero(self.data, Self.size)

    fn __setitem__(mut self, i: Int, j: Int, v: Float32):
        self.data[i * Self.cols + j] = v

    fn __getitem__(self, i: Int, j: Int) -> Float32:
        return self.data[i * cols + j]

struct Vec[dtype: DType, width: Int]:
    alias V = SIMD[dtype, width]
    alias bytes = width * 4
    var v: Self.V

    fn __init__(out self, x: Scalar[dtype]):
        self.v = Self.V(x)

    @staticmethod
    fn lanes() -> Int:
        return Self.width

    fn total(self) -> Scalar[Self.dtype]:
        return self.v.reduce_add()

struct Limits:
    alias LO = -3
    alias HI = 7

fn main():
    var m = Matrix[2, 3]()
    m[1, 2] = 5.0
    print(m[1, 2], m.size, m.rows, Matrix[2, 3].size, Matrix[4, 4].size)
    m.data.free()
    var a = Vec[DType.float32, 4](1.5)
    print(a.total(), a.width, a.bytes, Vec[DType.float32, 4].lanes(), Vec[DType.int8, 2].width)
    print(a.dtype)
    var w: Vec[DType.float32, 4].V = 2.0
    print(w)
    print(Limits.LO, Limits.HI - Limits.LO)

# Mojo's default constructors: a numeric type called with no value is zero
# (False for Bool), and `SIMD[dt, w]()` is the zero vector.
fn main():
    var a = Int()
    var b = Float64()
    var c = Bool()
    print(a, b, c, UInt8(), Float32(), UInt(), Scalar[DType.int16]())
    print(SIMD[DType.int8, 2](), SIMD[DType.float32, 4](), SIMD[DType.bool, 2]())
    var v = SIMD[DType.float64, 4]()
    v[1] = 2.0
    print(v)
    var acc = SIMD[DType.float32, 8]()
    for i in range(3):
        acc += Float32(i)
    print(acc, acc.reduce_add())

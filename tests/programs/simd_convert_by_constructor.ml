# Mojo's converting constructor: `SIMD[dt, w](v)` of a vector of another element type
# and the same lane count is `v.cast[dt]()` (floats truncate toward zero).

fn main():
    var f = SIMD[DType.float32, 4](2.2, -3.7, 4.4, 30.5)
    var i = SIMD[DType.int16, 4](-1, 2, -3, 4)
    print(i + SIMD[DType.int16, 4](f))
    print(SIMD[DType.float64, 4](i) / 2)
    print(SIMD[DType.uint8, 4](f + 4), SIMD[DType.bool, 4](i - 2))
    print(SIMD[DType.int16, 4](i))

# MAX, MIN, MAX_FINITE, MIN_FINITE read on a value (its type's limit; the value is
# still evaluated) and on a SIMD vector type (every lane).
fn big() -> Int8:
    print("big")
    return 3

fn main():
    var x: Int = 5
    var u = UInt8(3)
    var f: Float32 = 1.5
    print(x.MAX, x.MIN, u.MAX, f.MAX_FINITE, f.MIN)
    print(big().MAX)
    alias v = SIMD[DType.float32, 4].MAX_FINITE
    print(v)
    var w = SIMD[DType.int16, 4](1)
    print(w.MIN, SIMD[DType.uint8, 2].MAX)
    print(Int.MAX == x.MAX)

# ceildiv on unsigned integers (UInt, UInt8..UInt64, scalar and SIMD): rounds up
# without overflow at the type's top, each argument evaluated once.
from math import ceildiv


fn next(mut n: Int) -> UInt8:
    n += 1
    print("call", n)
    return UInt8(n * 3)


fn main():
    print(ceildiv(UInt8(7), UInt8(2)), ceildiv(UInt8(255), 1), ceildiv(UInt8(255), UInt8(2)),
          ceildiv(UInt8(0), 3))
    var u: UInt = 18446744073709551615
    print(ceildiv(u, 2), ceildiv(u, u), ceildiv(UInt64(10), UInt64(5)), ceildiv(UInt32(11), 5))
    var v = SIMD[DType.uint16, 4](0, 1, 65535, 10)
    print(ceildiv(v, SIMD[DType.uint16, 4](3, 3, 2, 5)), ceildiv(v, 4))
    var n = 0
    print(ceildiv(next(n), next(n)), n)

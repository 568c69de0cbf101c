# floor, ceil, trunc and round of an integer return it unchanged, in its own
# type (Mojo's Int.__floor__ and friends), on scalars and lane-wise on vectors;
# other math functions still need a float (`sqrt(Float64(i))`).
from math import floor, ceil, trunc, round

fn main():
    var i = -5
    var u: UInt8 = 250
    print(floor(i), ceil(i), trunc(i), round(i), floor(u), round(7), ceil(Int8(-3)))
    var v = SIMD[DType.int32, 4](-3, 0, 7, -2147483648)
    print(floor(v), ceil(v))
    print(trunc(v), round(v))
    print(floor(i) // 2, round(u) + 10)
    print(floor(2.5), round(2.5), ceil(-0.5))

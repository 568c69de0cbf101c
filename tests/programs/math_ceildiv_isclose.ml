# math.ceildiv (-(a // -b), as Mojo's Int and SIMD define it) and math.isclose (Mojo's
# symmetric test with its default tolerances, atol 1e-8 and rtol 1e-5).
import math
from math import ceildiv, isclose, nan, inf

fn main():
    print(ceildiv(7, 2), ceildiv(-7, 2), ceildiv(6, 3), ceildiv(7, -2))
    var a = 10
    var b = 4
    print(ceildiv(a, b), ceildiv(Int32(9), Int32(4)), ceildiv(7.0, 2.0), ceildiv(Float32(-7.5), 2))
    var v = SIMD[DType.int64, 4](1, 5, 8, -3)
    print(ceildiv(v, SIMD[DType.int64, 4](4)))
    print(isclose(1.0, 1.0 + 1e-9), isclose(1.0, 1.1), isclose(1e-9, 0.0), isclose(nan, nan))
    print(isclose(inf, inf), isclose(inf, 1e308), isclose(Float32(1.0), Float32(1.00001)))
    var x = SIMD[DType.float32, 4](1.0, 2.0, 3.0, nan)
    var y = SIMD[DType.float32, 4](1.0, 2.00001, 3.1, nan)
    print(isclose(x, y), isclose(x, x))
    var big = 1e300
    print(isclose(big, big * 1.000001), isclose(big, big * 1.00001 + big * 0.00001))
    print(math.ceildiv(7, 2), math.isclose(0.1 + 0.2, 0.3))

# Mojo's typed constants: inf[dt]() and nan[dt]() give a Scalar of that DType
from math import inf, nan, isnan, isinf
import math

fn main():
    var a = inf[DType.float64]()
    var b = nan[DType.float32]()
    var c = -math.inf[DType.float32]()
    print(a, b, c, isnan(b), isinf(c), a > 1e308)
    var lowest = SIMD[DType.float32, 4](inf[DType.float32]())
    lowest[2] = Float32(1.5)
    print(lowest, lowest.reduce_min())
    alias NEG = -inf[DType.float64]()
    var best = NEG
    for i in range(5):
        best = max(best, Float64(i * i % 7))
    print(NEG, best)

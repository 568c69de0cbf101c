# isnan, isinf, isfinite on special values; clamp, min and max on floats
from math import isnan, isinf, isfinite, clamp, inf, nan, sqrt

fn main():
    print(isnan(nan), isnan(1.0), isnan(inf))
    print(isinf(inf), isinf(-inf), isinf(nan), isinf(1e308))
    print(isfinite(1.0), isfinite(inf), isfinite(nan), isfinite(-0.0))
    var z = 0.0
    print(isnan(z / z), isinf(1.0 / z), isnan(sqrt(-1.0)))
    print(clamp(5.0, 0.0, 3.0), clamp(-5.0, 0.0, 3.0), clamp(1.5, 0.0, 3.0))
    print(clamp(7, 0, 5), clamp(-7, 0, 5), clamp(3, 0, 5))
    print(isnan(Float32(0.0) / Float32(0.0)), isinf(Float32(1e30) * Float32(1e30)))
    var big = 1e308
    print(isfinite(big), isfinite(big * 10.0))

# isclose(a, b, atol=..., rtol=..., equal_nan=...): Mojo's keyword-only tolerances,
# scalar and SIMD (a scalar tolerance applies to each lane).
from math import isclose, nan, inf

fn tol() -> Float64:
    print("tol")
    return 0.5

fn main():
    print(isclose(1.0, 1.1), isclose(1.0, 1.1, atol=0.2), isclose(1.0, 1.1, rtol=0.1))
    print(isclose(nan, nan), isclose(nan, nan, equal_nan=True), isclose(1.0, nan, equal_nan=True))
    print(isclose(Float32(1.0), Float32(1.25), atol=tol()), isclose(inf, inf, atol=1))
    var v = SIMD[DType.float32, 4](1.0, nan, 3.0, inf)
    var w = SIMD[DType.float32, 4](1.05, nan, 3.5, inf)
    print(isclose(v, w), isclose(v, w, atol=0.1, equal_nan=True), isclose(v, w, rtol=0.2))
    var c = True
    print(isclose(v, w, equal_nan=c, atol=1e-1))

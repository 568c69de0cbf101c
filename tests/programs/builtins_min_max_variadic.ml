# min/max with more than two arguments (Mojo's `min(x, *ys)`): scalars of each
# kind, literals taking the typed operand's type, SIMD lane-wise, each argument
# evaluated once in order, the math module's spelling, and in an alias
from math import min as mmin
import math

fn side(x: Int) -> Int:
    print("arg", x)
    return x

fn main():
    print(min(3, 1, 2), max(3, 1, 2), min(side(4), side(2), side(3), side(9)))
    print(max(1.5, 0.5, 2.5, -1.0), min(Int8(3), 4, -2), max(UInt8(3), 200, 7))
    var v = SIMD[DType.float32, 4](1, 5, 3, 4)
    var w = SIMD[DType.float32, 4](2, 2, 2, 2)
    print(max(v, w, 3.0), min(v, w, 1.5))
    print(mmin(2.0, 1.0, 3.0), math.max(1, 2, 3, 4, 5))
    alias M = max(2, 7, 5)
    print(M)

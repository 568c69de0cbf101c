# Current Mojo's `comptime`, a synonym of `alias`: at the top level, in a struct and
# in a (generic) function.
comptime N = 8
comptime F: Float64 = 1.5
struct S:
    comptime K = N * 2
    var x: Int
    fn __init__(out self):
        self.x = Self.K
fn f[n: Int]() -> Int:
    comptime M = n + 1
    return M
fn main():
    comptime V = SIMD[DType.float32, 4]
    var v = V(1.0)
    print(N, F, S().x, f[3](), v)

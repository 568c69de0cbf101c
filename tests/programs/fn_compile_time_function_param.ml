# A function as a compile-time parameter (`fn apply[f: fn (Float64) -> Float64]`):
# one instance per function, each calling it directly; passed on, stored, defaulted,
# and as a struct parameter.
from math import sqrt

fn square(x: Float64) -> Float64:
    return x * x

fn neg(x: Int) -> Int:
    return -x

fn twice(x: Int) -> Int:
    return 2 * x

fn halve[dt: DType](x: Scalar[dt]) -> Scalar[dt]:
    return x / 2

fn apply[f: fn (Float64) -> Float64](x: Float64) -> Float64:
    return f(x)

fn compose[f: fn (Int) -> Int, g: fn (Int) -> Int](x: Int) -> Int:
    return g(f(x))

fn pass_on[f: fn (Float64) -> Float64](x: Float64) -> Float64:
    return apply[f](x) + apply[f](f(x))

fn as_value[f: fn (Int) -> Int](x: Int) -> Int:
    var g = f
    return g(x)

fn map_sum[f: fn (Float64) -> Float64 = square](n: Int) -> Float64:
    var s: Float64 = 0
    for i in range(n):
        s += f(Float64(i))
    return s

struct Mapper[f: fn (Int) -> Int]:
    var k: Int
    fn __init__(out self, k: Int):
        self.k = k
    fn run(self) -> Int:
        return f(self.k)

fn main():
    print(apply[square](3.0), apply[halve[DType.float64]](3.0))
    print(compose[neg, twice](5), compose[twice, twice](5))
    print(pass_on[square](2.0))
    print(as_value[neg](4))
    print(map_sum(4), map_sum[halve[DType.float64]](4))
    print(Mapper[twice](21).run())

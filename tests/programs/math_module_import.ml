# import math and use qualified names math.sqrt, math.floor, math.pi, math.e
import math

fn main():
    print(math.sqrt(2.0))
    print(math.pi)
    print(math.e)
    print(math.floor(-2.5), math.ceil(-2.5))
    print(math.sqrt(math.pi * math.pi) == math.pi)
    var r = 2.0
    var area = math.pi * r * r
    print(area)
    print(math.trunc(-7.9), math.fma(3.0, 4.0, 5.0))
    print(math.isnan(math.nan), math.isinf(math.inf), math.isfinite(math.e))
    print(math.pi / 2.0, math.pi * 2.0)

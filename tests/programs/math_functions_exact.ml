# math functions with exactly known results: sqrt, floor, ceil, trunc, round, fma, exp/log/sin/cos/tanh at 0
from math import sqrt, floor, ceil, trunc, round, fma, exp, log, sin, cos, tanh, pow

fn main():
    print(sqrt(2.0), sqrt(16.0), sqrt(0.25), sqrt(0.0))
    print(floor(-2.5), floor(2.5), floor(3.0), floor(-0.5))
    print(ceil(-2.5), ceil(2.1), ceil(4.0))
    print(trunc(2.7), trunc(-2.7), trunc(5.0))
    print(round(2.7), round(-2.7), round(-1.2), round(0.4))
    print(fma(2.0, 3.0, 1.0), fma(0.1, 10.0, -1.0), 0.1 * 10.0 - 1.0)
    print(exp(0.0), log(1.0), sin(0.0), cos(0.0), tanh(0.0))
    print(pow(2.0, 10.0), pow(9.0, 0.5), pow(2.0, -2.0))
    var x = 1e20
    print(sqrt(x), floor(1e20 + 0.5))
    var s = Float32(2.0)
    print(sqrt(s), floor(Float32(-2.5)), ceil(Float32(1.25)))
    print(sqrt(Float32(0.01)))
    var h = sqrt(3.0 * 3.0 + 4.0 * 4.0)
    print(h)

# Mojo's Int `/` is true division giving a Float64 (`Int.__truediv__`), and a float
# raised to an Int exponent converts the exponent (`__pow__(self, exp: Int)`).
fn main():
    var i = 7
    var j = 2
    print(i / j, i / 2, 1 / j, -i / j)
    var q = i / j + 1.0          # a Float64: mixes with floats
    print(q)
    var zero = 0
    print(i / zero, zero / zero)
    var x = 1.5
    var k = 3
    print(x ** k, x ** -k, Float32(2.0) ** k, x ** 0)
    var v = SIMD[DType.float64, 4](1.0, 2.0, 3.0, 4.0)
    print(v ** k)

# augmented assignment on Float64 and Float32, and on small integer types
fn main():
    var f = 1.0
    f += 0.5
    print(f)
    f -= 4.0
    print(f)
    f *= -2.0
    print(f)
    f /= 4.0
    print(f)
    f //= 0.5
    print(f)
    f %= 2.5
    print(f)
    f **= 3.0
    print(f)
    var g = Float32(10.0)
    g /= 3.0
    print(g)
    g *= 3.0
    print(g)
    var b = UInt8(250)
    b += 10
    print(b)
    b -= 20
    print(b)
    var s = Int16(1)
    s <<= 15
    print(s)
    s >>= 14
    print(s)
    var u = UInt32(1)
    u <<= 31
    u >>= 30
    print(u)

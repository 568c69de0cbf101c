# Float32 arithmetic is IEEE single precision; results print with the float32 shortest repr
fn main():
    var a = Float32(0.1)
    var b = Float32(0.2)
    print(a, b)
    print(a + b)
    print(Float32(1.0) / Float32(3.0))
    print(Float32(2.0) / Float32(3.0))
    print(a * 3)
    print(a * a)
    var s: Float32 = 0.0
    for i in range(10):
        s += a
    print(s)
    print(Float32(16777216.0) + Float32(1.0))
    print(Float32(16777216.0) + Float32(2.0))
    var c: Float32 = 1.5
    print(c * c, c - 2.0, -c)
    print(Float32(3e38) * Float32(10.0))
    print(Float32(1.0) / Float32(7.0))
    print(Float32(100.0) / Float32(3.0))
    print(Float32(0.7) + Float32(0.1))

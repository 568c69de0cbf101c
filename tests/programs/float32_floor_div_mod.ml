# Float32 // and % with Python floor semantics, computed in single precision
fn main():
    var a = Float32(7.5)
    var b = Float32(2.0)
    print(a // b, a % b)
    print(-a // b, -a % b)
    print(a // -b, a % -b)
    var c = Float32(10.0)
    var d = Float32(0.1)
    print(c // d, c % d)
    var e = Float32(-1.0)
    var f = Float32(3.0)
    print(e // f, e % f)
    print(Float32(5.25) % Float32(-1.5))

# conversions between Float32 and Float64, and between integers and Float32
fn main():
    var d = 0.1
    var s = Float32(d)
    print(s)
    print(Float64(s))
    var third = 1.0 / 3.0
    print(Float32(third))
    print(Float64(Float32(third)))
    var big = 16777217
    print(Float32(big))
    print(Float32(big + 2))
    var huge = 1e40
    print(Float32(huge))
    var tiny = 1e-50
    print(Float32(tiny))
    var back = Float64(Float32(2.5))
    print(back * 2.0)
    var n = 123456789
    print(Float32(n), Float64(n))
    var f = Float32(7.75)
    print(Int(f), Float64(f) / 2.0)
    print(Float32(Int8(-3)) / Float32(2.0))

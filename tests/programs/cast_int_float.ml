# casts between Int and Float64: Float64(i) is exact for small values, Int(f) truncates toward zero
fn main():
    var i = 7
    var f = Float64(i)
    print(f, f / 2.0)
    print(Int(2.7), Int(-2.7), Int(0.999), Int(-0.999))
    var g = 12345.678
    print(Int(g), Int(-g))
    var big = 9007199254740993
    print(Float64(big))
    print(Int(Float64(big)))
    var mean = Float64(1 + 2 + 3 + 4) / Float64(4)
    print(mean)
    var h = 1e15 + 0.5
    print(Int(h))
    var n = 10
    var avg = Float64(n * (n + 1) // 2) / Float64(n)
    print(avg)
    print(Int(Float64(-5)) * 3)
    print(Int(True), Int(False) + 2)
    print(Float64(Int8(-100)), Float64(UInt8(250)))
    print(Int(Float32(3.9)), Int(Float32(-3.9)))

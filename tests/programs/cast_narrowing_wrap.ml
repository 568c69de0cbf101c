# narrowing integer casts of variables keep the low bits (two's complement wrap)
fn main():
    var big = 300
    print(Int8(big), UInt8(big))
    var m = -1
    print(UInt8(m), UInt16(m), UInt32(m), UInt64(m))
    var x = 70000
    print(Int16(x), UInt16(x))
    var y = 3000000000
    print(Int32(y), UInt32(y))
    var z = -129
    print(Int8(z), UInt8(z))
    var w = 255
    print(Int8(w))
    var v = 1 << 40
    print(Int32(v), Int32(v + 5))
    var a = Int16(-200)
    print(Int8(a), UInt8(a))
    var b = UInt16(40000)
    print(Int16(b), Int8(b))
    var c = UInt64(0) - 2
    print(Int(c), Int64(c), UInt32(c))

# comparisons and division on unsigned types are unsigned; >> is logical
fn main():
    var a = UInt8(200)
    var b = UInt8(100)
    print(a > b, a < b, a == b)
    var big = UInt64(0) - 1
    print(big > UInt64(1))
    print(big // UInt64(1000000007))
    print(big % UInt64(1000000007))
    var c = UInt32(0) - 5
    print(c > UInt32(5), c)
    print(c >> 28)
    print(a >> 2, a << 1)
    var d = UInt16(65535)
    print(d >> 15, d // 256, d % 256)
    print(UInt(7) >= UInt(7), UInt(6) != UInt(7))

# UInt64 and UInt (64-bit unsigned) arithmetic and wrapping
fn main():
    var m = UInt64(0) - 1
    print(m)
    print(m + 1)
    print(m // 2)
    print(m % 10)
    print(m * m)
    var u = UInt(0) - 1
    print(u)
    print(u // UInt(3))
    var k = UInt(10)
    print(k * k * k)
    print(k - 11)
    var p: UInt64 = 4294967296
    print(p * p)
    print(p * (p - 1))
    print(UInt64(12345678901234567) * 1000)

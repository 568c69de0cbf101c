# UInt16 and UInt32 arithmetic with wrapping
fn main():
    var a = UInt16(7)
    print(a * 3)
    print(UInt16(65535) + 1)
    print(UInt16(0) - UInt16(2))
    print(UInt16(300) * UInt16(300))
    print(UInt16(50000) // UInt16(7), UInt16(50000) % UInt16(7))
    var b: UInt32 = 4000000000
    print(b)
    print(b + b)
    print(b // 3, b % 3)
    print(UInt32(0) - 1)
    print(UInt32(65536) * UInt32(65536))
    print(UInt32(100000) * UInt32(100000))
    var h: UInt32 = 2166136261
    for i in range(5):
        h = h ^ UInt32(i + 97)
        h = h * 16777619
    print(h)

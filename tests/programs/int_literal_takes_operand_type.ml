# an integer or float literal combined with a typed operand takes that operand's type
fn main():
    print(UInt8(250) + 10)
    print(Int8(120) + 10)
    print(UInt16(65000) + 1000)
    print(Int32(2147483600) + 100)
    print(UInt32(5) - 10)
    print(10 - UInt8(11))
    print(3 * Int8(50))
    print(Float32(0.1) + 0.2)
    print(Float32(1.0) / 3)
    print(1.0 / Float32(3.0))
    var x: UInt64 = 1
    print(x << 63, (x << 63) * 2)
    var y = Int16(2)
    print(y * 16384)
    print(7 // Int8(-2), 7 % Int8(-2))

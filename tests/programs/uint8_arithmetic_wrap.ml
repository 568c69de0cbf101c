# UInt8 arithmetic wraps modulo 256; division and modulo are unsigned
fn main():
    print(UInt8(0) - 1)
    print(UInt8(255) + 1)
    print(UInt8(200) + UInt8(100))
    var x: UInt8 = 200
    print(x)
    print(x + 100)
    print(x * 2)
    print(x // 3, x % 3)
    print(UInt8(16) * UInt8(17))
    var y = x - 201
    print(y)
    print(y > x)
    var acc: UInt8 = 0
    for i in range(100):
        acc += 7
    print(acc)
    print(UInt8(250) % UInt8(7))

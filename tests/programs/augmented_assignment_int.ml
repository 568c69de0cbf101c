# every augmented assignment operator on Int
fn main():
    var x = 10
    x += 5
    print(x)
    x -= 20
    print(x)
    x *= -3
    print(x)
    x //= 4
    print(x)
    x %= 5
    print(x)
    x = -17
    x //= 5
    print(x)
    x = -17
    x %= 5
    print(x)
    x = 3
    x **= 4
    print(x)
    x &= 0b111100
    print(x)
    x |= 0x101
    print(x)
    x ^= 0xFF
    print(x)
    x <<= 3
    print(x)
    x >>= 2
    print(x)
    x = -64
    x >>= 3
    print(x)

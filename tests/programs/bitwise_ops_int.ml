# bitwise & | ^ ~ << >> on Int; >> on negative Int is arithmetic
fn main():
    var a = 0b1100
    var b = 0b1010
    print(a & b, a | b, a ^ b)
    print(~a, ~0, ~(-1))
    var one = 1
    print(1 << 10, 1 << 62, one << 63)
    print(1024 >> 3, -1024 >> 3, -1 >> 63, -17 >> 2)
    print(0xFF & 0x0F, 0xF0 | 0x0F, 0xFF ^ 0x0F)
    var x = 0x12345678
    print((x >> 16) & 0xFFFF, x & 0xFFFF)
    print(x << 4 >> 4 == x)
    var mask = (1 << 5) - 1
    print(mask, 100 & mask, 100 & ~mask)
    print(-8 & 0xF, -8 | 1, -8 ^ -1)
    print(6 & 3 | 8, 6 ^ 3 & 1, 1 + 2 << 3)

# Int8 arithmetic with two's complement wrapping
fn main():
    var a = Int8(100)
    var b = Int8(27)
    print(a + b)
    print(a + b + 1)
    print(Int8(127) + 1)
    print(Int8(-128) - 1)
    print(a + 100)
    print(a * 2)
    print(Int8(16) * Int8(16))
    print(Int8(-100) - Int8(100))
    var m = Int8(-128)
    print(-m)
    var x: Int8 = 50
    x *= 3
    print(x)
    print(Int8(-7) // Int8(2), Int8(-7) % Int8(2))
    print(a < b, a > b)
    print(Int8(-1) < 0)

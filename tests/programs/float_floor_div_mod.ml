# Float64 // and % follow Python: floor division, remainder takes the sign of the divisor
fn main():
    print(7.5 // 2.0, 7.5 % 2.0)
    print(-7.5 // 2.0, -7.5 % 2.0)
    print(7.5 // -2.0, 7.5 % -2.0)
    print(-7.5 // -2.0, -7.5 % -2.0)
    print(5.0 // 3.0, 5.0 % 3.0)
    print(-1.0 // 3.0, -1.0 % 3.0)
    print(10.0 // 0.1)
    print(1.0 % 0.1)
    print(-6.0 % 3.0, 6.0 % -3.0)
    print(0.3 % 0.1)
    var a = 17.25
    var b = -4.0
    print(a // b, a % b)
    var x = 100.0
    x //= 7.0
    print(x)
    var y = -100.0
    y %= 7.0
    print(y)
    print(1e300 % 7.0)

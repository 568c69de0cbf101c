# Int arithmetic: + - * // % ** and operator precedence
fn main():
    var a = 17
    var b = 5
    print(a + b)
    print(a - b)
    print(b - a)
    print(a * b)
    print(a // b)
    print(a % b)
    print(a ** 2)
    print(-a)
    print(a + b * 2)
    print((a + b) * 2)
    print(a - b - 3)
    print(2 ** 3 ** 2)
    print(-2 ** 2)
    print(a * b // 3 % 7)
    print(100 - 3 * 4 + 10 // 3)
    var c = a * a - b * b
    print(c, c // 4, c % 4)

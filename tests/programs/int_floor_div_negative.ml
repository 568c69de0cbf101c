# Int floor division rounds toward negative infinity, like Python
fn main():
    print(-7 // 2)
    print(7 // -2)
    print(-7 // -2)
    print(7 // 2)
    print(-1 // 3)
    print(-6 // 3)
    print(0 // -5)
    var a = -100
    var b = 7
    print(a // b, a // -b, -a // b, -a // -b)
    for n in range(-4, 5):
        print(n, n // 3, sep=": ")
    var big = -9223372036854775807
    print(big // 2)

# Int % takes the sign of the divisor (Python semantics), and a == (a // b) * b + a % b
fn main():
    print(-7 % 2)
    print(7 % -2)
    print(-7 % -2)
    print(7 % 2)
    print(-1 % 10)
    print(-10 % 10)
    print(10 % -3)
    var ok = True
    for a in range(-12, 13):
        for b in range(-5, 6):
            if b == 0:
                continue
            if (a // b) * b + a % b != a:
                ok = False
    print("identity holds:", ok)
    var total = 0
    for a in range(-20, 21):
        total += a % 7
    print(total)
    var h = -123456789
    print(h % 1000, h % -1000)

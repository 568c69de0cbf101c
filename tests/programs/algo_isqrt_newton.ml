# integer square root by Newton's method, checked against r*r <= n < (r+1)*(r+1)
fn isqrt(n: Int) -> Int:
    if n < 2:
        return n
    var x = n
    var y = (x + 1) // 2
    while y < x:
        x = y
        y = (x + n // x) // 2
    return x

fn main():
    for n in range(0, 20):
        print(isqrt(n), end=" ")
    print()
    print(isqrt(99), isqrt(100), isqrt(101))
    print(isqrt(1000000007))
    print(isqrt(9223372036854775807 // 4))
    var ok = True
    for n in range(5000):
        var r = isqrt(n)
        if not (r * r <= n < (r + 1) * (r + 1)):
            ok = False
    print(ok)

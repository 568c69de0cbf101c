# recursive gcd (Euclid) and the Ackermann function with small arguments
fn gcd(a: Int, b: Int) -> Int:
    if b == 0:
        return a
    return gcd(b, a % b)

fn ackermann(m: Int, n: Int) -> Int:
    if m == 0:
        return n + 1
    elif n == 0:
        return ackermann(m - 1, 1)
    else:
        return ackermann(m - 1, ackermann(m, n - 1))

fn main():
    print(gcd(48, 18))
    print(gcd(17, 5))
    print(gcd(0, 9))
    print(gcd(1071, 462))
    print(gcd(2 ** 20, 6 ** 8))
    for m in range(4):
        for n in range(4):
            print(ackermann(m, n), end=" ")
        print()
    print(ackermann(2, 10))

# primes by trial division: list the primes below 60, count primes below 2000, largest below 10000
fn is_prime(n: Int) -> Bool:
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    var d = 3
    while d * d <= n:
        if n % d == 0:
            return False
        d += 2
    return True

fn main():
    for i in range(60):
        if is_prime(i):
            print(i, end=" ")
    print()
    var count = 0
    for i in range(2000):
        if is_prime(i):
            count += 1
    print("count below 2000:", count)
    var n = 9999
    while not is_prime(n):
        n -= 1
    print("largest below 10000:", n)
    print(is_prime(1000003), is_prime(1000001))

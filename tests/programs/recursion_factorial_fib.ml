# recursive factorial and fibonacci
fn factorial(n: Int) -> Int:
    if n <= 1:
        return 1
    return n * factorial(n - 1)

fn fib(n: Int) -> Int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

fn main():
    for i in range(0, 11, 2):
        print(i, factorial(i))
    print(factorial(20))
    print(factorial(21))
    for i in range(10):
        print(fib(i), end=" ")
    print()
    print(fib(20))

# mutual recursion between two functions, one defined after its first use
fn is_even(n: Int) -> Bool:
    if n == 0:
        return True
    return is_odd(n - 1)

fn is_odd(n: Int) -> Bool:
    if n == 0:
        return False
    return is_even(n - 1)

fn hofstadter_f(n: Int) -> Int:
    if n == 0:
        return 1
    return n - hofstadter_m(hofstadter_f(n - 1))

fn hofstadter_m(n: Int) -> Int:
    if n == 0:
        return 0
    return n - hofstadter_f(hofstadter_m(n - 1))

fn main():
    print(is_even(10), is_odd(10))
    print(is_even(7), is_odd(7))
    print(is_even(0), is_odd(0))
    for i in range(12):
        print(hofstadter_f(i), end=" ")
    print()
    for i in range(12):
        print(hofstadter_m(i), end=" ")
    print()

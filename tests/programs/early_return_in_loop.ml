# returning from inside loops (including nested loops and while loops)
fn first_multiple(start: Int, k: Int) -> Int:
    for i in range(start, start + 1000):
        if i % k == 0:
            return i
    return -1

fn find_pair_sum(target: Int) -> Int:
    for a in range(1, 50):
        for b in range(a, 50):
            if a * a + b * b == target:
                return a * 100 + b
    return 0

fn first_power_above(limit: Int) -> Int:
    var p = 1
    while p < 1000000:
        if p > limit:
            return p
        p *= 2
    return -1

fn contains_digit(n: Int, d: Int) -> Bool:
    var m = n
    while m > 0:
        if m % 10 == d:
            return True
        m //= 10
    return False

fn main():
    print(first_multiple(100, 7))
    print(first_multiple(-10, 4))
    print(find_pair_sum(25))
    print(find_pair_sum(1000))
    print(find_pair_sum(3))
    print(first_power_above(1000))
    print(contains_digit(123456, 4), contains_digit(123456, 9))

# Collatz sequence step counts and the longest chain below a bound
fn collatz_steps(start: Int) -> Int:
    var n = start
    var steps = 0
    while n != 1:
        if n % 2 == 0:
            n //= 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps

fn main():
    for s in range(1, 11):
        print(s, collatz_steps(s))
    print(collatz_steps(27))
    var best = 0
    var best_start = 0
    for s in range(1, 1000):
        var c = collatz_steps(s)
        if c > best:
            best = c
            best_start = s
    print("longest below 1000:", best_start, best)

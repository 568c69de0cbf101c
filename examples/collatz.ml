# The longest Collatz chain below a limit: integer arithmetic, loops and calls.
# Run: mojolite run examples/collatz.ml --limit 100000

fn steps(start: Int) -> Int:
    var n = start
    var count = 0
    while n != 1:
        if n % 2 == 0:
            n //= 2
        else:
            n = 3 * n + 1
        count += 1
    return count


fn main(limit: Int = 100000):
    var best = 1
    var best_steps = 0
    for i in range(1, limit):
        var s = steps(i)
        if s > best_steps:
            best = i
            best_steps = s
    print("longest chain below", limit, "starts at", best, "with", best_steps, "steps")

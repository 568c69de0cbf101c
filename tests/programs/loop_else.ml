# `for ... else:` and `while ... else:`: the `else` runs when the loop ends
# without a `break` (as in Python and Mojo).
fn first_multiple(l: List[Int], k: Int) -> Int:
    var found = -1
    for x in l:
        if x % k == 0:
            found = x
            break
    else:
        print("  no multiple of", k)
    return found


fn index_of(l: List[Int], x: Int) -> Int:
    for i in range(len(l)):
        if l[i] == x:
            return i
    else:
        return -1


fn is_prime(n: Int) -> Bool:
    var d = 2
    while d * d <= n:
        if n % d == 0:
            break
        d += 1
    else:
        return n >= 2
    return False


fn main():
    var l = List[Int](3, 5, 8, 9)
    print(first_multiple(l, 4), first_multiple(l, 7))
    print(index_of(l, 8), index_of(l, 4))
    for n in range(1, 12):
        if is_prime(n):
            print(n, end=" ")
    print()
    # a `break` of an inner loop does not skip the outer loop's `else`
    for i in range(3):
        for j in range(10):
            if j == i:
                break
        else:
            print("inner else never runs")
    else:
        print("outer else runs")
    # a `break` inside the `else` leaves the enclosing loop
    var rounds = 0
    while True:
        rounds += 1
        for k in range(rounds):
            if k == 2:
                break
        else:
            print("no break in round", rounds)
            continue
        print("broke at round", rounds)
        break
    # loops that end at once, the `else` on every pass of an outer loop
    var hits = 0
    for _ in range(4):
        for _ in range(0):
            break
        else:
            hits += 1
        var w = 0
        while w > 0:
            break
        else:
            hits += 10
    print("hits", hits)
    for ref x in l:
        x += 1
        if x > 100:
            break
    else:
        print(l)
    for i in reversed(range(5)):
        if i == 7:
            break
    else:
        print("reversed else")
    @parameter
    for c in range(3):
        print("unrolled", c)
    else:
        print("unrolled else")

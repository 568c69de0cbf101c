# A variable declared without a value is assigned after a loop when every way
# out of the loop assigned it: each `break`, and the `else:` (the way out when
# the loop runs to its end); a `while True:` ends only at its `break`s.
fn find(l: List[Int], wanted: Int) -> Int:
    var at: Int
    for i in range(len(l)):
        if l[i] == wanted:
            at = i
            break
    else:
        at = -1
    return at


fn first_negative(l: List[Int]) -> String:
    var found: String
    var i = 0
    while i < len(l):
        if l[i] < 0:
            found = "at " + String(i)
            break
        i += 1
    else:
        found = "none"
    return found


fn else_raises(n: Int) raises -> Int:
    var square: Int
    for i in range(n):
        if i * i >= 10:
            square = i * i
            break
    else:
        raise Error("no square >= 10 below " + String(n * n))
    return square


fn countdown(n: Int) -> Int:
    var steps: Int
    var k = n
    while True:
        if k <= 0:
            steps = n - k
            break
        k -= 3
    return steps


fn through_finally(stop: Bool) -> Int:
    var y: Int
    for i in range(3):
        try:
            if stop:
                y = i + 100
                break
        finally:
            print("  finally", i)
    else:
        y = -1
    return y


fn main() raises:
    var l = List[Int](4, -2, 7)
    print(find(l, 7), find(l, 5))
    print(first_negative(l), first_negative(List[Int](1, 2)))
    print(else_raises(6))
    try:
        print(else_raises(3))
    except e:
        print(e)
    print(countdown(7), countdown(0))
    print(through_finally(True), through_finally(False))

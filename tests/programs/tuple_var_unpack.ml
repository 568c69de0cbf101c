# `var a, b = f()` declares one new variable per element of a tuple (Mojo).
fn pair(n: Int) -> (Int, String):
    print("pair", n)                  # evaluated once
    return n, "s" + String(n)

fn main():
    var a, b = pair(1)
    print(a, b)
    a += 1
    b += "!"
    print(a, b)
    var x, y = 1.5, 2                 # a tuple without parentheses
    x, y = Float64(y) * 2.0, 3
    print(x, y)
    var l, t = [1, 2], (3, "z")
    l.append(5)
    print(l, t)
    var total = 0
    for i in range(3):
        var p, q = pair(i)
        total += p + len(q)
    print(total)
    if a > 0:
        var a, c = 10, 20             # a new scope: `a` shadows the outer one
        print(a, c)
    print(a)

# tuple unpacking swaps, _ = f(x) discards a result, let bindings are immutable values
fn square_and_print(x: Int) -> Int:
    print("squaring", x)
    return x * x

fn main():
    var a = 1
    var b = 2
    a, b = b, a
    print(a, b)
    var x = 0
    var y = 1
    for i in range(10):
        x, y = y, x + y
    print(x, y)
    var p = 3.5
    var q = -1.25
    p, q = q, p
    print(p, q)
    _ = square_and_print(7)
    let k = 42
    let half = k // 2
    print(k, half)
    var m = 5
    var n = 9
    var o = 13
    m, n, o = o, m, n
    print(m, n, o)
    let f: Float64 = 2.5
    print(f * 2.0)

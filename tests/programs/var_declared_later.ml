# var x: T declared without a value and assigned later (straight-line, in both branches, in a loop)
fn pick(n: Int) -> Int:
    var r: Int
    if n > 0:
        r = n * 10
    else:
        r = -1
    return r

fn main():
    var x: Int
    x = 5
    print(x)
    var f: Float64
    f = 2.5
    f = f * 2.0
    print(f)
    print(pick(3), pick(-3))
    var last: Int = 0
    for i in range(4):
        var t: Int
        t = i * i
        last = t
    print(last)
    var u: UInt8
    u = 255
    u += 2
    print(u)

# conditional expressions a if c else b, nested and in arithmetic
fn sign(x: Int) -> Int:
    return 1 if x > 0 else (-1 if x < 0 else 0)

fn main():
    var a = 7
    var b = 12
    var m = a if a > b else b
    print(m)
    print(sign(-5), sign(0), sign(9))
    var x = -3.5
    var ax = x if x >= 0.0 else -x
    print(ax)
    var label = 100 if a % 2 == 1 else 200
    print(label + 1)
    var total = 0
    for i in range(10):
        total += i if i % 2 == 0 else -i
    print(total)
    var y = 5
    print(y * 2 if y > 3 else y * 3, (y * 2 if y > 30 else y * 3) + 1)
    var t = True if y == 5 else False
    print(t)
    var f = Float32(1.5) if y > 0 else Float32(2.5)
    print(f)

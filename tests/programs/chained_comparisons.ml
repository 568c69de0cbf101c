# chained comparisons a < b < c, a == b == c, 0 <= i < n
fn in_range(i: Int, n: Int) -> Bool:
    return 0 <= i < n

fn main():
    var a = 1
    var b = 2
    var c = 3
    print(a < b < c, a < c < b, c > b > a)
    print(a == b == c, a == a == a, 2 == b == 2)
    print(a < b > a, a <= 1 <= b, a != b != a)
    print(1 < 2 < 3 < 4 < 5, 1 < 2 < 3 < 3 < 5)
    print(in_range(0, 5), in_range(4, 5), in_range(5, 5), in_range(-1, 5))
    var x = 2.5
    print(0.0 < x <= 2.5, 0.0 < x < 2.5)
    var hits = 0
    for i in range(-5, 15):
        if 0 <= i < 10:
            hits += 1
    print(hits)
    var u = UInt8(200)
    print(UInt8(100) < u < UInt8(255))

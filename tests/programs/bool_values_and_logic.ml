# Bool values: printing, not/and/or, comparisons producing Bool, Int(True)
fn main():
    var t = True
    var f = False
    print(t, f)
    print(not t, not f)
    print(t and f, t or f, f or f, t and t)
    print(t == f, t != f, t == True)
    var x = 5
    var is_pos = x > 0
    var is_even = x % 2 == 0
    print(is_pos, is_even)
    print(is_pos and not is_even)
    print(Int(True), Int(False))
    print(Int(t) + Int(t) + Int(f))
    var count = 0
    for i in range(10):
        var odd = i % 2 == 1
        if odd and i > 4:
            count += 1
    print(count)
    var b: Bool = x < 3 or x > 4
    print(b)
    print(not (x == 5 and t))

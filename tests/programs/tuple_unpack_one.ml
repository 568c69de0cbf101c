# `a, = t` and `var a, = t` unpack a one-element tuple, as Python's `a, = t`;
# a trailing comma after several names (`var c, d, = ...`) is allowed too.
fn one() -> Tuple[Int]:
    return 9,

fn main():
    var b, = (7,)
    print(b)
    var c, d, = 1, 2
    print(c, d)
    b, = one()
    print(b)
    (b,) = (3,)
    print(b)
    var t = (4,)
    a, = t
    print(a)
    var l = [1, 2]
    l[0], = (8,)
    print(l)
    var s, = (String("text"),)
    print(s)

# `x in l` / `x not in l`: a List of numbers or Bool (compared with `==`: NaN is in
# no List), or a struct with `__contains__`.
from math import nan
struct Evens:
    var n: Int
    fn __init__(out self, n: Int):
        self.n = n
    fn __contains__(self, x: Int) -> Bool:
        return x % 2 == 0 and x < self.n

fn main():
    var l = [1, 2, 3]
    print(3 in l, 4 in l, 4 not in l, 1 not in l)
    var f: List[Float32] = [0.5, 1.5]
    print(1.5 in f, 2 in f, nan in [nan, 1.0])
    var b = [True, True]
    print(False in b, not True in b)
    var e: List[Int] = []
    print(0 in e, 2 in [1, 2] and 5 not in [1, 2])
    var ev = Evens(10)
    print(4 in ev, 5 in ev, 12 not in ev)
    var u: List[UInt8] = [255]
    print(255 in u, UInt8(255) in u)

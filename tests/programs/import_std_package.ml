# Current Mojo's standard library lives in the `std` package: `from std.math import
# sqrt` is `math`'s sqrt, and `import std` reaches every standard module through it.
from std.math import sqrt
from std.collections import List
from std.algorithm.functional import vectorize
from std import random
import std.math as m
import std

fn main():
    print(sqrt(4.0), m.sqrt(9.0), std.math.sqrt(16.0), std.sys.simdwidthof[DType.int8]() > 0)
    random.seed(1)
    var l = List[Int](1, 2)
    var total = 0

    @parameter
    fn add[w: Int](i: Int):
        total += l[i]

    vectorize[add, 1](len(l))
    print(l, total)

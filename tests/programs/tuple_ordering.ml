# Tuples order as Python orders them: the first pair of elements that is not
# `==` decides with the operator itself; all pairs equal: `<=` and `>=` hold.
# A NaN equals nothing, so it decides (and every ordering with it is False).
from math import nan, inf

fn pair(n: Int) -> (Int, String):
    print("pair", n)                  # each operand is evaluated once
    return n, "s" + String(n)

fn main():
    var t = (1, 2)
    print(t < (1, 3), t <= (1, 3), t > (1, 3), t >= (1, 3))
    print(t < (1, 2), t <= (1, 2), t > (1, 2), t >= (1, 2))
    print((2, 0) > (1, 9), (0, 9) < (1, 0), (1,) < (2,), (True, False) < (True, True))
    print(("apple", 3) < ("banana", 1), ("b", 1) >= ("a", 9), ("a", "b") < ("a", "ab"))
    print(((1, 2), "x") < ((1, 3), "a"), ((1, 2), "x") > ((1, 2), "a"))
    var f = (1.5, 2)
    print(f < (1.5, 3), f > (1.0, 3), (1, 2.5) <= (1, 2.5), (inf, 1) > (1e308, 2))
    print((nan, 1) < (nan, 2), (nan, 1) <= (nan, 1), (nan, 1) > (0.0, 1), (nan, 1) >= (nan, 1))
    print((1, nan) < (1, 2.0), (1, nan) >= (1, 2.0), (1, nan) < (2, 0.0), (0.0, 1) < (-0.0, 2))
    print(pair(1) < pair(2), pair(2) >= pair(2))
    var u: Tuple[Float64, Int] = (1, 2)
    print(u < (1, 3), (1, 3) > u, (0.5, 9) < u, (1, 2) < (1, 2.5))
    var n = 0
    while (n, "x") < (3, "y"):
        n += 1
    print(n)

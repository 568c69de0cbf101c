# Tuples print as Python prints them and compare with == and != element by
# element, from the first, stopping at the first unequal pair.
@value
struct P:
    var x: Int

    fn __eq__(self, other: P) -> Bool:
        print("eq", self.x, other.x)
        return self.x == other.x

fn pair(n: Int) -> (Int, String):
    print("pair", n)                  # each operand is evaluated once
    return n, "s" + String(n)

fn main():
    var t = (1, 2.5)
    print(t)
    print(("a", [1, 2]), (1,), ((1, "it's"), Float32(0.1), True, SIMD[DType.int8, 2](1, -2)))
    var l = List[Tuple[Int, String]]()
    l.append((1, "x\ny"))
    print(l, (["a"], List[String]()), (pair(3),))
    print("t:", t, sep="", end="!\n")
    print(t == (1, 2.5), t != (1, 2.5), t == (1, 3), t != (2, 2.5))
    print(pair(1) == pair(1), pair(1) != pair(2), (1,) == (1,), (1,) != (2,))
    var ps = (P(1), P(2), P(3))
    print(ps == (P(1), P(5), P(3)))   # stops at the second element
    print(((1, "a"), 2) == ((1, "a"), 2), ((1, "a"), 2) == ((1, "b"), 2))
    var u: Tuple[Float64, Int] = (1, 2)
    print(u == (1, 2), (1, 2) != u, (1, 2) == (1, 2.0))
    var n = 0
    while (n, "x") != (3, "x"):
        n += 1
    print(n)

# Struct comparisons as Python makes them: a missing method falls back on the right
# operand's reflected one (`5 < a` is `a.__gt__(5)`), `!=` without `__ne__` is
# `not __eq__`, and a chain `a < b < c` is `a < b and b < c`, stopping at the first False.

@value
struct V:
    var x: Int
    var y: Int

    fn __lt__(self, o: V) -> Bool:
        print("  lt", self.x, o.x)
        return self.x * self.x + self.y * self.y < o.x * o.x + o.y * o.y

    fn __eq__(self, o: V) -> Bool:
        return self.x == o.x and self.y == o.y

    fn __gt__(self, o: Int) -> Bool:
        return self.x > o


@value
struct N:
    var v: Int

    fn __eq__(self, o: Int) -> Bool:
        return self.v == o


fn main():
    var a = V(1, 0)
    var b = V(2, 2)
    var c = V(3, 3)
    print(a < b < c)
    print(c < b < a)            # stops after the first False: one "lt"
    print(a != b, a != V(1, 0), a == a)
    print(5 < a, 0 < a)
    print(3 == N(3), N(3) == 4, 4 != N(4), N(5) != 5)

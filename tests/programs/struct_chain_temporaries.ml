# A chained comparison evaluates each operand once, left to right, and stops at
# the first False: a middle operand that is a call (a struct temporary) is
# evaluated once into a hidden temporary and compared twice.
@value
struct Num:
    var v: Int

    fn __lt__(self, o: Num) -> Bool:
        return self.v < o.v

    fn __le__(self, o: Num) -> Bool:
        return self.v <= o.v

    fn __eq__(self, o: Num) -> Bool:
        return self.v == o.v


@value
struct Name:
    var text: String

    fn __lt__(self, o: Name) -> Bool:
        return len(self.text) < len(o.text)


fn f(v: Int) -> Num:
    print("f", v)
    return Num(v)


fn g(v: Int) -> Num:
    print("g", v)
    return Num(v)


fn named(n: Int) -> Name:
    print("named", n)
    var s = String("")
    for _ in range(n):
        s += "x"
    return Name(s)


fn main():
    print(Num(1) < Num(2) < Num(3))
    print(Num(3) < Num(2) < Num(1))
    var a = Num(5)
    print(a < f(6) < g(7))          # f once, then g
    print(a < f(4) < g(7))          # f only: the first comparison is False
    print(a < Num(6) < a)
    print(f(1) < f(2) <= f(2) == g(2))
    print(f(1) < f(0) <= f(2) == g(2))
    print(named(1) < named(2) < named(3))
    print(named(2) < named(1) < named(3))
    var i = 0
    while Num(i) < f(i + 1) < Num(3):
        i += 1
    print(i)

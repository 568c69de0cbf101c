# Mojo's Stringable: a struct with `fn __str__(self) -> String` converts by
# String(x) and str(x), and print(x) shows that text.
@value
struct Point(Stringable):
    var x: Int
    var y: Int

    fn __str__(self) -> String:
        return "(" + String(self.x) + ", " + String(self.y) + ")"


struct Box[n: Int](Copyable, Movable, Stringable):
    var v: SIMD[DType.float32, n]

    fn __init__(out self, x: Float32):
        self.v = SIMD[DType.float32, n](x)

    fn __str__(self) -> String:
        return "Box" + String(n) + String(self.v)


fn main():
    var p = Point(1, -2)
    print(p)
    print("p =", p, Point(3, 4), sep=" | ")
    var s = "at " + String(p) + " and " + str(Point(0, 0))
    print(s, len(s))
    var b = Box[2](0.5)
    print(b, String(b) == "Box2[0.5, 0.5]")
    var names = List[String]()
    names.append(String(p))
    print(names)

# Mojo's named results: an `out` argument is the function's result, not passed.
struct Pair(Copyable, Movable):
    var a: Int
    var b: Int

    fn __init__(out self, a: Int, b: Int):
        self.a = a
        self.b = b

    fn swapped(self, out r: Pair):
        r = Pair(self.b, self.a)


struct Res:
    var n: Int

    fn __init__(out self, n: Int):
        self.n = n
        print("init", n)

    fn __copyinit__(out self, other: Self):
        self.n = other.n
        print("copy", other.n)

    fn __del__(deinit self):
        print("del", self.n)


fn make(n: Int, out r: Res):
    r = Res(n)
    r.n += 1


fn twice[dt: DType](x: Scalar[dt], out y: Scalar[dt]):
    y = x * 2


fn incr(a: Int, out b: Int):
    b = a + 1


fn classify(n: Int, out s: String):
    if n < 0:
        s = "negative"
        return
    s = "zero" if n == 0 else "positive"


fn squares(n: Int, *, start: Int = 0, out l: List[Int]):
    l = List[Int]()
    for i in range(start, n):
        l.append(i * i)


fn half(x: Float64, out h: SIMD[DType.float64, 2]):
    h = SIMD[DType.float64, 2](x / 2, x / 4)


fn checked(n: Int, out r: Int) raises:
    if n > 10:
        raise Error("too big")
    r = n * 2


fn main() raises:
    var r = incr(3)
    print(r, incr(incr(0)))
    print(classify(-2), classify(0), classify(5))
    var l = squares(5, start=2)
    print(len(l), l[0], l[2])
    print(half(8.0))
    var p = Pair(1, 2).swapped()
    print(p.a, p.b)
    print(twice(Float32(1.5)), twice[DType.int8](100))
    var res = make(1)
    print(res.n)
    print(checked(4))
    try:
        print(checked(11))
    except e:
        print("error:", e)

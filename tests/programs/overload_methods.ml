# Methods overloaded by their parameter types: several `__init__`s, an operator
# overloaded by the other operand's type, with its reflected form.

struct Complex:
    var re: Float64
    var im: Float64

    fn __init__(out self, x: Float64):
        self.re = x
        self.im = 0.0

    fn __init__(out self, x: Float64, y: Float64):
        self.re = x
        self.im = y

    fn __mul__(self, o: Self) -> Self:
        return Complex(self.re * o.re - self.im * o.im, self.re * o.im + self.im * o.re)

    fn __mul__(self, s: Float64) -> Self:
        return Complex(self.re * s, self.im * s)

    fn __rmul__(self, s: Float64) -> Self:
        return Complex(s * self.re, s * self.im)

    fn __eq__(self, o: Self) -> Bool:
        return self.re == o.re and self.im == o.im

    fn __eq__(self, x: Float64) -> Bool:
        return self.re == x and self.im == 0.0

    fn scale(mut self, k: Float64):
        self.re *= k
        self.im *= k

    fn scale(mut self, k: Int):
        self.re *= Float64(k) * 10
        self.im *= Float64(k) * 10

    @staticmethod
    fn unit() -> Complex:
        return Complex(1.0)

    @staticmethod
    fn unit(k: Float64) -> Complex:
        return Complex(k, k)

struct Box[n: Int]:
    # each instance of a generic struct has both overloads
    var v: Int

    fn __init__(out self, x: Int):
        self.v = x * n

    fn __init__(out self, x: Float64):
        self.v = Int(x) + n

fn show(c: Complex):
    print(c.re, c.im)

fn main():
    var a = Complex(2.0)
    var b = Complex(1.0, 3.0)
    show(a)
    show(b)
    show(Complex(x=4.0, y=5.0))
    show(a * b)
    show(b * 2.0)
    show(b * 2)
    show(3.0 * b)
    print(a == Complex(2.0), a == 2.0, b == 1.0)
    var c = Complex(1.0, 1.0)
    c.scale(2.0)
    show(c)
    c.scale(2)
    show(c)
    c *= 0.5
    show(c)
    c *= b
    show(c)
    show(Complex.unit())
    show(Complex.unit(5.0))
    print(Box[2](3).v, Box[2](3.0).v, Box[4](3).v, Box[4](3.5).v)

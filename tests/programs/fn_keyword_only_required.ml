# A keyword-only parameter needs no default, even after one that has a default
# (as in Python and Mojo): a function, a method, `__init__` and an overload.

struct Cfg:
    var a: Int
    var b: Int
    fn __init__(out self, a: Int = 1, *, b: Int):
        self.a = a
        self.b = b
    fn plus(self, k: Int = 2, *, m: Int, n: Int = 100) -> Int:
        return self.a + self.b + k + m + n

fn kw(a: Int = 1, *, b: Int) -> Int:
    return a + b

fn kw2(a: Int = 1, *, b: Int, c: Int = 10, d: Int) -> Int:
    return 1000 * a + 100 * b + c + d

fn pick(x: Int, *, scale: Int) -> Int:
    return x * scale

fn pick(x: Float64 = 0.5, *, scale: Float64) -> Float64:
    return x * scale

fn main():
    print(kw(b=3), kw(5, b=3), kw(b=2, a=7))
    print(kw2(d=1, b=2), kw2(3, d=4, c=5, b=6))
    var c = Cfg(b=3)
    print(c.a, c.b, c.plus(m=1), c.plus(5, m=1, n=0))
    print(pick(2, scale=3), pick(scale=3.0), pick(1.5, scale=2.0))

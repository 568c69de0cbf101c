# A bare `*` among the parameters: those after it are passed by keyword only
# (a function, a method and `__init__`).

struct Cfg:
    var a: Int
    var b: Float64
    fn __init__(out self, *, a: Int = 1, b: Float64 = 2.0):
        self.a = a
        self.b = b
    fn scaled(self, k: Int = 2) -> Float64:
        return self.b * Float64(k * self.a)

fn f(x: Int, y: Int = 10, *, z: Int = 100) -> Int:
    return x + y + z

fn main():
    var c = Cfg(b=3.0)
    print(c.a, c.b, c.scaled(), c.scaled(k=3))
    print(f(1), f(1, 2), f(1, z=5), f(x=1, y=1, z=1))
    var l = List[Int]()
    for i in range(3):
        l.append(2 if i < 2 else 1)
    print(l)

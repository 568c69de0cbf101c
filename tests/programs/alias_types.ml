# aliases of types: a SIMD type, a scalar, a struct instance (even one declared
# below the alias), used to declare, to construct and to call a @staticmethod
alias B4 = Box[4]
alias V = SIMD[DType.float32, 4]
alias F = Float64

struct Box[n: Int]:
    var x: Int
    fn __init__(out self, x: Int):
        self.x = x
    @staticmethod
    fn width() -> Int:
        return n
    fn scaled(self) -> Int:
        return self.x * n

struct Holder:
    var b: B4
    fn __init__(out self, x: Int):
        self.b = B4(x)

fn total(b: B4) -> Int:
    return b.scaled() + B4.width()

fn main():
    var v = V(1, 2, 3, 4)
    var f: F = 2.5
    print(v * 2, f)
    var b = B4(3)
    print(b.scaled(), B4.width(), Box[4].width(), Box[2](5).scaled())
    var c: B4
    c = B4(5)
    print(total(c), Holder(6).b.x)
    alias B8 = Box[n=8]
    print(B8.width(), B8(2).scaled())

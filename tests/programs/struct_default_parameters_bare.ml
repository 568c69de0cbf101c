# A struct whose compile-time parameters all have defaults may be named without
# brackets: `Buf` is `Buf[4]` in a constructor call, a type annotation, a
# parameter's type, a field's type and a static method call, as in Mojo.
from memory import UnsafePointer

struct Buf[n: Int = 4, dt: DType = DType.float64]:
    var data: UnsafePointer[Scalar[dt]]

    fn __init__(out self):
        self.data = UnsafePointer[Scalar[dt]].alloc(n)
        for i in range(n):
            self.data[i] = Scalar[dt](i)

    @staticmethod
    fn size() -> Int:
        return n

    fn total(self) -> Scalar[dt]:
        var s: Scalar[dt] = 0
        for i in range(n):
            s += self.data[i]
        return s

    fn free(self):
        self.data.free()

struct Pair:
    var a: Buf
    var b: Buf[3, DType.int32]

    fn __init__(out self):
        self.a = Buf()
        self.b = Buf[3, DType.int32]()

fn total_of(b: Buf) -> Float64:
    return b.total()

fn main():
    var b = Buf()
    var c: Buf = Buf()
    var d: Buf[4] = Buf()
    print(b.total(), c.total(), total_of(d), Buf.size(), Buf[6].size())
    var e = Buf[n=5]()
    print(e.total())
    var p = Pair()
    print(p.a.total(), p.b.total())
    b.free()
    c.free()
    d.free()
    e.free()
    p.a.free()
    p.b.free()

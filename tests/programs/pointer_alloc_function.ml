# Current Mojo's `alloc[T](n)` (a builtin, also `from memory import alloc`) is
# `UnsafePointer[T].alloc(n)`, and `p.init_pointee(copy=v)` / `(take=v)` is `p[0] = v`.
from memory import alloc


@fieldwise_init
struct Pt:
    var x: Int
    var y: Int


fn main():
    var ptr = alloc[Int](1)
    ptr.init_pointee(copy=100)
    ptr[] += 10
    print(ptr[])
    ptr.free()
    var float_ptr = alloc[Float64](6)
    for offset in range(6):
        (float_ptr + offset).init_pointee(copy=0.0)
    float_ptr[2] = 3.0
    for offset in range(6):
        print(float_ptr[offset], end=", ")
    print()
    float_ptr.free()
    var pts = alloc[Pt](2)
    (pts + 1).init_pointee(take=Pt(3, 4))
    print(pts[1].x + pts[1].y)
    pts.free()

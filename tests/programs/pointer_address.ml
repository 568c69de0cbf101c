# `Int(p)` is the address of an UnsafePointer, as in Mojo: pointers into one
# allocation are the element's size apart, and the null pointer is 0. (The
# reference mode makes addresses up for its own storage: only what the JIT's
# real ones share is printed here.)
from memory import UnsafePointer


@fieldwise_init
struct P(Copyable, Movable):
    var a: Int8
    var b: Float64


fn main():
    var p = UnsafePointer[Int].alloc(4)
    print(Int(p + 1) - Int(p), Int(p) % 8, Int(p) != 0, Int(p) == Int(p + 0))
    var q = UnsafePointer[P].alloc(3)
    var r = q + 2
    print(Int(r) - Int(q), Int(r - 1) - Int(q))
    var n = UnsafePointer[Float32]()
    print(Int(n), Int(n + 3), Int(n - 1))
    var t = Tensor[DType.float32](4)
    print(Int(t.unsafe_ptr() + 3) - Int(t.unsafe_ptr()))
    var v = UnsafePointer[SIMD[DType.float32, 4]].alloc(2)
    print(Int(v + 1) - Int(v), Int(v) < Int(v + 1))
    p.free()
    q.free()
    v.free()

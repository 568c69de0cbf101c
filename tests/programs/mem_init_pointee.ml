# Current Mojo's UnsafePointer spellings: `(p + i).init_pointee_copy(v)`,
# `init_pointee_move(v)` (both `p[0] = v`) and `take_pointee()` (`p[0]`).
from memory import UnsafePointer

@value
struct Item:
    var id: Int
    var w: Float64

fn main():
    var p = UnsafePointer[Int].alloc(4)
    for i in range(4):
        (p + i).init_pointee_copy(i * 2)
    p.init_pointee_move(100)
    print(p[0], p[3], (p + 1).take_pointee())
    var q = UnsafePointer[Item].alloc(2)
    q.init_pointee_move(Item(1, 0.5))
    (q + 1).init_pointee_copy(Item(2, 2.5))
    print(q[0].w, q[1].id, q[1].w)
    var v = UnsafePointer[SIMD[DType.float32, 4]].alloc(1)
    v.init_pointee_copy(SIMD[DType.float32, 4](1.5))
    print(v[0], v.take_pointee().reduce_add())
    p.free()
    q.free()
    v.free()

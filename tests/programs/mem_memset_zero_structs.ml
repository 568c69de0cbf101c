# memset_zero on pointers to structs and to vectors zeroes every field and lane
# (the reference mode crashed reading them); memcpy copies struct elements
from memory import memcpy, memset_zero

@value
struct P:
    var x: Int
    var y: Float64

fn main():
    var ps = UnsafePointer[P].alloc(3)
    memset_zero(ps, 3)
    ps[1].x = 4
    print(ps[2].y, ps[0].x, ps[1].x)
    var qs = UnsafePointer[P].alloc(3)
    ps[2] = P(7, 0.5)
    memcpy(qs, ps, 3)
    memset_zero(ps + 1, 2)
    print(qs[1].x, qs[2].x, qs[2].y, ps[1].x, ps[2].y)
    var vs = UnsafePointer[SIMD[DType.float32, 4]].alloc(2)
    memset_zero(vs, 2)
    vs[0] = SIMD[DType.float32, 4](1, 2, 3, 4)
    print(vs[1], vs[0], vs[1].reduce_add())
    ps.free()
    qs.free()
    vs.free()

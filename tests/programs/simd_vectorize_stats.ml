# vectorize over a pointer: mean, variance and a clipped copy, at the host
# width, with the tail handled by body[1].
from algorithm import vectorize
from sys import simdwidthof
from math import sqrt

alias W = simdwidthof[DType.float64]()

fn main():
    var n = 37
    var p = UnsafePointer[Float64].alloc(n)
    var q = UnsafePointer[Float64].alloc(n)
    for i in range(n):
        p[i] = Float64((i * 7919) % 31) - 15.0
    var total: Float64 = 0.0
    @parameter
    fn sum_body[width: Int](i: Int):
        total += p.load[width=width](i).reduce_add()
    vectorize[sum_body, W](n)
    var mean = total / Float64(n)
    var sq: Float64 = 0.0
    @parameter
    fn var_body[width: Int](i: Int):
        var d = p.load[width=width](i) - mean
        sq += (d * d).reduce_add()
        q.store[width=width](i, min(max(p.load[width=width](i), -5.0), 5.0))
    vectorize[var_body, W](size=n)
    print(total, mean, sqrt(sq / Float64(n)))
    print(q.load[width=8](0), q[n - 1])
    var clipped = 0
    @parameter
    fn count_body[width: Int](i: Int):
        var hit = p.load[width=width](i) != q.load[width=width](i)
        clipped += Int(hit.select(SIMD[DType.int64, width](1), 0).reduce_add())
    vectorize[W, count_body](n)
    print(clipped)
    p.free()
    q.free()

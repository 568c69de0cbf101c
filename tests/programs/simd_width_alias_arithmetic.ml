# A SIMD width may be arithmetic on aliases and literals (`4 * W`), folded at compile time
from algorithm import vectorize
from sys import simdwidthof

alias W = simdwidthof[DType.float64]()
alias TWO = 2


fn main():
    var p = UnsafePointer[Float64].alloc(100)
    @parameter
    fn fill[width: Int](i: Int):
        for k in range(width):
            p[i + k] = Float64(i + k)
    vectorize[fill, 4 * W](100)
    var total = 0.0
    @parameter
    fn add[width: Int](i: Int):
        total += p.load[width=width](i).reduce_add()
    vectorize[add, TWO * 2](100)
    var v = p.load[width=TWO * TWO](96)
    print(total, v, v.reduce_max())
    p.free()

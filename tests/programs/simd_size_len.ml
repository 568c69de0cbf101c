# A SIMD value's lane count, as Mojo spells it: `v.size`, `len(v)`, `SIMD[dt, w].size`.
alias V = SIMD[DType.float32, 8]

fn lanes[w: Int](v: SIMD[DType.int32, w]) -> Int:
    return v.size

fn main():
    var v = SIMD[DType.float32, 4](1, 2, 3, 4)
    print(v.size, len(v), V.size, Float64.size, SIMD[DType.int8, 16].size)
    print(lanes(SIMD[DType.int32, 2](1)), (v * 2).size)
    for i in range(v.size):
        print(v[i], end=" ")
    print()
    alias n = V.size
    print(n * 2)

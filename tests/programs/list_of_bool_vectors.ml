# A List of Bool vectors and a pointer to them: their lanes are bits in memory, one byte
# for four lanes, and the List's stride is LLVM's own size of the vector
fn main():
    var b = List[SIMD[DType.bool, 4]]()
    b.append(SIMD[DType.bool, 4](True))
    b.append(SIMD[DType.bool, 4](True, False, True, False))
    for i in range(10):
        b.append(SIMD[DType.bool, 4](i % 2 == 0))
    print(b[0], b[1], len(b), b[11])
    var p = UnsafePointer[SIMD[DType.bool, 4]].alloc(2)
    p[1] = b[1]
    print(p[1])
    p.free()

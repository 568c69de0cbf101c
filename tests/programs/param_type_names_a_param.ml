# A compile-time parameter's type, and its default, may name the parameters
# before it (`v: Scalar[dt]`, `w: Int = simdwidthof[dt]()`), for a function and
# for a struct; a default that needs one inferred from the arguments is read
# after the inference.
from sys import simdwidthof


fn sc[dt: DType, v: Scalar[dt]]() -> Scalar[dt]:
    return v


fn scale[dt: DType, k: Scalar[dt] = 2](x: Scalar[dt]) -> Scalar[dt]:
    return x * k


fn width[dt: DType, w: Int = simdwidthof[dt]()](x: Scalar[dt]) -> Int:
    return w


fn lanes[dt: DType, w: Int = simdwidthof[dt]() // 2](v: SIMD[dt, w]) -> Int:
    return w


struct Box[dt: DType, v: Scalar[dt] = 1]:
    var x: Scalar[dt]

    fn __init__(out self):
        self.x = v


fn main():
    print(sc[DType.float32, 1.5](), sc[DType.int8, 7](), sc[DType.bool, True]())
    print(sc[v=0.25, dt=DType.float64]())
    print(scale(Float32(1.5)), scale[DType.int8](3), scale[DType.float64, 0.5](3))
    print(width(Float32(1)) == simdwidthof[DType.float32]())
    print(width[DType.int8](1) == simdwidthof[DType.int8](), width[DType.int8, 3](1))
    alias W = simdwidthof[DType.float32]() // 2
    print(lanes(SIMD[DType.float32, W](1)) == W)
    print(Box[DType.float32, 2.5]().x, Box[DType.int16]().x)

# Mojo's `.dtype` of a SIMD type or value: its element DType, a compile-time
# constant (as `.size` gives the lanes).

fn kind[dt: DType](x: Scalar[dt]) -> String:
    @parameter
    if x.dtype == DType.float32:
        return "single"
    return "other"


fn main():
    var v = SIMD[DType.int32, 2](4, 8)
    print(v.dtype, v.size, SIMD[DType.float32, 2].dtype, Float64.dtype, UInt8.dtype)
    print(kind(Float32(1.5)), kind(Int16(2)))
    alias dt = Float32.dtype
    var w = SIMD[v.dtype, 4](1)
    print(w, w.dtype == DType.int32, Scalar[dt](0.5))

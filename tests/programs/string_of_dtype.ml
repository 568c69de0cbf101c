# `String(dt)` / `str(dt)` of a DType is its name, as `print(dt)` shows it.

fn describe[dt: DType](x: Scalar[dt]) -> String:
    return String(dt) + ": " + String(x)


fn main():
    print(describe(Float32(1.5)), "|", describe(UInt8(7)), "|", str(DType.int64))
    var v = SIMD[DType.int16, 2](1, 2)
    print(String(v.dtype, v, sep=" "), len(String(DType.bool)))

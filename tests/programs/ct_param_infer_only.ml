# Mojo's `//` in a parameter list: the parameters before it are infer-only, bound from
# the arguments (or from the type of a later parameter's value), or given by keyword;
# the explicit `[...]` values start after it.

fn repeat[T: Stringable, //, count: Int](msg: T) -> String:
    var out = String()
    @parameter
    for _ in range(count):
        out += String(msg)
    return out


fn dependent[dtype: DType, //, value: Scalar[dtype]]():
    print(dtype, value, dtype.is_floating_point())


fn concat[dtype: DType, n: Int, m: Int, //](a: SIMD[dtype, n], b: SIMD[dtype, m]) \
        -> SIMD[dtype, n + m]:
    var out = SIMD[dtype, n + m]()
    @parameter
    for i in range(n):
        out[i] = a[i]
    @parameter
    for j in range(m):
        out[n + j] = b[j]
    return out


struct Scaled[dtype: DType, //, factor: Scalar[dtype]]:
    var base: Int

    fn __init__(out self, base: Int):
        self.base = base

    fn value(self) -> Scalar[dtype]:
        return Scalar[dtype](self.base) * factor


fn main():
    print(repeat[3](7), repeat[2]("ab"))
    dependent[Float64(2.5)]()
    dependent[Int8(-3)]()
    dependent[dtype=DType.float32, value=0.5]()
    print(concat(SIMD[DType.int32, 2](1, 2), SIMD[DType.int32, 2](3, 4)))
    print(Scaled[Float32(1.5)](4).value(), Scaled[UInt8(3)](5).value())

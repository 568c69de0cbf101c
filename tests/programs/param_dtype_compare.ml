# DType comparisons, the usual way a generic Mojo function picks code per
# element type: `@parameter if dtype == DType.float32:`. DTypes are
# compile-time values, so `==` and `!=` fold (aliases and struct parameters too).
fn bits[dt: DType]() -> Int:
    @parameter
    if dt == DType.float32:
        return 32
    elif dt == DType.float64:
        return 64
    else:
        return 0

fn scale[dt: DType](x: Scalar[dt]) -> Scalar[dt]:
    @parameter
    if dt != DType.float64:
        return x * 2
    return x * 10

struct Holder[dt: DType]:
    var x: Scalar[dt]

    fn __init__(out self, x: Scalar[dt]):
        self.x = x

    fn is_wide(self) -> Bool:
        return Self.dt == DType.float64

fn main():
    print(bits[DType.float32](), bits[DType.float64](), bits[DType.int8]())
    print(scale[DType.float64](1.5), scale[DType.float32](1.5), scale[DType.int32](3))
    alias d = DType.int8
    alias same = d == DType.int8
    print(same, d != DType.int8, DType.int8 == d == DType.int8)
    @parameter
    if d == DType.int8:
        print("int8")
    print(Holder[DType.float64](1.0).is_wide(), Holder[DType.float32](1.0).is_wide())

# Mojo's DType queries are compile-time constants: they pick @parameter if
# branches per instance, fold into aliases, and print as Bool / Int.
fn describe[dt: DType]():
    alias bytes = dt.sizeof()
    @parameter
    if dt.is_floating_point():
        print(dt, "float", bytes, dt.bitwidth())
    elif dt.is_unsigned():
        print(dt, "unsigned", bytes, dt.is_signed(), dt.is_integral())
    elif dt.is_integral():
        print(dt, "signed int", bytes * 8 == dt.bitwidth())
    else:
        print(dt, "other", dt.is_numeric(), bytes)

fn main():
    describe[DType.float32]()
    describe[DType.float64]()
    describe[DType.uint16]()
    describe[DType.int8]()
    describe[DType.bool]()
    print(DType.int64.is_signed(), DType.float32.is_signed(), DType.uint8.bitwidth() + 1)
    var x: Float32 = DType.float64.sizeof()
    print(x)

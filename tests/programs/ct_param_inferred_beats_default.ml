# A compile-time parameter with a default that an argument's type binds takes the
# inferred value (Mojo: "the inferred parameter value takes precedence"); the default
# is for a call that neither gives nor infers it.

@fieldwise_init
struct Bar[v: Int]:
    var tag: Int


fn speak[a: Int = 3, msg: String = "woof"](bar: Bar[a]) -> String:
    return msg + " " + String(a) + " " + String(bar.tag)


fn width[dt: DType = DType.float64, w: Int = 1](x: SIMD[dt, w]) -> Int:
    @parameter
    if dt == DType.float64:
        return -w
    return w


fn lanes[w: Int = 2](n: Int) -> SIMD[DType.int32, w]:
    return SIMD[DType.int32, w](Int32(n))


fn main():
    print(speak(Bar[9](1)), "|", speak[msg="meow"](Bar[4](2)), "|", speak(Bar[3](3)))
    print(width(SIMD[DType.int8, 4](1)), width(Float32(1)), lanes(5), lanes[4](1))

# A literal given for a Float or sized-int compile-time parameter takes the
# parameter's type, as a literal given for a run-time parameter does: `fl[2]`
# is `fl[2.0]`, and `f` is a Float64 in the body. An alias of a literal too.

fn fl[f: Float64](x: Float64) -> Float64:
    return x * f


fn half[f: Float32 = 1](x: Float32) -> Float32:
    return x * f / 2


fn bump[n: UInt8](x: UInt8) -> UInt8:
    return x + n


struct Scaled[f: Float64]:
    var x: Float64

    fn __init__(out self, x: Float64):
        self.x = x * f


fn via[n: Int]() -> Float64:
    return fl[Float64(n)](1.0)


alias K = 2
alias KF = 2 * 3 + 1
alias KI: Int = 3


fn main():
    print(fl[2](1.5))
    print(fl[2.5](2.0))
    print(fl[K](1.0))
    print(fl[KF](1.0))
    print(fl[Float64(KI)](1.0))
    print(fl[1.0 / 4](1.0))
    print(half(Float32(3.0)))
    print(half[3](Float32(1.0)))
    print(bump[250](UInt8(5)))
    print(Scaled[4](0.5).x)
    print(via[5]())

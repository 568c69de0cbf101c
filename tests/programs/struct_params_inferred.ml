# A parametric struct built without its parameters takes them from the arguments'
# types, as Mojo infers them: through an `__init__` (the first that binds them all,
# `Self.T` or `T`) or the field-wise one of `@fieldwise_init`.

struct One[T: Stringable & Copyable]:
    var value: Self.T

    fn __init__(out self, value: Self.T):
        self.value = value


struct Two[T: Stringable & Copyable]:
    var a: T
    var b: T

    fn __init__(out self, one: One[T], another: One[T]):
        self.a = one.value
        self.b = another.value

    fn show(self) -> String:
        return String(self.a) + " " + String(self.b)


@fieldwise_init
struct Pair[dt: DType, w: Int]:
    var lo: SIMD[dt, w]
    var hi: SIMD[dt, w]


struct Scaled[dt: DType, k: Int = 2]:
    var x: Scalar[dt]

    fn __init__(out self, *, start: Scalar[dt]):
        self.x = start * Scalar[dt](k)


fn main():
    var s1 = One(123)
    var s2 = One("Hello")
    print(String(s1.value), s2.value)
    print(Two(One("infer"), One("me")).show(), Two(One(1.5), One(2.5)).show())
    var p = Pair(SIMD[DType.int8, 2](1, 2), SIMD[DType.int8, 2](3, 4))
    print(p.lo + p.hi)
    print(Scaled(start=Float32(1.25)).x)

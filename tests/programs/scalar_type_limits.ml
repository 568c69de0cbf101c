# Mojo's scalar limits: `Int.MAX`, `UInt8.MIN`, `Scalar[dt].MAX` (a float's MAX and
# MIN are its infinities, MAX_FINITE and MIN_FINITE its largest finite values)
alias BIG = Int.MAX
alias dt = DType.float32

fn argmin(l: List[Int]) -> Int:
    var best = Int.MAX
    var at = -1
    for i in range(len(l)):
        if l[i] < best:
            best = l[i]
            at = i
    return at

fn smallest[dt: DType](t: Tensor[dt]) -> Scalar[dt]:
    var m = Scalar[dt].MAX
    for i in range(t.num_elements()):
        m = min(m, t[i])
    return m

fn main():
    print(Int.MAX, Int.MIN, BIG + 1 == Int.MIN)
    print(UInt8.MAX, Int8.MIN, UInt64.MAX, Int32.MIN_FINITE, UInt.MAX)
    print(Float64.MAX, Float64.MIN, Float64.MAX_FINITE, Float64.MIN_FINITE)
    print(Float32.MAX_FINITE, Scalar[dt].MIN_FINITE, SIMD[DType.int16, 1].MAX)
    print(argmin(List[Int](5, 3, 9, -2, 7)), argmin(List[Int]()))
    var t = Tensor[DType.float64](3)
    t[0] = 2.5
    t[1] = -1.0
    print(smallest(t), smallest(Tensor[DType.uint16](0)), smallest(Tensor[dt](0)))
    var x = Int.MAX
    x += 1
    print(x, Int64.MAX // 2, Float32.MAX_FINITE * 2.0)

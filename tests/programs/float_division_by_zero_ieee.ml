# float division by zero follows IEEE (as NumPy): inf, -inf, nan; it is not an error
fn main():
    var zero = 0.0
    var one = 1.0
    print(one / zero)
    print(-one / zero)
    print(zero / zero)
    print(one / -zero)
    var x: Float64 = 5.0
    x /= zero
    print(x)
    var f = Float32(2.0)
    var fz = Float32(0.0)
    print(f / fz, -f / fz, fz / fz)
    var r = one / zero
    print(r > 1e308, r == r)
    var n = zero / zero
    print(n == n, n != n)
    print(1.0 / (one / zero))

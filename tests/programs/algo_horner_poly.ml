# Horner evaluation of polynomials in Float64 compared with the naive power sum
fn horner(x: Float64) -> Float64:
    # p(x) = 2x^4 - 3x^3 + 0.5x^2 + 7x - 1
    var r = 2.0
    r = r * x - 3.0
    r = r * x + 0.5
    r = r * x + 7.0
    r = r * x - 1.0
    return r

fn naive(x: Float64) -> Float64:
    return 2.0 * x ** 4.0 - 3.0 * x ** 3.0 + 0.5 * x * x + 7.0 * x - 1.0

fn main():
    print(horner(0.0), horner(1.0), horner(2.0), horner(-1.5))
    print(horner(0.5), naive(0.5))
    print(horner(0.1))
    print(horner(3.0) == naive(3.0))
    var x = -2.0
    while x <= 2.0:
        print(x, horner(x))
        x += 0.5
    var c = 1.0
    var acc = 0.0
    for k in range(10):
        acc = acc * 0.5 + c
        c += 1.0
    print(acc)

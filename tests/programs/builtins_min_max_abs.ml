# builtin min, max, abs (no import) on Int, sized ints and floats
fn main():
    print(min(3, 7), max(3, 7), min(-3, -7), max(-3, -7))
    print(abs(-5), abs(5), abs(0))
    print(min(2.5, -1.0), max(2.5, -1.0), abs(-2.5), abs(-0.0))
    print(min(Int8(-3), Int8(4)), max(UInt8(200), UInt8(100)), abs(Int16(-300)))
    print(min(Float32(0.1), Float32(0.2)), abs(Float32(-1.5)))
    var best = -1000
    var worst = 1000
    for i in range(-5, 6):
        var v = i * i - 3 * i
        best = max(best, v)
        worst = min(worst, v)
    print(best, worst)
    print(max(min(15, 10), 0), abs(min(-8, 3)))
    var a = -9223372036854775807
    print(abs(a))

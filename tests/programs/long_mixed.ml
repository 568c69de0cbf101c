# a longer program mixing many scalar features: aliases, recursion, typed ints, floats, loops, casts
from math import sqrt, floor, inf, isinf

alias LIMIT = 30
alias SCALE = 0.25
alias SEED = 12345


fn power_mod(base: Int, exp: Int, m: Int) -> Int:
    var result = 1
    var b = base % m
    var e = exp
    while e > 0:
        if e & 1 == 1:
            result = result * b % m
        b = b * b % m
        e >>= 1
    return result


fn tri(n: Int) -> Int:
    if n == 0:
        return 0
    return n + tri(n - 1)


fn checksum8(n: Int) -> UInt8:
    var c = UInt8(0)
    for i in range(n):
        c = c * 31 + UInt8(i & 0xFF)
    return c


fn hypot(a: Float64, b: Float64) -> Float64:
    return sqrt(a * a + b * b)


fn classify(x: Float64) -> Int:
    if isinf(x):
        return 3
    elif x < 0.0:
        return -1
    elif x == 0.0:
        return 0
    return 1 if x < 1.0 else 2


fn main():
    print("== modular power ==")
    print(power_mod(2, 10, 1000), power_mod(3, 200, 1000000007), power_mod(-2, 3, 7))

    print("== triangle numbers ==")
    var tsum = 0
    for n in range(0, LIMIT + 1, 5):
        var t = tri(n)
        tsum += t
        print(n, t, sep=":", end=" ")
    print()
    print("sum", tsum)

    print("== wrapping ==")
    print(checksum8(10), checksum8(LIMIT))
    var w: Int16 = 1000
    var steps = 0
    while w > 0:
        w = w * 3
        steps += 1
    print(w, steps)
    var seed = UInt32(SEED)
    for i in range(3):
        seed = seed * 1103515245 + 12345
        print((seed >> 16) & 0x7FFF, end=" ")
    print()

    print("== floats ==")
    print(hypot(3.0, 4.0), hypot(1.0, 1.0))
    var acc = 0.0
    for i in range(1, 11):
        acc += 1.0 / Float64(i)
    print(acc)
    print(floor(acc * 100.0) / 100.0)
    var f32 = Float32(0.0)
    for i in range(LIMIT):
        f32 += Float32(SCALE) * Float32(i)
    print(f32, Float64(f32) * SCALE)
    print(classify(-2.0), classify(0.0), classify(0.5), classify(7.0), classify(inf))

    print("== integer division table ==")
    for a in range(-6, 7, 4):
        for b in range(-3, 4, 2):
            print(a // b, a % b, sep="/", end=" ")
        print()

    print("== swaps and conditionals ==")
    var lo = 9
    var hi = 4
    if lo > hi:
        lo, hi = hi, lo
    print(lo, hi, hi - lo if hi > lo else 0)
    var flags = 0
    for bit in range(8):
        if bit % 3 == 0 or bit == 7:
            flags |= 1 << bit
    print(flags, flags ^ 0xFF, ~flags & 0xFF)
    var ok = 0 <= lo < hi <= LIMIT
    print("ordered:", ok)
    let done = True
    if done:
        print("done")
    else:
        print("not done")

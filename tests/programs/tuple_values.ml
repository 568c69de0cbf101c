# Tuples of scalars and SIMD vectors: returned, unpacked, indexed, stored.
fn pair() -> (Int, Float64):
    return (1, 2.5)

fn divmod_like(a: Int, b: Int) -> Tuple[Int, Int]:
    return a // b, a % b

fn halves() -> (Float64, Float64):
    return 1, 2                       # literals take the element types

fn lanes() -> (SIMD[DType.float32, 4], Bool, Int8):
    return SIMD[DType.float32, 4](1, 2, 3, 4), True, Int8(-3)

fn total(t: (Int, Float64)) -> Float64:
    return Float64(t[0]) + t[1]

fn swap(mut t: Tuple[Int, Int]):
    t[0], t[1] = t[1], t[0]

fn main():
    a, b = pair()
    print(a, b)
    q, r = divmod_like(17, 5)
    print(q, r)
    q, r = divmod_like(-17, 5)        # names already declared: assigned again
    print(q, r)
    var t = pair()
    print(t[0], t[1], t[-1], len(t))
    var u: (Int, Float64) = (3, 4)
    u[0] = 7
    print(u[0], u[1], total(u), total((1, 2)))
    x, y = halves()
    x, y = y, x
    print(x, y)
    v, flag, small = lanes()
    print(v * 2, flag, small)
    var w = lanes()
    print(w[0][3], w[2])
    var nested = (divmod_like(7, 2), 10)
    print(nested[0][0], nested[0][1], nested[1])
    var p = divmod_like(9, 4)
    swap(p)
    print(p[0], p[1])
    _, keep = pair()
    print(keep)
    var s = 0
    for i in range(1, 5):
        d, m = divmod_like(100, i)
        s += d + m
    print(s)

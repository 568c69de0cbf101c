# Bool values are ordered False < True (Mojo's Bool.__lt__ and friends, and
# Python's): on variables as on literals, chained, and lane-wise on vectors.
fn pick(x: Bool) -> Bool:
    return x

fn main():
    var t = pick(True)
    var f = pick(False)
    print(t < f, f < t, t <= t, f >= t, t > f)
    print(f <= f < t, t >= f > f, True < False)
    var v = SIMD[DType.bool, 4](True, False, True, False)
    var w = SIMD[DType.bool, 4](True, True, False, False)
    print(v < w, v <= w)
    print(v > w, v >= w)

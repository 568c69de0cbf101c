# Current Mojo's explicit `x.copy()` (Copyable) of numbers, Bools, SIMD values, Strings
# and tuples: the value, copied as an assignment copies it.
fn main():
    var a = 5
    var b = a.copy()
    b += 1
    var s: String = "hi"
    var s2 = s.copy()
    s2 += "!"
    var t = (1, List[Int](2))
    var t2 = t.copy()
    t2[1].append(3)
    var v = SIMD[DType.float32, 2](1, 2).copy()
    print(a, b, s, s2, t[1], t2[1], v, (7).copy(), True.copy())

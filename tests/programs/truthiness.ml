# Mojo's Boolable on the built-in types: a number is true when nonzero (NaN is
# true, -0.0 is false), a String or a List when it is not empty. They work in
# `if`/`elif`/`while`, a conditional expression, `not`, and `and`/`or` (which
# give a Bool: each operand is converted, the right one only when needed).
alias ZERO = 0
alias HALF = 0.5


fn truth_of_int(n: Int) -> String:
    if n:
        return "true"
    return "false"


fn first_nonzero(a: Int, b: Int) -> String:
    if a:
        return "a"
    elif b:
        return "b"
    else:
        return "none"


fn loud(name: String, n: Int) -> Int:
    print("  evaluated", name)
    return n


fn range_list(n: Int) -> List[Int]:
    var l = List[Int]()
    for i in range(n):
        l.append(i)
    return l


fn main():
    print("Int:", truth_of_int(0), truth_of_int(7), truth_of_int(-1))
    print("elif:", first_nonzero(0, 0), first_nonzero(0, 5), first_nonzero(2, 0))
    var u: UInt = 0
    var u8 = UInt8(0)
    var i8 = Int8(-128)
    var i16 = Int16(256)
    var i32 = Int32(0)
    var i64 = Int64(1)
    var u16 = UInt16(65535)
    var u32 = UInt32(0)
    var u64 = UInt64(18446744073709551615)
    print("UInt 0:", not u, "UInt8(0):", not u8, "Int8(-128):", not i8)
    print("Int16:", not i16, "Int32(0):", not i32, "Int64(1):", not i64)
    print("UInt16 max:", "true" if u16 else "false", "UInt32(0):",
          "true" if u32 else "false", "UInt64 max:", "true" if u64 else "false")

    var zero = Float64(0.0)
    var nan = zero / zero
    var neg_zero = -zero
    var inf = 1.0 / zero
    print("Float64 NaN:", "true" if nan else "false", "not NaN:", not nan)
    print("Float64 -0.0:", "true" if neg_zero else "false", "0.0:", not zero,
          "inf:", "true" if inf else "false", "1e-300:", not Float64(1e-300))
    var f32_zero = Float32(0.0)
    var f32_nan = f32_zero / f32_zero
    var f32_neg_zero = Float32(-0.0)
    print("Float32 NaN:", "true" if f32_nan else "false",
          "-0.0:", "true" if f32_neg_zero else "false", "0.25:", not Float32(0.25))
    print("Bool():", Bool(nan), Bool(neg_zero), Bool(u8), Bool(i8))

    var empty = String("")
    var word = String("mojo")
    print("String:", not empty, not word, "full" if word else "empty",
          "full" if empty else "empty", Bool(empty), Bool(word))
    if word + empty:
        print("a temporary String is true when not empty")

    var nums = List[Int](3, 1, 4)
    var none = List[Float64]()
    print("List:", not nums, not none, "items" if nums else "no items",
          "items" if none else "no items", Bool(nums), Bool(none))
    while nums:
        _ = nums.pop()
    print("after popping:", len(nums), not nums)
    if not range_list(0) and range_list(2):
        print("a temporary List is true when not empty")

    var n = 3
    var steps = 0
    while n:
        n -= 1
        steps += 1
    print("while n:", steps, n)

    var a = 2
    var b = 0
    print("and/or on Int:", a and b, a or b, b or a, b and a, a and a, b or b)
    print("mixed:", word and a, empty or b, nums or word)
    print("short-circuit:")
    print(" ", b and loud("right of and", 1))
    print(" ", a or loud("right of or", 0))
    print(" ", a and loud("right of and", 0))

    print("literals:", not 0, not 5, not 0.0, not 0.5, not "", not "x", 1 if 0 else 2)
    @parameter
    if ZERO:
        print("ZERO is true")
    else:
        print("ZERO is false")
    @parameter
    if HALF:
        print("HALF is true")

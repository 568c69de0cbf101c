# Functions overloaded by their parameter types and by their number of parameters.

fn f(x: Int) -> Int:
    return x * 2

fn f(x: Float64) -> Float64:
    return x / 2

fn g(a: Int) -> Int:
    return a

fn g(a: Int, b: Int) -> Int:
    return a + b

fn g(a: Int, b: Int, c: Int) -> Int:
    return g(a, b) * c          # one overload calls another

fn narrow(x: Int8) -> String:
    return "Int8"

fn narrow(x: Int) -> String:
    return "Int"

fn splat(x: Float64) -> String:
    return "scalar"

fn splat(x: SIMD[DType.float64, 4]) -> String:
    return "vector"

fn describe(s: String) -> String:
    return "a string"

fn describe(n: Int) -> String:
    return "an int"

fn describe(b: Bool) -> String:
    return "a bool"

fn total(n: Int) -> Int:
    # a nested function of the same name in each overload
    fn step(k: Int) -> Int:
        return k + 1
    return step(n)

fn total(x: Float64) -> Float64:
    fn step(k: Float64) -> Float64:
        return k + 0.5
    return step(x)

fn checked(x: Int) raises -> Int:
    if x < 0:
        raise Error("negative")
    return x

fn checked(x: Float64) -> Float64:
    return x

fn main():
    print(f(1))                     # a literal: its own type, Int, fits best
    print(f(1.5))
    print(f(Float64(2)))
    var i: Int = 21
    print(f(i))
    print(f(x=3.0))
    print(g(3))
    print(g(3, 4))
    print(g(a=5, b=6))
    print(g(1, 2, 3))
    var small = Int8(5)
    print(narrow(small))
    print(narrow(5))                # Int (the literal's own type) before Int8
    print(narrow(300))
    print(splat(1.0))               # the scalar before a splat
    print(splat(SIMD[DType.float64, 4](1.0)))
    print(describe("x"), describe(1), describe(True))
    print(total(1), total(1.0))
    try:
        print(checked(-1))
    except e:
        print("caught", e)
    print(checked(2.5))

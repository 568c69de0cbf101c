# Function values: parameters, variables, a struct field called from a loop, List
# elements, a raising function type called in a try.
from math import sqrt

fn square(x: Float64) -> Float64:
    return x * x

fn half(x: Float64) -> Float64:
    return x / 2.0

fn checked(x: Float64) raises -> Float64:
    if x < 0.0:
        raise Error("negative")
    return sqrt(x)

fn scaled[dt: DType](x: Scalar[dt]) -> Scalar[dt]:
    return x * 3

fn apply32(f: fn (Float32) -> Float32, x: Float32) -> Float32:
    return f(x)

fn apply(f: fn (Float64) -> Float64, x: Float64) -> Float64:
    return f(x)

fn twice(f: fn (Float64) -> Float64, x: Float64) -> Float64:
    return f(f(x))

@value
struct Node:
    var value: Float64
    var backward: fn (Float64) -> Float64

fn main():
    print(apply(square, 3.0), twice(half, 10.0))
    var f = square
    print(f(4.0))
    f = half
    print(f(4.0))
    var n = Node(2.0, square)
    var s = 0.0
    for i in range(5):
        s += n.backward(Float64(i))
        if i == 2:
            n.backward = half
    print(s, n.value)
    var ops = List[fn (Float64) -> Float64]()
    ops.append(square)
    ops.append(half)
    ops.append(square)
    var acc = 1.5
    for k in range(len(ops)):
        acc = ops[k](acc)
    print(acc)
    var g: fn (Float64) raises -> Float64 = checked
    try:
        print(g(16.0))
        print(g(-1.0))
    except e:
        print("caught", e)
    print(apply32(scaled[DType.float32], 0.1), apply(scaled[DType.float64], 0.1))

# A function that cannot raise is accepted where a `raises` function type is
# expected (an argument, a variable, a struct field, a List element, a result,
# a compile-time parameter), as in Mojo; calling it through that type is a
# raising call, and one that does raise still reaches the `except`.

fn twice(x: Int) -> Int:
    return 2 * x

fn checked(x: Int) raises -> Int:
    if x < 0:
        raise Error("negative")
    return x + 100

fn apply(f: fn (Int) raises -> Int, x: Int) raises -> Int:
    return f(x)

fn pick(strict: Bool) -> fn (Int) raises -> Int:
    if strict:
        return checked
    return twice

fn at[f: fn (Int) raises -> Int](x: Int) raises -> Int:
    return f(x)

struct Step:
    var f: fn (Int) raises -> Int
    fn __init__(out self, f: fn (Int) raises -> Int):
        self.f = f

fn main() raises:
    print(apply(twice, 4))
    var g = twice
    print(apply(g, 5))
    var h: fn (Int) raises -> Int = twice
    print(h(6))
    h = checked
    print(h(6))
    var s = Step(twice)
    print(s.f(7))
    s.f = checked
    print(s.f(7))
    var fs: List[fn (Int) raises -> Int] = [twice, checked]
    fs.append(twice)
    for i in range(len(fs)):
        print(fs[i](i))
    print(pick(False)(8), pick(True)(8))
    print(at[twice](9), at[checked](9))
    for f in fs:
        try:
            print(f(-1))
        except e:
            print("caught", e)

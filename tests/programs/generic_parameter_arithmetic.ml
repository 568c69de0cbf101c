# Compile-time arguments computed from compile-time parameters: `g[n + 1]()`,
# a recursion on a parameter ended by `@parameter if`, a struct parameter `n * 2`.

fn twice[n: Int]() -> Int:
    return n * 2


fn next_twice[n: Int]() -> Int:
    return twice[n + 1]()


fn factorial[n: Int]() -> Int:
    @parameter
    if n <= 1:
        return 1
    else:
        return n * factorial[n - 1]()


struct Box[n: Int]:
    var x: Int

    fn __init__(out self):
        self.x = n


fn widths[dt: DType, w: Int]() -> Int:
    var v = SIMD[dt, w * 2](1)
    return Int(v.reduce_add())


fn main():
    print(next_twice[3]())
    print(factorial[10]())
    var b = Box[4 * 2 - 1]()
    print(b.x)
    print(widths[DType.float32, 4]())

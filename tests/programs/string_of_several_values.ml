# Mojo's `String(a, b, ...)`: each value's text as `String(x)` makes it, joined
# by the constant `sep` (none by default), then `end`.
struct P:
    var x: Int
    fn __init__(out self, x: Int):
        self.x = x
    fn __str__(self) -> String:
        return "P(" + String(self.x) + ")"

fn main():
    var x = 1
    var y = 2.5
    print(String("Point (", x, ", ", y, ")"))
    print(String("a", 1, True, sep=", ", end="."))
    print(String(P(3), SIMD[DType.int8, 2](1, 2)))
    print(String("record_", 5))
    print(String(sep="-"), len(String(end="!")))
    try:
        raise Error("boom")
    except e:
        print(String("err: ", e, "!"))

# `x^` moves a value: `return self^`, `var b = a^`, `take(a^)`; `^` between
# operands stays xor, also across a line break inside brackets.
struct Box:
    var v: Int

    fn __init__(out self, v: Int):
        self.v = v

    fn bumped(var self) -> Self:
        self.v += 1
        return self^


fn take(var b: Box) -> Int:
    return b.v


fn total(var l: List[Int]) -> Int:
    var s = 0
    for x in l:
        s += x
    return s


fn main():
    var a = Box(3)
    var b = a^
    print(take(b^))
    var c = Box(4).bumped()
    print(c.v, take(c.bumped()^))
    var l = List[Int]()
    l.append(2)
    l.append(5)
    var m = l^
    print(len(m), total(m^))
    a = Box(9)              # a moved-from variable takes a new value
    print(a.v, take(a^
    ))
    var x = 6
    var y = (x ^
        3)
    print(y, x ^ 5, x^)

    # a nested function transfers its own variables, reads (not moves) a capture
    var kept = List[Int](1)
    fn inner() -> Int:
        var c = List[Int](3, 4)
        var d = c^
        return len(d) + len(kept)
    print(inner())

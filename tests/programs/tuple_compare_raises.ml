# A tuple comparison that calls an element's raising `__eq__` / `__lt__` can
# raise: in a `raises` function or a `try`, the error propagates out of it.
struct Key:
    var x: Int

    fn __init__(out self, x: Int):
        self.x = x

    fn __eq__(self, other: Key) raises -> Bool:
        if self.x < 0 or other.x < 0:
            raise Error("negative key " + String(min(self.x, other.x)))
        return self.x == other.x

    fn __lt__(self, other: Key) raises -> Bool:
        if self.x > 100:
            raise Error("key too large")
        return self.x < other.x


fn same(a: Tuple[Int, Key], b: Tuple[Int, Key]) raises -> Bool:
    return a == b


fn main():
    try:
        print(same((1, Key(2)), (1, Key(2))))
        print(same((1, Key(2)), (2, Key(-5))))
        print(same((1, Key(2)), (1, Key(-5))))
        print("not reached")
    except e:
        print("caught:", e)
    try:
        print((Key(1), 2) < (Key(3), 0))
        print((Key(1), 2) != (Key(1), 2))
        print((Key(200), 2) < (Key(300), 0))
    except e:
        print("caught:", e)
    var keys = List[Tuple[Key, Int]]()
    keys.append((Key(4), 1))
    keys.append((Key(-1), 2))
    try:
        print((Key(4), 1) in keys)
        print((Key(5), 1) in keys)
    except e:
        print("caught:", e)

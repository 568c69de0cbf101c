# Current Mojo's argument conventions: `var` (owned: the callee's own copy, which
# it may change) and `ref` (here: a mutable reference, like `mut`).
struct Counter:
    var n: Int

    fn __init__(out self, n: Int):
        self.n = n

    fn bumped(var self) -> Int:
        self.n += 10
        return self.n

    fn add(ref self, k: Int):
        self.n += k


fn take(var a: Int) -> Int:
    a += 1
    return a


fn consume(var l: List[Int]) -> Int:
    l.append(100)
    return len(l)


fn bump(ref x: Int):
    x += 1


fn main():
    var a = 3
    print(take(a), a)
    var l = List[Int](1, 2)
    print(consume(l), len(l))
    bump(a)
    bump(a)
    print(a)
    var c = Counter(5)
    print(c.bumped(), c.n)
    c.add(7)
    print(c.n)

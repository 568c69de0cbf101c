# `owned self`: the method gets its own copy, which it may change (the caller's
# value, List field included, is unchanged); `owned` on an ordinary parameter alike
struct Bag:
    var items: List[Int]
    var n: Int
    fn __init__(out self):
        self.items = List[Int]()
        self.n = 0
    fn add(mut self, x: Int):
        self.items.append(x)
        self.n += 1
    fn drained(owned self) -> Int:
        self.items.append(100)
        self.n = 50
        var s = 0
        for x in self.items:
            s += x
        return s + len(self.items)
    fn total(self) -> Int:
        var s = 0
        for x in self.items:
            s += x
        return s

fn take(owned b: Bag) -> Int:
    b.add(7)
    return b.total()

fn main():
    var b = Bag()
    b.add(1)
    b.add(2)
    print(b.drained(), b.total(), len(b.items), b.n)
    print(take(b), b.total())
    for i in range(3):
        print(Bag().drained())

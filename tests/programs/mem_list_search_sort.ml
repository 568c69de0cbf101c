# Mojo's List.reverse, count and index (which raises where the value is absent)
# and the builtin sort (stable, by `<`)
@fieldwise_init
struct Bag(Copyable, Movable):
    var items: List[String]


@fieldwise_init
struct P(Copyable, Movable):
    var x: Int
    var y: Int
    fn __eq__(self, o: P) -> Bool:
        return self.x == o.x
    fn __lt__(self, o: P) -> Bool:
        return self.x < o.x

def main():
    var l = [3, 1, 2, 3, 5]
    l.reverse()
    print(l)
    print(l.count(3), l.count(9))
    print(l.index(3), l.index(3, 1), l.index(3, -2), l.index(1, stop=-1))
    sort(l)
    print(l)
    var s = ["pear", "apple", "fig", "apple", ""]
    sort(s)
    print(s, s.count("apple"), s.index("fig"))
    s.reverse()
    print(s)
    var f = [2.5, -1.0, 0.0, -0.0, 1e10]
    sort(f)
    print(f)
    var ps = [P(2, 0), P(1, 1), P(2, 2), P(1, 3), P(0, 4)]
    sort(ps)
    for p in ps:
        print(p.x, p.y, end="; ")
    print()
    print(ps.count(P(2, 9)), ps.index(P(1, 7)))
    var t = [(2, "b"), (1, "z"), (2, "a")]
    sort(t)
    print(t)
    var e = List[Int]()
    sort(e)
    e.reverse()
    print(e, e.count(1))
    var big = List[Int]()
    for i in range(1000):
        big.append((i * 7919) % 1000)
    sort(big)
    var ok = True
    for i in range(1000):
        if big[i] != i:
            ok = False
    print(ok)
    try:
        print(l.index(42))
    except err:
        print("caught:", err)
    var nested = [[3, 1], [2, 9, 4]]
    nested[1].reverse()
    sort(nested[0])
    print(nested, nested[1].index(9))
    var bag = Bag(["b", "c", "a"])
    sort(bag.items)
    bag.items.reverse()
    print(bag.items)
    var bools = [True, False, True, False]
    sort(bools)
    print(bools, bools.count(True))
    var small = [UInt8(200), 7, 255, 0]
    sort(small)
    print(small, small.index(255, -2, 4))

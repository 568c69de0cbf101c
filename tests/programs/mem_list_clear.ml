# l.clear(): length 0, the List stays usable (append after it), copies are untouched
@value
struct P:
    var x: Int
    var y: Float64

struct Bag:
    var items: List[Int]

    fn __init__(out self):
        self.items = List[Int](1, 2, 3)

    fn empty(mut self):
        self.items.clear()

fn wipe(mut l: List[Float64]):
    l.clear()

fn show(l: List[Int]):
    for x in l:
        print(x, end=" ")
    print("| len", len(l))

fn main():
    var a = List[Int](1, 2, 3, 4, 5)
    var b = a
    a.clear()
    show(a)
    show(b)
    a.clear()                   # clearing an empty List
    show(a)
    for i in range(10):
        a.append(i * i)
    show(a)
    print(a[-1], a.pop(), len(a))
    a.clear()
    a.append(7)
    show(a)

    var f = List[Float64](0.5, 1.5)
    wipe(f)
    f.append(2.5)
    print(len(f), f[0])

    var bag = Bag()
    bag.empty()
    bag.items.append(9)
    print(len(bag.items), bag.items[0])
    bag.items.clear()
    print(len(bag.items))

    var ps = List[P](P(1, 1.0), P(2, 2.0))
    var qs = ps
    ps.clear()
    ps.append(P(3, 3.0))
    print(len(ps), ps[0].x, len(qs), qs[1].y)

    var big = List[Int](capacity=100)
    big.clear()
    print(len(big))

# l.insert(i, v): as Python's list.insert: a negative i counts from the end, one past either end is clamped
@value
struct P:
    var x: Int
    var y: Float64

struct Queue:
    var items: List[Int]

    fn __init__(out self):
        self.items = List[Int]()

    fn push_front(mut self, v: Int):
        self.items.insert(0, v)

fn show(l: List[Int]):
    for x in l:
        print(x, end=" ")
    print("| len", len(l))

fn put(mut l: List[Int], i: Int, v: Int):
    l.insert(i, v)

fn main():
    var a = List[Int]()
    a.insert(0, 10)             # into an empty List
    show(a)
    a.insert(0, 5)              # at the front
    a.insert(len(a), 20)        # at the end
    a.insert(1, 7)              # in the middle
    show(a)
    a.insert(-1, 15)            # before the last
    a.insert(-len(a), 1)        # at the front, counted from the end
    show(a)
    a.insert(100, 99)           # past the end: appended
    a.insert(-100, -99)         # before the start: at the front
    show(a)
    var b = a
    put(b, 2, 0)
    show(a)
    show(b)

    var c = List[Int](capacity=2)
    for i in range(20):         # grows as it needs
        c.insert(i // 2, i)
    show(c)
    print(c.pop(0), c.pop(), len(c))

    var f = List[Float64](1.5)
    f.insert(0, 2)              # an integer literal as Float64
    print(f[0], f[1])

    var u = List[UInt8](1, 2)
    u.insert(1, 255)
    print(u[0], u[1], u[2])

    var q = Queue()
    for i in range(5):
        q.push_front(i)
    show(q.items)

    var ps = List[P](P(1, 1.0), P(3, 3.0))
    var p = P(2, 2.0)
    ps.insert(1, p)
    p.x = 100                   # the List holds a copy
    ps[1].y = 2.5
    for e in ps:
        print(e.x, e.y, end="; ")
    print(p.x, p.y)

    var bs = List[Bool]()
    bs.insert(0, True)
    bs.insert(0, False)
    bs.insert(5, True)
    print(bs[0], bs[1], bs[2], len(bs))

# l.extend(other): other's elements appended, copied; l.extend(l) doubles l
@value
struct P:
    var x: Int
    var y: Float64

struct Log:
    var lines: List[Int]

    fn __init__(out self):
        self.lines = List[Int](1)

    fn twice(mut self):
        self.lines.extend(self.lines)

fn show(l: List[Int]):
    for x in l:
        print(x, end=" ")
    print("| len", len(l))

fn numbers(n: Int) -> List[Int]:
    var l = List[Int]()
    for i in range(n):
        l.append(i)
    return l

fn add_all(mut l: List[Int], other: List[Int]):
    l.extend(other)

fn main():
    var a = List[Int](1, 2, 3)
    var b = List[Int](4, 5)
    a.extend(b)
    show(a)
    b[0] = 40                   # a holds copies
    show(a)
    show(b)
    a.extend(List[Int]())       # nothing to add
    var e = List[Int]()
    e.extend(List[Int]())       # empty with empty
    show(e)
    e.extend(a)                 # into an empty List
    show(e)
    a.extend(a)                 # with itself
    show(a)
    for _ in range(4):          # with itself, growing every time
        b.extend(b)
    show(b)
    a.extend(numbers(10))       # a new List, released after
    show(a)
    add_all(e, b)
    show(e)

    var c = List[Int](capacity=3)
    c.extend(numbers(3))        # exactly to the capacity hint
    c.extend(numbers(1))
    show(c)

    var log = Log()
    for _ in range(3):
        log.twice()
    show(log.lines)
    var copy = log.lines
    copy.extend(log.lines)
    print(len(log.lines), len(copy))

    var ps = List[P](P(1, 1.0))
    var qs = List[P](P(2, 2.0), P(3, 3.0))
    ps.extend(qs)
    ps.extend(ps)
    qs[0].x = 20                # ps holds copies
    ps[1].y = 2.5               # and copies of its own: ps[4] keeps 2.0
    for p in ps:
        print(p.x, p.y, end="; ")
    print(qs[0].x)

    var f = List[Float32](0.5)
    f.extend(f)
    f.extend(List[Float32](1.25, 2.5))
    print(len(f), f[0], f[1], f[3])

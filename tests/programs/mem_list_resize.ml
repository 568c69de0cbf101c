# l.resize(n, v): shorter drops the elements past n, longer adds copies of v
@value
struct P:
    var x: Int
    var y: Float64

struct Grid:
    var cells: List[Float64]

    fn __init__(out self, n: Int):
        self.cells = List[Float64]()
        self.cells.resize(n, 0.5)

fn show(l: List[Int]):
    for x in l:
        print(x, end=" ")
    print("| len", len(l))

fn main():
    var a = List[Int](1, 2, 3)
    a.resize(5, 9)              # larger
    show(a)
    a.resize(2, 0)              # smaller
    show(a)
    a.resize(2, 7)              # the same length
    show(a)
    a.resize(6, -1)             # larger again: the dropped elements do not come back
    show(a)
    a.resize(0, 4)
    show(a)
    a.append(8)
    show(a)
    var b = a
    b.resize(40, 3)             # grows past double the capacity
    print(len(a), len(b), b[0], b[1], b[39])
    var i = 3
    b.resize(i, i * 2)
    show(b)

    var g = Grid(4)
    g.cells.resize(6, 1.25)
    for c in g.cells:
        print(c, end=" ")
    print()

    var u = List[UInt8]()
    u.resize(3, 255)
    u.resize(4, 1)
    print(u[0], u[2], u[3], len(u))

    var bs = List[Bool](False)
    bs.resize(3, True)
    print(bs[0], bs[1], bs[2])

    var p = P(1, 0.5)
    var ps = List[P]()
    ps.resize(3, p)
    p.x = 100                   # the List holds copies
    ps[0].x = 10                # each of its own
    ps.resize(2, p)
    ps.resize(3, p)
    for e in ps:
        print(e.x, e.y, end="; ")
    print()

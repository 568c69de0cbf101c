# List[T](length=n, fill=v): n copies of v, in either keyword order
@value
struct P:
    var x: Int
    var y: Float64

struct Board:
    var cells: List[Int]

    fn __init__(out self, n: Int):
        self.cells = List[Int](length=n * n, fill=-1)

fn show(l: List[Int]):
    for x in l:
        print(x, end=" ")
    print("| len", len(l))

fn zeros(n: Int) -> List[Float64]:
    return List[Float64](length=n, fill=0)

fn main():
    var a = List[Int](length=4, fill=7)
    show(a)
    a.append(8)
    a[0] = 1
    show(a)
    var e = List[Int](length=0, fill=3)
    show(e)
    e.append(3)
    show(e)
    var b = List[Int](fill=2, length=3)
    show(b)
    var n = 5
    show(List[Int](length=n - 2, fill=n * 10))

    var z = zeros(3)
    print(len(z), z[0], z[2])
    var board = Board(3)
    board.cells[4] = 0
    show(board.cells)

    var u = List[UInt8](length=2, fill=200)
    var f = List[Float32](length=2, fill=0.1)
    var bs = List[Bool](length=3, fill=True)
    print(u[1], f[1], bs[0], bs[2], len(bs))

    var ps = List[P](length=3, fill=P(1, 0.5))
    ps[0].x = 10                # each element is a copy of its own
    ps[2].y = 2.5
    for p in ps:
        print(p.x, p.y, end="; ")
    print()
    var total = 0
    for x in reversed(List[Int](length=3, fill=4)):
        total += x
    print(total)

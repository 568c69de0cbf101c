# Tuple assignment to elements and fields: every value first, then the
# targets left to right (Python's order).
struct P:
    var x: Int
    var y: Int

    fn __init__(out self, x: Int, y: Int):
        self.x = x
        self.y = y


struct Grid:
    var cells: List[Float64]

    fn __init__(out self):
        self.cells = List[Float64]()
        for i in range(4):
            self.cells.append(Float64(i))

    fn __getitem__(self, i: Int, j: Int) -> Float64:
        return self.cells[2 * i + j]

    fn __setitem__(mut self, i: Int, j: Int, v: Float64):
        self.cells[2 * i + j] = v


fn main():
    var l = List[Int]()
    l.append(1)
    l.append(2)
    l.append(3)
    l[0], l[2] = l[2], l[0]
    print(l[0], l[1], l[2])

    var t = Tensor[DType.float64](2, 3)
    t[0, 0] = 1.5
    t[1, 2] = -2.5
    var i = 0
    var j = 2
    t[i, 0], t[1, j] = t[1, j], t[i, 0]
    print(t[0, 0], t[1, 2])

    var p = P(1, 2)
    p.x, p.y = p.y, p.x
    print(p.x, p.y)

    # names and elements mixed; the index is read after `k` is assigned
    var k = 0
    k, l[k] = 2, 10
    print(k, l[0], l[1], l[2])
    var a = 5
    a, l[1], p.x = l[1], a, a
    print(a, l[1], p.x)

    # literals keep their literal typing; _ discards
    var v = SIMD[DType.float32, 4](0.0)
    v[0], v[3], _ = 1, 2.5, l[0]
    print(v)

    var g = Grid()
    g[0, 1], g[1, 0] = g[1, 0], g[0, 1]
    print(g[0, 1], g[1, 0])

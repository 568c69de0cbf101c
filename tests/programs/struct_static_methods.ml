# @staticmethod called on the type and, as Mojo allows, on an instance (which
# is then not passed); a static method with compile-time parameters both ways
struct Counter:
    var n: Int
    fn __init__(out self, n: Int):
        self.n = n

    @staticmethod
    fn twice(x: Int) -> Int:
        return 2 * x

    @staticmethod
    fn scaled[k: Int](x: Int) -> Int:
        return k * x

    fn plus[k: Int](self, x: Int) -> Int:
        return self.n + k * x

struct Grid[w: Int]:
    var first: Int
    fn __init__(out self, first: Int):
        self.first = first

    @staticmethod
    fn cells[h: Int]() -> Int:
        return w * h

fn main():
    var c = Counter(1)
    print(Counter.twice(21), c.twice(4))
    print(Counter.scaled[3](5), c.scaled[4](5), c.plus[2](5))
    var g = Grid[3](7)
    print(Grid[3].cells[2](), g.cells[5](), Counter(9).twice(9))

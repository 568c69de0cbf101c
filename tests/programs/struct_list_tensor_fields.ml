# Struct fields holding Lists and Tensors: a copy of the struct copies its Lists and
# shares its Tensors; owned arguments, returned structs, fields of fields.
struct Tape:
    var values: List[Float64]
    var parents: List[Int]
    var grads: Tensor[DType.float64]

    fn __init__(out self, n: Int):
        self.values = List[Float64]()
        self.parents = List[Int]()
        self.grads = Tensor[DType.float64](n)

    fn push(mut self, v: Float64, p: Int) -> Int:
        self.values.append(v)
        self.parents.append(p)
        return len(self.values) - 1

    fn total(self) -> Float64:
        var s = 0.0
        for i in range(len(self.values)):
            s += self.values[i]
        return s

@value
struct Pair:
    var name: Int
    var xs: List[Int]

struct Outer:
    var p: Pair
    var k: Int
    fn __init__(out self, p: Pair):
        self.p = p
        self.k = 1

fn make_pair(n: Int) -> Pair:
    var l = List[Int]()
    for i in range(n):
        l.append(i * i)
    return Pair(n, l)

fn sum_pair(p: Pair) -> Int:
    var s = 0
    for x in p.xs:
        s += x
    return s

fn grow(owned p: Pair) -> Int:
    p.xs.append(100)
    return len(p.xs)

fn main():
    var t = Tape(3)
    _ = t.push(1.5, -1)
    _ = t.push(2.5, 0)
    t.grads[1] = 4.0
    print(len(t.values), t.total(), t.parents[1], t.grads[1])
    var u = t
    u.values[0] = 10.0
    u.grads[0] = 7.0
    print(t.values[0], u.values[0], t.grads[0])
    var p = make_pair(4)
    var q = p
    q.xs.append(5)
    print(len(p.xs), len(q.xs), sum_pair(p), sum_pair(q))
    print(make_pair(3).xs[2], sum_pair(make_pair(5)), grow(p), len(p.xs))
    var o = Outer(p)
    o.p.xs[0] = 42
    print(o.p.xs[0], p.xs[0], o.p.name)
    o = Outer(make_pair(2))
    print(len(o.p.xs))
    p.xs = q.xs
    q.xs[0] = -1
    print(p.xs[0], q.xs[0])

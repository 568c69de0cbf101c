# List literals: the element type comes from the elements, or from the type expected
# (a declaration, an assignment, an argument, a result, a field, append/extend).
@fieldwise_init
struct P(Copyable, Movable):
    var x: Int
    var y: Int

@fieldwise_init
struct Bag:
    var items: List[Float64]

fn total(l: List[Float64]) -> Float64:
    var s = 0.0
    for x in l:
        s += x
    return s

fn make() -> List[Int]:
    return [7, 8]

fn main():
    var a = [1, 2, 3]
    var b: List[Float64] = [1.0, 2.5]
    var c: List[Float32] = []
    var d = [1, 2.5]
    var e: List[Int8] = [1, -2]
    print(len(a), a[2], len(b), b[1], len(c), d[0], e[1])
    c.append(1.5)
    a = []
    a.append(4)
    a.extend([5, 6])
    print(len(a), a[0], a[2], len(c))
    print(total([1, 2, 3.5]), total([]), len(make()))
    var ps = [P(1, 2), P(3, 4)]
    print(ps[1].y)
    var bag = Bag([0.5])
    bag.items = [1.0, 2.0, 3.0]
    print(len(bag.items))
    for v in [10, 20]:
        print(v)
    var x: Float32 = 2.0
    var f = [1, x]
    print(f[0], len([x, x, x]))

# Current Mojo's explicit copies: `l.copy()` (a new List, nested Lists copied too)
# and `x.copy()` of a struct that defines no `copy` of its own.
@fieldwise_init
struct Bag(Copyable, Movable):
    var items: List[Int]
    var tag: String


fn total(l: List[Int]) -> Int:
    var s = 0
    for x in l:
        s += x
    return s


fn main():
    var a = List[Int](1, 2, 3)
    var b = a.copy()
    b.append(4)
    b[0] = 100
    print(a, b, total(a.copy()), len(a.copy()))
    var nested = List[List[Int]](List[Int](1), List[Int](2, 3))
    var n2 = nested.copy()
    n2[0].append(5)
    print(nested, n2)
    var bag = Bag(a.copy(), "x")
    var bag2 = bag.copy()
    bag2.items.append(7)
    bag2.tag = "y"
    print(bag.items, bag.tag, bag2.items, bag2.tag)

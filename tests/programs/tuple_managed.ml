# Tuples holding Lists, Strings and structs: each element is copied or
# released as a variable of its type would be.
@value
struct Point:
    var x: Float64
    var y: Float64

@value
struct Bag:
    var items: List[Int]
    var name: String

fn make_lists(n: Int) -> (List[Int], List[Float64]):
    var a = List[Int]()
    var b = List[Float64]()
    for i in range(n):
        a.append(i)
        b.append(Float64(i) * 0.5)
    return a, b

fn greeting() -> Tuple[String, Int]:
    return "hello", 5

fn corner() -> (Point, Point):
    return Point(0, 0), Point(1.5, -2)

fn bags() -> (Bag, Bag):
    var l = List[Int]()
    l.append(3)
    var b = Bag(l, "one")
    var c = b                     # a copy: appending to c leaves b alone
    c.items.append(4)
    c.name = "two"
    return b, c

fn main():
    a, b = make_lists(4)
    print(len(a), len(b), a[3], b[3])
    var t = make_lists(3)
    var t2 = t                    # copies both Lists
    t2[0].append(99)
    print(len(t[0]), len(t2[0]), t2[0][3])
    t = make_lists(5)             # the old Lists are released
    print(len(t[0]), len(t[1]))
    print(len(make_lists(2)[1]))
    s, n = greeting()
    print(s, n)
    var g = greeting()
    print(g[0], g[1])
    p, q = corner()
    print(p.x, p.y, q.x, q.y)
    var c = corner()
    c[1].x = 9
    print(c[1].x, c[0].x)
    x, y = bags()
    print(len(x.items), len(y.items), x.name, y.name, y.items[1])
    var ls = List[Int]()
    ls.append(1)
    var held = (ls, 2)            # the tuple holds its own copy
    ls.append(2)
    print(len(held[0]), len(ls))
    for i in range(3):
        e, f = make_lists(i)
        print(len(e) + len(f))

# An assignment evaluates its value first, then the target's container and
# index (Python's order), so a value that grows the List (moving its elements
# to a new buffer) is stored into the List as it is then. `op=` evaluates the
# target's index first, reads the old value, then the right side. A `mut`
# argument's place is found once every argument is made.
struct P:
    var x: Int
    var s: String

    fn __init__(out self, x: Int):
        self.x = x
        self.s = "p"

    fn __iadd__(mut self, k: Int):
        self.x += k

    fn set(mut self, k: Int):
        self.x = k

    fn __setitem__(mut self, i: Int, v: Int):
        self.x = v + i


fn grow(mut l: List[Int]) -> Int:
    for i in range(100):
        l.append(i)
    return 7


fn grow_strings(mut l: List[String]) -> String:
    for i in range(100):
        l.append(String(i))
    return "new"


fn grow_lists(mut l: List[List[Int]]) -> Int:
    for i in range(100):
        l.append(List[Int](i))
    return 7


fn grow_structs(mut l: List[P]) -> Int:
    for i in range(100):
        l.append(P(i))
    return 7


fn grow_vectors(mut l: List[SIMD[DType.int32, 4]]) -> Int32:
    l[0][1] = 9
    for i in range(100):
        l.append(SIMD[DType.int32, 4](0))
    return 7


fn set_to(mut x: Int, v: Int):
    x = v


fn noisy(what: String, k: Int) -> Int:
    print(what, k, end="; ")
    return k


fn main():
    var l = List[Int](1)
    l[0] = grow(l)
    l[1] += grow(l)
    print(l[0], l[1], len(l))
    var s = List[String]("a", "b")
    s[0] = grow_strings(s)
    s[1] += grow_strings(s)
    print(s[0], s[1], len(s))
    var ll = List[List[Int]](List[Int](1, 2))
    ll[0][1] = grow_lists(ll)
    ll[0][0] += grow_lists(ll)
    ll[0].append(grow_lists(ll))
    print(ll[0][0], ll[0][1], ll[0][2], len(ll))
    var ps = List[P](P(1), P(2))
    ps[0].x = grow_structs(ps)
    ps[0].x += grow_structs(ps)
    ps[1].s = String(grow_structs(ps))
    ps[1].s += String(grow_structs(ps))
    print(ps[0].x, ps[1].s, len(ps))
    ps[0] += grow_structs(ps)
    ps[1].set(grow_structs(ps))
    ps[2][3] = grow_structs(ps)
    print(ps[0].x, ps[1].x, ps[2].x, len(ps))
    var v = List[SIMD[DType.int32, 4]](SIMD[DType.int32, 4](1))
    v[0][2] = grow_vectors(v)
    v[0][3] += grow_vectors(v)
    print(v[0], len(v))
    var t = List[Int](1, 2)
    t[0], t[1] = grow(t), 5
    set_to(t[1], grow(t))
    print(t[0], t[1], len(t))

    # the order, told by the effects
    var m = List[Int](0, 0)
    m[noisy("index", 0)] = noisy("value", 1)
    m[noisy("index", 1)] += noisy("value", 2)
    m[noisy("index", 0)], m[noisy("index", 1)] = noisy("value", 3), noisy("value", 4)
    set_to(m[noisy("index", 0)], noisy("value", 5))
    print()
    var q = List[P](P(0))
    q[noisy("index", 0)].x = noisy("value", 6)
    q[noisy("index", 0)].x += noisy("value", 7)
    q[noisy("index", 0)][noisy("item", 1)] = noisy("value", 8)
    print()
    var tensor = Tensor[DType.int64](2)
    tensor[noisy("index", 1)] = Int64(noisy("value", 9))
    tensor[noisy("index", 1)] += Int64(noisy("value", 10))
    print()
    print(m[0], m[1], q[0].x, tensor[1])

# A struct's own __init__, __copyinit__ and __del__, and where each runs: a
# copy (`var b = a`, an `owned` argument, a List's element), a drop (the end
# of the function, reassignment, a temporary at the end of its statement, an
# error unwinding), and `x^`, which neither copies nor drops.
struct Noisy:
    var id: Int

    fn __init__(out self, id: Int):
        self.id = id
        print("  init", id)

    fn __copyinit__(out self, existing: Self):
        self.id = existing.id + 100
        print("  copy", existing.id, "->", self.id)

    fn __moveinit__(out self, deinit existing: Self):
        self.id = existing.id
        print("  move", self.id)

    fn __del__(deinit self):
        print("  del", self.id)


# Without __copyinit__: moved (`^`), never copied.
struct Unique:
    var id: Int

    fn __init__(out self, id: Int):
        self.id = id

    fn __del__(owned self):
        print("  drop unique", self.id)


struct Holder:
    var n: Noisy
    var tag: Int

    fn __init__(out self, id: Int):
        self.n = Noisy(id)
        self.tag = id

    fn swap(mut self, id: Int):
        self.n = Noisy(id)


@value
struct Pair:
    var a: Noisy
    var b: Int


fn make(id: Int) -> Noisy:
    var x = Noisy(id)
    return x


fn peek(n: Noisy) -> Int:
    return n.id


fn take(owned n: Noisy) -> Int:
    return n.id


fn keep(owned u: Unique) -> Unique:
    print("  keep", u.id)
    return u^


fn fails(n: Noisy, bad: Bool) raises -> Int:
    var local = Noisy(n.id + 1)
    if bad:
        raise Error("bad")
    return local.id


fn early(flag: Bool):
    if flag:
        print("  early return")
        return
    var late = Noisy(77)
    print("  late", late.id)


fn main() raises:
    print("temporaries")
    print(peek(make(1)), peek(Noisy(2)))
    print("copy and assign")
    var a = Noisy(3)
    var b = a
    b = Noisy(4)
    print("move")
    var c = a^
    print(take(c^))
    print(take(b))
    print("loop")
    for i in range(3):
        var t = Noisy(10 + i)
        print("  body", t.id)
    print("if-expression")
    var d = Noisy(5) if True else Noisy(6)
    print("list")
    var l = List[Noisy]()
    l.append(Noisy(20))
    l.append(d)
    l.append(make(21))
    for x in l:
        print("  in list", x.id)
    var l2 = l
    print(len(l2))
    var p = l.pop()
    print("popped", p.id)
    l.clear()
    print("cleared")
    l2.resize(1, Noisy(30))
    print("resized")
    print("fields")
    var h = Holder(40)
    var h2 = h
    print(h2.n.id)
    var pr = Pair(Noisy(50), 1)
    var pr2 = pr
    print(pr2.a.id)
    h.swap(41)
    var tup = (Noisy(42), 1)
    var tup2 = tup
    print(tup2[0].id)
    print("unique")
    var u = Unique(1)
    var v = keep(u^)
    var us = List[Unique]()
    us.append(v^)
    us.append(Unique(2))
    print(len(us))
    print("raise")
    try:
        print(fails(Noisy(60), True))
    except e:
        print("caught", e)
    print(fails(Noisy(61), False))
    early(True)
    early(False)
    print("end")

# A List is a value: copies are independent; read arguments share; mut arguments change the caller's
fn total(l: List[Int]) -> Int:
    var s = 0
    for x in l:
        s += x
    return s

fn push_squares(mut l: List[Int], n: Int):
    for i in range(n):
        l.append(i * i)

fn clear(mut l: List[Int]):
    while len(l) > 0:
        _ = l.pop()

fn negate_all(mut l: List[Int]):
    for i in range(len(l)):
        l[i] = -l[i]

fn changed_copy(l: List[Int]) -> List[Int]:
    var c = l
    c[0] = 999
    c.append(1000)
    return c

fn owned_copy(owned l: List[Int]) -> Int:
    l.append(7)
    l[0] = 0
    return len(l)

fn evens(n: Int) -> List[Int]:
    var out = List[Int]()
    for i in range(n):
        if i % 2 == 0:
            out.append(i)
    return out

fn mean(xs: List[Float32]) -> Float32:
    var s: Float32 = 0.0
    for x in xs:
        s += x
    return s / Float32(len(xs))

fn count_true(bs: List[Bool]) -> Int:
    var n = 0
    for b in bs:
        if b:
            n += 1
    return n

fn main():
    var a = List[Int](1, 2, 3)
    var b = a
    b[0] = 100
    b.append(4)
    print(len(a), a[0], len(b), b[0], b[3])
    a = b
    a.append(5)
    print(len(a), len(b))

    var c = List[Int]()
    push_squares(c, 5)
    print(len(c), total(c), c[4])
    negate_all(c)
    print(c[1], c[4], total(c))
    var d = changed_copy(c)
    print(c[0], len(c), d[0], len(d), d[5])
    print(owned_copy(c), c[0], len(c))
    clear(c)
    print(len(c), total(c))
    print(len(d))

    var e = evens(21)
    print(len(e), e[0], e[10], total(e))
    print(total(evens(7)), len(evens(0)))
    var e2 = e
    clear(e2)
    print(len(e), len(e2))

    # Float32 and Bool lists
    var xs = List[Float32](0.1, 0.2)
    xs.append(0.3)
    print(xs[0], xs[1], xs[2], mean(xs))
    xs[1] *= 10.0
    print(xs[1], xs.pop(), len(xs))
    var bs = List[Bool](True, False)
    bs.append(1 > 0)
    bs.append(not bs[0])
    print(count_true(bs), bs[3], len(bs))
    bs[1] = True
    print(count_true(bs))

    # a List of pointers
    var ptrs = List[UnsafePointer[Int]]()
    for i in range(3):
        var p = UnsafePointer[Int].alloc(2)
        p[0] = i
        p[1] = i * i
        ptrs.append(p)
    var s = 0
    for p in ptrs:
        s += p[0] * 10 + p[1]
    print(s, ptrs[2][1])
    for p in ptrs:
        p.free()
    # a copy made inside a loop does not change the original
    var base = List[Int](1, 1)
    for i in range(3):
        var step = base
        step.append(step[len(step) - 1] + step[len(step) - 2])
        base = step
    print(len(base), base[4])
    var snap = base
    for i in range(len(base)):
        base[i] = 0
    print(total(base), total(snap))

# Mojo's UnsafePointer compares as its address: `==`/`!=` between any two pointers
# of one type, `<`/`<=`/`>`/`>=` within one allocation (and against the null pointer,
# which lies below every allocation), and is true when it is not null.
from memory import UnsafePointer


@value
struct Node:
    var value: Int
    var next: UnsafePointer[Node]


fn find(start: UnsafePointer[Int], end: UnsafePointer[Int], x: Int) -> UnsafePointer[Int]:
    """The first element equal to `x` in [start, end), else the null pointer."""
    var p = start
    while p < end:
        if p[] == x:
            return p
        p += 1
    return UnsafePointer[Int]()


fn reverse(start: UnsafePointer[Int], n: Int):
    var lo = start
    var hi = start + n - 1
    while lo < hi:
        var t = lo[]
        lo[] = hi[]
        hi[] = t
        lo += 1
        hi -= 1


fn describe(p: UnsafePointer[Int]) -> String:
    return "set" if p else "null"


fn main():
    var null = UnsafePointer[Int]()
    var other_null = UnsafePointer[Int]()
    var q = UnsafePointer[Int].alloc(6)
    for i in range(6):
        q[i] = i * i
    print(null == other_null, null != other_null, null == q, null != q)
    print(Bool(null), Bool(q), not null, not q, describe(null), describe(q))
    if q:
        print("q is non-null")
    if not null:
        print("null is null")
    print(null < q, null <= q, null > q, null >= q, q > null)
    print(null <= other_null, null < other_null, null + 1 > null, null + 1 == null + 1)

    # within one allocation: by offset
    var r = q + 2
    print(q < r, q <= r, q > r, q >= r, q == r, q != r)
    print(r - 2 == q, q + 2 == r, r == r, r <= r, r < r)
    print(q <= r < q + 6, q < r < q, q + 6 > r >= q)
    print((q, 1) == (r - 2, 1), (q, 9) < (r, 0), (r, 0) <= (r, 0))

    # in conditions, and/or, conditional expressions
    var hit = find(q, q + 6, 9)
    var miss = find(q, q + 6, 7)
    print(describe(hit), describe(miss), hit == q + 3, miss == null)
    if hit and not miss:
        print("found 9 at", hit[], "only")
    print("miss" if not miss else "hit", Bool(hit) or Bool(miss))
    var walked = 0
    var p = q + 5
    while p >= q:
        walked += p[]
        p -= 1
    print(walked, p < q, p + 1 == q)

    reverse(q, 6)
    for i in range(6):
        print(q[i], end=" ")
    print()
    q.free()

    # two allocations are never equal; the same pointer copied is
    var a = UnsafePointer[Int].alloc(2)
    var b = UnsafePointer[Int].alloc(2)
    var c = a
    print(a == b, a != b, a == c, a + 1 == c + 1, a + 1 != b + 1)
    # `in` a List of pointers compares each with `==`
    var seen = List[UnsafePointer[Int]](a, a + 1, UnsafePointer[Int]())
    print(a + 1 in seen, c in seen, b in seen, b + 1 not in seen, UnsafePointer[Int]() in seen)
    # so do count() and index(); sort() orders them by address, as `<` does
    try:
        print(seen.count(a), seen.count(b), seen.index(a + 1), seen.index(UnsafePointer[Int]()))
        print(seen.index(b))
    except e:
        print(e)
    var order = List[UnsafePointer[Int]](a + 1, UnsafePointer[Int](), a, a + 1)
    sort(order)
    print(not order[0], order[1] == a, order[2] == a + 1, order[3] == a + 1, order.count(a + 1))
    a.free()
    b.free()

    # a linked list walked to its null end
    var nodes = UnsafePointer[Node].alloc(3)
    var head = UnsafePointer[Node]()
    for i in range(3):
        nodes[i] = Node(i + 1, head)
        head = nodes + i
    var total = 0
    var steps = 0
    var n = head
    while n:
        total += n[].value
        steps += 1
        n = n[].next
    print(total, steps, not n, n == UnsafePointer[Node](), head == nodes + 2)
    nodes.free()

    # a Tensor's pointers: one storage, one allocation
    var t = Tensor[DType.float32](4)
    var t0 = t.unsafe_ptr()
    var t1 = t.unsafe_ptr() + 1
    print(t0 == t.unsafe_ptr(), t0 < t1, t1 - 1 == t0)

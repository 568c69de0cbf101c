# List: append (growth past 1000 elements), pop, len, indexing, forward and reversed loops
fn main():
    var l = List[Int]()
    print(len(l))
    for i in range(1500):
        l.append(i * 3)
    print(len(l), l[0], l[1], l[999], l[1499])
    var s = 0
    for x in l:
        s += x
    print(s)
    l[10] = -1
    l[1499] += 2
    l[0] -= 5
    print(l[10], l[1499], l[0])
    var popped = 0
    for i in range(500):
        popped += l.pop()
    print(len(l), popped, l[len(l) - 1])
    while len(l) > 3:
        _ = l.pop()
    print(len(l), l[0], l[1], l[2])
    for x in l:
        print(x, end=" ")
    print()
    for x in reversed(l):
        print(x, end=" ")
    print()
    # after popping everything the list grows again
    _ = l.pop()
    _ = l.pop()
    _ = l.pop()
    print(len(l))
    for x in l:
        print("never", x)
    for x in reversed(l):
        print("never", x)
    l.append(42)
    print(len(l), l[0])

    # a loop reads each element when it gets there, and the length before it (as Mojo's
    # and Python's List iterators do: an element appended in the body is visited too)
    var m = List[Int](1, 2, 3, 4)
    for x in m:
        m[3] = x * 10
        print(x, end=" ")
    print()
    var grow = List[Int](5, 6)
    for x in grow:
        if x < 100:
            grow.append(x + 100)
    print(len(grow), grow[2], grow[3])
    for x in reversed(grow):
        print(x, end=" ")
    print()

    # the initial values, typed
    var bytes = List[UInt8](250, 3, 255)
    bytes[0] += 10
    bytes.append(bytes[1] - 4)
    print(bytes[0], bytes[1], bytes[2], bytes[3], len(bytes))
    var small = List[Int16](-1)
    small.append(small.pop() * 300)
    print(small[0], len(small))
    # nested loops over one list
    var v = List[Int](1, 2, 3)
    var pairs = 0
    for a in v:
        for b in reversed(v):
            pairs = pairs * 10 + a * b
    print(pairs)

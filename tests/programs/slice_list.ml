# l[a:b:s] on a List: a new List, Python's clamping and negative positions.
@value
struct Named:
    var name: String
    var tags: List[String]


fn every_slice(l: List[Int]) -> Int:
    """Each (start, stop, step) in [-7, 7] x [-7, 7] x {-3, -2, -1, 1, 2, 3}:
    the sum of the lengths and a checksum of the elements."""
    var total = 0
    for a in range(-7, 8):
        for b in range(-7, 8):
            for s in range(-3, 4):
                if s == 0:
                    continue
                var part = l[a:b:s]
                total += len(part) * 1000
                for k in range(len(part)):
                    total += part[k] * (k + 1)
    return total


fn main():
    var l = List[Int](10, 20, 30, 40, 50)
    print(l[1:3], l[:2], l[3:], l[:], l[::2], l[1::2], l[::-1])
    print(l[-2:], l[:-2], l[-4:-1], l[-1:-4:-1], l[4:1:-2], l[::-2])
    print(l[2:100], l[-100:2], l[100:], l[:-100], l[3:1], l[1:3:-1])
    print(l[:100:-1], l[-100::-1], l[2::-1], l[:2:-1])
    var n = 2
    print(l[n:], l[:n], l[n - 1:n + 1], l[len(l) - n:])
    print(every_slice(l), every_slice(List[Int]()), every_slice(List[Int](7)))

    # a copy: changing it leaves the List alone, and the other way round
    var tail = l[2:]
    tail[0] = 99
    tail.append(60)
    l[4] = -1
    print(l, tail)

    # elements that own memory are copied as a List's copy copies them
    var words = List[String]("alpha", "beta", "gamma", "delta")
    var some = words[1:3]
    some[0] = some[0] + "!"
    print(words, some, words[::-1], words[:0])
    var grid = List[List[Int]](List[Int](1, 2), List[Int](3), List[Int]())
    var rows = grid[:2]
    rows[0].append(5)
    print(len(grid[0]), len(rows[0]), len(grid[1:][1]))
    var people = List[Named](Named("ann", List[String]("x")), Named("bob", List[String]()))
    var later = people[1:]
    later[0].tags.append("y")
    later[0].name = "rob"
    print(people[1].name, len(people[1].tags), later[0].name, len(later[0].tags))

    # a slice of a slice, of a call's result, in a loop
    print(l[1:][1:][::-1], List[Int](1, 2, 3)[1:])
    var total = 0
    for x in l[::2]:
        total += x
    print(total)
    var floats = List[Float64](0.5, 1.5, 2.5)
    print(floats[1:], List[Bool](True, False)[::-1])

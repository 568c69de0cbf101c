# `for x in ll[i]` (an element of a List of Lists, or a List field of one)
# loops over that List where it is, reading its length before each element as
# `for x in l` does: a body that appends to `ll[i]` visits the new elements.
# The index is read once, when the loop starts (a negative one counts from the
# end then), as Python's and Mojo's iterators hold the List it named.
@fieldwise_init
struct Box(Copyable, Movable):
    var items: List[List[Int]]


fn bump(mut i: Int) -> Int:
    i += 1
    return i


def main():
    var ll: List[List[Int]] = [[1, 2], [3]]
    for x in ll[0]:
        print(x)
        if x < 4:
            ll[0].append(x + 2)
    print(ll[0])
    var i = 1
    for x in ll[i]:
        print("i", x, i)
        i = 0
        ll[1].append(7)
        if len(ll[1]) > 3:
            break
    print(ll[1])
    for x in ll[-1]:
        print("last", x)
        ll.append([100])
        if len(ll) > 4:
            break
    print(len(ll), ll[1])
    for x in reversed(ll[0]):
        print("rev", x)
        _ = ll[0].pop(0)
    print(ll[0])
    var b = Box([[5], [6]])
    var j = UInt8(0)
    for x in b.items[j]:
        print("b", x)
        if x < 8:
            b.items[0].append(x + 1)
    print(b.items[0])
    var bs: List[Box] = [Box([[1]]), Box([[2]])]
    i = -1
    for x in bs[bump(i)].items[0]:
        print("bs", x, i)
        if x < 3:
            bs[0].items[0].append(x + 1)
        bs.append(Box([[9]]))
        i = 5
    print(bs[0].items[0], len(bs))

# `for x in l` reads the List's length before each element, as Mojo's and
# Python's List iterators do: a body that appends sees the new elements, one
# that pops stops early, and no element past the end is ever read (not even
# with --release, where a String popped would be released memory).
fn main():
    var l = [1, 2, 3, 4, 5]
    for x in l:
        print(x)
        if x == 2:
            _ = l.pop()
            _ = l.pop()
            _ = l.pop()
    print("len", len(l))
    var m = [1, 2]
    for x in m:
        if len(m) < 6:
            m.append(x * 10)
        if x == 10:
            continue
        print(x)
    print("len", len(m))
    var s = List[String]()
    s.append("a")
    s.append("b")
    s.append("c")
    for t in s:
        print(t)
        _ = s.pop()
        _ = s.pop()
    print("len", len(s))
    # reversed(l): Python's reversed stops at an index past the end
    var r = [1, 2, 3, 4, 5]
    for x in reversed(r):
        print(x)
        if x == 5:
            _ = r.pop(0)
            _ = r.pop(0)
            _ = r.pop(0)
    print("len", len(r))
    var q = [1, 2, 3]
    for ref y in q:
        y += 100
        if len(q) == 3:
            _ = q.pop()
        elif y == 102:
            q.append(7)
    print(q)

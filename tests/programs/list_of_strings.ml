# A List[String]: computed and constant Strings as elements, each copy of the List sharing
# the (immutable) texts; print shows the elements as Python's repr does
fn label(i: Int) -> String:
    return "n" + String(i)

fn names(n: Int) -> List[String]:
    var l = List[String]()
    for i in range(n):
        l.append(label(i))
    return l

fn keep(owned l: List[String]) -> Int:
    l.append("more")
    return len(l)

fn main():
    var s = List[String]("x", "y")
    s.append("z" + String(1))
    print(s, "y" in s, "q" in s, label(2) not in s)
    var t = s
    t[0] = "changed"
    t[1] += "!"
    print(s, t)
    for x in reversed(s):
        print(x, len(x))
    var last = s.pop()
    s.insert(0, last)
    s.extend(s)
    print(s)
    s.resize(2, "r")
    print(s)
    s.resize(4, "r" + "r")
    print(s)
    s.clear()
    print(s, len(s))
    print(List[String](length=3, fill=label(7)))
    var ns = names(4)
    print(keep(ns), len(ns), ns)
    var lit = ["p", label(5), "it's", "a\tb"]
    print(lit)
    var text = "ab"
    var held = List[String](text)
    text += "c"
    held[0] += "d"
    print(text, held)

# `for x in self.items` (a List field) reads the field's length before each
# element, as `for x in l` does: a body that clears the List stops the loop,
# one that appends visits the new elements (it looped over a copy before)
@fieldwise_init
struct Box(Copyable, Movable):
    var items: List[String]

    fn drain(mut self):
        for s in self.items:
            print("  sees", s)
            if s == "b":
                self.items.clear()
            else:
                self.items.append(s + "!")
            if len(self.items) > 4:
                break
        else:
            print("  no break")


@fieldwise_init
struct Pair(Copyable, Movable):
    var box: Box
    var n: Int


def main():
    var b = Box(["a", "b", "c"])
    b.drain()
    print(b.items)
    var q = Box(["q"])
    q.drain()
    print(q.items)
    var p = Pair(Box(["x", "y"]), 0)
    for s in reversed(p.box.items):
        print(s)
        _ = p.box.items.pop(0)
    print(p.box.items)

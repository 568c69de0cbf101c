# A `def` raises through an operator, a condition or a builtin whose struct method
# raises (`a < b` and `__lt__`, `if v:` and `__bool__`, `sort(l)`), and through a
# function value that raises, without `raises`, as any `def` may; a `def` that
# uses the same operators on numbers is still callable from a plain `fn`.
@fieldwise_init
struct V(Copyable, Movable):
    var x: Int

    def __lt__(self, o: V) -> Bool:
        if self.x == 13 or o.x == 13:
            raise Error("13 compared")
        return self.x < o.x

    def __add__(self, o: V) -> V:
        if o.x == 0:
            raise Error("adding zero")
        return V(self.x + o.x)

    def __bool__(self) -> Bool:
        if self.x < 0:
            raise Error("negative truth")
        return self.x != 0

    def __getitem__(self, i: Int) -> Int:
        if i != 0:
            raise Error("index " + String(i))
        return self.x


def smaller(a: V, b: V) -> Bool:
    return a < b


def total(a: V, b: V) -> Int:
    var s = a
    s += b
    return (s + b).x


def truth(v: V) -> String:
    if v:
        return "true"
    return "false"


def item(v: V, i: Int) -> Int:
    return v[i]


def sorted_xs(l: List[V]) -> String:
    var m = l.copy()
    sort(m)
    var out = String()
    for v in m:
        out += String(v.x) + " "
    return out


def call(f: fn (V, V) raises -> Bool, a: V, b: V) -> Bool:
    var g = f
    return g(a, b)


def ints(a: Int, b: Int) -> Bool:         # no struct method: not raising
    return a < b and a + b > 0


fn plain(a: Int) -> Bool:
    return ints(a, 2)


def main():
    print(smaller(V(1), V(2)), total(V(1), V(2)), truth(V(0)), item(V(7), 0))
    print(sorted_xs([V(3), V(1), V(2)]), call(smaller, V(2), V(1)), plain(1))
    for i in range(6):
        try:
            if i == 0:
                print(smaller(V(13), V(1)))
            elif i == 1:
                print(total(V(1), V(0)))
            elif i == 2:
                print(truth(V(-1)))
            elif i == 3:
                print(item(V(7), 2))
            elif i == 4:
                print(sorted_xs([V(3), V(13)]))
            else:
                print(call(smaller, V(13), V(13)))
        except e:
            print("caught:", e)

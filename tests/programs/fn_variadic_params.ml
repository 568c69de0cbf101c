# Mojo's variadic parameters: `*vals: Int` is a read-only list of the rest of the
# positional arguments (`for v in vals`, `len(vals)`, `vals[i]`); what follows it is
# keyword-only
fn total(*vals: Int) -> Int:
    var s = 0
    for v in vals:
        s += v
    return s

fn describe(label: String, *xs: Float64, sep: String = ", ") -> String:
    var out = label + ":"
    for i in range(len(xs)):
        out += (" " if i == 0 else sep) + String(xs[i])
    return out

struct Acc:
    var n: Int
    fn __init__(out self):
        self.n = 0
    fn add(mut self, *ks: Int):
        for k in ks:
            self.n += k

fn count_words(*words: String) -> Int:
    return len(words)

def last(*vals: Int) -> Int:
    return vals[-1]

def main():
    print(total(), total(1), total(1, 2, 3), total(4, -5))
    print(describe("p", 1.5, 2, 3.25), describe("q"), describe("r", 1, 2, sep="|"))
    var a = Acc()
    a.add(1, 2)
    a.add()
    a.add(10)
    print(a.n, count_words("a", "b", "c"))
    fn inner(*n: Int) -> Int:
        return len(n) * 10
    print(inner(1, 2, 3))
    print(total(Int(True), 2 * 3), describe("s", sep="-"), last(7, 8, 9))

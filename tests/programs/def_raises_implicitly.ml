# A `def` may raise without `raises`, as in Mojo; one that cannot raise is an
# ordinary function that an `fn` without `raises` may call.
struct Stack:
    var items: List[Int]

    def __init__(out self):
        self.items = List[Int]()

    def push(mut self, x: Int):
        self.items.append(x)

    def pop(mut self) -> Int:
        if len(self.items) == 0:
            raise Error("pop from an empty Stack")
        return self.items.pop()


fn checked_sqrt(x: Float64) raises -> Float64:
    if x < 0:
        raise Error("negative: " + String(x))
    return x ** 0.5


def half_root(x: Float64) -> Float64:
    return checked_sqrt(x) / 2


def twice(x: Int) -> Int:
    return x * 2


def quarter_root(x: Float64) -> Float64:
    return half_root(x) / 2


def safe_root(x: Float64) -> Float64:
    try:
        return checked_sqrt(x)
    except e:
        print("caught", e)
    return 0.0


fn plain(n: Int) -> Int:
    return twice(n) + 1


def main():
    var s = Stack()
    s.push(1)
    s.push(2)
    print(s.pop(), s.pop())
    try:
        print(s.pop())
    except e:
        print("error:", e)
    print(half_root(16.0), quarter_root(64.0), safe_root(-1.0))
    print(plain(20))
    try:
        print(quarter_root(-4.0))
    except e:
        print("error:", e)

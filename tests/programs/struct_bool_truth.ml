# Mojo's Boolable: a struct with `fn __bool__(self) -> Bool` is a truth value in
# `if`, `while`, `not`, `and`/`or`, a conditional expression and `Bool(s)`.
struct Stack:
    var items: List[Int]

    fn __init__(out self):
        self.items = List[Int]()

    fn push(mut self, x: Int):
        self.items.append(x)

    fn pop(mut self) -> Int:
        return self.items.pop()

    fn __len__(self) -> Int:
        return len(self.items)

    fn __bool__(self) -> Bool:
        return len(self.items) > 0


fn main():
    var s = Stack()
    print(Bool(s), not s, "empty" if not s else "full")
    for i in range(3):
        s.push(i * 10)
    if s:
        print("nonempty", len(s))
    var t = Stack()
    print(s and t, s or t, t or s, Bool(s))
    var popped = 0
    while s:
        popped += s.pop()
    print(popped, len(s), Bool(s))

# A static method and an instance method of one name: `s.foo()` calls the
# method, `S.foo()` the static one (and `s.foo(x)` a static one that fits).
struct S:
    var n: Int

    fn __init__(out self, n: Int):
        self.n = n

    fn foo(mut self):
        self.n += 1
        print("instance", self.n)

    @staticmethod
    fn foo():
        print("static")

    @staticmethod
    fn foo(k: Int) -> Int:
        return k * 2

    fn bar(self) -> Int:
        Self.foo()
        return self.n + Self.foo(5)


fn main():
    var s = S(1)
    s.foo()
    S.foo()
    print(s.foo(4), S.foo(3))
    print(s.bar())

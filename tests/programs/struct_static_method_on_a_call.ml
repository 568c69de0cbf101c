# A static method called on an instance made by a call: the call still runs, first.
struct P:
    var x: Int
    var items: List[Int]

    fn __init__(out self, x: Int):
        self.x = x
        self.items = List[Int]()
        self.items.append(x)

    @staticmethod
    fn twice(n: Int) -> Int:
        return n * 2

    @staticmethod
    fn hello():
        print("hello")


fn make() -> P:
    print("made")
    return P(3)


fn main():
    print(make().twice(4))
    make().hello()
    var p = P(1)
    print(p.twice(5))
    var t = make().twice(make().x)
    print(t)

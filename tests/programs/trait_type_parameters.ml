# Traits and type parameters, as Mojo writes them: `trait Shape:` (methods with `...`
# bodies, a parent trait), `fn f[T: Shape](x: T)` inferred or given, Mojo's own traits
# (`Comparable & Copyable`, `Defaultable`), a generic struct `Stack[T]` over a List[T].
trait Shape:
    fn area(self) -> Float64:
        ...

    fn name(self) -> String:
        ...


trait Solid(Shape):
    fn volume(self) -> Float64:
        ...


@value
struct Square(Shape):
    var s: Float64

    fn area(self) -> Float64:
        return self.s * self.s

    fn name(self) -> String:
        return "square"


@value
struct Cube(Solid):
    var s: Float64

    fn area(self) -> Float64:
        return 6 * self.s * self.s

    fn name(self) -> String:
        return "cube"

    fn volume(self) -> Float64:
        return self.s * self.s * self.s


fn describe[T: Shape](x: T):
    print(x.name(), x.area())


fn total_volume[T: Solid](items: List[T]) -> Float64:
    var v: Float64 = 0
    for it in items:
        v += it.volume()
    return v


fn biggest[T: Comparable & Copyable](a: T, b: T) -> T:
    return a if a > b else b


fn make[T: Defaultable]() -> T:
    return T()


struct Stack[T: Copyable & Movable]:
    var items: List[T]

    fn __init__(out self):
        self.items = List[T]()

    fn push(mut self, x: T):
        self.items.append(x)

    fn pop(mut self) -> T:
        return self.items.pop()

    fn __len__(self) -> Int:
        return len(self.items)


fn main():
    describe(Square(2.0))
    describe(Cube(1.0))
    describe[Cube](Cube(2.0))
    var cubes = List[Cube](Cube(1.0), Cube(2.0))
    print(total_volume(cubes))
    print(biggest(3, 7), biggest(2.5, -1.0), biggest[Int8](Int8(5), Int8(-5)))
    print(biggest(String("abc"), String("abd")))
    print(make[Int](), make[Float32]())
    var s = Stack[Float64]()
    s.push(1.5)
    s.push(2.5)
    print(len(s), s.pop(), len(s))
    var q = Stack[Square]()
    q.push(Square(3.0))
    print(q.pop().area())

# Mojo's `x: Some[Trait]`: the argument's type, inferred per call, must conform to the
# trait (a generic function without naming the type parameter).

trait Quackable:
    fn quack(self) -> String: ...


@fieldwise_init
struct Duck(Quackable):
    fn quack(self) -> String:
        return "Quack"


@fieldwise_init
struct Robot(Quackable):
    var serial: Int

    fn quack(self) -> String:
        return "beep " + String(self.serial)


fn make_it_quack(x: Some[Quackable]) -> String:
    return x.quack()


fn duet(a: Some[Quackable], b: Some[Quackable]) -> String:
    return a.quack() + " / " + b.quack()


fn repeat[n: Int](x: Some[Quackable]) -> String:
    var out = String()
    @parameter
    for _ in range(n):
        out += x.quack() + " "
    return out


struct Pond:
    var count: Int

    fn __init__(out self):
        self.count = 0

    fn visit(mut self, bird: Some[Quackable]):
        self.count += 1
        print(self.count, bird.quack())


fn main():
    print(make_it_quack(Duck()), make_it_quack(Robot(7)))
    print(duet(Duck(), Robot(1)))
    print(repeat[2](Robot(3)))
    var pond = Pond()
    pond.visit(Duck())
    pond.visit(Robot(9))

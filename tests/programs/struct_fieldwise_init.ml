# Current Mojo's `@fieldwise_init` (the successor of `@value`): the field-wise
# `__init__`, with or without a trait list.
@fieldwise_init
struct P(Copyable, Movable):
    var x: Int
    var y: Int

    fn norm1(self) -> Int:
        return abs(self.x) + abs(self.y)


@fieldwise_init
struct Segment(Copyable, Movable, ImplicitlyCopyable):
    var a: P
    var b: P
    var weights: List[Float64]


@fieldwise_init
struct Box[n: Int]:
    var v: SIMD[DType.float32, n]


fn main():
    var p = P(1, -2)
    var q = p
    q.x = 10
    print(p.x, p.y, q.x, p.norm1())
    var w = List[Float64](0.5, 1.5)
    var s = Segment(p, P(3, 4), w)
    print(s.a.x, s.b.y, len(s.weights), s.weights[1])
    var b = Box[4](SIMD[DType.float32, 4](1.0, 2.0, 3.0, 4.0))
    print(b.v.reduce_add())

# `List[T](capacity=n)`, as Mojo writes a List it is about to fill: it starts
# empty (the capacity is a hint) and grows past it.
@value
struct P:
    var x: Int
    var y: Float64

fn main():
    var l = List[Int](capacity=4)
    print(len(l))
    for i in range(10):
        l.append(i * i)
    print(len(l), l[0], l[9])
    var n = 3
    var ps = List[P](capacity=n * 2)
    ps.append(P(1, 0.5))
    print(len(ps), ps[0].x, ps[0].y)
    var e = List[Float64](capacity=0)
    e.append(2.5)
    print(e[-1])

# __call__ on a struct held in a field (`self.inner(x)`), on a List element (`fs[i](x)`)
# and on a call's result (`make(k)(x)`)
@value
struct Scale:
    var k: Float64

    fn __call__(self, x: Float64) -> Float64:
        return self.k * x


@value
struct Counter:
    var n: Int

    fn __call__(mut self, step: Int) -> Int:
        self.n += step
        return self.n


struct Pipeline:
    var first: Scale
    var second: Scale
    var count: Counter

    fn __init__(out self, a: Float64, b: Float64):
        self.first = Scale(a)
        self.second = Scale(b)
        self.count = Counter(0)

    fn __call__(mut self, x: Float64) -> Float64:
        _ = self.count(1)
        return self.second(self.first(x))


fn make(k: Float64) -> Scale:
    return Scale(k)


fn main():
    var p = Pipeline(2.0, 3.0)
    print(p(1.5), p(-1.0), p.count.n)
    var fs = List[Scale]()
    fs.append(Scale(0.5))
    fs.append(Scale(10.0))
    var total = 0.0
    for i in range(len(fs)):
        total += fs[i](4.0)
    print(total, fs[1](fs[0](2.0)))
    print(Scale(3.0)(2.0), make(4.0)(0.5))

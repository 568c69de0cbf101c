# Parameters before a `/` are passed by position only (Python's and Mojo's `/`).
struct Counter:
    var n: Int

    fn __init__(out self, n: Int, /):
        self.n = n

    fn add(mut self, k: Int, /, *, times: Int = 1):
        self.n += k * times


fn m(a: Int, b: Int, /) -> Int:
    return a * 10 + b


fn mix(a: Int, /, b: Int, *, c: Int = 0) -> Int:
    return a * 100 + b * 10 + c


fn m(a: Float64, /) -> Float64:
    return a / 2


fn main():
    print(m(1, 2), mix(1, 2), mix(1, b=2, c=3), m(3.0))
    var c = Counter(5)
    c.add(2)
    c.add(1, times=3)
    print(c.n)

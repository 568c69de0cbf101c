# A closure as a compile-time parameter, as Mojo declares vectorize/parallelize:
# `fn apply_n[body: fn (Int) capturing -> None](n)` called as apply_n[add](n) with a
# `@parameter` closure. The generic calls it with its captures by reference (its
# writes are the caller's), one instance per closure; passed on to another generic,
# to parallelize and vectorize; a width-generic closure `fn [w: Int](Int) capturing`;
# origin lists `[_]` parsed and ignored; `raises`; a top-level fn fits as well.
from algorithm import vectorize, parallelize

fn apply_n[body: fn (Int) capturing -> None](n: Int):
    for i in range(n):
        body(i)

fn twice_n[body: fn (Int) capturing [_] -> None](n: Int):
    apply_n[body](n)
    apply_n[body](n)

fn sum_with[f: fn (Int) capturing [_] -> Float64](n: Int) -> Float64:
    var s = 0.0
    for i in range(n):
        s += f(i)
    return s

fn par[body: fn (Int) capturing -> None](n: Int):
    parallelize[body](n)

fn vec[body: fn [w: Int](Int) capturing -> None](n: Int):
    vectorize[body, 4](n)

fn each_width[body: fn [w: Int](Int) capturing -> None]():
    body[1](0)
    body[8](1)

fn try_it[f: fn (Int) raises capturing -> Int](x: Int) raises -> Int:
    return f(x)

fn plain[f: fn (Int) -> Int](x: Int) -> Int:
    return f(x)

fn forward[f: fn (Int) capturing -> Int](x: Int) -> Int:
    return plain[f](x)

fn through(f: fn (Int) escaping -> Int, x: Int) -> Int:
    return f(x)

fn plain_par[f: fn (Int) -> None](n: Int):
    par[f](n)               # a plain function parameter passed on as a capturing one
    parallelize[f](n)

fn show(i: Int):
    print("item", i)

fn square(i: Int) -> Float64:
    return Float64(i * i)

fn neg(x: Int) -> Int:
    return -x

struct Acc:
    var base: Int

    fn __init__(out self, base: Int):
        self.base = base

    fn run[body: fn (Int) capturing -> None](self, n: Int):
        for i in range(n):
            body(i + self.base)

fn main() raises:
    var total = 0
    @parameter
    fn add(i: Int):
        total += i
    apply_n[add](5)
    print(total)
    twice_n[add](3)
    print(total)
    var count = 0
    @parameter
    fn bump(i: Int):
        count += 1
    apply_n[bump](7)
    twice_n[bump](2)
    print(count, total)

    var scale = 2.0
    @parameter
    fn g(i: Int) -> Float64:
        return scale * Float64(i)
    print(sum_with[g](4))
    scale = 3.0
    print(sum_with[g](4))
    print(sum_with[square](4))

    var out = List[Int](0, 0, 0, 0, 0, 0)
    @parameter
    fn fill(i: Int):
        out[i] = i * 10
    par[fill](6)
    print(out[0], out[5])

    var seen = 0
    var lanes = 0
    @parameter
    fn vb[w: Int](i: Int):
        seen += 1
        lanes += w
    vec[vb](10)
    print(seen, lanes)
    each_width[vb]()
    print(seen, lanes)

    var limit = 3
    @parameter
    fn check(x: Int) raises -> Int:
        if x > limit:
            raise Error("too big")
        return x * 2
    print(try_it[check](2))
    try:
        print(try_it[check](5))
    except e:
        print("error:", e)

    var grid = 0
    @parameter
    fn row(i: Int):
        @parameter
        fn cell(j: Int):
            grid += i * j
        apply_n[cell](3)
    apply_n[row](3)
    print(grid)

    print(forward[neg](4), through(neg, 5))
    var s = 0
    @parameter
    fn take(i: Int):
        s += i
    Acc(100).run[take](3)
    print(s)
    plain_par[show](1)

# `place[i] op= f()` evaluates the place's indices before the right side, as
# Python and Mojo do: a right side that changes `i` (a `mut` argument, a
# closure writing it) still updates the element at i's old value.
fn bump(mut i: Int) -> Int:
    i += 1
    return 100

@value
struct P:
    var m: Int

fn main():
    var l = [1, 2, 3, 4]
    var i = 0
    l[i] += bump(i)
    print(l, i)
    l[i] = bump(i)              # a plain `=` evaluates its right side first
    print(l, i)
    var t = Tensor[DType.int64](3, 3)
    var r = 1
    t[r, r] += Int64(bump(r))
    print(t[1, 1], t[2, 2], r)
    var p = UnsafePointer[Int].alloc(2)
    p[0] = 0
    p[1] = 0
    var m = 0
    p[m] -= bump(m)
    print(p[0], p[1], m)
    p.free()
    var ll = [[0, 0], [0, 0]]
    var a = 0
    ll[a][a] += bump(a)
    print(ll, a)
    var ps = [P(0), P(0)]
    var b = 0
    ps[b].m += bump(b)
    print(ps[0].m, ps[1].m, b)
    var vs = [SIMD[DType.int64, 2](0), SIMD[DType.int64, 2](0)]
    var c = 0
    vs[c][c] += Int64(bump(c))
    print(vs[0], vs[1], c)
    var k = 0

    @parameter
    fn step() -> Int:
        k += 1
        return 10

    var w = [0, 0]
    w[k] *= step() + 1
    w[k] += step()
    print(w, k)

# Read-modify-write of an element of a List field, and of a field of an element:
# the write reaches the List itself (not a copy of it), and each index is
# evaluated once, as in Python.
from memory import UnsafePointer

struct Counter:
    var counts: List[Int]
    var weights: Tensor[DType.float64]

    fn __init__(out self, n: Int):
        self.counts = List[Int]()
        for _ in range(n):
            self.counts.append(0)
        self.weights = Tensor[DType.float64](n)

    fn hit(mut self, i: Int):
        self.counts[i] += 1
        self.weights[i] += 0.5

@value
struct P:
    var m: Int
    var c: Counter

@value
struct Q:
    var m: Int

fn next(mut calls: Int) -> Int:
    calls += 1
    return calls - 1

fn main():
    var c = Counter(3)
    c.hit(1)
    c.hit(1)
    c.counts[2] += 10
    c.counts[2] *= 3
    print(c.counts[0], c.counts[1], c.counts[2], c.weights[1])
    var p = P(1, Counter(2))
    p.c.counts[1] -= 7
    p.c.hit(0)
    print(p.c.counts[0], p.c.counts[1], p.c.weights[0])
    var calls = 0
    var qs = List[Q]()
    qs.append(Q(1))
    qs.append(Q(2))
    qs[next(calls)].m += 5
    qs[next(calls)].m *= 10
    print(qs[0].m, qs[1].m, calls)
    var ptr = UnsafePointer[Q].alloc(2)
    ptr[0] = Q(3)
    ptr[1] = Q(4)
    ptr[next(calls) - 2].m += 100
    var l = List[Int]()
    l.append(1)
    l.append(2)
    l[next(calls) - 3] <<= 4
    print(ptr[0].m, ptr[1].m, l[0], l[1], calls)
    ptr.free()

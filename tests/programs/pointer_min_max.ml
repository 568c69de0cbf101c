# `max` and `min` of UnsafePointers of one type take the higher or lower address,
# as `<` compares them (each argument evaluated once, left to right).
from memory import UnsafePointer

fn at(p: UnsafePointer[Int], k: Int) -> UnsafePointer[Int]:
    print("at", k)
    return p + k

fn main():
    var p = UnsafePointer[Int].alloc(4)
    for i in range(4):
        p[i] = 10 * i
    var q = p + 1
    print(max(p, q) == q, min(p, q) == p, max(q, p) == q, min(q, p) == p)
    print(max(p, q)[], min(q, p)[], max(p, p) == p)
    print(max(at(p, 2), at(p, 3), at(p, 1))[], min(at(p, 2), at(p, 0), at(p, 3))[])
    p.free()

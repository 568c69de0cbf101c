# Python's `nonlocal` in a closure is accepted: closures capture by reference anyway.
from algorithm import vectorize

fn main():
    var count = 0
    var total: Float64 = 0

    @parameter
    fn bump(k: Int):
        nonlocal count
        count += k

    @parameter
    fn body[w: Int](i: Int):
        nonlocal total, count
        total += Float64(w)
        count += 1

    bump(2)
    bump(3)
    vectorize[body, 4](10)
    print(count, total)

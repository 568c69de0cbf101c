# a mut argument is passed by reference: writes are visible to the caller; default args are read-only
fn bump(mut x: Int):
    x += 1

fn swap_ints(mut a: Int, mut b: Int):
    var t = a
    a = b
    b = t

fn accumulate(mut total: Float64, value: Float64, times: Int = 2):
    for i in range(times):
        total += value

fn main():
    var n = 5
    bump(n)
    bump(n)
    print(n)
    var p = 1
    var q = 2
    swap_ints(p, q)
    print(p, q)
    var t = 0.0
    accumulate(t, 1.5)
    print(t)
    accumulate(t, 0.25, 4)
    print(t)

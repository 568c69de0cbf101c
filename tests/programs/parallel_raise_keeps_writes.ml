# An error raised in a parallel body reaches the caller once the region has
# stopped; with one worker the items run in order, and the writes the body
# made to captured variables before raising stay visible (by reference).
from algorithm import parallelize

fn check(i: Int) raises:
    if i == 3:
        raise Error("item three")

fn main():
    var t = 0
    var last = -1
    @parameter
    fn body(i: Int) raises:
        t += 1
        last = i
        check(i)
    try:
        parallelize[body](10, 1)
    except e:
        print("caught", e)
    print(t, last)

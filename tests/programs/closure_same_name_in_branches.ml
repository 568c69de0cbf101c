# Closures of one function may share a name when they are defined in
# different blocks (an `if` and its `else`, two loop bodies): each is its own
# function, capturing the same enclosing variables.
from algorithm import vectorize, parallelize

fn step(up: Bool) -> Int:
    var s = 0
    if up:
        @parameter
        fn inc(i: Int):
            s += 1
        parallelize[inc](3, 1)
        @parameter
        fn wide[w: Int](i: Int):
            s += w * 10
        vectorize[wide, 2](3)
    else:
        @parameter
        fn inc(i: Int):
            s -= 1
        parallelize[inc](3, 1)
        @parameter
        fn wide[w: Int](i: Int):
            s -= w * 100
        vectorize[wide, 2](3)
    return s

fn main():
    print(step(True), step(False))

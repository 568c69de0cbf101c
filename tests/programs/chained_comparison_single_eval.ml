# the middle operand of a chained comparison is evaluated exactly once, and the chain short-circuits
fn noisy(x: Int) -> Int:
    print("eval", x)
    return x

fn main():
    if 0 < noisy(5) < 10:
        print("inside")
    print("---")
    var r = 1 < noisy(0) < noisy(99)
    print(r)
    print("---")
    var s = noisy(1) <= noisy(2) <= noisy(3)
    print(s)

# `let x: T` assigned once on each path: in both arms of an if/elif/else, in a
# try and its handler, and a `let` declared inside a loop body (a new one each
# iteration)
fn check(n: Int) raises -> Int:
    if n < 0:
        raise Error("negative")
    return n * 10

fn main():
    for i in range(3):
        let sign: Int
        if i == 0:
            sign = -1
        elif i == 1:
            sign = 0
        else:
            sign = 1
        let scaled: Int
        try:
            scaled = check(sign)
        except:
            scaled = -100
        let twice = scaled * 2
        print(i, sign, scaled, twice)

# len() of a tuple-returning call still makes the call (its effects happen once)
fn f(mut c: Int) -> (Int, Float64):
    c += 1
    print("f called")
    return c, 2.0

fn g() -> (List[Int], Int):
    var l = List[Int](length=100, fill=1)
    return l, 1

fn main():
    var c = 0
    print(len(f(c)))
    print(c)
    var t = f(c)
    print(len(t), c)
    print(len(f(c)) + len(f(c)), c)
    var s = 0
    for i in range(1000):
        s += len(g())
    print(s)

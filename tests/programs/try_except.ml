# try/except: errors from calls and from raise, mut writes before the error kept,
# bare except, definite assignment through both arms, re-raise, faults not caught.
fn f(x: Int) raises -> Int:
    if x > 2:
        raise Error("too big")
    return x * 10

fn g(mut n: Int, x: Int) raises:
    n += 1
    _ = f(x)
    n += 100

fn main() raises:
    var total = 0
    for i in range(5):
        try:
            total += f(i)
            print("ok", i)
        except e:
            print("caught", e, String(e), i)
    var n = 0
    try:
        g(n, 5)
    except Error as err:
        print("g failed:", err, n)
    try:
        raise Error("direct")
    except:
        print("bare")
    var k: Int
    try:
        k = f(9)
    except e:
        k = -1
    print(k, total)
    try:
        try:
            _ = f(7)
        except e:
            print("inner", e)
            raise e
    except e2:
        print("outer", e2)

# raise Error with a computed message: caught (named, bare, re-raised), its
# message printed and converted with String(e), and a message built from parts.
fn check(n: Int) raises -> Int:
    if n > 2:
        raise Error("too big: " + String(n))
    if n < 0:
        var why = "negative"
        why += " (" + String(n) + ")"
        raise Error(why)
    return n * 10

fn again(n: Int) raises -> Int:
    try:
        return check(n)
    except e:
        print("again sees:", e)
        raise e

fn main() raises:
    var total = 0
    for i in range(-1, 5):
        try:
            total += again(i)
            print("ok", i)
        except e:
            var m = "caught [" + String(e) + "]"
            print(m, len(String(e)))
    try:
        _ = check(99)
    except:
        print("bare")
    try:
        raise Error("literal")
    except e:
        print(e, String(e) == "literal")
    var msg = "count=" + String(total)
    try:
        raise Error(msg)
    except e2:
        print(e2, String(e2) == msg)

# A variable transferred out in a loop and given a new value before the body ends,
# one transferred before a break, and one declared inside the body
fn take(var s: String) -> Int:
    return len(s)
fn main():
    var s = String("ab")
    var n = 0
    while n < 5:
        n += take(s^)
        s = "abc"
    for i in range(2):
        var t = s^
        if i == 0:
            s = t + "x"
        else:
            s = t
    for i in range(2):
        if i == 1:
            var u = s^
            print(u, n)
            break
    for i in range(2):
        var w = String("w")
        var z = w^
        print(z)
    # given a new value before a break or a continue, s has one after the loop
    s = "p"
    for i in range(3):
        if i == 1:
            var m = s^
            s = m + "b"
            break
        if i == 0:
            var m = s^
            s = m + "c"
            continue
    print(s)
    while True:
        var m = s^
        print(m)
        break
    s = "q"
    print(s)

# main(n: Int = 14) with a default used as a loop bound for a running product in UInt32
fn main(n: Int = 14):
    var p = UInt32(1)
    var wrapped_at = -1
    for i in range(1, n + 1):
        var before = p
        p *= UInt32(i)
        print(i, p)
        if wrapped_at < 0 and p // UInt32(i) != before:
            wrapped_at = i
    print("first wrap at", wrapped_at)
    print("n squared:", n * n)

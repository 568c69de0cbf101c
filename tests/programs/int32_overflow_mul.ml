# Int32 multiplication and addition overflow wraps at 32 bits
fn main():
    var a = Int32(100000)
    print(a * a)
    print(Int32(2147483647) + 1)
    print(Int32(-2147483648) - 1)
    print(Int32(65536) * Int32(65536))
    print(Int32(65536) * Int32(32768))
    print(Int32(46341) * Int32(46341))
    var h: Int32 = 1
    for i in range(10):
        h = h * 31 + Int32(i)
    print(h)
    var f: Int32 = 1
    for k in range(1, 16):
        f *= Int32(k)
    print(f)
    print(Int32(-7) // Int32(2), Int32(-7) % Int32(2))

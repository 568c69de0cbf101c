# Python's divmod (floor division and its remainder, a tuple), hex/bin/oct of an
# integer or a Bool as Python spells them (Mojo's prefix= replaces the "0x"), and
# len(range(...))
def main():
    print(divmod(7, 2), divmod(-7, 2), divmod(7, -2), divmod(-7, -2))
    var a = 17
    var q, r = divmod(a, 5)
    print(q, r)
    print(divmod(Int8(-128), Int8(3)), divmod(UInt8(250), 7))
    print(divmod(-7.5, 2.0), divmod(7.5, -2.0))
    var t = divmod(a, -a)
    print(t[0], t[1])
    print(hex(31), hex(-31), hex(0), bin(5), bin(-5), bin(0), oct(15), oct(-8))
    print(hex(Int.MIN), hex(Int.MAX), bin(UInt8(255)), hex(Int8(-128)), oct(UInt64.MAX))
    print(hex(255, prefix="#"), hex(-255, prefix=""), String("x = ") + hex(a))
    var yes = a > 0
    print(bin(yes), bin(not yes), hex(True), oct(yes, prefix=""))
    var n = 10
    print(len(range(n)), len(range(2, n)), len(range(2, n, 3)), len(range(n, 0, -3)))
    print(len(range(n, 2)), len(range(0, n, -1)), len(range(-5)), len(range(10, 1, -3)))
    print(len(range(UInt8(3), UInt8(250), 7)))

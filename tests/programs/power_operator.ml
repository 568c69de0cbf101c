# ** on Int with small non-negative exponents, on sized ints, and float ** float
fn main():
    var b = 3
    print(b ** 0, b ** 1, b ** 2, b ** 3, b ** 10)
    print(2 ** 10, 2 ** 62, (-2) ** 3, (-3) ** 2, -3 ** 2)
    print(10 ** 18)
    var e = 5
    print(2 ** e, e ** e)
    print(Int32(7) ** 3, Int8(2) ** 7, UInt8(2) ** 7)
    print(2.0 ** 0.5 == 2.0 ** 0.5, 4.0 ** 0.5, 2.0 ** -1.0, 10.0 ** 2.0)
    print(1.5 ** 3.0, 0.5 ** 10.0, 9.0 ** 1.5)
    var x = 1.5
    print(x ** 2, x ** 3)
    var big_exp = 1024.0
    print(0.0 ** 0.0, 2.0 ** big_exp)
    var p = 1
    for i in range(5):
        p = p * 2 ** i
    print(p)
    # a float literal raised to an Int is a Float64 power, as x ** k is
    var k = 3
    print(2.5 ** k, 0.5 ** -k, 10.0 ** (k - 3))

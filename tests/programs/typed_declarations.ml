# typed var declarations for every integer and float type, then arithmetic on them
fn main():
    var a: Int = -5
    var b: UInt = 5
    var c: Int8 = -100
    var d: Int16 = -30000
    var e: Int32 = -2000000000
    var f: Int64 = -9000000000
    var g: UInt8 = 200
    var h: UInt16 = 60000
    var i: UInt32 = 3000000000
    var j: UInt64 = 10000000000000000000
    var k: Float32 = 2.5
    var l: Float64 = -0.75
    var m: Bool = True
    print(a, b, c, d, e, f, g, h, i, j, k, l, m)
    print(a * 2, b * 2, c * 2, d * 2, e * 2, f * 2)
    print(g * 2, h * 2, i * 2, j * 2, k * 2, l * 2)
    print(not m)
    var n: Float32 = 3
    var o: Float64 = 7
    print(n, o, n / 2, o / 2)

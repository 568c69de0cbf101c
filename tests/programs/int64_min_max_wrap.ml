# Int64 and Int wrap from max to min and back; Int and Int64 are kept separate
fn main():
    var big: Int64 = 9223372036854775807
    print(big)
    print(big + 1)
    var low = big + 1
    print(low - 1)
    print(low // 2)
    print(big * 2)
    var n = 9223372036854775807
    print(n + 1)
    print(n * n)
    var p: Int64 = 3037000500
    print(p * p)
    var q = Int64(-5) * Int64(7)
    print(q, q // Int64(4), q % Int64(4))
    print(Int(q) + 100)

# Int16 arithmetic, wrapping at 16 bits, floor division and modulo
fn main():
    var a = Int16(30000)
    var b = Int16(5000)
    print(a + b)
    print(a - b)
    print(Int16(32767) + 1)
    print(Int16(-32768) - 1)
    print(Int16(300) * Int16(300))
    print(Int16(-300) * Int16(300))
    print(a // Int16(7), a % Int16(7))
    print(Int16(-1000) // 7, Int16(-1000) % 7)
    var c: Int16 = 1
    for i in range(20):
        c = c * 3
    print(c)
    print(Int16(200) * Int16(-200) // Int16(3))

# Float64 arithmetic: + - * / and printing of results with Python's repr
fn main():
    var a = 0.1
    var b = 0.2
    print(a + b)
    print(a * 3.0)
    print(1.0 / 3.0)
    print(2.0 / 3.0)
    print(10.0 / 4.0)
    print(a + b == 0.3)
    print(1.5 * 4.0)
    print(7.0 - 0.5)
    print(-a)
    var s = 0.0
    for i in range(10):
        s += 0.1
    print(s)
    var x: Float64 = 3
    print(x / 2.0, x * x, x - 5)
    print(1e308 * 10.0)
    print(123456789.0 * 10.0)
    print(0.1 * 0.1)
    print(Float64(22) / Float64(7))

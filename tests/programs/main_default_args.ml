# main with default parameters: the defaults apply when the program runs without flags
fn triangle(n: Int) -> Int:
    return n * (n + 1) // 2

fn main(n: Int = 10, scale: Float64 = 0.5):
    print("n =", n)
    print(triangle(n))
    print(Float64(n) * scale)
    var acc = 0
    for i in range(n):
        if i % 3 == 0:
            acc += i
    print(acc)

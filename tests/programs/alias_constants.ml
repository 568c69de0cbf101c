# alias compile-time constants used in expressions and loop bounds
alias N = 10
alias M = N * 2 + 1
alias F = 1.5
alias HALF = F / 3.0
alias MASK = (1 << 8) - 1
alias NEG = -N // 3

fn scaled(x: Int) -> Int:
    return x * M

fn main():
    print(N, M, F, HALF, MASK, NEG)
    var s = 0
    for i in range(N):
        s += i
    print(s)
    for i in range(M - 3, M):
        print(i, end=" ")
    print()
    print(scaled(2))
    var x = F * 4.0
    print(x)
    alias LOCAL = N * N
    print(LOCAL + 1)
    var big = 1000
    print(big & MASK)
    var arr_sum = 0
    for i in range(0, M, 5):
        arr_sum += i
    print(arr_sum)

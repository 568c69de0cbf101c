# def main() with a helper fn: counting down with while and accumulating squares
fn square(x: Int) -> Int:
    return x * x

def main():
    var n = 5
    var total = 0
    while n > 0:
        total += square(n)
        print(n, total)
        n -= 1
    print("sum of squares:", total)
    var evens = 0
    var odds = 0
    for i in range(1, 16):
        if i % 2 == 0:
            evens += i
        else:
            odds += i
    print(evens, odds, evens - odds)

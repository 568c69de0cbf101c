# while loops with break and continue
fn main():
    var i = 0
    while i < 5:
        print("i =", i)
        i += 1
    var n = 0
    var total = 0
    while True:
        n += 1
        if n > 20:
            break
        if n % 3 == 0:
            continue
        total += n
    print("total:", total, "n:", n)
    for k in range(10):
        if k == 2 or k == 5:
            continue
        if k == 8:
            break
        print(k, end=" ")
    print()
    var x = 1000
    var steps = 0
    while x > 1:
        x //= 3
        steps += 1
    print(x, steps)

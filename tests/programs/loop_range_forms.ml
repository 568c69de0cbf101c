# for loops over range(stop), range(start, stop), range(start, stop, step)
fn main():
    var s = 0
    for i in range(5):
        s += i
    print(s)
    for i in range(3, 7):
        print(i, end=" ")
    print()
    for i in range(0, 20, 6):
        print(i, end=" ")
    print()
    for i in range(-3, 3):
        print(i, end=",")
    print("")
    var n = 4
    var prod = 1
    for k in range(1, n + 1):
        prod *= k
    print("4! =", prod)
    var evens = 0
    for k in range(2, 101, 2):
        evens += k
    print(evens)
    for i in range(1, 10, 4):
        print(i * i)

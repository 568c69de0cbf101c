# `for i in reversed(range(...))`: the range's values last to first, as Python
# gives them (any constant step, narrow integer types, bounds evaluated once).
fn f() -> Int:
    print("start evaluated")
    return 2
fn main():
    for i in reversed(range(3)):
        print(i, end=" ")
    print()
    for i in reversed(range(0)):
        print("never")
    for i in reversed(range(-4)):
        print("never")
    for i in reversed(range(2, 7)):
        print(i, end=" ")
    print()
    for i in reversed(range(f(), 10, 3)):
        print(i, end=" ")
    print()
    for i in reversed(range(10, 0, -3)):
        print(i, end=" ")
    print()
    for i in reversed(range(5, 5)):
        print("never")
    for i in reversed(range(UInt8(0), UInt8(3))):
        print(i, end=" ")
    print()
    var n = 4
    for i in reversed(range(n)):
        i += 100
        print(i, end=" ")
        if i == 101:
            break
    print()
    for i in reversed(range(Int8(-100), Int8(100), 60)):
        print(i, end=" ")
    print()

# reversed(range(...)) over a range wider than Int.MAX: the last position is
# found without overflowing (Python's values, last to first)
fn f(x: Int) -> Int:
    print("f", x, end=" ")
    return x

fn main():
    for i in reversed(range(-9223372036854775807, 9223372036854775807, 4611686018427387904)):
        print(i, end=" ")
    print()
    for i in reversed(range(9223372036854775807, -9223372036854775807 - 1, -3074457345618258602)):
        print(i, end=" ")
    print()
    for i in reversed(range(Int8(-128), Int8(127), 50)):
        print(i, end=" ")
    print()
    for i in reversed(range(f(1), f(9), 3)):
        print(i, end=" ")
    print()
    for i in reversed(range(5, 5)):
        print(i, end=" ")
    for i in reversed(range(5, -5, 2)):
        print(i, end=" ")
    print("done")

# print() of a List of numbers, Bool or SIMD values: as Python prints a list.
fn make() -> List[Float32]:
    return [0.1, 2.0]

fn main():
    var l = [1, 2, 3]
    print(l)
    print([True, False], make(), sep=" | ")
    var e: List[Int8] = []
    print(e, [1.5])
    var v = [SIMD[DType.int32, 2](1, 2)]
    print(v)
    for i in range(2):
        print(make(), end="")
    print()

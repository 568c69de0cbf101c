# Temporaries: tensors and lists made inside conditions, if-expressions, calls in indices,
# and aug-assignments whose index calls a function exactly once
fn tick(mut calls: Int, i: Int) -> Int:
    calls += 1
    return i

fn make(n: Int, v: Float64) -> Tensor[DType.float64]:
    var t = Tensor[DType.float64](n)
    for i in range(n):
        t[i] = v + Float64(i)
    return t

fn nums(n: Int) -> List[Int]:
    var l = List[Int]()
    for i in range(n):
        l.append(i * 2)
    return l

fn half(i: Int) -> Int:
    return i // 2

fn main():
    var calls = 0
    var t = Tensor[DType.int64](5)
    t[tick(calls, 2)] += 7
    t[tick(calls, 2)] *= 3
    print(t[2], calls)
    var m = Tensor[DType.int64](3, 3)
    m[tick(calls, 1), tick(calls, 2)] += 5
    m[tick(calls, 1), tick(calls, 2)] -= 1
    print(m[1, 2], calls)
    var l = List[Int](10, 20, 30)
    l[tick(calls, 1)] += 1
    l[tick(calls, 0)] //= 3
    print(l[0], l[1], calls)
    var p = UnsafePointer[Int].alloc(4)
    p[0] = 1
    p[tick(calls, 0)] <<= 4
    print(p[0], calls)
    p.free()
    # the element is read after its index: the called function sees the old value
    var c2 = 0
    t[tick(c2, 4)] = t[tick(c2, 2)] + 1
    print(t[4], c2)

    # tensors and lists created inside conditions
    if make(3, 1.0)[2] > 2.5:
        print("big")
    if nums(4)[3] == 6 and len(nums(2)) == 2:
        print("six")
    var k = 0
    while make(k + 1, 0.0).dim(0) < 4 and len(nums(k)) < 10:
        k += 1
    print(k)
    for i in range(len(nums(5))):
        if nums(i + 1)[i] != i * 2:
            print("wrong")

    # if-expressions choosing between tensors and between lists
    var a = make(2, 10.0)
    var b = make(2, 20.0)
    for i in range(4):
        var chosen = a if i % 2 == 0 else b
        chosen[1] += 1.0
    print(a[1], b[1])
    (a if a[0] > b[0] else b)[0] = -1.0
    print(a[0], b[0])
    print((make(3, 5.0) if k > 100 else make(4, 6.0)).dim(0))
    var la = nums(3)
    var lb = nums(4)
    var picked = la if len(la) > len(lb) else lb
    picked[0] = 99
    print(picked[0], la[0], lb[0], len(picked))
    print(len(nums(2) if k > 0 else nums(7)))

    # calls nested in indices
    var grid = Tensor[DType.int32](4, 4)
    for i in range(4):
        for j in range(4):
            grid[i, j] = Int32(i * 4 + j)
    print(grid[half(7), half(half(8))], grid[nums(3)[1] - 1, half(nums(4)[3])])
    print(make(5, 0.5)[nums(3)[2]], nums(10)[len(nums(3))])
    var idx = List[Int](3, 0, 2)
    print(grid[idx[0], idx[1]], grid[idx[2], idx[idx[2] - 2]])
    grid[idx[1], half(idx[0] + 3)] += 100
    print(grid[0, 3])
    # a temporary tensor's pointer is used while the tensor lives
    var fresh = make(3, 7.0)
    var fp = fresh.unsafe_ptr()
    print(fp[2])

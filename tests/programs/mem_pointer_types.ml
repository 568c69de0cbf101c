# memcpy (overlap behaves like memmove), keyword forms, element types, pointer-to-pointer
from memory import memset_zero, memcpy

fn show(p: UnsafePointer[Int16], n: Int):
    for i in range(n - 1):
        print(p[i], end=" ")
    print(p[n - 1])

fn main():
    var a = UnsafePointer[Int16].alloc(8)
    for i in range(8):
        a[i] = Int16(i + 1)
    var b = UnsafePointer[Int16].alloc(8)
    memset_zero(b, 8)
    memcpy(b, a, 8)
    show(b, 8)
    memcpy(dest=b + 4, src=a, count=3)
    show(b, 8)
    memcpy(b, src=a + 5, count=3)
    show(b, 8)
    # overlapping: shift right by two, then left by three
    memcpy(a + 2, a, 6)
    show(a, 8)
    memcpy(a, a + 3, 5)
    show(a, 8)
    memcpy(a, b, 0)
    show(a, 8)
    a.free()
    b.free()

    # Int8 wraps
    var c = UnsafePointer[Int8].alloc(4)
    c[0] = 127
    c[0] += 1
    c[1] = -128
    c[1] -= 1
    c[2] = 100
    c[2] *= 3
    c[3] = c[0] // 3
    print(c[0], c[1], c[2], c[3])
    c.free()

    # Bool elements
    var flags = UnsafePointer[Bool].alloc(5)
    for i in range(5):
        flags[i] = i % 2 == 0
    flags[4] = not flags[4]
    var count = 0
    for i in range(5):
        if flags[i]:
            count += 1
    print(flags[0], flags[1], flags[4], count)
    memset_zero(flags, 5)
    print(flags[0], flags[2])
    flags.free()

    # Float32 and DTypePointer
    var f = UnsafePointer[Float32].alloc(3)
    f[0] = 0.1
    f[1] = 1.0 / 3.0
    f[2] = f[0] + f[1]
    print(f[0], f[1], f[2])
    var d = DTypePointer[DType.float32].alloc(3)
    memcpy(d, f, 3)
    d[2] *= 2.0
    print(d[0], d[1], d[2], f[2])
    var g: DTypePointer[DType.float32] = f
    g[0] = 2.5
    print(f[0])
    d.free()
    f.free()

    # UInt64 and Float64
    var u = UnsafePointer[UInt64].alloc(2)
    u[0] = 0
    u[0] -= 1
    u[1] = u[0] >> 60
    print(u[0], u[1])
    u.free()
    var x = UnsafePointer[Float64].alloc(2)
    x[0] = 1e300
    x[1] = x[0] * 1e10
    print(x[0], x[1], -x[1])
    x.free()

    # pointer to pointer: a ragged 2-D array
    var rows = UnsafePointer[UnsafePointer[Int]].alloc(4)
    for r in range(4):
        rows[r] = UnsafePointer[Int].alloc(r + 1)
        for k in range(r + 1):
            rows[r][k] = r * 10 + k
    rows[2][1] += 100
    var total = 0
    for r in range(4):
        var row = rows[r]
        for k in range(r + 1):
            total += row[k]
    print(rows[0][0], rows[3][3], rows[2][1], total)
    var swap = rows[0]
    rows[0] = rows[3]
    rows[3] = swap
    print(rows[0][3], rows[3][0])
    var second = rows + 1
    print(second[0][1], second[2][0])
    for r in range(4):
        rows[r].free()
    rows.free()

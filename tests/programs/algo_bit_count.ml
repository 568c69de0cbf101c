# counting set bits three ways (shift loop, Kernighan, on UInt64) and parity
fn popcount_shift(x: Int) -> Int:
    var n = x
    var c = 0
    while n != 0:
        c += n & 1
        n >>= 1
    return c

fn popcount_kernighan(x: UInt64) -> Int:
    var n = x
    var c = 0
    while n != 0:
        n &= n - 1
        c += 1
    return c

fn main():
    for v in range(9):
        print(popcount_shift(v), end=" ")
    print()
    print(popcount_shift(255), popcount_shift(1 << 40), popcount_shift(0x5555))
    print(popcount_kernighan(UInt64(0) - 1), popcount_kernighan(UInt64(12345678901234)))
    var total = 0
    for v in range(1024):
        total += popcount_shift(v)
    print(total)
    var odd_parity = 0
    for v in range(64):
        if popcount_shift(v) % 2 == 1:
            odd_parity += 1
    print(odd_parity)

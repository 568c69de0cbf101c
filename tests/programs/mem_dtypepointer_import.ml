# DTypePointer imported as Mojo programs import it: from memory (also older
# Mojo's memory.unsafe) and memory.unsafe_pointer's UnsafePointer.
from memory import DTypePointer, memset_zero
from memory.unsafe import DTypePointer as DP
from memory.unsafe_pointer import UnsafePointer
import memory

fn main():
    var p = DTypePointer[DType.float32].alloc(4)
    memset_zero(p, 4)
    p[1] = 2.5
    var q = DP[DType.int8].alloc(2)
    q[0] = 127
    q[0] += 1
    var r = memory.DTypePointer[DType.float64].alloc(1)
    r[0] = 0.5
    var u = UnsafePointer[Int].alloc(1)
    u[0] = 3
    print(p.load[width=4](0), q[0], r[0], u[0])
    p.free(); q.free(); r.free(); u.free()

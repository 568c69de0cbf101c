# A lane of a SIMD field or element is assigned in place, as a variable's is:
# `self.vel[k] = ...`, `o.b.v[i] += ...`, `p[1][0] = ...`, `bs[0].v[0] = ...`;
# the place and the lane index are evaluated once.
from memory import UnsafePointer

@value
struct Particle:
    var pos: SIMD[DType.float64, 2]
    var vel: SIMD[DType.float64, 2]

    fn step(mut self):
        self.pos += self.vel
        @parameter
        for k in range(2):
            if self.pos[k] > 1.0:
                self.pos[k] = 2.0 - self.pos[k]
                self.vel[k] = -self.vel[k]

@value
struct B:
    var v: SIMD[DType.int32, 4]

@value
struct Outer:
    var b: B

fn lane(mut calls: Int) -> Int:
    calls += 1
    return 3

fn main():
    var p = Particle(SIMD[DType.float64, 2](0.5, 0.0), SIMD[DType.float64, 2](0.375, 0.25))
    for _ in range(3):
        p.step()
    print(p.pos, p.vel)
    var o = Outer(B(SIMD[DType.int32, 4](1, 2, 3, 4)))
    var calls = 0
    o.b.v[lane(calls)] = 40
    o.b.v[lane(calls)] += 2
    print(o.b.v, calls)
    var ptr = UnsafePointer[SIMD[DType.float32, 2]].alloc(2)
    ptr[0] = SIMD[DType.float32, 2](1.0, 2.0)
    ptr[1] = ptr[0]
    ptr[1][0] = 7.0
    ptr[0][1] -= 0.5
    print(ptr[0], ptr[1])
    var bs = List[B]()
    bs.append(o.b)
    bs[0].v[0] = -1
    bs[0].v[calls - 1] //= 2
    print(bs[0].v, o.b.v)
    ptr.free()

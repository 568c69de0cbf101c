# SIMD values as struct fields, parameters and results; lane-wise math,
# comparisons, select and reductions on a tiny particle system.
from math import sqrt

@value
struct Particles:
    var x: SIMD[DType.float64, 4]
    var v: SIMD[DType.float64, 4]

fn accel(x: SIMD[DType.float64, 4]) -> SIMD[DType.float64, 4]:
    var r = sqrt(x * x + 0.25)
    return -x / (r * r * r)

fn step(p: Particles, dt: Float64) -> Particles:
    var v = p.v + accel(p.x) * dt
    return Particles(p.x + v * dt, v)

fn main():
    var p = Particles(SIMD[DType.float64, 4](1.0, -0.5, 2.0, 0.25), SIMD[DType.float64, 4](0.0))
    for _ in range(100):
        p = step(p, 0.01)
    print(p.x)
    print(p.v.reduce_add(), p.x.reduce_min(), p.x.reduce_max())
    var moving_right = p.v > 0.0
    print(moving_right, moving_right.reduce_or(), moving_right.reduce_and())
    print(moving_right.select(p.x, -p.x))
    var energy = (0.5 * p.v * p.v - 1.0 / sqrt(p.x * p.x + 0.25)).reduce_add()
    print(energy)
    var counts = SIMD[DType.int32, 8](0)
    for i in range(20):
        counts[i % 8] += 1
    print(counts, counts.reduce_add())

# Lists of 32- and 64-byte SIMD vectors, and of a struct holding one, grown well past
# their first buffer: every buffer keeps the alignment the vectors' loads and stores assume
@value
struct Particle:
    var pos: SIMD[DType.float64, 4]
    var id: Int

fn main():
    var v = List[SIMD[DType.int64, 4]](SIMD[DType.int64, 4](1))
    for i in range(100):
        v.append(SIMD[DType.int64, 4](Int64(i)))
    print(len(v), v[0], v[100])
    var w = List[SIMD[DType.float64, 8]]()
    for i in range(77):
        w.append(SIMD[DType.float64, 8](Float64(i) * 0.5))
    w.insert(0, SIMD[DType.float64, 8](-1.0))
    var s = SIMD[DType.float64, 8](0.0)
    for x in w:
        s += x
    print(len(w), w[0][7], w[77][0], s.reduce_add())
    var ps = List[Particle]()
    for i in range(50):
        ps.append(Particle(SIMD[DType.float64, 4](Float64(i)), i))
    ps.resize(70, Particle(SIMD[DType.float64, 4](2.5), -1))
    print(len(ps), ps[49].pos, ps[69].pos, ps[69].id)

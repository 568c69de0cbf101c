# `place op= v` on a struct-typed field, List element or pointer element calls
# that struct's `__iop__` on the place itself (as on a plain variable).

@value
struct Acc:
    var s: Int
    var n: Int

    fn __iadd__(mut self, v: Int):
        self.s += v
        self.n += 1

@value
struct Body:
    var x: Float64
    var acc: Acc

fn nudge(mut b: Body):
    b.acc += 5

fn main():
    var bodies = List[Body]()
    for i in range(3):
        bodies.append(Body(Float64(i), Acc(0, 0)))
    for step in range(4):
        for i in range(len(bodies)):
            bodies[i].acc += step
    for b in bodies:
        print(b.x, b.acc.s, b.acc.n)
    var accs = UnsafePointer[Acc].alloc(2)
    accs[0] = Acc(0, 0)
    accs[1] = Acc(10, 0)
    accs[1] += 3
    accs[0] += 1
    accs[0] += 1
    print(accs[0].s, accs[0].n, accs[1].s, accs[1].n)
    accs.free()
    var one = Body(0.0, Acc(1, 1))
    one.acc += 4
    nudge(one)
    print(one.acc.s, one.acc.n)

# A `mut` argument may be a field of a variable, a List element or a pointer
# element: the callee's writes change that place.

@value
struct Acc:
    var s: Int
    var n: Int

@value
struct Body:
    var x: Float64
    var acc: Acc

fn bump(mut a: Acc, k: Int):
    a.s += k
    a.n += 1

fn push(mut b: Body):
    b.x += 1000.0
    bump(b.acc, 5)

fn main():
    var bodies = List[Body](Body(0.0, Acc(0, 0)), Body(1.0, Acc(1, 0)))
    push(bodies[1])
    bump(bodies[0].acc, 7)
    for b in bodies:
        print(b.x, b.acc.s, b.acc.n)
    var accs = UnsafePointer[Acc].alloc(1)
    accs[0] = Acc(10, 0)
    bump(accs[0], 3)
    print(accs[0].s, accs[0].n)
    accs.free()
    var one = Body(2.0, Acc(0, 0))
    bump(one.acc, 4)
    push(one)
    print(one.x, one.acc.s, one.acc.n)

# A copy of a List of structs holds structs of its own: changing a field through one List leaves the other
@value
struct P:
    var x: Int
    var y: Float64

fn bumped(l: List[P]) -> List[P]:
    var c = l
    c[0].x += 100
    return c

fn main():
    var a = List[P](P(1, 0.5), P(2, 1.5))
    var b = a
    b[0].x = 5
    b[1].y = -1.0
    print(a[0].x, a[1].y, b[0].x, b[1].y)
    var c = bumped(a)
    print(a[0].x, c[0].x)
    var p = a[1]
    p.x = 42
    print(a[1].x, p.x)

# One-element tuples: `(x,)` as a value and `(T,)` as a type, as in Python.
fn one(x: Int) -> (Int,):
    return (x,)

fn wrap(s: String) -> Tuple[String]:
    return (s + "!",)

fn main():
    var t = (1,)
    print(t[0], len(t), one(3)[0], len(one(4)), wrap("hi")[0])
    var u: Tuple[Float64] = (2,)      # the literal takes the element type
    print(u[0])
    t = (5,)
    t[0] += 1
    print(t[-1])
    var n = ((7,), 8)
    print(n[0][0], (9,)[0])

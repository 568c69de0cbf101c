# A trailing comma makes a tuple without parentheses, as in Python: `return a,`
# returns a one-element tuple, `x = 1,` assigns one; `a, b,` is `(a, b)`.
fn one(x: Int) -> (Int,):
    return x,

fn half(x: Int) -> Tuple[Float64]:
    return x / 2,                     # the element converts to the result's type

fn two(s: String) -> (String, Int):
    return s, len(s),

fn main():
    var t = one(3)
    print(t, len(t), t[0])
    print(half(5), half(4)[0])
    print(two("abc"))
    var u = 5,
    print(u)
    u = 6,
    print(u)
    var f: Tuple[Float64] = 2,        # the literal takes the element type
    print(f)
    var p = 1, "x",
    print(p, len(p))

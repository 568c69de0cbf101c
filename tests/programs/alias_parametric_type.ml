# an alias of a parametric type without its parameters names the type itself:
# `alias B = Box`, then `B[4](...)`, at module level (even above the struct)
# and inside a function; also the built-in List and UnsafePointer
alias B = Box
alias L = List
alias Ptr = UnsafePointer

@value
struct Box[n: Int]:
    var v: Int

    fn get(self) -> Int:
        return self.v * n

    @staticmethod
    fn width() -> Int:
        return n

fn total(b: B[3]) -> Int:
    return b.get() + B[3].width()

fn main():
    alias C = Box
    var b = B[4](2)
    var c: C[5] = C[5](1)
    print(b.get(), c.get(), total(B[3](1)), B[2].width())
    var l = L[Int]()
    l.append(3)
    var p = Ptr[Float64].alloc(1)
    p[0] = 0.5
    print(len(l), l[0], p[0])
    p.free()

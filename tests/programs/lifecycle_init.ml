# In `__init__`, the first value of a field (or of a field's field) replaces no
# value: nothing is dropped. A store that may come second (in a loop, after an
# `if` that may have assigned it, in a `try`) drops the value before it only
# where there is one, decided as the program runs.
struct Noisy:
    var id: Int

    fn __init__(out self, id: Int):
        self.id = id
        print("  init", id)

    fn __copyinit__(out self, existing: Self):
        self.id = existing.id + 100
        print("  copy", existing.id)

    fn __del__(owned self):
        print("  del", self.id)


struct Holder:
    var n: Noisy
    var tag: Int


struct Outer:
    var h: Holder
    var m: Noisy
    var k: Noisy

    fn __init__(out self, count: Int, flag: Bool):
        self.h.n = Noisy(1)         # h was never assigned: nothing to drop
        self.h.tag = 0
        self.m = Noisy(9)
        for i in range(count):      # the first pass drops 9, each next one the last
            self.m = Noisy(10 + i)
        if flag:
            self.k = Noisy(20)
        self.k = Noisy(21)          # drops 20 only where it was assigned
        self.h.n = Noisy(2)         # drops 1


struct Looped:
    var n: Noisy

    fn __init__(out self, count: Int):
        for i in range(count):      # the first pass drops nothing
            self.n = Noisy(30 + i)
        if count == 0:
            self.n = Noisy(39)


fn risky(fail: Bool) raises -> Noisy:
    if fail:
        raise Error("no")
    return Noisy(40)


struct Tried:
    var n: Noisy

    fn __init__(out self, fail: Bool):
        try:
            self.n = risky(fail)
        except:
            self.n = Noisy(41)      # drops nothing: the try assigned nothing


struct Copied:
    var n: Noisy
    var all: List[Noisy]

    fn __init__(out self):
        self.n = Noisy(50)
        self.all = List[Noisy]()

    fn __copyinit__(out self, existing: Self):
        self.all = List[Noisy]()
        for k in range(2):
            self.n = existing.n     # the first pass drops nothing
        print("  copied")


fn main():
    print("outer 3, False")
    var o = Outer(3, False)
    print("outer 0, True")
    var p = Outer(0, True)
    print("looped 3")
    var l = Looped(3)
    print("looped 0")
    var z = Looped(0)
    print("tried")
    var t = Tried(False)
    var u = Tried(True)
    print("copied")
    var c = Copied()
    var d = c
    print("end")

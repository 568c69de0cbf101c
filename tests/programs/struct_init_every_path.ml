# __init__ assigns every field on every path: both arms of an if, an arm that raises,
# a nested function that captures self, a return after assigning all.

struct Q:
    var a: Int
    var b: Int
    var c: List[Int]

    fn __init__(out self, flag: Bool):
        if flag:
            self.a = 1
            self.b = 2
        else:
            self.a = 3
            self.b = 4
        self.c = List[Int]()

struct R:
    var a: Int
    var b: Int

    fn __init__(out self, flag: Bool) raises:
        self.a = 1
        if flag:
            self.b = 2
        else:
            raise Error("no")

struct S:
    var a: Int
    var b: Int

    fn __init__(out self):
        fn setb(mut s: S):
            s.b = 5
        self.a = 1
        @parameter
        fn seta():
            self.b = 2
        seta()

struct U:
    var a: Int
    var b: Int

    fn __init__(out self, flag: Bool):
        self.a = 1
        if flag:
            self.b = 2
            return
        self.b = 3

fn main() raises:
    print(Q(True).a, R(True).b, S().b, U(False).b)

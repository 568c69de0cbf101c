# Computed Strings: String(x) / str(x) show what print shows, `+` and `+=`,
# len in UTF-8 bytes, ==, chained comparisons of new Strings, a String in a
# conditional, returned from a function, an `owned` parameter, a struct field.
@value
struct Person:
    var name: String
    var age: Int

    fn greeting(self) -> String:
        return "I am " + self.name + ", " + String(self.age)

fn label(n: Int) -> String:
    var s = String(n)
    if n < 0:
        s = "minus " + String(-n)
    return s

fn shout(owned s: String) -> Int:
    s += "!!"
    return len(s)

fn loud(s: String) -> Bool:
    print("loud", s)
    return True

fn main():
    var s = "ab" + "cd"
    s += "e"
    print(s, len(s), s == "abcde", s != "abcde" + "f")
    print(String(42), String(-7), str(3), String(Int8(-128)), String(UInt8(255)),
          String(UInt(18446744073709551615)), String(Int64(-9)), String(UInt16(65535)))
    print(String(True), str(False), String(0.1), String(1e16), String(1e-5), String(2.0))
    print(String(Float32(0.1)), String(Float32(1e20)), str(Float32(3.0)), String(-0.0))
    var x = 0.1
    var n = 12
    print(String(x + 0.2), String(n * n), String(Float32(x)), String(n > 3))
    print(String(SIMD[DType.int32, 4](1, -2, 3, 4)), String(SIMD[DType.float32, 2](0.1, 2.5)),
          String(SIMD[DType.bool, 2](True, False)))
    print("[" + String() + "]", len(String()), String("same") == "same")
    var u = "naïve " + "☃"
    print(u, len(u), u == "naïve ☃")
    var parts = ""
    for i in range(5):
        parts += String(i)
        if i < 4:
            parts = parts + ","
    print(parts)
    print(label(5), label(-7), label(0) + label(1))
    var t = String(n) if n > 3 else String(x)
    print(t, shout(t), t, shout(t + "?"))
    var p = Person("Ann" + "a", 30)
    var q = p
    q.name += " B."
    print(p.name, q.name, p.greeting(), q.greeting())
    print(String(1) + "0" == "10" == label(10), "a" + "b" == "x" == label(1))
    print(label(3) == "3" and loud("yes" + "!"), label(3) == "4" and loud("no"))
    var total = 0
    for i in range(1000):
        total += len("item " + String(i))
    print(total)

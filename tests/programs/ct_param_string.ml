# String compile-time parameters (Mojo allows any compile-time value): defaults,
# keywords, aliases, struct parameters read as `Self.label`; one instance per text.

alias GREETING = "hi there"


fn speak[times: Int = 2, msg: String = "woof"]() -> String:
    var out = String()
    for i in range(times):
        if i > 0:
            out += " "
        out += msg
    return out


struct Tag[label: String = "none"]:
    var n: Int

    fn __init__(out self, n: Int):
        self.n = n

    fn show(self) -> String:
        return Self.label + "#" + String(self.n)


fn main():
    print(speak())
    print(speak[3]())
    print(speak[1, "meow"]())
    print(speak[msg="baa"]())
    print(speak[msg=GREETING, times=1]())
    print(speak[1, "say \"hi\", [ok]"]())
    var t = Tag["x y"](4)
    var u = Tag(5)
    var v: Tag["x y"] = t
    print(t.show(), u.show(), v.show(), len(Tag["abc"].label))

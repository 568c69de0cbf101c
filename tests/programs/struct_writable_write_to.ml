# Mojo's Writable: `fn write_to[W: Writer](self, mut writer: W)` (or `writer:
# Some[Writer]`) with `writer.write(...)` gives print(x) and String(x); fields nest.
@fieldwise_init
struct Point(Writable, Copyable, Movable):
    var x: Int
    var y: Float64

    fn write_to[W: Writer](self, mut writer: W):
        writer.write("Point(", self.x, ", ", self.y, ")")


@value
struct Seg(Writable):
    var a: Point
    var b: Point

    fn write_to(self, mut writer: Some[Writer]):
        writer.write(self.a, " -> ", self.b)


fn main():
    var p = Point(1, 2.5)
    print(p)
    print(String(p), len(String(p)))
    var s = Seg(p, Point(3, -1.0))
    print(s)
    print("seg:", s, sep=" ")
    var text = String()
    text.write(1, " ", 2.5, " ", True)
    text.write()
    print(text)

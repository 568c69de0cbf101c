# A conditional of two literals converts to where it goes as a literal does (as in
# Python and Mojo): a UInt8 element, a Float32 variable, an operand of a Float32 sum.

fn pick(c: Bool) -> Int8:
    return -3 if c else 4


fn main():
    var c = True
    var t = Tensor[DType.uint8](2)
    t[0] = 1 if c else 0
    t[1] = 200 if not c else 255
    var s: Float32 = 1.0 if c else -1
    var x = 2 if c else 3                   # on its own: Int, as a literal would be
    var f = 0.5 if not c else 1             # Float64
    print(t[0], t[1], s, pick(c), pick(not c), x, f)
    print(Float32(0.1) + (1.0 if c else 2.0), UInt16(65535) + (1 if c else 0))

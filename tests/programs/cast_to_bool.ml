# Bool(x): nonzero is True, for Int, the sized integers and floats (NaN is
# nonzero, -0.0 is zero), literals included.
fn main():
    var i = 3
    var z = 0
    var f = 0.0
    var nan = f / f
    print(Bool(i), Bool(z), Bool(-i), Bool(Int8(-128)), Bool(UInt64(1) << 63))
    print(Bool(f), Bool(-0.0), Bool(2.5), Bool(nan), Bool(Float32(1e-45)))
    print(Bool(0), Bool(7), Bool(0.0), Bool(0.5), Bool(True), Bool(i > 5))
    if Bool(i % 2):
        print("odd")

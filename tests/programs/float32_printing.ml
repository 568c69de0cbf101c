# Float32 printing: shortest repr that round-trips as float32, in Python's float layout
fn main():
    print(Float32(0.1))
    print(Float32(1.0))
    print(Float32(16777217.0))
    print(Float32(123456789.0))
    print(Float32(0.00001))
    print(Float32(0.0001))
    print(Float32(1e16))
    print(Float32(1e15))
    print(Float32(3.14159265358979))
    print(Float32(2.5e-10))
    print(Float32(-0.0))
    print(Float32(65504.0))
    print(Float32(1e-45))
    print(Float32(3.4028234e38))
    var x: Float32 = 1.0
    for i in range(5):
        x = x / 10
    print(x)
    print(Float32(1.0) / Float32(0.0))

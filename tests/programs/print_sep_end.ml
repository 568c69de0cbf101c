# print with several arguments, sep=..., end=... (literals and String variables),
# strings, Bool, mixed types, DType values
fn main():
    print("total:", 42)
    print(1, 2, 3, sep=", ")
    print(1, 2, 3, sep="")
    print("a", "b", sep="-", end="!\n")
    print("no newline", end="")
    print(" continued")
    print(1.5, True, -7, Int8(-8), UInt16(9), Float32(0.25))
    print()
    print("x", end=" ")
    print("y", end=" ")
    print("z")
    var n = 3
    print("n =", n, "n*n =", n * n, sep=" ")
    print(False, sep=", ", end=".\n")
    print("", end="")
    print("empty string printed above")
    print("a", "", "c", sep="|")
    var dash = "-"
    var bang = "!\n"
    print(1, 2, 3, sep=dash, end=bang)
    var nothing = ""
    print("no", "space", sep=nothing, end=nothing)
    print()
    alias dt = DType.int8
    print(DType.float32, dt, DType.bool, sep=dash)

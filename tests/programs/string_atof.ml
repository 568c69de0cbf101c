# `Float64(s)` / `atof(s)` parse Python's float() text (correctly rounded);
# `Float32(s)` is that Float64 rounded to Float32. Bad text is a runtime fault
# (tests/test_strings.py).
fn show(s: String):
    var x = Float64(s)
    var f = Float32(s)
    print(repr_of(s), x, f, x == x, x < 0 or (x == 0 and 1 / x < 0))

fn repr_of(s: String) -> String:
    return "[" + s + "]"

fn main():
    show("3.14")
    show("  -2.5e3\t")
    show("1_000.000_1")
    show("+.5")
    show("5.")
    show("1E+2")
    show("2e-3")
    show("-0")
    show("-0.0e5")
    show("0.1")
    show("0.30000000000000004")
    show("1.7976931348623157e308")
    show("1.7976931348623159e308")
    show("2.2250738585072014e-308")
    show("4.9e-324")
    show("2.4e-324")
    show("1e-400")
    show("3.4028235e38")
    show("3.4028236e38")
    show("1.4e-45")
    show("123456789012345678901234567890")
    show("0.000000000000000000000000000001")
    show("9007199254740993")
    show("inf")
    show("-Infinity")
    show("+INF")
    show("nan")
    show("-NaN")
    print(atof("6.25") * 4, Float64(String(7) + ".5"))

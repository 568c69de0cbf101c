# and / or short-circuit: the right operand runs only when needed
fn check(name: Int, value: Bool) -> Bool:
    print("check", name)
    return value

fn main():
    print(check(1, False) and check(2, True))
    print(check(3, True) and check(4, False))
    print(check(5, True) or check(6, False))
    print(check(7, False) or check(8, True))
    print(not check(9, False) or check(10, True))
    var d = 0
    var n = 10
    if d != 0 and n // d > 1:
        print("never")
    else:
        print("safe division skipped")
    if d == 0 or n // d > 1:
        print("or skipped the division")
    print(check(11, True) and check(12, True) and check(13, False) and check(14, True))

# A variable the `finally:` block assigns has its value after a `break`,
# `continue` or `return` that leaves the `try` through that block
fn after_break() -> Int:
    var x: Int
    while True:
        try:
            break
        finally:
            x = 5
    return x


fn after_break_or_else(n: Int) -> Int:
    var x: Int
    for i in range(n + 1):
        try:
            if i == 2:
                break
        finally:
            x = i
    else:
        x = -1
    return x


fn after_return(n: Int) -> Int:
    var x: Int
    var i = 0
    while True:
        try:
            if i == n:
                return i * 10
            if i >= 2:
                break
            continue
        finally:
            x = i
            i += 1
    return x


fn main() raises:
    print(after_break())
    for n in range(4):
        print(after_break_or_else(n), after_return(n))

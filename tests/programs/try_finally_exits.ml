# `return`, `break` and `continue` leaving a `try` that has a `finally:` run the
# `finally:` block first, as in Python and Mojo.
fn check(x: Int) raises -> Int:
    if x < 0:
        raise Error("negative " + String(x))
    return x * 10


fn early(x: Int) -> Int:
    try:
        if x > 0:
            return x
        print("  not positive")
    finally:
        print("  finally of early", x)
    return -1


fn from_handler(x: Int) -> Int:
    try:
        return check(x)
    except e:
        print("  caught:", e)
        return 0
    finally:
        print("  finally of from_handler", x)


fn from_else(x: Int) raises -> String:
    try:
        _ = check(x)
    except:
        return "except"
    else:
        return "else"
    finally:
        print("  finally of from_else", x)


fn raising_through(x: Int) raises -> Int:
    try:
        return check(x)
    finally:
        print("  finally of raising_through", x)


fn in_loop(n: Int) -> Int:
    var total = 0
    try:
        for i in range(n):
            while True:
                if i == 3:
                    return total
                break
            total += i
    finally:
        print("  finally of in_loop, total", total)
    return -total


fn breaks_and_continues() -> String:
    var log = String()
    for i in range(10):
        try:
            if i % 2 == 1:
                continue
            if i == 6:
                break
            log += String(i)
        finally:
            log += "f"
    else:
        log += "never"
    return log


# the value is taken at the `return`: the `finally:` block's append is not in it
fn nested(x: Int) raises -> List[Int]:
    var l = List[Int]()
    try:
        try:
            l.append(1)
            if x > 0:
                return l
            _ = check(x)
        finally:
            l.append(2)
            print("  inner finally", len(l))
    except e:
        print("  outer caught:", e)
    finally:
        print("  outer finally", len(l))
    return List[Int](0)


fn two_levels(x: Int) -> String:
    try:
        try:
            if x == 0:
                return "zero"
            var n = check(x)
            return "ok " + String(n)
        finally:
            print("  inner finally")
    except e:
        return "caught " + String(e)
    finally:
        print("  outer finally")


fn forever(limit: Int) -> Int:
    var i = 0
    try:
        while True:
            i += 1
            if i >= limit:
                return i
    finally:
        print("  forever's finally at", i)


fn unrolled() -> Int:
    try:
        @parameter
        for k in range(5):
            if k == 2:
                return k
    finally:
        print("  unrolled's finally")
    return -1


fn while_break(c: Bool) -> Int:
    var n = 0
    while True:
        try:
            n += 1
            if c or n == 3:
                break
        finally:
            print("  while_break's finally", n)
    return n


fn cont_while() -> Int:
    var i = 0
    var s = 0
    while i < 6:
        i += 1
        try:
            if i % 3 == 0:
                continue
            s += i
        finally:
            s += 100
    return s


fn nothing(x: Int):
    try:
        if x > 0:
            return
        print("  nothing: not positive")
    finally:
        print("  nothing's finally")
    print("  nothing: end")


fn main() raises:
    print(early(4))
    print(early(-4))
    print(from_handler(2))
    print(from_handler(-2))
    print(from_else(1))
    print(from_else(-1))
    print(raising_through(5))
    try:
        print(raising_through(-5))
    except e:
        print("caught:", e)
    print(in_loop(10))
    print(in_loop(2))
    print(breaks_and_continues())
    print(len(nested(1)))
    print(len(nested(-1)))


    print(two_levels(0))
    print(two_levels(3))
    print(two_levels(-3))
    print(forever(3))
    print(unrolled())
    print(while_break(True))
    print(while_break(False))
    print(cont_while())
    nothing(1)
    nothing(0)

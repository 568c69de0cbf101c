# `try` with `else:` (runs when the body raised nothing; its own errors are not
# caught by the `except`) and `finally:` (runs however the statement ends).
fn check(x: Int) raises -> Int:
    if x < 0:
        raise Error("negative " + String(x))
    return x * 10


fn attempt(x: Int) raises -> Int:
    var result = -1
    try:
        result = check(x)
    except e:
        print("  except:", e)
    else:
        print("  else:", result)
    finally:
        print("  finally for", x)
    return result


fn cleanup_only(x: Int) raises -> Int:
    var steps = 0
    try:
        steps += 1
        _ = check(x)
        steps += 1
    finally:
        print("  cleanup after", steps, "steps")
    return steps


fn else_raises(x: Int) raises:
    try:
        _ = check(x)
    except:
        print("  not reached for", x)
    else:
        raise Error("raised in else")


fn no_raises_context() -> Int:
    var n = 0
    try:
        n = check(-5)
    except e:
        n = 99
    finally:
        n += 1
    return n


fn sign_word(x: Int) -> String:      # the handler and the else both return
    try:
        _ = check(x)
    except:
        return "negative"
    else:
        return "not negative"


fn main() raises:
    print(attempt(3))
    print(attempt(-2))
    print(cleanup_only(4))
    try:
        print(cleanup_only(-4))
    except e:
        print("caught:", e)
    try:
        else_raises(1)
    except e:
        print("caught:", e)
    print(no_raises_context())
    var log = String()
    for i in range(4):
        try:
            if i % 2 == 1:
                raise Error("odd")
            log += "e"
        except:
            log += "o"
        else:
            log += "!"
        finally:
            log += String(i)
    print(log)
    try:
        try:
            _ = check(-1)
        finally:
            print("inner finally")
    except e:
        print("outer caught:", e)
    print(sign_word(3), sign_word(-3))

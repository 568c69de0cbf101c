# A handler starts with the variables assigned wherever its `try` body may
# raise, and a `finally:` block with those assigned however the rest ends: a
# variable assigned before the first call that may raise, or in a `finally:`
# block an error passes through, has its value after the handler (Python runs
# these programs too; each read is of a variable every path assigned).
fn risky(n: Int) raises:
    if n > 0:
        raise Error("boom " + String(n))


fn assigned_in_finally(n: Int) raises -> Int:
    var x: Int
    try:
        try:
            risky(n)
        finally:
            x = 1
    except e:
        print("  caught", e)
    return x


fn assigned_before_raising(n: Int) raises -> Int:
    var x: Int
    try:
        x = 2
        try:
            risky(n)
        finally:
            print("  finally")
    except e:
        print("  caught", e)
    return x


fn finally_raises(n: Int) raises -> Int:
    var x: Int
    try:
        try:
            x = 3
        finally:
            risky(n)
    except e:
        print("  caught", e)
    return x


fn raised_again(n: Int) raises -> String:
    var x: Int
    var y: String
    try:
        try:
            try:
                y = "y"
                risky(n)
            finally:
                x = 4
        except e:
            print("  inner", e)
            raise
    except e:
        print("  outer", e)
    return String(x) + y


def main():
    for n in range(2):
        print(assigned_in_finally(n))
        print(assigned_before_raising(n))
        print(finally_raises(n))
        print(raised_again(n))

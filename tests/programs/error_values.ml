# Error as a value: made, passed, returned, stored (variable, struct field,
# List), printed, converted, raised later and kept after a handler.
@value
struct Outcome:
    var err: Error
    var code: Int


fn make(n: Int) -> Error:
    return Error("failed at " + String(n))


fn describe(e: Error) -> String:
    return "error: " + String(e)


fn check(n: Int) raises -> Int:
    if n < 0:
        raise make(n)
    return n * 2


fn rethrow(e: Error) raises:
    raise e


fn first_failure(values: List[Int]) -> Outcome:
    for v in values:
        try:
            _ = check(v)
        except e:
            return Outcome(e, v)
    return Outcome(Error(), 0)


fn main() raises:
    var e = Error("bad input")
    print(e)
    print(describe(e), String(e), str(e))
    print(make(3), Error(), "|", Error("x =", 1, 2.5, True))
    var implicit: Error = "from a String"
    print(implicit)
    var copy = e
    copy = make(4)
    print(e, "/", copy)

    var errors = List[Error]()
    errors.append(e)
    errors.append(make(7))
    errors.append("appended text")
    for x in errors:
        print(" ", x)
    print(len(errors), errors[1])

    var values = List[Int](3, 5, -2, 8)
    var out = first_failure(values)
    print(out.code, out.err)
    var none = first_failure(List[Int](1))
    print(none.code, "[" + String(none.err) + "]")

    var kept = Error()
    for i in range(3):
        try:
            rethrow(make(i * 10))
        except caught:
            kept = caught
    print("kept:", kept)

    try:
        raise errors[2]
    except again:
        print("raised from a List:", again)
    try:
        raise Error("n =", 42)
    except w:
        print(w)

# `max` and `min` of Strings compare them as `<` does (bytewise: code point
# order), each argument evaluated once, left to right; of equal ones the first.
# The String picked is a value of its own: changing it changes no argument.
fn word(n: Int) -> String:
    print("  word", n)
    return "w" + String(n)


fn main():
    var a = String("apple")
    var b = String("banana")
    print(max(a, b), min(a, b))
    print(max("a", "b"), min("b", "a", "c"))
    print(max(word(3), a, word(12)))
    print(min(word(3), "zz", word(12)))
    var m = max(a, b)
    m += "!"
    print(m, a, b)
    var l = [String("q"), String("p")]
    print(min(l[0], l[1]), max(l[0], l[1], "pq"))
    l.append(max(l[0], l[1]) + "s")
    print(l)
    print(max("é", "e"), "[" + min("", "a") + "]", max("ab", "abc"))

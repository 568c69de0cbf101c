# String values: variables, parameters, results, comparison, choice, printing
fn greet(name: String, times: Int):
    for i in range(times):
        print("hello,", name)

fn pick(flag: Bool) -> String:
    return "yes" if flag else "no"

fn label(n: Int) -> String:
    if n < 0:
        return "negative"
    elif n == 0:
        return "zero"
    return "positive"

fn same(a: String, b: String) -> Bool:
    return a == b

fn main():
    var s = "hi"
    print(s)
    greet(s, 2)
    greet("world", 1)
    var t: String = "h" "i"
    print(s == t, s != t, s == "hip", s != "ho")
    print(same("", ""), same("", " "), same("abc", "abd"), same("abc", "abc"))
    print(pick(True), pick(False), pick(1 > 2))
    for n in range(-1, 2):
        print(n, label(n), sep=": ")
    var word = "start"
    for i in range(3):
        word = "even" if i % 2 == 0 else "odd"
        print(word, end=";")
    print()
    s = word
    print(s, s == "even", len(List[Int](1, 2)))
    var u = "naïve ☃"
    print(u, u == "naïve ☃", u == "naive ☃")
    var empty = ""
    print(empty == "", "[" , empty, "]", sep="")
    var tabbed = "a\tb\n  c"
    print(tabbed)
    var q = 'single "quoted"'
    print(q, q == "single \"quoted\"")

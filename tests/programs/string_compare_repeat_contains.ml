# Strings order bytewise (the code points' order, as Python's str), `s * n`
# repeats ("" for n <= 0) and `sub in s` looks for a substring.
fn smallest(l: List[String]) -> String:
    var best = l[0]
    for i in range(1, len(l)):
        if l[i] < best:
            best = l[i]
    return best

fn sort(mut l: List[String]):
    for i in range(len(l)):
        for j in range(len(l) - 1 - i):
            if l[j] > l[j + 1]:
                var t = l[j]
                l[j] = l[j + 1]
                l[j + 1] = t

fn main():
    var a = String("apple")
    var b = "banana"
    print(a < b, a <= b, a > b, a >= b, a < a, a <= a, a >= a, a > a)
    print("ab" < "abc", "abc" < "ab", "" < "a", String() <= "", "Z" < "a", "é" > "z",
          "€" > "é", "😀" > "€")
    print("a" < "b" < "c", "b" < "a" < "c", a < b < a + "!")
    var words = List[String]("pear", "fig", "apple", "Fig", "banana", "app", "")
    print(smallest(words) == "", smallest(List[String]("b", "c", "a")))
    sort(words)
    print(words)
    var n = 3
    print("ab" * n, "-" * 10, a * 0 == "", a * -2 == "", "é" * 2, len("é" * 2), (a + "!") * 2)
    var bar = "="
    bar *= 5
    print(bar, len(bar))
    print("ana" in b, "nab" in b, "" in b, "" in String(), "a" in String(), b not in a,
          "banana" in b, "bananas" in b, "ñ" in "España", "a" + "n" in b)

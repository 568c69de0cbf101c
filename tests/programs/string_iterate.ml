# `for c in s` visits a String's characters (each a String of one character,
# 1 to 4 UTF-8 bytes), in order or reversed; the empty String none.
fn vowels(s: String) -> Int:
    var n = 0
    for c in s:
        if c in "aeioué":
            n += 1
    return n

fn main():
    var s = String("héllo ✓!")
    for c in s:
        print(c, len(c), end=" | ")
    print()
    var backwards = String()
    for c in reversed(s):
        backwards += c
    print(backwards)
    var count = 0
    for c in String():
        count += 1
    print(count, vowels(s), vowels("rhythm"))
    var kept = List[String]()
    for c in "a-b-c":
        if c != "-":
            kept.append(c)
    print(len(kept), ",".join(kept))

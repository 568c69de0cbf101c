# s[i] is a one-byte String (a negative index counts from the end), indexed by
# UTF-8 byte as in Mojo; ord of a one-character String; chr of a code point.
fn reverse(s: String) -> String:
    var out = String()
    for i in range(len(s)):
        out += s[-1 - i]
    return out

fn caesar(s: String, k: Int) -> String:
    var out = String()
    for i in range(len(s)):
        var c = ord(s[i])
        if c >= ord("a") and c <= ord("z"):
            c = (c - ord("a") + k) % 26 + ord("a")
        out += chr(c)
    return out

fn main():
    var s = String("hello") + ", world"
    print(s[0], s[4], s[-1], s[-12], s[len(s) - 1] == "d")
    print(reverse(s), caesar(s, 3), caesar(caesar(s, 3), 23) == s)
    print(ord("A"), ord("\n"), ord("é"), ord("€"), ord("😀"))
    print(chr(72) + chr(105), chr(233), chr(8364), chr(128512), chr(0) == "\x00")
    print(len(chr(127)), len(chr(128)), len(chr(2047)), len(chr(2048)), len(chr(65535)),
          len(chr(65536)), len(chr(1114111)))
    var t = "naïve"                     # ï is two bytes: indices 2 and 3
    print(len(t), t[0], t[1], t[4], t[-1], ord(chr(0x10FFFF)) == 0x10FFFF)
    var l = List[String]()
    for i in range(3):
        l.append(s[i])
    print(l)

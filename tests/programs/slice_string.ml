# s[a:b:s] on a String: a new String, by byte (ASCII text here: bytes are characters).
fn every_slice(s: String) -> Int:
    """Each (start, stop, step) in [-8, 8] x [-8, 8] x {-3, -2, -1, 1, 2, 3}:
    the sum of the lengths and a checksum of the bytes."""
    var total = 0
    for a in range(-8, 9):
        for b in range(-8, 9):
            for k in range(-3, 4):
                if k == 0:
                    continue
                var part = s[a:b:k]
                total += len(part) * 1000
                for j in range(len(part)):
                    total += ord(part[j]) * (j + 1)
    return total


fn main():
    var s = String("mojolite")
    print(s[1:3], s[:4], s[4:], s[:], s[::2], s[1::2], s[::-1])
    print(s[-4:], s[:-4], s[-5:-1], s[-1:-5:-1], s[6:1:-2], s[::-3])
    print(s[2:100], s[-100:2], s[100:] == "", s[:-100] == "", s[3:1] == "", s[1:3:-1] == "")
    var n = 3
    print(s[n:], s[:n], s[n - 1:n + 1], s[len(s) - n:], len(s[n:n]))
    print(every_slice(s), every_slice(String()), every_slice("x"))
    var word = "racecar"
    print(word == word[::-1], s == s[::-1], "abc"[1:] + "xyz"[:1])
    var parts = "key=value".split("=")
    print(parts[0][:1], parts[1][-2:], ("<" + s + ">")[1:-1])
    var total = 0
    for i in range(len(s)):
        if s[i:i + 1] == "o":
            total += i
    print(total)
    # the whole characters of UTF-8 text: positions are bytes
    var t = "né à"
    print(t[:3], t[3:], t[0:1], t[4:], len(t[1:3]))

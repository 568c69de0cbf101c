# String methods (by UTF-8 byte, ASCII case and whitespace), split/join with
# List[String], and Int(s) / atol(s).
fn parse_csv_line(line: String) -> List[Int]:
    var out = List[Int]()
    for field in line.split(","):
        out.append(Int(field))
    return out

fn title(s: String) -> String:
    var words = List[String]()
    for w in s.split():
        words.append(w.upper())
    return " ".join(words)

fn main():
    var s = String("  Hello, World! héllo  ")
    print(s.startswith("  He"), s.endswith("o  "), s.endswith("x"), "".startswith(""),
          "a".startswith("ab"), s.startswith(""))
    print(s.find("llo"), s.find("llo", 6), s.find("zz"), s.find(""), s.find("", 100),
          s.find("o", -5), s.find("é"), s.find(substr="l", start=10))
    print(s.count("l"), s.count("llo"), "aaaa".count("aa"), "abc".count(""), "é".count(""))
    print("[" + s.upper() + "]", "[" + s.lower() + "]")
    print("[" + s.strip() + "]", "[" + s.lstrip() + "]", "[" + s.rstrip() + "]",
          "[" + String(" \t\n\r").strip() + "]", len(s.strip()))
    print(s.replace("l", "L"), "|", s.replace("llo", ""), "|", "abc".replace("", "-"),
          "héé".replace("", "."), "aaa".replace("aa", "b"), "x".replace("x", "xyz" * 3))
    print("a,b,,c".split(","), "abc".split("abc"), "".split(","), "a--b--c".split("--"))
    print(s.split(), "   ".split(), "a b\tc\n".split(), String().split())
    print(", ".join(List[String]("x", "y", "z")), "[" + "".join(List[String]()) + "]",
          "-".join(s.split()), "é".join(List[String]("a", "b")))
    print("123".isdigit(), "".isdigit(), "12a".isdigit(), "-1".isdigit())
    print(Int("42"), atol(" -17 "), Int("+1_000"), atol("9223372036854775807"),
          atol("-9223372036854775808"), Int("007"))
    var total = 0
    for x in parse_csv_line("1, 2,3 ,40"):
        total += x
    print(total, title("the  quick brown fox"))

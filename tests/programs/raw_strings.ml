# Python's raw strings (also current Mojo's): `r"..."` keeps each backslash as written.
fn main():
    print(r"Hello\nWorld", R'a\tb', r"q\"q", len(r"\\"))
    var r = 3
    print(r, "x" r"\d+")
    print(r'''multi\n
line''')

# lexical forms: hex/binary/octal literals, underscores, float forms, docstrings, line joining
fn documented(x: Int) -> Int:
    """This docstring is ignored."""
    return x + 1

fn main():
    """Main docstring."""
    print(0xFF, 0x10, 0b1011, 0o17, 0o777)
    print(1_000_000, 0xFF_FF, 0b1111_0000)
    print(1.5e3, 2e-2, .25, 1000.5e-3, 0.0)
    var total = (1 +
                 2 +
                 3)
    print(total)
    var other = 10 \
        + 20
    print(other)
    print(documented(41),
          documented(-1))
    # a comment line
    var x = 5  # trailing comment
    print(x)

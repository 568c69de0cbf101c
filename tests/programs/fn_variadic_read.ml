# `read *vals: Int` is Mojo's spelling of a variadic's default convention: the same
# read-only list of the rest of the positional arguments as `*vals: Int`
fn largest(read *vals: Int) -> Int:
    var best = vals[0]
    for v in vals:
        best = max(best, v)
    return best

fn join(sep: String, borrowed *words: String) -> String:
    var out = String("")
    for i in range(len(words)):
        out += (sep if i else "") + words[i]
    return out

fn main():
    print(largest(3, 9, 4), largest(-2))
    print(join("-", "a", "b", "c"))

# A list literal, [] included, takes the List type expected of it in an element or tuple
# element store, a List's elements or fill, a nested literal and a tuple literal
fn g(l: List[Int]) -> Int:
    return len(l)
fn r() -> List[String]:
    return []
fn main():
    var ll = List[List[Int]]()
    ll.append([])
    ll.append([1])
    ll[1] = []
    print(g([]), r(), ll)
    var t: Tuple[List[Int], Int] = ([], 1)
    t[0] = []
    print(len(t[0]))
    var m = List[List[String]]([], ["a"])
    var k: List[List[Float64]] = [[], [1], [2.5]]
    print(m, k, List[List[Int]](length=2, fill=[]))
    var u: Tuple[Int, Float64] = (1, 2)
    print(u[1])

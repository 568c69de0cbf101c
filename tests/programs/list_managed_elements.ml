# Lists whose elements own memory (structs with String, List and Tensor fields, Lists of
# Lists, Tensors, a tree): a copied List copies each element (Lists deeply), so changing
# one List never shows in the other; Tensors are views and stay shared
@value
struct Rec:
    var name: String
    var xs: List[Int]
    var t: Tensor[DType.float64]

@value
struct Node:
    var name: String
    var kids: List[Node]

fn leaf(s: String) -> Node:
    return Node(s, List[Node]())

fn count(read n: Node) -> Int:
    var c = 1
    for k in n.kids:
        c += count(k)
    return c

fn total(read l: List[List[Int]]) -> Int:
    var s = 0
    for row in l:
        for x in row:
            s += x
    return s

fn grow(mut l: List[List[Int]]):
    l.append(List[Int](100))
    l[0].append(5)

fn main():
    var t = Tensor[DType.float64](3)
    var a = List[Rec]()
    a.append(Rec("a", List[Int](1, 2), t))
    a.append(Rec("b" + String(3), List[Int](), Tensor[DType.float64](2)))
    var b = a
    b[0].xs.append(9)
    b[1].name = "changed"
    b[0].t[1] = 2.5
    print(len(a[0].xs), len(b[0].xs), a[1].name, b[1].name, t[1], a[0].t[1])
    for r in b:
        print(r.name, r.xs, r.t.num_elements())
    var r = b.pop(0)
    r.xs[0] = -1
    print(r.name, r.xs, len(b), a[0].xs)

    var ll = List[List[Int]]()
    ll.append(List[Int](1))
    ll[0].append(2)
    ll.append([3])
    var mm = ll
    mm[0][0] = 7
    mm[1].append(4)
    print(ll, mm, total(mm))
    var row = ll[0]
    row.append(0)
    ll.append(ll[0])
    ll.extend(ll)
    print(row, ll)
    grow(mm)
    print(mm)
    ll.resize(1, List[Int](8))
    ll.resize(3, List[Int](8))
    ll[2].append(9)
    print(ll, List[List[Int]](length=2, fill=List[Int](6)))

    var ts = List[Tensor[DType.float64]](t, t)
    ts[1][0] = 1.5
    ts.append(Tensor[DType.float64](2))
    print(t[0], len(ts), ts[2].num_elements())

    var root = Node("root", List[Node](leaf("a"), leaf("b")))
    root.kids[0].kids.append(leaf("c"))
    var copy = root
    copy.kids[0].kids.append(leaf("d"))
    copy.kids[1].name = "B"
    print(count(root), count(copy), root.kids[1].name, copy.kids[1].name)
    root = leaf("x")
    print(count(root), count(copy), copy.kids[0].kids[1].name)

# for ref inside for ref: the inner loop runs over the outer element itself (a List
# of Lists, a struct field), so its changes reach the outer List
@value
struct Rec:
    var name: String
    var tags: List[String]

fn main():
    var ll = List[List[Int]]()
    ll.append([1, 2])
    ll.append([3])
    for ref row in ll:
        row.append(0)
        for ref x in row:
            x *= 10
    print(ll)
    var rs = List[Rec]()
    rs.append(Rec("a", List[String]("x", "y")))
    rs.append(Rec("b", List[String]()))
    for ref r in rs:
        r.tags.append(r.name)
        for ref t in r.tags:
            t += "!"
            r.name += t
    print(rs[0].name, rs[0].tags, rs[1].name, rs[1].tags)
    var lll = List[List[List[String]]]()
    lll.append(List[List[String]](List[String]("p"), List[String]()))
    for ref a in lll:
        for ref b in a:
            b.append("q")
            for ref c in b:
                c = c + c
    print(lll)

# `for ref x in l`: x is each element itself; writes through it change the List.
@value
struct P:
    var x: Int
    fn bump(mut self):
        self.x += 1

@value
struct Bag:
    var items: List[P]

fn add_one(mut l: List[Int]):
    for ref x in l:
        x += 1


fn main():
    var l = List[Int](1, 2, 3)
    for ref x in l:
        x += 10
        if x > 11:
            x = x * 2
    print(l)
    var q = List[P](P(1), P(2))
    for ref p in q:
        p.x += 5
        p.bump()
    print(q[0].x, q[1].x)
    var b = Bag(q)
    for ref p in b.items:
        p.bump()
        for ref p in b.items:
            p.x += 100
    print(b.items[0].x, b.items[1].x, q[0].x)
    add_one(l)
    for x in l:             # a plain loop reads copies
        print(x)

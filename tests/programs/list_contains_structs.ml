# `x in l` / `x not in l` on a List of structs calls the element's `__eq__`
# (element first, then the item), stopping at the first equal one; a List of
# tuples compares them element by element; a raising `__eq__` raises through `in`.
struct Card:
    var rank: Int
    var suit: String
    fn __init__(out self, rank: Int, suit: String):
        self.rank = rank
        self.suit = suit
    fn __eq__(self, other: Card) -> Bool:
        print("  eq", self.rank, other.rank)
        return self.rank == other.rank and self.suit == other.suit

struct Checked:
    var v: Int
    fn __init__(out self, v: Int):
        self.v = v
    fn __eq__(self, other: Checked) raises -> Bool:
        if other.v < 0:
            raise "negative"
        return self.v == other.v

fn search(l: List[Checked], v: Int) raises -> Bool:
    return Checked(v) in l

fn main():
    var hand = [Card(10, "h"), Card(3, "s"), Card(12, "d")]
    print(Card(3, "s") in hand)
    print(Card(3, "h") in hand, Card(7, "c") not in hand)
    var empty = List[Card]()
    print(Card(1, "h") in empty, Card(1, "h") not in empty)
    var pairs = [(1, "one"), (2, "two")]
    print((2, "two") in pairs, (2, "one") in pairs, (1, "one") not in pairs)
    var c = [Checked(1), Checked(2)]
    try:
        print(search(c, 2), search(c, 5))
        print(search(c, -1))
    except e:
        print("caught", e)

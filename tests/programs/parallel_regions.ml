# parallelize: closures that share the enclosing variables, a region per row
# inside a region (run serially), a caller-chosen worker count, and n <= 0.
from algorithm import parallelize

fn histogram(n: Int, buckets: Int) -> List[Int]:
    # each item owns one slot of `seen`: no two threads write the same element
    var seen = List[Int]()
    for i in range(n):
        seen.append(0)
    @parameter
    fn mark(i: Int):
        seen[i] = (i * 7919) % buckets
    parallelize[mark](n)
    var counts = List[Int]()
    for b in range(buckets):
        counts.append(0)
    for i in range(n):
        counts[seen[i]] += 1
    return counts

fn table(rows: Int, cols: Int) -> Int:
    var t = Tensor[DType.int64](rows, cols)
    @parameter
    fn row(i: Int):
        @parameter
        fn cell(j: Int):
            t[i, j] = Int64((i + 1) * (j + 1))
        parallelize[cell](cols)
    parallelize[row](rows, 2)
    var total = 0
    for i in range(rows):
        for j in range(cols):
            total += Int(t[i, j])
    return total

fn main():
    var counts = histogram(1009, 7)
    for b in range(7):
        print(b, counts[b])
    print(table(12, 13))
    var touched = 0
    @parameter
    fn never(i: Int):
        touched = 1
    parallelize[never](0)
    parallelize[never](-3, 4)
    print(touched)

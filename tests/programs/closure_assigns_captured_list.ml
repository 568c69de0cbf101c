# A closure that assigns a whole new List or Tensor to a variable it captures
# writes the enclosing function's variable (by reference); the enclosing
# function owns it and releases whichever value it holds at the end.
from algorithm import vectorize, parallelize

fn main():
    var lst = List[Int]()
    lst.append(1)
    var before = lst
    @parameter
    fn reset[w: Int](i: Int):
        if i == 0:
            lst = List[Int]()
        lst.append(i * w)
    vectorize[reset, 2](5)
    print(len(lst), len(before))
    for x in lst:
        print(x, end=" ")
    print()
    var t = Tensor[DType.int64](3)
    @parameter
    fn grow(i: Int):
        t = Tensor[DType.int64](i + 1)
        t[i] = Int64(i * 10)
    parallelize[grow](4, 1)
    print(t.dim(0), t[3])

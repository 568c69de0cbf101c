# The standard names from the submodules Mojo defines them in:
# algorithm.functional (vectorize, parallelize) and collections.list (List).
from algorithm.functional import vectorize, parallelize
from collections.list import List
import algorithm.functional


fn main():
    var widths = List[Int]()

    @parameter
    fn body[w: Int](i: Int):
        widths.append(w)

    vectorize[body, 4](6)
    algorithm.functional.vectorize[body, 2](3)
    print(widths)

    var hits = List[Int](0, 0, 0)

    @parameter
    fn work(i: Int):
        hits[i] = i * i

    parallelize[work](3, 1)
    print(hits)

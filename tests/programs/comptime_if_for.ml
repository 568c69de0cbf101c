# Current Mojo spells `@parameter if` and `@parameter for` as `comptime if` and
# `comptime for`: the branch is chosen per instance, the loop unrolled.

fn describe[dt: DType]() -> String:
    comptime if dt == DType.float32:
        return "single"
    elif dt == DType.float64:
        return "double"
    else:
        return "integer"


fn lane_sum[w: Int](v: SIMD[DType.int32, w]) -> Int32:
    var total: Int32 = 0
    comptime for i in range(w):
        total += v[i]
    return total


fn powers[n: Int]() -> List[Int]:
    var out = List[Int]()
    comptime for k in range(n):
        comptime if k % 2 == 0:
            out.append(2 ** k)
    return out


def main():
    print(describe[DType.float32](), describe[DType.float64](), describe[DType.int8]())
    print(lane_sum(SIMD[DType.int32, 4](1, 2, 3, 4)))
    print(powers[7]())
    var comptime_count = 0
    comptime for _ in range(3):
        comptime_count += 1
    print(comptime_count)

# `simd_width_of` is current Mojo's name for `simdwidthof`: the same width.
from sys import simd_width_of, simdwidthof
import sys

alias W = simd_width_of[DType.float32]()

fn main():
    print(W == simdwidthof[DType.float32](), W == 2 * simdwidthof[DType.float64]())
    print(sys.info.simd_width_of[DType.int8]() == sys.simdwidthof[DType.int8]())
    print(simd_width_of[Float64]() == simdwidthof[DType.float64]())

"""mojolite's benchmarks: `python -m benchmarks` (see benchmarks/README.md).

One module per workload (gd, linreg, autograd, startup; calls, parallel and simd are
scripts with a `main()`), the shared method in `harness`, tables in `report`, charts in
`plots`. Nothing here is imported by the `mojolite` package.
"""

// The gradient-descent loop of benchmarks/gd.py in C++, structure of arrays, for the
// benchmark's "C++ SoA" rows. Built at run time by the harness with
//     g++ -O3 -march=native -fopenmp -shared -fPIC gd_soa.cpp -o gd_soa.so
// and called through ctypes. No -ffast-math: the j reduction is vectorised because
// `omp simd reduction` allows reassociating it, as mojolite's explicit SIMD accumulators do.
//
// XT is dim x n (row k holds coordinate k of every point), D2 is n x n holding D[i][j]^2.
// Each iteration: G_i = 4 * sum_j (|X_i - X_j|^2 - D2_ij) (X_i - X_j); X -= lr * G.
#include <omp.h>
#include <cstdlib>
#include <vector>

template <typename T, int DIM>
static void gd_fixed(T* XT, const T* D2, long n, T lr, long iters) {
    std::vector<T> G(DIM * n);
    for (long it = 0; it < iters; ++it) {
#pragma omp parallel for schedule(static)
        for (long i = 0; i < n; ++i) {
            T xi[DIM], acc[DIM];
            for (int k = 0; k < DIM; ++k) { xi[k] = XT[k * n + i]; acc[k] = 0; }
            const T* d2 = D2 + i * n;
            if (DIM == 2) {
                const T* x0 = XT; const T* x1 = XT + n;
                T a0 = 0, a1 = 0;
#pragma omp simd reduction(+ : a0, a1)
                for (long j = 0; j < n; ++j) {
                    T e0 = xi[0] - x0[j], e1 = xi[1] - x1[j];
                    T c = T(4) * (e0 * e0 + e1 * e1 - d2[j]);
                    a0 += c * e0; a1 += c * e1;
                }
                acc[0] = a0; acc[1] = a1;
            } else if (DIM == 3) {
                const T* x0 = XT; const T* x1 = XT + n; const T* x2 = XT + 2 * n;
                T a0 = 0, a1 = 0, a2 = 0;
#pragma omp simd reduction(+ : a0, a1, a2)
                for (long j = 0; j < n; ++j) {
                    T e0 = xi[0] - x0[j], e1 = xi[1] - x1[j], e2 = xi[2] - x2[j];
                    T c = T(4) * (e0 * e0 + e1 * e1 + e2 * e2 - d2[j]);
                    a0 += c * e0; a1 += c * e1; a2 += c * e2;
                }
                acc[0] = a0; acc[1] = a1; acc[2] = a2;
            }
            for (int k = 0; k < DIM; ++k) G[k * n + i] = acc[k];
        }
        for (long q = 0; q < DIM * n; ++q) XT[q] -= lr * G[q];
    }
}

template <typename T>
static int gd(T* XT, const T* D2, long n, long dim, T lr, long iters, int threads) {
    if (threads > 0) omp_set_num_threads(threads);
    if (dim == 2) { gd_fixed<T, 2>(XT, D2, n, lr, iters); return 0; }
    if (dim == 3) { gd_fixed<T, 3>(XT, D2, n, lr, iters); return 0; }
    return 1;   // other dims: not built here
}

extern "C" int gd_soa_f64(double* XT, const double* D2, long n, long dim, double lr,
                          long iters, int threads) {
    return gd<double>(XT, D2, n, dim, lr, iters, threads);
}

extern "C" int gd_soa_f32(float* XT, const float* D2, long n, long dim, float lr,
                          long iters, int threads) {
    return gd<float>(XT, D2, n, dim, lr, iters, threads);
}

#include "CKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

int ck_avx2_fma_supported(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

// One output row of a tile: c[0..<4] += v.
#define CK_ADD_ROW(ptr, v) _mm256_storeu_pd((ptr), _mm256_add_pd(_mm256_loadu_pd(ptr), (v)))

// 4 x 8 tile: columns of panel `a` against two consecutive panels starting at `b` (`stride`
// doubles apart). Per row: two loads of `b`, four broadcasts of `a`, eight FMAs into eight
// accumulators, which cover the FMA latency at two FMAs a cycle. (A 4 x 12 tile needs all
// sixteen ymm registers and the compiler then spills an accumulator inside the loop.)
__attribute__((target("avx2,fma")))
static void tile_4x8(const double *a, const double *b, ptrdiff_t stride, ptrdiff_t rows, double *c, ptrdiff_t ldc) {
    const double *b0 = b, *b1 = b + stride;
    __m256d c00 = _mm256_setzero_pd(), c01 = _mm256_setzero_pd();
    __m256d c10 = _mm256_setzero_pd(), c11 = _mm256_setzero_pd();
    __m256d c20 = _mm256_setzero_pd(), c21 = _mm256_setzero_pd();
    __m256d c30 = _mm256_setzero_pd(), c31 = _mm256_setzero_pd();
    for (ptrdiff_t r = 0; r < rows; ++r) {
        const __m256d x0 = _mm256_loadu_pd(b0 + 4 * r);
        const __m256d x1 = _mm256_loadu_pd(b1 + 4 * r);
        __m256d s = _mm256_broadcast_sd(a + 4 * r);
        c00 = _mm256_fmadd_pd(s, x0, c00);
        c01 = _mm256_fmadd_pd(s, x1, c01);
        s = _mm256_broadcast_sd(a + 4 * r + 1);
        c10 = _mm256_fmadd_pd(s, x0, c10);
        c11 = _mm256_fmadd_pd(s, x1, c11);
        s = _mm256_broadcast_sd(a + 4 * r + 2);
        c20 = _mm256_fmadd_pd(s, x0, c20);
        c21 = _mm256_fmadd_pd(s, x1, c21);
        s = _mm256_broadcast_sd(a + 4 * r + 3);
        c30 = _mm256_fmadd_pd(s, x0, c30);
        c31 = _mm256_fmadd_pd(s, x1, c31);
    }
    CK_ADD_ROW(c, c00); CK_ADD_ROW(c + 4, c01);
    CK_ADD_ROW(c + ldc, c10); CK_ADD_ROW(c + ldc + 4, c11);
    CK_ADD_ROW(c + 2 * ldc, c20); CK_ADD_ROW(c + 2 * ldc + 4, c21);
    CK_ADD_ROW(c + 3 * ldc, c30); CK_ADD_ROW(c + 3 * ldc + 4, c31);
}

// 4 x 4 tile for the odd last panel of a row of tiles.
__attribute__((target("avx2,fma")))
static void tile_4x4(const double *a, const double *b, ptrdiff_t rows, double *c, ptrdiff_t ldc) {
    __m256d c0 = _mm256_setzero_pd(), c1 = _mm256_setzero_pd();
    __m256d c2 = _mm256_setzero_pd(), c3 = _mm256_setzero_pd();
    for (ptrdiff_t r = 0; r < rows; ++r) {
        const __m256d x = _mm256_loadu_pd(b + 4 * r);
        c0 = _mm256_fmadd_pd(_mm256_broadcast_sd(a + 4 * r), x, c0);
        c1 = _mm256_fmadd_pd(_mm256_broadcast_sd(a + 4 * r + 1), x, c1);
        c2 = _mm256_fmadd_pd(_mm256_broadcast_sd(a + 4 * r + 2), x, c2);
        c3 = _mm256_fmadd_pd(_mm256_broadcast_sd(a + 4 * r + 3), x, c3);
    }
    CK_ADD_ROW(c, c0);
    CK_ADD_ROW(c + ldc, c1);
    CK_ADD_ROW(c + 2 * ldc, c2);
    CK_ADD_ROW(c + 3 * ldc, c3);
}

__attribute__((target("avx2,fma")))
void ck_panel_products_avx2(const double *a, const double *b, ptrdiff_t length, ptrdiff_t count, ptrdiff_t stride, double *c, ptrdiff_t ldc) {
    ptrdiff_t q = 0;
    for (; q + 2 <= count; q += 2) {
        tile_4x8(a, b + q * stride, stride, length, c + 4 * q, ldc);
    }
    if (q < count) {
        tile_4x4(a, b + q * stride, length, c + 4 * q, ldc);
    }
}

void ck_covariance_block_avx2(const double *packed, ptrdiff_t rows, ptrdiff_t panels, double *c, ptrdiff_t ldc) {
    const ptrdiff_t stride = rows * 4;
    for (ptrdiff_t ip = 0; ip < panels; ++ip) {
        ck_panel_products_avx2(packed + ip * stride, packed + ip * stride, rows, panels - ip, stride, c + 4 * ip * ldc + 4 * ip, ldc);
    }
}

#undef CK_ADD_ROW

#else

int ck_avx2_fma_supported(void) { return 0; }

// Portable forms of the same contracts, so the symbols exist on every architecture.
void ck_panel_products_avx2(const double *a, const double *b, ptrdiff_t length, ptrdiff_t count, ptrdiff_t stride, double *c, ptrdiff_t ldc) {
    for (ptrdiff_t q = 0; q < count; ++q) {
        for (int s = 0; s < 4; ++s) {
            for (int t = 0; t < 4; ++t) {
                double sum = 0;
                for (ptrdiff_t l = 0; l < length; ++l) {
                    sum += a[4 * l + s] * b[q * stride + 4 * l + t];
                }
                c[s * ldc + 4 * q + t] += sum;
            }
        }
    }
}

void ck_covariance_block_avx2(const double *packed, ptrdiff_t rows, ptrdiff_t panels, double *c, ptrdiff_t ldc) {
    const ptrdiff_t stride = rows * 4;
    for (ptrdiff_t ip = 0; ip < panels; ++ip) {
        ck_panel_products_avx2(packed + ip * stride, packed + ip * stride, rows, panels - ip, stride, c + 4 * ip * ldc + 4 * ip, ldc);
    }
}

#endif

#include "CKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

// AVX only, no FMA: every lane is a separate multiply then add, in feature order, so the sums
// have the bits of the portable loop in ModelFormat (the scorer's answers must not depend on
// the CPU). Up to four groups (16 centres) per pass over the row.
__attribute__((target("avx")))
void ck_folded_dots_avx(const double *row, const double *mean, const double *weights, ptrdiff_t p,
                        ptrdiff_t groups, double *out) {
    for (ptrdiff_t g0 = 0; g0 < groups; g0 += 4) {
        const ptrdiff_t n = groups - g0 < 4 ? groups - g0 : 4;
        const double *w = weights + g0 * p * 4;
        __m256d a0 = _mm256_setzero_pd(), a1 = _mm256_setzero_pd();
        __m256d a2 = _mm256_setzero_pd(), a3 = _mm256_setzero_pd();
        if (n == 4) {
            for (ptrdiff_t j = 0; j < p; ++j) {
                const __m256d x = _mm256_set1_pd(row[j] - mean[j]);
                a0 = _mm256_add_pd(a0, _mm256_mul_pd(x, _mm256_loadu_pd(w + 4 * j)));
                a1 = _mm256_add_pd(a1, _mm256_mul_pd(x, _mm256_loadu_pd(w + 4 * (p + j))));
                a2 = _mm256_add_pd(a2, _mm256_mul_pd(x, _mm256_loadu_pd(w + 4 * (2 * p + j))));
                a3 = _mm256_add_pd(a3, _mm256_mul_pd(x, _mm256_loadu_pd(w + 4 * (3 * p + j))));
            }
        } else if (n == 3) {
            for (ptrdiff_t j = 0; j < p; ++j) {
                const __m256d x = _mm256_set1_pd(row[j] - mean[j]);
                a0 = _mm256_add_pd(a0, _mm256_mul_pd(x, _mm256_loadu_pd(w + 4 * j)));
                a1 = _mm256_add_pd(a1, _mm256_mul_pd(x, _mm256_loadu_pd(w + 4 * (p + j))));
                a2 = _mm256_add_pd(a2, _mm256_mul_pd(x, _mm256_loadu_pd(w + 4 * (2 * p + j))));
            }
        } else if (n == 2) {
            for (ptrdiff_t j = 0; j < p; ++j) {
                const __m256d x = _mm256_set1_pd(row[j] - mean[j]);
                a0 = _mm256_add_pd(a0, _mm256_mul_pd(x, _mm256_loadu_pd(w + 4 * j)));
                a1 = _mm256_add_pd(a1, _mm256_mul_pd(x, _mm256_loadu_pd(w + 4 * (p + j))));
            }
        } else {
            for (ptrdiff_t j = 0; j < p; ++j) {
                const __m256d x = _mm256_set1_pd(row[j] - mean[j]);
                a0 = _mm256_add_pd(a0, _mm256_mul_pd(x, _mm256_loadu_pd(w + 4 * j)));
            }
        }
        double *o = out + 4 * g0;
        _mm256_storeu_pd(o, a0);
        if (n > 1) _mm256_storeu_pd(o + 4, a1);
        if (n > 2) _mm256_storeu_pd(o + 8, a2);
        if (n > 3) _mm256_storeu_pd(o + 12, a3);
    }
}

#else

void ck_folded_dots_avx(const double *row, const double *mean, const double *weights, ptrdiff_t p,
                        ptrdiff_t groups, double *out) {
    for (ptrdiff_t g = 0; g < groups; ++g) {
        for (int l = 0; l < 4; ++l) {
            double sum = 0;
            for (ptrdiff_t j = 0; j < p; ++j) sum += (row[j] - mean[j]) * weights[(g * p + j) * 4 + l];
            out[4 * g + l] = sum;
        }
    }
}

#endif

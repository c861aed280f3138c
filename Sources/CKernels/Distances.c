#include "CKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2,fma")))
static inline double horizontal_sum(__m256d v) {
    const __m128d pair = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    return _mm_cvtsd_f64(_mm_add_sd(pair, _mm_unpackhi_pd(pair, pair)));
}

// Four accumulators of four lanes: 16 columns per step, enough independent FMAs to cover
// their latency while the row streams in from memory.
__attribute__((target("avx2,fma")))
double ck_squared_distance_avx2(const double *x, const double *y, ptrdiff_t count) {
    __m256d a0 = _mm256_setzero_pd(), a1 = _mm256_setzero_pd();
    __m256d a2 = _mm256_setzero_pd(), a3 = _mm256_setzero_pd();
    ptrdiff_t j = 0;
    for (; j + 16 <= count; j += 16) {
        const __m256d d0 = _mm256_sub_pd(_mm256_loadu_pd(x + j), _mm256_loadu_pd(y + j));
        const __m256d d1 = _mm256_sub_pd(_mm256_loadu_pd(x + j + 4), _mm256_loadu_pd(y + j + 4));
        const __m256d d2 = _mm256_sub_pd(_mm256_loadu_pd(x + j + 8), _mm256_loadu_pd(y + j + 8));
        const __m256d d3 = _mm256_sub_pd(_mm256_loadu_pd(x + j + 12), _mm256_loadu_pd(y + j + 12));
        a0 = _mm256_fmadd_pd(d0, d0, a0);
        a1 = _mm256_fmadd_pd(d1, d1, a1);
        a2 = _mm256_fmadd_pd(d2, d2, a2);
        a3 = _mm256_fmadd_pd(d3, d3, a3);
    }
    for (; j + 4 <= count; j += 4) {
        const __m256d d0 = _mm256_sub_pd(_mm256_loadu_pd(x + j), _mm256_loadu_pd(y + j));
        a0 = _mm256_fmadd_pd(d0, d0, a0);
    }
    double sum = horizontal_sum(_mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3)));
    for (; j < count; ++j) {
        const double diff = x[j] - y[j];
        sum += diff * diff;
    }
    return sum;
}

__attribute__((target("avx2,fma")))
void ck_add_row_avx2(double *target, const double *row, ptrdiff_t count) {
    ptrdiff_t j = 0;
    for (; j + 4 <= count; j += 4) {
        _mm256_storeu_pd(target + j, _mm256_add_pd(_mm256_loadu_pd(target + j), _mm256_loadu_pd(row + j)));
    }
    for (; j < count; ++j) target[j] += row[j];
}

__attribute__((target("avx2,fma")))
void ck_move_row_avx2(double *into, double *from, const double *row, ptrdiff_t count) {
    ptrdiff_t j = 0;
    for (; j + 4 <= count; j += 4) {
        const __m256d v = _mm256_loadu_pd(row + j);
        _mm256_storeu_pd(into + j, _mm256_add_pd(_mm256_loadu_pd(into + j), v));
        _mm256_storeu_pd(from + j, _mm256_sub_pd(_mm256_loadu_pd(from + j), v));
    }
    for (; j < count; ++j) {
        into[j] += row[j];
        from[j] -= row[j];
    }
}

#else

double ck_squared_distance_avx2(const double *x, const double *y, ptrdiff_t count) {
    double sum = 0;
    for (ptrdiff_t j = 0; j < count; ++j) {
        const double diff = x[j] - y[j];
        sum += diff * diff;
    }
    return sum;
}

void ck_add_row_avx2(double *target, const double *row, ptrdiff_t count) {
    for (ptrdiff_t j = 0; j < count; ++j) target[j] += row[j];
}

void ck_move_row_avx2(double *into, double *from, const double *row, ptrdiff_t count) {
    for (ptrdiff_t j = 0; j < count; ++j) {
        into[j] += row[j];
        from[j] -= row[j];
    }
}

#endif

#if defined(__x86_64__)
__attribute__((target("avx2,fma")))
void ck_head_distances_avx2(const double *x, const double *columns, ptrdiff_t length, ptrdiff_t groups, double *out) {
    for (ptrdiff_t g = 0; g < groups; ++g) {
        const double *column = columns + 4 * g;
        const ptrdiff_t stride = 4 * groups;
        __m256d a0 = _mm256_setzero_pd(), a1 = _mm256_setzero_pd();
        ptrdiff_t j = 0;
        for (; j + 2 <= length; j += 2) {
            const __m256d d0 = _mm256_sub_pd(_mm256_loadu_pd(column + j * stride), _mm256_broadcast_sd(x + j));
            const __m256d d1 = _mm256_sub_pd(_mm256_loadu_pd(column + (j + 1) * stride), _mm256_broadcast_sd(x + j + 1));
            a0 = _mm256_fmadd_pd(d0, d0, a0);
            a1 = _mm256_fmadd_pd(d1, d1, a1);
        }
        if (j < length) {
            const __m256d d0 = _mm256_sub_pd(_mm256_loadu_pd(column + j * stride), _mm256_broadcast_sd(x + j));
            a0 = _mm256_fmadd_pd(d0, d0, a0);
        }
        _mm256_storeu_pd(out + 4 * g, _mm256_add_pd(a0, a1));
    }
}
#else
void ck_head_distances_avx2(const double *x, const double *columns, ptrdiff_t length, ptrdiff_t groups, double *out) {
    for (ptrdiff_t c = 0; c < 4 * groups; ++c) {
        double sum = 0;
        for (ptrdiff_t j = 0; j < length; ++j) {
            const double diff = columns[j * 4 * groups + c] - x[j];
            sum += diff * diff;
        }
        out[c] = sum;
    }
}
#endif

#include "CKernels.h"

#include <string.h>

// One 32-byte entry per bin, (gradient, hessian, count, 0): a row's update of a column is one
// load, one 4-lane add and one store. Each lane is a plain double add in row order, so the AVX
// loop and the portable one give the same bits.

#define CK_LOOKAHEAD 8

// The row loop from row FIRST, with `ROW_SETUP` run once a row (g and h of row r known) and
// `UPDATE(entry)` once a column. The codes of the row CK_LOOKAHEAD on are prefetched: a leaf's
// rows are scattered over the matrix and the hardware prefetcher cannot guess the next one.
#define CK_HISTOGRAM_ROWS(FIRST, ROW_SETUP, UPDATE)                                                 \
    for (ptrdiff_t k = (FIRST); k < count; ++k) {                                                   \
        if (k + CK_LOOKAHEAD < count) {                                                             \
            const uint8_t *ahead = codes + (ptrdiff_t)rows[k + CK_LOOKAHEAD] * width;               \
            for (ptrdiff_t line = 0; line < width; line += 64) ck_prefetch(ahead + line);           \
        }                                                                                           \
        const ptrdiff_t r = rows[k];                                                                \
        const double g = gradients[r], h = hessians[r];                                             \
        ROW_SETUP                                                                                   \
        const uint8_t *row = codes + r * width;                                                     \
        for (ptrdiff_t j = 0; j < selected; ++j) {                                                  \
            double *entry = histogram + bases[j] + 4 * (ptrdiff_t)row[columns[j]];                  \
            UPDATE                                                                                  \
        }                                                                                           \
    }

#if defined(__x86_64__)
#include <immintrin.h>

// Four rows at a time: a column's base and index are loaded once for the four updates, which
// still reach each entry in row order (the same sums, bit for bit, as one row at a time).
__attribute__((target("avx")))
static void histogram_rows_avx(double *histogram, const uint8_t *codes, ptrdiff_t width, const int32_t *rows,
                               ptrdiff_t count, const double *gradients, const double *hessians,
                               const int32_t *columns, const ptrdiff_t *bases, ptrdiff_t selected) {
    ptrdiff_t done = 0;
    for (; done + 4 <= count; done += 4) {
        if (done + 4 + CK_LOOKAHEAD <= count) {
            for (ptrdiff_t a = 0; a < 4; ++a) {
                const uint8_t *ahead = codes + (ptrdiff_t)rows[done + CK_LOOKAHEAD + a] * width;
                for (ptrdiff_t line = 0; line < width; line += 64) ck_prefetch(ahead + line);
            }
        }
        const ptrdiff_t r0 = rows[done], r1 = rows[done + 1], r2 = rows[done + 2], r3 = rows[done + 3];
        const __m256d a0 = _mm256_set_pd(0.0, 1.0, hessians[r0], gradients[r0]);
        const __m256d a1 = _mm256_set_pd(0.0, 1.0, hessians[r1], gradients[r1]);
        const __m256d a2 = _mm256_set_pd(0.0, 1.0, hessians[r2], gradients[r2]);
        const __m256d a3 = _mm256_set_pd(0.0, 1.0, hessians[r3], gradients[r3]);
        const uint8_t *c0 = codes + r0 * width, *c1 = codes + r1 * width;
        const uint8_t *c2 = codes + r2 * width, *c3 = codes + r3 * width;
        for (ptrdiff_t j = 0; j < selected; ++j) {
            const ptrdiff_t column = columns[j];
            double *base = histogram + bases[j];
            double *e0 = base + 4 * (ptrdiff_t)c0[column];
            _mm256_storeu_pd(e0, _mm256_add_pd(_mm256_loadu_pd(e0), a0));
            double *e1 = base + 4 * (ptrdiff_t)c1[column];
            _mm256_storeu_pd(e1, _mm256_add_pd(_mm256_loadu_pd(e1), a1));
            double *e2 = base + 4 * (ptrdiff_t)c2[column];
            _mm256_storeu_pd(e2, _mm256_add_pd(_mm256_loadu_pd(e2), a2));
            double *e3 = base + 4 * (ptrdiff_t)c3[column];
            _mm256_storeu_pd(e3, _mm256_add_pd(_mm256_loadu_pd(e3), a3));
        }
    }
    // The rows after the last block of four, one at a time.
    CK_HISTOGRAM_ROWS(done, const __m256d add = _mm256_set_pd(0.0, 1.0, h, g);,
                      _mm256_storeu_pd(entry, _mm256_add_pd(_mm256_loadu_pd(entry), add));)
}
#endif

static void histogram_rows_portable(double *histogram, const uint8_t *codes, ptrdiff_t width, const int32_t *rows,
                                    ptrdiff_t count, const double *gradients, const double *hessians,
                                    const int32_t *columns, const ptrdiff_t *bases, ptrdiff_t selected) {
    CK_HISTOGRAM_ROWS(0, , entry[0] += g; entry[1] += h; entry[2] += 1.0;)
}

void ck_histogram_rows(double *histogram, const uint8_t *codes, ptrdiff_t width, const int32_t *rows, ptrdiff_t count,
                       const double *gradients, const double *hessians, const int32_t *columns,
                       const ptrdiff_t *bases, const ptrdiff_t *lengths, ptrdiff_t selected) {
    for (ptrdiff_t j = 0; j < selected; ++j) memset(histogram + bases[j], 0, (size_t)lengths[j] * sizeof(double));
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx")) {
        histogram_rows_avx(histogram, codes, width, rows, count, gradients, hessians, columns, bases, selected);
        return;
    }
#endif
    histogram_rows_portable(histogram, codes, width, rows, count, gradients, hessians, columns, bases, selected);
}

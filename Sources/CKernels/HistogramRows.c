#include "CKernels.h"

#include <string.h>

// Joint histograms: one 32-byte entry per bin, (gradient, hessian, count, 0), so a row's update
// of a group is one load, one 4-lane add and one store; a row lists only the bins it updates
// (sparse). Per-feature histograms: 24 bytes a bin, (gradient, hessian) as one 2-lane add and the
// count as a scalar one. Each lane is a plain double add in row order, so the AVX loops and the
// portable ones give the same bits.

#define CK_LOOKAHEAD 8

// The row loop from row FIRST over bins of STRIDE doubles, with `ROW_SETUP` run once a row
// (g and h of row r known) and `UPDATE` once a column (its bin at `entry`). The codes of the row
// CK_LOOKAHEAD on are prefetched: a leaf's rows are scattered over the matrix and the hardware
// prefetcher cannot guess the next one.
#define CK_HISTOGRAM_ROWS(FIRST, STRIDE, ROW_SETUP, UPDATE)                                         \
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
            double *entry = histogram + bases[j] + (STRIDE) * (ptrdiff_t)row[columns[j]];           \
            UPDATE                                                                                  \
        }                                                                                           \
    }

// Four rows at a time: a column's base and index are loaded once for the four updates, which
// still reach each entry in row order (the same sums, bit for bit, as one row at a time).
// `ADDEND(r)` is row r's vector of type TYPE, `ADD(e, a)` adds it to the bin at e. Leaves
// `done` at the first row after the last block.
#define CK_HISTOGRAM_BLOCKS(STRIDE, TYPE, ADDEND, ADD)                                              \
    ptrdiff_t done = 0;                                                                             \
    for (; done + 4 <= count; done += 4) {                                                          \
        if (done + 4 + CK_LOOKAHEAD <= count) {                                                     \
            for (ptrdiff_t a = 0; a < 4; ++a) {                                                     \
                const uint8_t *ahead = codes + (ptrdiff_t)rows[done + CK_LOOKAHEAD + a] * width;    \
                for (ptrdiff_t line = 0; line < width; line += 64) ck_prefetch(ahead + line);       \
            }                                                                                       \
        }                                                                                           \
        const ptrdiff_t r0 = rows[done], r1 = rows[done + 1], r2 = rows[done + 2], r3 = rows[done + 3]; \
        const TYPE a0 = ADDEND(r0), a1 = ADDEND(r1), a2 = ADDEND(r2), a3 = ADDEND(r3);              \
        const uint8_t *c0 = codes + r0 * width, *c1 = codes + r1 * width;                           \
        const uint8_t *c2 = codes + r2 * width, *c3 = codes + r3 * width;                           \
        for (ptrdiff_t j = 0; j < selected; ++j) {                                                  \
            const ptrdiff_t column = columns[j];                                                    \
            double *base = histogram + bases[j];                                                    \
            ADD(base + (STRIDE) * (ptrdiff_t)c0[column], a0);                                       \
            ADD(base + (STRIDE) * (ptrdiff_t)c1[column], a1);                                       \
            ADD(base + (STRIDE) * (ptrdiff_t)c2[column], a2);                                       \
            ADD(base + (STRIDE) * (ptrdiff_t)c3[column], a3);                                       \
        }                                                                                           \
    }

#define CK_KERNEL_PARAMETERS                                                                        \
    double *histogram, const uint8_t *codes, ptrdiff_t width, const int32_t *rows, ptrdiff_t count, \
        const double *gradients, const double *hessians, const int32_t *columns, const ptrdiff_t *bases, \
        ptrdiff_t selected
#define CK_KERNEL_ARGUMENTS histogram, codes, width, rows, count, gradients, hessians, columns, bases, selected

#if defined(__x86_64__)
#include <immintrin.h>

static inline __attribute__((target("avx"))) void ck_add_joint(double *entry, __m256d addend) {
    _mm256_storeu_pd(entry, _mm256_add_pd(_mm256_loadu_pd(entry), addend));
}

static inline __attribute__((target("avx"))) void ck_add_feature(double *entry, __m128d addend) {
    _mm_storeu_pd(entry, _mm_add_pd(_mm_loadu_pd(entry), addend));
    entry[2] += 1.0;
}

#define CK_FEATURE_ADDEND(r) _mm_set_pd(hessians[r], gradients[r])

__attribute__((target("avx"))) static void histogram_features_avx(CK_KERNEL_PARAMETERS) {
    CK_HISTOGRAM_BLOCKS(3, __m128d, CK_FEATURE_ADDEND, ck_add_feature)
    CK_HISTOGRAM_ROWS(done, 3, const __m128d add = _mm_set_pd(h, g);, ck_add_feature(entry, add);)
}
#endif

static void histogram_features_portable(CK_KERNEL_PARAMETERS) {
    CK_HISTOGRAM_ROWS(0, 3, , entry[0] += g; entry[1] += h; entry[2] += 1.0;)
}

typedef void (*ck_histogram_kernel)(CK_KERNEL_PARAMETERS);

// Zeroes the selected slots, then runs the AVX kernel when the CPU has AVX, else the portable one.
static void run_histogram_kernel(ck_histogram_kernel avx, ck_histogram_kernel portable, const ptrdiff_t *lengths,
                                 CK_KERNEL_PARAMETERS) {
    for (ptrdiff_t j = 0; j < selected; ++j) memset(histogram + bases[j], 0, (size_t)lengths[j] * sizeof(double));
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx")) {
        avx(CK_KERNEL_ARGUMENTS);
        return;
    }
#endif
    portable(CK_KERNEL_ARGUMENTS);
}

#if defined(__x86_64__)
#define CK_AVX_OR(avx, portable) avx
#else
#define CK_AVX_OR(avx, portable) portable
#endif

void ck_histogram_features(double *histogram, const uint8_t *codes, ptrdiff_t width, const int32_t *rows,
                           ptrdiff_t count, const double *gradients, const double *hessians, const int32_t *columns,
                           const ptrdiff_t *bases, const ptrdiff_t *lengths, ptrdiff_t selected) {
    run_histogram_kernel(CK_AVX_OR(histogram_features_avx, histogram_features_portable), histogram_features_portable,
                         lengths, CK_KERNEL_ARGUMENTS);
}

// The sparse joint kernel: row r's bins are bins[starts[r]..<starts[r + 1]]. The bins of the row
// CK_LOOKAHEAD on are prefetched (a leaf's rows are scattered); a row's (g, h, 1, 0) is added to
// each of its bins and to the running totals, rows in order.
#define CK_SPARSE_ROWS(ROW_SETUP, UPDATE, TOTAL)                                                    \
    for (ptrdiff_t k = 0; k < count; ++k) {                                                         \
        if (k + CK_LOOKAHEAD < count) {                                                             \
            const ptrdiff_t ahead = rows[k + CK_LOOKAHEAD];                                         \
            const char *first = (const char *)(bins + starts[ahead]);                               \
            const char *last = (const char *)(bins + starts[ahead + 1]);                            \
            for (const char *line = first; line < last; line += 64) ck_prefetch(line);              \
        }                                                                                           \
        const ptrdiff_t r = rows[k];                                                                \
        const double g = gradients[r], h = hessians[r];                                             \
        ROW_SETUP                                                                                   \
        TOTAL                                                                                       \
        const uint16_t *bin = bins + starts[r], *end = bins + starts[r + 1];                        \
        for (; bin + 4 <= end; bin += 4) {                                                          \
            double *entry;                                                                          \
            entry = joint + 4 * (ptrdiff_t)bin[0]; UPDATE                                           \
            entry = joint + 4 * (ptrdiff_t)bin[1]; UPDATE                                           \
            entry = joint + 4 * (ptrdiff_t)bin[2]; UPDATE                                           \
            entry = joint + 4 * (ptrdiff_t)bin[3]; UPDATE                                           \
        }                                                                                           \
        for (; bin < end; ++bin) {                                                                  \
            double *entry = joint + 4 * (ptrdiff_t)*bin;                                            \
            UPDATE                                                                                  \
        }                                                                                           \
    }

#define CK_SPARSE_PARAMETERS                                                                        \
    double *joint, const uint16_t *bins, const int64_t *starts, const int32_t *rows, ptrdiff_t count, \
        const double *gradients, const double *hessians, double *totals

#if defined(__x86_64__)
__attribute__((target("avx"))) static void histogram_sparse_avx(CK_SPARSE_PARAMETERS) {
    __m256d sum = _mm256_loadu_pd(totals);
    CK_SPARSE_ROWS(const __m256d add = _mm256_set_pd(0.0, 1.0, h, g);, ck_add_joint(entry, add);,
                   sum = _mm256_add_pd(sum, add);)
    _mm256_storeu_pd(totals, sum);
}
#endif

static void histogram_sparse_portable(CK_SPARSE_PARAMETERS) {
    CK_SPARSE_ROWS(, entry[0] += g; entry[1] += h; entry[2] += 1.0;,
                   totals[0] += g; totals[1] += h; totals[2] += 1.0;)
}

void ck_histogram_sparse(double *joint, const uint16_t *bins, const int64_t *starts, const int32_t *rows,
                         ptrdiff_t count, const double *gradients, const double *hessians, double *totals) {
    totals[0] = totals[1] = totals[2] = totals[3] = 0.0;
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx")) {
        histogram_sparse_avx(joint, bins, starts, rows, count, gradients, hessians, totals);
        return;
    }
#endif
    histogram_sparse_portable(joint, bins, starts, rows, count, gradients, hessians, totals);
}

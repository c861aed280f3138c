#include "CKernels.h"

#include <string.h>

// Histograms hold two doubles a bin, (gradient sum, hessian sum): a row's update of a bin is one
// load, one 2-lane add and one store (SSE2, part of every x86-64; elsewhere two scalar adds with
// the same bits). Counts are not summed: the split search estimates them from the hessians, as
// LightGBM does. Each lane is a plain double add in row order.

#define CK_LOOKAHEAD 8

#if defined(__x86_64__)
#include <emmintrin.h>
#define CK_ADD(entry, g, h) _mm_storeu_pd((entry), _mm_add_pd(_mm_loadu_pd(entry), _mm_set_pd((h), (g))))
#else
#define CK_ADD(entry, g, h) ((entry)[0] += (g), (entry)[1] += (h))
#endif

void ck_histogram_features(double *histogram, const uint8_t *codes, ptrdiff_t width, const int32_t *rows,
                           ptrdiff_t count, const double *gradients, const double *hessians, const int32_t *columns,
                           const ptrdiff_t *bases, const ptrdiff_t *lengths, ptrdiff_t selected) {
    for (ptrdiff_t j = 0; j < selected; ++j) memset(histogram + bases[j], 0, (size_t)lengths[j] * sizeof(double));
    // Four rows at a time: a column's base and index are loaded once for the four updates, which
    // still reach each bin in row order. The codes of the rows CK_LOOKAHEAD on are prefetched: a
    // leaf's rows are scattered over the matrix and the hardware prefetcher cannot guess them.
    ptrdiff_t k = 0;
    for (; k + 4 <= count; k += 4) {
        if (k + 4 + CK_LOOKAHEAD <= count) {
            for (ptrdiff_t a = 0; a < 4; ++a) {
                const uint8_t *ahead = codes + (ptrdiff_t)rows[k + CK_LOOKAHEAD + a] * width;
                for (ptrdiff_t line = 0; line < width; line += 64) ck_prefetch(ahead + line);
            }
        }
        const ptrdiff_t r0 = rows[k], r1 = rows[k + 1], r2 = rows[k + 2], r3 = rows[k + 3];
        const double g0 = gradients[r0], g1 = gradients[r1], g2 = gradients[r2], g3 = gradients[r3];
        const double h0 = hessians[r0], h1 = hessians[r1], h2 = hessians[r2], h3 = hessians[r3];
        const uint8_t *c0 = codes + r0 * width, *c1 = codes + r1 * width;
        const uint8_t *c2 = codes + r2 * width, *c3 = codes + r3 * width;
        for (ptrdiff_t j = 0; j < selected; ++j) {
            const ptrdiff_t column = columns[j];
            double *base = histogram + bases[j];
            CK_ADD(base + 2 * (ptrdiff_t)c0[column], g0, h0);
            CK_ADD(base + 2 * (ptrdiff_t)c1[column], g1, h1);
            CK_ADD(base + 2 * (ptrdiff_t)c2[column], g2, h2);
            CK_ADD(base + 2 * (ptrdiff_t)c3[column], g3, h3);
        }
    }
    for (; k < count; ++k) {
        const ptrdiff_t r = rows[k];
        const double g = gradients[r], h = hessians[r];
        const uint8_t *row = codes + r * width;
        for (ptrdiff_t j = 0; j < selected; ++j) CK_ADD(histogram + bases[j] + 2 * (ptrdiff_t)row[columns[j]], g, h);
    }
}

void ck_histogram_sparse(double *joint, const uint16_t *bins, const int64_t *starts, const int32_t *rows,
                         ptrdiff_t count, const double *gradients, const double *hessians, double *totals) {
    double total_g = 0.0, total_h = 0.0;
    for (ptrdiff_t k = 0; k < count; ++k) {
        // The bins of the row CK_LOOKAHEAD on are prefetched (a leaf's rows are scattered).
        if (k + CK_LOOKAHEAD < count) {
            const ptrdiff_t ahead = rows[k + CK_LOOKAHEAD];
            const char *first = (const char *)(bins + starts[ahead]);
            const char *last = (const char *)(bins + starts[ahead + 1]);
            for (const char *line = first; line < last; line += 64) ck_prefetch(line);
        }
        const ptrdiff_t r = rows[k];
        const double g = gradients[r], h = hessians[r];
        total_g += g;
        total_h += h;
        const uint16_t *bin = bins + starts[r], *end = bins + starts[r + 1];
        for (; bin + 4 <= end; bin += 4) {
            CK_ADD(joint + 2 * (ptrdiff_t)bin[0], g, h);
            CK_ADD(joint + 2 * (ptrdiff_t)bin[1], g, h);
            CK_ADD(joint + 2 * (ptrdiff_t)bin[2], g, h);
            CK_ADD(joint + 2 * (ptrdiff_t)bin[3], g, h);
        }
        for (; bin < end; ++bin) CK_ADD(joint + 2 * (ptrdiff_t)*bin, g, h);
    }
    totals[0] = total_g;
    totals[1] = total_h;
}

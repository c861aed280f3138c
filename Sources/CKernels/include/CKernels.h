#ifndef CKERNELS_H
#define CKERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Dense floating-point kernels that need instruction sets Swift cannot target per function
/// (AVX2 + FMA), compiled for those sets only inside the functions and chosen at run time,
/// so the package still runs on any x86-64 (and builds on other architectures).

/// 1 when this CPU (and OS) can run the AVX2 + FMA kernels, else 0. Always 0 off x86-64.
int ck_avx2_fma_supported(void);

/// Asks for the cache line holding `address` ahead of its use (a hint; never faults).
static inline void ck_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

/// Σ (x[j] − y[j])² over `count` elements, in four 4-lane FMA accumulators.
/// AVX2 + FMA; call only when `ck_avx2_fma_supported()` returns 1 (off x86-64: a scalar loop).
double ck_squared_distance_avx2(const double *x, const double *y, ptrdiff_t count);

/// Squared distances from `x` (length `length`) to 4·`groups` vectors stored by column:
/// element j of vector c at `columns[j * 4 * groups + c]`, so each step measures four
/// vectors in one register. `out[c] = Σ_j (columns[j·4·groups + c] − x[j])²` (AVX2; same condition).
void ck_head_distances_avx2(const double *x, const double *columns, ptrdiff_t length, ptrdiff_t groups, double *out);

/// `target[j] += row[j]` for j in 0..<count (AVX2; same condition).
void ck_add_row_avx2(double *target, const double *row, ptrdiff_t count);

/// `into[j] += row[j]; from[j] -= row[j]` for j in 0..<count: a row moving between two
/// cluster sums (AVX2; same condition).
void ck_move_row_avx2(double *into, double *from, const double *row, ptrdiff_t count);

/// For every centre lane l of `groups` groups of four, `out[4 g + l] = Σ_j (row[j] − mean[j]) ·
/// weights[(g p + j) 4 + l]`, summed in increasing j as a multiply then an add (never fused),
/// so the bits equal a plain loop's. AVX (no FMA); call only when `ck_avx2_fma_supported()`
/// returns 1 (AVX2 implies AVX). Off x86-64 it is that plain loop.
void ck_folded_dots_avx(const double *row, const double *mean, const double *weights, ptrdiff_t p, ptrdiff_t groups, double *out);

/// Joint histogram of the rows `rows[0..<count]` of a sparse code matrix, two doubles a bin:
/// row r updates the bins `bins[starts[r]..<starts[r + 1]]`, adding (gradients[r], hessians[r])
/// to the 2 doubles at `joint + 2 * bin`, rows in order (the caller zeroes the bins first).
/// `totals` gets the sums of gradients and hessians over the rows, in row order.
void ck_histogram_sparse(double *joint, const uint16_t *bins, const int64_t *starts, const int32_t *rows,
                         ptrdiff_t count, const double *gradients, const double *hessians, double *totals);

/// Histogram of the rows `rows[0..<count]` of a row-major code matrix (`width` codes a row) over
/// the columns `columns[0..<selected]`, two doubles a bin: zeroes `lengths[j]` doubles from
/// `histogram + bases[j]`, then for each row r and column j adds (gradients[r], hessians[r]) to
/// the 2 doubles at `histogram + bases[j] + 2 * code`, rows in order.
void ck_histogram_features(double *histogram, const uint8_t *codes, ptrdiff_t width, const int32_t *rows,
                           ptrdiff_t count, const double *gradients, const double *hessians, const int32_t *columns,
                           const ptrdiff_t *bases, const ptrdiff_t *lengths, ptrdiff_t selected);

/// PCA's projection in Float32 products (ProjectionBlock.c): rows in panels of
/// `CK_PROJECTION_ROWS`, components in panels of `CK_PROJECTION_COMPONENTS`.
#define CK_PROJECTION_ROWS 6
#define CK_PROJECTION_COMPONENTS 16
/// Features summed in Float32 before the sum is added to the Float64 result.
#define CK_PROJECTION_DEPTH 128
#define CK_PRODUCTS_ADD 1
#define CK_PRODUCTS_UPPER 2

/// `out[r * ldo + t] = Σ_j rows(r, j) · axes(t, j)` for r < rowCount, t < components, where
/// `rows` holds ⌈rowCount / 6⌉ panels of 6 rows (element (j, r) of panel q at
/// `rows[q·6p + 6j + r]`, rows past rowCount zero) and `axes` ⌈components / 16⌉ panels of 16
/// (element (j, t) of panel q at `axes[q·16p + 16j + t]`, missing components zero). Products
/// and sums over 128 features at a time in Float32, those sums added in Float64.
/// `mode`: 0, or `CK_PRODUCTS_ADD` to add to `out` instead of overwriting it, with
/// `CK_PRODUCTS_UPPER` to skip the 6 x 16 tiles that lie wholly below the diagonal (t < r):
/// with the same matrix packed both ways this is a block of XᵀX, the covariance's products.
/// The AVX2 + FMA form; call only when `ck_avx2_fma_supported()` returns 1 (off x86-64 it is
/// the portable one).
void ck_project_block_f32_avx2(const float *rows, ptrdiff_t rowCount, const float *axes, ptrdiff_t components,
                               ptrdiff_t p, double *out, ptrdiff_t ldo, int mode);
/// The same contract in plain C, for any CPU (no FMA: the sums may differ in the last bits).
void ck_project_block_f32_portable(const float *rows, ptrdiff_t rowCount, const float *axes, ptrdiff_t components,
                                   ptrdiff_t p, double *out, ptrdiff_t ldo, int mode);

/// Stage 2 of the cleaning transform for the codes kept as bits: for i in 0..<count, a value
/// v = values[i] that is a whole number in -1...62 with bit v + 1 of masks[i] set becomes NaN
/// (the bits of Swift's `Double.nan`); every other value is left as it is. Returns how many i
/// with counted[i] != 0 hold a NaN afterwards. AVX2 when the CPU has it and `portable` is 0,
/// else a portable loop with the same bits.
ptrdiff_t ck_clean_unknown_codes(double *values, const uint64_t *masks, const uint8_t *counted, ptrdiff_t count,
                                 int portable);

#endif

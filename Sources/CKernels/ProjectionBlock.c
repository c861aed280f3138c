#include "CKernels.h"

// PCA's products (the projection X Vᵀ, the covariance's XᵀX) in Float32, summed in Float32
// over CK_PROJECTION_DEPTH terms at a time and then in Float64: twice the products per
// instruction of Float64, with a rounding error of the order of Float32's over a short sum,
// not over all terms.

#define CK_ROWS CK_PROJECTION_ROWS
#define CK_COMPONENTS CK_PROJECTION_COMPONENTS

// The tile's Float64 sums written to (or added to) the output, only the rows and components
// that exist.
static void store_tile(const double *tile, ptrdiff_t rows, ptrdiff_t components, double *out, ptrdiff_t ldo, int add) {
    for (ptrdiff_t r = 0; r < rows; ++r) {
        for (ptrdiff_t t = 0; t < components; ++t) {
            out[r * ldo + t] = (add ? out[r * ldo + t] : 0) + tile[r * CK_COMPONENTS + t];
        }
    }
}

// Whether a tile has no element (r, t) with t >= r, for `upper` products.
static inline int below_diagonal(ptrdiff_t rp, ptrdiff_t q) { return q * CK_COMPONENTS + CK_COMPONENTS - 1 < rp * CK_ROWS; }

static inline ptrdiff_t min_ptrdiff(ptrdiff_t a, ptrdiff_t b) { return a < b ? a : b; }

// The Float64 sums of one 6 x 16 tile over features j0..<j1, added to `tile`.
typedef void (*ck_tile_fn)(const float *x, const float *v, ptrdiff_t j0, ptrdiff_t j1, double *tile);

static void tile_portable(const float *x, const float *v, ptrdiff_t j0, ptrdiff_t j1, double *tile) {
    float partial[CK_ROWS * CK_COMPONENTS] = {0};
    for (ptrdiff_t j = j0; j < j1; ++j) {
        for (int r = 0; r < CK_ROWS; ++r) {
            const float xr = x[j * CK_ROWS + r];
            for (int t = 0; t < CK_COMPONENTS; ++t) partial[r * CK_COMPONENTS + t] += xr * v[j * CK_COMPONENTS + t];
        }
    }
    for (int i = 0; i < CK_ROWS * CK_COMPONENTS; ++i) tile[i] += (double)partial[i];
}

// Every tile (but those `mode` skips), its features in runs of CK_PROJECTION_DEPTH.
static void project_tiles(const float *rows, ptrdiff_t rowCount, const float *axes, ptrdiff_t components,
                          ptrdiff_t p, double *out, ptrdiff_t ldo, int mode, ck_tile_fn tile_fn) {
    const ptrdiff_t rowPanels = (rowCount + CK_ROWS - 1) / CK_ROWS;
    const ptrdiff_t componentPanels = (components + CK_COMPONENTS - 1) / CK_COMPONENTS;
    double tile[CK_ROWS * CK_COMPONENTS];
    for (ptrdiff_t rp = 0; rp < rowPanels; ++rp) {
        const float *x = rows + rp * CK_ROWS * p;
        for (ptrdiff_t q = 0; q < componentPanels; ++q) {
            if ((mode & CK_PRODUCTS_UPPER) && below_diagonal(rp, q)) continue;
            const float *v = axes + q * CK_COMPONENTS * p;
            for (int i = 0; i < CK_ROWS * CK_COMPONENTS; ++i) tile[i] = 0;
            for (ptrdiff_t j0 = 0; j0 < p; j0 += CK_PROJECTION_DEPTH) {
                tile_fn(x, v, j0, min_ptrdiff(p, j0 + CK_PROJECTION_DEPTH), tile);
            }
            store_tile(tile, min_ptrdiff(CK_ROWS, rowCount - rp * CK_ROWS), min_ptrdiff(CK_COMPONENTS, components - q * CK_COMPONENTS),
                       out + rp * CK_ROWS * ldo + q * CK_COMPONENTS, ldo, mode & CK_PRODUCTS_ADD);
        }
    }
}

void ck_project_block_f32_portable(const float *rows, ptrdiff_t rowCount, const float *axes, ptrdiff_t components,
                                   ptrdiff_t p, double *out, ptrdiff_t ldo, int mode) {
    project_tiles(rows, rowCount, axes, components, p, out, ldo, mode, tile_portable);
}

#if defined(__x86_64__)
#include <immintrin.h>

// One 6 x 16 tile over features j0..<j1: 12 accumulators of 8 lanes (6 rows x 2 vectors of
// components), each step two loads of the axes, six broadcasts of the rows and twelve FMAs
// (the constant loops unroll and the accumulators stay in registers); the Float32 sums are
// then added to the Float64 tile.
__attribute__((target("avx2,fma")))
static void tile_avx2(const float *x, const float *v, ptrdiff_t j0, ptrdiff_t j1, double *tile) {
    __m256 sums[2 * CK_ROWS];
    for (int i = 0; i < 2 * CK_ROWS; ++i) sums[i] = _mm256_setzero_ps();
    for (ptrdiff_t j = j0; j < j1; ++j) {
        const __m256 v0 = _mm256_loadu_ps(v + CK_COMPONENTS * j);
        const __m256 v1 = _mm256_loadu_ps(v + CK_COMPONENTS * j + 8);
        for (int r = 0; r < CK_ROWS; ++r) {
            const __m256 s = _mm256_broadcast_ss(x + CK_ROWS * j + r);
            sums[2 * r] = _mm256_fmadd_ps(s, v0, sums[2 * r]);
            sums[2 * r + 1] = _mm256_fmadd_ps(s, v1, sums[2 * r + 1]);
        }
    }
    for (int i = 0; i < 2 * CK_ROWS; ++i) {
        double *target = tile + 8 * i;
        const __m128 low = _mm256_castps256_ps128(sums[i]), high = _mm256_extractf128_ps(sums[i], 1);
        _mm256_storeu_pd(target, _mm256_add_pd(_mm256_loadu_pd(target), _mm256_cvtps_pd(low)));
        _mm256_storeu_pd(target + 4, _mm256_add_pd(_mm256_loadu_pd(target + 4), _mm256_cvtps_pd(high)));
    }
}

void ck_project_block_f32_avx2(const float *rows, ptrdiff_t rowCount, const float *axes, ptrdiff_t components,
                               ptrdiff_t p, double *out, ptrdiff_t ldo, int mode) {
    project_tiles(rows, rowCount, axes, components, p, out, ldo, mode, tile_avx2);
}

#else

void ck_project_block_f32_avx2(const float *rows, ptrdiff_t rowCount, const float *axes, ptrdiff_t components,
                               ptrdiff_t p, double *out, ptrdiff_t ldo, int mode) {
    ck_project_block_f32_portable(rows, rowCount, axes, components, p, out, ldo, mode);
}

#endif

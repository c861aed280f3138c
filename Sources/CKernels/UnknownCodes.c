#include "CKernels.h"

#include <string.h>

// Stage 2 of the cleaning transform (TransformProgram in ModelFormat): a value is one of its
// input's unknown codes when it is a whole number c in -1...62 whose bit c + 1 is set in the
// input's mask. The test needs no branch and no integer conversion: for v in -1...62,
// (v + 1) + 2^52 rounds to the integer nearest v + 1, held in the low bits of its significand,
// and taking 2^52 and 1 back off gives v again exactly when v is whole. Every step is an exact
// IEEE operation or a comparison, so the AVX2 loop and the portable one give the same bits.

static const uint64_t ck_missing_bits = 0x7FF8000000000000ULL; // Swift's Double.nan

static inline double ck_missing(void) {
    double nan;
    memcpy(&nan, &ck_missing_bits, sizeof nan);
    return nan;
}

static ptrdiff_t ck_clean_codes_portable(double *values, const uint64_t *masks, const uint8_t *counted, ptrdiff_t start,
                                         ptrdiff_t count) {
    ptrdiff_t missing = 0;
    for (ptrdiff_t i = start; i < count; ++i) {
        const double v = values[i];
        const double magic = (v + 1.0) + 0x1p52;
        uint64_t shift;
        memcpy(&shift, &magic, sizeof shift);
        const int has_bit = (v >= -1.0) & (v <= 62.0) & ((magic - 0x1p52) - 1.0 == v);
        const int unknown = has_bit & (int)((masks[i] >> (shift & 63)) & 1);
        const double cleaned = unknown ? ck_missing() : v;
        values[i] = cleaned;
        missing += (counted[i] != 0) & (cleaned != cleaned);
    }
    return missing;
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx2")))
static ptrdiff_t ck_clean_codes_avx2(double *values, const uint64_t *masks, const uint8_t *counted, ptrdiff_t count) {
    const __m256d one = _mm256_set1_pd(1.0), two52 = _mm256_set1_pd(0x1p52);
    const __m256d low = _mm256_set1_pd(-1.0), high = _mm256_set1_pd(62.0);
    const __m256d missing_value = _mm256_castsi256_pd(_mm256_set1_epi64x((long long)ck_missing_bits));
    const __m256i low_bits = _mm256_set1_epi64x(63), bit = _mm256_set1_epi64x(1), zero = _mm256_setzero_si256();
    ptrdiff_t missing = 0;
    ptrdiff_t i = 0;
    for (; i + 4 <= count; i += 4) {
        const __m256d v = _mm256_loadu_pd(values + i);
        const __m256d magic = _mm256_add_pd(_mm256_add_pd(v, one), two52);
        const __m256d whole = _mm256_cmp_pd(_mm256_sub_pd(_mm256_sub_pd(magic, two52), one), v, _CMP_EQ_OQ);
        const __m256d in_range =
            _mm256_and_pd(_mm256_cmp_pd(v, low, _CMP_GE_OQ), _mm256_cmp_pd(v, high, _CMP_LE_OQ));
        const __m256i shift = _mm256_and_si256(_mm256_castpd_si256(magic), low_bits);
        const __m256i mask = _mm256_loadu_si256((const __m256i *)(masks + i));
        const __m256i flagged = _mm256_cmpeq_epi64(_mm256_and_si256(_mm256_srlv_epi64(mask, shift), bit), bit);
        const __m256d unknown = _mm256_and_pd(_mm256_and_pd(whole, in_range), _mm256_castsi256_pd(flagged));
        const __m256d cleaned = _mm256_blendv_pd(v, missing_value, unknown);
        _mm256_storeu_pd(values + i, cleaned);
        int32_t four;
        memcpy(&four, counted + i, sizeof four);
        const __m256i counts = _mm256_cmpgt_epi64(_mm256_cvtepu8_epi64(_mm_cvtsi32_si128(four)), zero);
        const __m256d absent = _mm256_cmp_pd(cleaned, cleaned, _CMP_UNORD_Q);
        missing += __builtin_popcount((unsigned)_mm256_movemask_pd(_mm256_and_pd(absent, _mm256_castsi256_pd(counts))));
    }
    return missing + ck_clean_codes_portable(values, masks, counted, i, count);
}
#endif

ptrdiff_t ck_clean_unknown_codes(double *values, const uint64_t *masks, const uint8_t *counted, ptrdiff_t count,
                                 int portable) {
#if defined(__x86_64__)
    if (!portable && __builtin_cpu_supports("avx2")) return ck_clean_codes_avx2(values, masks, counted, count);
#endif
    (void)portable;
    return ck_clean_codes_portable(values, masks, counted, 0, count);
}

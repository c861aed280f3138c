#include "CKernels.h"

#if defined(__x86_64__)

int ck_avx2_fma_supported(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

#else

int ck_avx2_fma_supported(void) { return 0; }

#endif

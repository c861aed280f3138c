import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which family of dense kernels runs: the Float32 product tiles of PCA's covariance and
/// projection, and k-means' row distances and cluster-sum updates. Both give the same
/// results up to rounding (FMA rounds once per product-add). Public because the inlinable
/// kernels of `DenseKernels` take it.
public enum GramKernel: Sendable, Hashable {
    /// Portable loops (plain C, Swift's SIMD types): run on any x86-64 (and elsewhere).
    case sse2
    /// The C target's AVX2 + FMA kernels; only on CPUs that have both.
    case avx2FMA

    /// The fastest kernel this CPU runs, decided once at run time. `PROSPECTOR_KERNEL=sse2`
    /// in the environment forces the portable kernel, to compare the two on one binary.
    package static let best: GramKernel = {
        if let forced = getenv("PROSPECTOR_KERNEL"), String(cString: forced) == "sse2" { return .sse2 }
        return isSupported(.avx2FMA) ? .avx2FMA : .sse2
    }()

    package static func isSupported(_ kernel: GramKernel) -> Bool {
        switch kernel {
        case .sse2: return true
        case .avx2FMA: return ck_avx2_fma_supported() == 1
        }
    }
}

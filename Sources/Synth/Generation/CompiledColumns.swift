/// The column plans flattened into contiguous, immutable memory, so the per-row loop
/// reads plain pointers instead of walking (and retaining) nested Swift arrays.
/// `@unchecked Sendable`: every buffer is written once in `init` and only read afterwards.
final class CompiledColumns: @unchecked Sendable {
    let count: Int
    let traitCount = LatentModel.traitCount
    let special: UnsafePointer<UInt8>  // 0 ordinary, 1 LNR, 2 RESPONSE
    let loadings: UnsafePointer<Double>
    let noise: UnsafePointer<Double>
    let orderedCount: UnsafePointer<Int32>
    let thresholdStart: UnsafePointer<Int32>
    let thresholds: UnsafePointer<Double>
    let rareStart: UnsafePointer<Int32>
    let rareCount: UnsafePointer<Int32>
    let rareCumulative: UnsafePointer<Double>
    let scoreSource: UnsafePointer<Int32>
    let mapStart: UnsafePointer<Int32>
    let maps: UnsafePointer<Int32>
    let unit: UnsafePointer<Int32>
    let sparseRate: UnsafePointer<Double>  // column * 3 + population
    let denseRate: UnsafePointer<Double>
    let tokenStart: UnsafePointer<Int32>
    let tokenOffsets: UnsafePointer<Int32>
    let pool: UnsafePointer<UInt8>
    let maxTokenLength: [Int]

    private let allocations: [UnsafeMutableRawPointer]

    static let ordinary: UInt8 = 0, lnr: UInt8 = 1, response: UInt8 = 2

    init(plans: [ColumnPlan]) {
        count = plans.count
        var special: [UInt8] = [], loadings: [Double] = [], noise: [Double] = []
        var orderedCount: [Int32] = [], thresholdStart: [Int32] = [], thresholds: [Double] = []
        var rareStart: [Int32] = [], rareCount: [Int32] = [], rareCumulative: [Double] = []
        var scoreSource: [Int32] = [], mapStart: [Int32] = [], maps: [Int32] = []
        var unit: [Int32] = [], sparseRate: [Double] = [], denseRate: [Double] = []
        var tokenStart: [Int32] = [], tokenOffsets: [Int32] = [], pool: [UInt8] = []
        var maxTokenLength: [Int] = []
        for plan in plans {
            switch plan.special {
            case .none: special.append(Self.ordinary)
            case .lnr: special.append(Self.lnr)
            case .response: special.append(Self.response)
            }
            let loading = plan.loading.isEmpty ? [Double](repeating: 0, count: LatentModel.traitCount) : plan.loading
            loadings.append(contentsOf: loading)
            noise.append(plan.noise)
            orderedCount.append(Int32(plan.orderedCount))
            thresholdStart.append(Int32(thresholds.count))
            thresholds.append(contentsOf: plan.thresholds)
            rareStart.append(Int32(rareCumulative.count))
            rareCount.append(Int32(plan.rareCumulative.count))
            rareCumulative.append(contentsOf: plan.rareCumulative)
            scoreSource.append(Int32(plan.scoreSource ?? -1))
            if let map = plan.derivedMap {
                mapStart.append(Int32(maps.count))
                maps.append(contentsOf: map.map { Int32($0) })
            } else {
                mapStart.append(-1)
            }
            unit.append(Int32(plan.missingUnit ?? -1))
            sparseRate.append(contentsOf: plan.sparseRate)
            denseRate.append(contentsOf: plan.denseRate)
            tokenStart.append(Int32(tokenOffsets.count))
            var longest = 0
            for token in plan.tokens {
                tokenOffsets.append(Int32(pool.count))
                pool.append(contentsOf: Array(token.utf8))
                longest = max(longest, token.utf8.count)
            }
            tokenOffsets.append(Int32(pool.count))
            maxTokenLength.append(plan.special == .lnr ? 11 : max(longest, 1))
        }
        var allocations: [UnsafeMutableRawPointer] = []
        self.special = Self.frozen(&allocations, special)
        self.loadings = Self.frozen(&allocations, loadings)
        self.noise = Self.frozen(&allocations, noise)
        self.orderedCount = Self.frozen(&allocations, orderedCount)
        self.thresholdStart = Self.frozen(&allocations, thresholdStart)
        self.thresholds = Self.frozen(&allocations, thresholds)
        self.rareStart = Self.frozen(&allocations, rareStart)
        self.rareCount = Self.frozen(&allocations, rareCount)
        self.rareCumulative = Self.frozen(&allocations, rareCumulative)
        self.scoreSource = Self.frozen(&allocations, scoreSource)
        self.mapStart = Self.frozen(&allocations, mapStart)
        self.maps = Self.frozen(&allocations, maps)
        self.unit = Self.frozen(&allocations, unit)
        self.sparseRate = Self.frozen(&allocations, sparseRate)
        self.denseRate = Self.frozen(&allocations, denseRate)
        self.tokenStart = Self.frozen(&allocations, tokenStart)
        self.tokenOffsets = Self.frozen(&allocations, tokenOffsets)
        self.pool = Self.frozen(&allocations, pool)
        self.maxTokenLength = maxTokenLength
        self.allocations = allocations
    }

    deinit {
        for pointer in allocations { pointer.deallocate() }
    }

    private static func frozen<T>(_ allocations: inout [UnsafeMutableRawPointer], _ array: [T]) -> UnsafePointer<T> {
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: max(array.count, 1))
        pointer.initialize(from: array, count: array.count)
        allocations.append(UnsafeMutableRawPointer(pointer))
        return UnsafePointer(pointer)
    }
}

import Foundation

/// Everything that defines one synthetic world: the segments and traits, how each column
/// reads the traits, the missing-value model and the response model. Built from the schema
/// and the seed alone, so the same seed always gives the same world.
public struct SynthModel: Sendable {
    public let seed: UInt64
    public let latent: LatentModel
    let plans: [ColumnPlan]
    let missing: MissingModel
    let compiled: CompiledColumns
    /// Column order of each file, as indices into `plans`.
    let fileColumns: [SynthFile: [Int]]
    public internal(set) var response: ResponseModel

    /// Noise of a column's latent score around its trait loading.
    static let columnNoise = 0.75

    public init(schema: ArvatoSchema, seed: UInt64, segmentCount: Int = 10) throws {
        guard segmentCount >= 2 else { throw SynthError.badOption("need at least 2 segments, got \(segmentCount)") }
        self.seed = seed
        var worldRandom = SynthRandom(seed: seed, stream: 0x5747)
        latent = LatentModel(segmentCount: segmentCount, random: &worldRandom)

        let covariance = latent.populationCovariance()
        let customerShift = zip(latent.meanTraits(\.customerShare), latent.meanTraits(\.populationShare)).map { $0 - $1 }
        let missing = try Self.largestBlockMissing(schema)
        var (plans, indexByName, unitNames) = try Self.schemaPlans(
            schema, seed: seed, missing: missing, covariance: covariance, customerShift: customerShift, latent: latent)
        let extraIndex = try Self.appendExtraPlans(
            to: &plans, schema: schema, seed: seed, covariance: covariance, customerShift: customerShift, latent: latent)
        let fileColumns = try Self.fileColumns(schema, indexByName: indexByName, extraIndex: extraIndex)

        self.plans = plans
        self.fileColumns = fileColumns
        self.missing = MissingModel(largestBlockFraction: missing.sparseShare.map { $0 / 0.9 }, unitNames: unitNames)
        self.compiled = CompiledColumns(plans: plans)
        guard let soziales = indexByName["D19_SOZIALES"], let cars = indexByName["KBA13_ANZAHL_PKW"] else {
            throw SynthError.schemaInvalid("the response model needs D19_SOZIALES and KBA13_ANZAHL_PKW")
        }
        self.response = ResponseModel(sozialesColumn: soziales, carsColumn: cars, plans: plans)
        let targetRate = Double(schema.files["MAILOUT_TRAIN"]?.positives ?? 532)
            / Double(schema.files["MAILOUT_TRAIN"]?.rows ?? 42_962)
        response.intercept = ResponseCalibration.intercept(model: self, targetRate: targetRate)
        response.targetRate = targetRate
    }

    /// The missing-value model sized by the schema's largest missing block (the columns that
    /// go missing together); its units are named later.
    private static func largestBlockMissing(_ schema: ArvatoSchema) throws -> MissingModel {
        var blockSizes: [String: Int] = [:]
        for column in schema.columns { if let b = column.missingBlock { blockSizes[b, default: 0] += 1 } }
        guard let largest = blockSizes.max(by: { ($0.value, $1.key) < ($1.value, $0.key) })?.key,
            let largestColumn = schema.columns.first(where: { $0.missingBlock == largest })
        else { throw SynthError.schemaInvalid("no column belongs to a missing_block") }
        let largestAZ = largestColumn.azdias?.missingFrac ?? 0
        let largestCU = largestColumn.customers?.missingFrac ?? 0
        return MissingModel(largestBlockFraction: [largestAZ, largestCU, (largestAZ + largestCU) / 2], unitNames: [])
    }

    /// The plan of every schema column, in schema order, with its missing rates; columns of a
    /// missing block (or else of one name stem) share a missing unit.
    private static func schemaPlans(
        _ schema: ArvatoSchema, seed: UInt64, missing: MissingModel, covariance: [[Double]], customerShift: [Double],
        latent: LatentModel
    ) throws -> (plans: [ColumnPlan], indexByName: [String: Int], unitNames: [String]) {
        var plans: [ColumnPlan] = []
        var unitNames: [String] = []
        var unitIndex: [String: Int] = [:]
        func unit(_ name: String) -> Int {
            if let i = unitIndex[name] { return i }
            unitIndex[name] = unitNames.count
            unitNames.append(name)
            return unitNames.count - 1
        }
        var indexByName: [String: Int] = [:]
        for column in schema.columns {
            var plan: ColumnPlan
            if column.name == "LNR" {
                plan = ColumnPlan(name: column.name, special: .lnr)
            } else {
                plan = try Self.plan(
                    for: column, seed: seed, indexByName: indexByName, plans: plans,
                    covariance: covariance, customerShift: customerShift, latent: latent)
            }
            let az = column.azdias?.missingFrac ?? 0
            let cu = column.customers?.missingFrac ?? 0
            if az > 0 || cu > 0 {
                let stem = String(column.name.reversed().drop { $0.isNumber }.reversed())
                plan.missingUnit = unit(column.missingBlock ?? ("stem:" + stem))
                for (p, f) in zip(Population.allCases, [az, cu, (az + cu) / 2]) {
                    let (q, r) = missing.rates(fraction: f, population: p)
                    plan.sparseRate[p.rawValue] = q
                    plan.denseRate[p.rawValue] = r
                }
            }
            indexByName[column.name] = plans.count
            plans.append(plan)
        }
        return (plans, indexByName, unitNames)
    }

    /// Appends the file-specific columns (the customers' extra columns and the campaign's
    /// RESPONSE); returns their plan indices by name.
    private static func appendExtraPlans(
        to plans: inout [ColumnPlan], schema: ArvatoSchema, seed: UInt64, covariance: [[Double]], customerShift: [Double],
        latent: LatentModel
    ) throws -> [String: Int] {
        var extraIndex: [String: Int] = [:]
        for name in ["PRODUCT_GROUP", "CUSTOMER_GROUP", "ONLINE_PURCHASE"] {
            guard let extra = schema.extraColumns[name] else {
                throw SynthError.schemaInvalid("extra_columns has no \(name)")
            }
            let order = extra.values.map(\.text)
            let marginal = MarginalFit.counted(order: order, counts: extra.valueCounts, rareTokens: [])
            var plan = Self.copulaPlan(
                name: name, marginal: marginal, seed: seed, group: "EXTRA",
                shift: name == "ONLINE_PURCHASE" ? 0 : 0.3, covariance: covariance,
                customerShift: customerShift, latent: latent)
            plan.name = name
            extraIndex[name] = plans.count
            plans.append(plan)
        }
        extraIndex["RESPONSE"] = plans.count
        plans.append(ColumnPlan(name: "RESPONSE", special: .response))
        return extraIndex
    }

    /// Each file's columns, in the schema's file order, as plan indices.
    private static func fileColumns(
        _ schema: ArvatoSchema, indexByName: [String: Int], extraIndex: [String: Int]
    ) throws -> [SynthFile: [Int]] {
        var fileColumns: [SynthFile: [Int]] = [:]
        for file in SynthFile.allCases {
            guard let facts = schema.files[file.schemaKey] else {
                throw SynthError.schemaInvalid("files has no \(file.schemaKey)")
            }
            fileColumns[file] = try facts.columns.map { name in
                guard let i = indexByName[name] ?? extraIndex[name] else {
                    throw SynthError.schemaInvalid("\(file.schemaKey) lists column \(name), which has no entry")
                }
                return i
            }
        }
        return fileColumns
    }

    /// The generation plan of one schema column.
    static func plan(
        for column: ArvatoSchema.Column, seed: UInt64, indexByName: [String: Int], plans: [ColumnPlan],
        covariance: [[Double]], customerShift: [Double], latent: LatentModel
    ) throws -> ColumnPlan {
        let name = column.name
        let group = String(name.prefix { $0 != "_" })
        if name == "CAMEO_DEUG_2015", let source = indexByName["CAMEO_DEU_2015"] {
            // The group is the first digit of the detailed code; `XX` becomes `X`.
            let sourceTokens = plans[source].tokens
            let order = (column.values ?? []).map(\.text)
            let map = sourceTokens.map { token -> Int in
                let digit = token == "XX" ? "X" : String(token.prefix(1))
                return order.firstIndex(of: digit) ?? 0
            }
            var plan = ColumnPlan(name: name)
            plan.tokens = order
            plan.orderedCount = order.count
            plan.scoreSource = source
            plan.derivedMap = map
            return plan
        }
        if name == "CAMEO_INTL_2015", let source = indexByName["CAMEO_DEU_2015"] {
            let order = (column.values ?? []).map(\.text)
            let marginal = MarginalFit.counted(order: order, counts: column.valueCounts ?? [:], rareTokens: ["XX"])
            var plan = copulaPlan(
                name: name, marginal: marginal, seed: seed, group: group, shift: 0, covariance: covariance,
                customerShift: customerShift, latent: latent, loading: plans[source].loading,
                noise: plans[source].noise)
            plan.scoreSource = source
            return plan
        }
        let stats = column.azdias
        let shift: Double = {
            guard let a = stats?.mean, let s = stats?.std, s > 0, let c = column.customers?.mean else { return 0 }
            return (c - a) / s
        }()
        let marginal: Marginal
        switch column.kind {
        case .object:
            if name == "EINGEFUEGT_AM" {
                marginal = InsertionDates.marginal()
            } else {
                var order = (column.values ?? []).map(\.text)
                if name == "D19_LETZTER_KAUF_BRANCHE" {
                    // No natural order: rank by frequency so the common `D19_UNBEKANNT` sits at one end.
                    let counts = column.valueCounts ?? [:]
                    order.sort { (counts[$0] ?? 0, $1) > (counts[$1] ?? 0, $0) }
                }
                let rare: Set<String> = ["XX", "X"]
                marginal = MarginalFit.counted(order: order, counts: column.valueCounts ?? [:], rareTokens: rare)
            }
        case .int, .float:
            guard let stats else { throw SynthError.schemaInvalid("column \(name) has no AZDIAS statistics") }
            let domain = numericDomain(column)
            let render: (Int) -> String = column.kind == .int ? { String($0) } : { String($0) + ".0" }
            let unknown = Set(column.metadata?.unknownIntegers ?? [])
            marginal = MarginalFit.numeric(domain: domain, stats: stats, unknown: unknown, render: render)
        }
        return copulaPlan(
            name: name, marginal: marginal, seed: seed, group: group, shift: shift, covariance: covariance,
            customerShift: customerShift, latent: latent)
    }

    /// The integer values a numeric column may take: the values seen, its min and max,
    /// and every integer between them when the observed list is only a sample.
    static func numericDomain(_ column: ArvatoSchema.Column) -> [Int] {
        let seen = (column.values ?? []).compactMap(\.integer)
        guard let minimum = column.azdias?.min, let maximum = column.azdias?.max else { return seen }
        let lo = Int(minimum), hi = Int(maximum)
        if column.values == nil, let median = column.azdias?.p50, median > 1000, lo < 1000 {
            // A year column whose minimum is the code 0.
            return [lo] + Array(max(lo, 1900)...hi)
        }
        var domain = Set(seen).union([lo, hi])
        if column.values == nil || hi - lo > 60 { domain.formUnion(lo...hi) }
        return domain.sorted()
    }

    /// Loading, noise and latent-score thresholds for a column with the given marginal.
    ///
    /// The loading mixes the column group's shared direction (so groups correlate, which
    /// PCA can find) with the customer direction, sized so customers' mean shifts by
    /// `shift` standard deviations, as in the real CUSTOMERS file.
    static func copulaPlan(
        name: String, marginal: Marginal, seed: UInt64, group: String, shift: Double,
        covariance: [[Double]], customerShift: [Double], latent: LatentModel,
        loading fixedLoading: [Double]? = nil, noise fixedNoise: Double? = nil
    ) -> ColumnPlan {
        let noise = fixedNoise ?? columnNoise
        let loading = fixedLoading ?? columnLoading(
            name: name, seed: seed, group: group, shift: shift, noise: noise, covariance: covariance, customerShift: customerShift)
        let thresholds = scoreThresholds(marginal: marginal, loading: loading, noise: noise, latent: latent)
        var rareCumulative: [Double] = []
        var rareSum = 0.0
        for r in marginal.rare {
            rareSum += r.probability
            rareCumulative.append(rareSum)
        }
        var plan = ColumnPlan(name: name)
        plan.tokens = marginal.ordered.map(\.token) + marginal.rare.map(\.token)
        plan.orderedCount = marginal.ordered.count
        plan.thresholds = thresholds
        plan.rareCumulative = rareCumulative
        plan.loading = loading
        plan.noise = noise
        return plan
    }

    /// A column's loading on the traits: its group's shared direction plus its own noise,
    /// then moved along the customers' shift until the column separates customers from the
    /// population by `shift` standard deviations (clamped to ±0.8 and to what is reachable).
    private static func columnLoading(
        name: String, seed: UInt64, group: String, shift: Double, noise: Double, covariance: [[Double]], customerShift: [Double]
    ) -> [Double] {
        let n = LatentModel.traitCount
        var groupRandom = SynthRandom(seed: seed, stream: 0x6752, stableHash(group))
        var base = (0..<n).map { _ in groupRandom.normal() }
        let baseNorm = base.reduce(0) { $0 + $1 * $1 }.squareRoot()
        base = base.map { $0 / max(baseNorm, 1e-9) }
        var columnRandom = SynthRandom(seed: seed, stream: 0x636F, stableHash(name))
        let sign: Double = columnRandom.uniform() < 0.5 ? -1 : 1
        let b = base.map { sign * (0.85 * $0 + 0.45 * columnRandom.normal()) }
        let shiftNorm = customerShift.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let direction = customerShift.map { $0 / max(shiftNorm, 1e-9) }
        let along = zip(b, direction).reduce(0) { $0 + $1.0 * $1.1 }
        let orthogonal = zip(b, direction).map { $0 - along * $1 }
        func loadingFor(_ lambda: Double) -> [Double] { zip(orthogonal, direction).map { $0 + lambda * $1 } }
        func standardizedShift(_ a: [Double]) -> Double {
            var variance = noise * noise
            for i in 0..<n { for j in 0..<n { variance += a[i] * covariance[i][j] * a[j] } }
            return zip(a, customerShift).reduce(0) { $0 + $1.0 * $1.1 } / variance.squareRoot()
        }
        let reachable = 0.9 * standardizedShift(loadingFor(50))
        let target = max(-reachable, min(reachable, max(-0.8, min(0.8, shift))))
        var lo = -50.0, hi = 50.0
        for _ in 0..<60 {
            let mid = (lo + hi) / 2
            if standardizedShift(loadingFor(mid)) < target { lo = mid } else { hi = mid }
        }
        return loadingFor((lo + hi) / 2)
    }

    /// The score thresholds that cut the population's score distribution (a mixture of
    /// normals, one per segment) into the marginal's ordered values at their probabilities.
    private static func scoreThresholds(marginal: Marginal, loading: [Double], noise: Double, latent: LatentModel) -> [Double] {
        let means = latent.segments.map { s in zip(loading, s.traitMeans).reduce(0) { $0 + $1.0 * $1.1 } }
        let shares = latent.segments.map(\.populationShare)
        let spread = (LatentModel.withinSpread * LatentModel.withinSpread * loading.reduce(0) { $0 + $1 * $1 }
            + noise * noise).squareRoot()
        func cdf(_ x: Double) -> Double {
            var f = 0.0
            for (m, w) in zip(means, shares) { f += w * Gaussian.cdf((x - m) / spread) }
            return f
        }
        let orderedTotal = marginal.ordered.reduce(0) { $0 + $1.probability }
        let lower = (means.min() ?? 0) - 8 * spread, upper = (means.max() ?? 0) + 8 * spread
        var targets: [Double] = []
        var cumulative = 0.0
        for k in 0..<max(0, marginal.ordered.count - 1) {
            cumulative += marginal.ordered[k].probability / max(orderedTotal, 1e-300)
            targets.append(cumulative)
        }
        var thresholds: [Double] = []
        if targets.count <= 64 {
            for target in targets {
                var lo = thresholds.last ?? lower, hi = upper
                for _ in 0..<44 {
                    let mid = (lo + hi) / 2
                    if cdf(mid) < target { lo = mid } else { hi = mid }
                }
                thresholds.append((lo + hi) / 2)
            }
        } else {
            // Many values (EINGEFUEGT_AM has thousands): the CDF on a fine grid, inverted
            // by interpolation in one pass.
            let gridSize = 4096
            let step = (upper - lower) / Double(gridSize)
            let grid = (0...gridSize).map { cdf(lower + Double($0) * step) }
            var g = 0
            for target in targets {
                while g < gridSize - 1 && grid[g + 1] < target { g += 1 }
                let f0 = grid[g], f1 = grid[g + 1]
                let fraction = f1 > f0 ? min(1, max(0, (target - f0) / (f1 - f0))) : 0
                thresholds.append(lower + (Double(g) + fraction) * step)
            }
        }
        return thresholds
    }
}

/// FNV-1a: a hash of a name that never changes between runs or platforms.
func stableHash(_ text: String) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 {
        h ^= UInt64(byte)
        h = h &* 0x100_0000_01B3
    }
    return h
}

/// EINGEFUEGT_AM: when the record was inserted. Most records share the initial load
/// dates of February 1992; the rest spread over the following years, thinning out.
enum InsertionDates {
    static func marginal() -> Marginal {
        var ordered: [(String, Double)] = [("1992-02-10 00:00:00", 0.45), ("1992-02-12 00:00:00", 0.12)]
        // Days from 1992-02-13 to 2016-12-31.
        let first = daysFromCivil(1992, 2, 13), last = daysFromCivil(2016, 12, 31)
        var weights: [Double] = []
        for day in first...last { weights.append(exp(-Double(day - first) / 2500)) }
        let total = weights.reduce(0, +)
        for (offset, day) in (first...last).enumerated() {
            let (y, m, d) = civilFromDays(day)
            let text = "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d) 00:00:00"
            ordered.append((text, 0.43 * weights[offset] / total))
        }
        return Marginal(ordered: ordered, rare: [])
    }

    /// Howard Hinnant's civil-date algorithms (proleptic Gregorian).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400
        return (m <= 2 ? y + 1 : y, m, d)
    }
}

import Foundation
import Report

/// A report shaped like a real full-scale run: 366 columns, 12 segments and the "insufficient
/// data" one, 200 principal components, two cross-validated models. The numbers are made up
/// but deterministic (a fixed-seed generator), within the ranges the real data shows.
enum SampleReport {
    /// Holds `<`, `&` and `"`: must reach the page escaped, and read back unchanged.
    static let trickyDescription = "Income <net> & \"gross\" per household"
    static let trickySegmentName = "Families & <kids>"

    static func make() -> ReportData {
        var random = Generator(seed: 42)
        let prefixes = [
            "D19_VERSAND_ONLINE_QUOTE_", "KBA13_HALTER_", "KBA05_", "SEMIO_", "FINANZ_", "LP_", "PLZ8_", "CJT_TYP_",
            "D19_BANKEN_ANZ_", "ALTER_KIND", "KBA13_CCM_", "GEBAEUDE_",
        ]
        var columns: [ReportData.Column] = []
        for index in 0..<366 {
            let name = prefixes[index % prefixes.count] + "\(index / prefixes.count + 1)"
            var missing = random.uniform() < 0.3 ? 0.1 + 0.05 * random.uniform() : 0.2 * random.uniform()
            var reason: String?
            if index % 61 == 7 {
                missing = 0.35 + 0.6 * random.uniform()
                reason = "missing > 30%"
            }
            if index == 200 {
                missing = 0.02
                reason = "not numeric, no metadata"
            }
            let hasMetadata = index % 7 != 3
            let hits = index % 11 == 0 ? Int(random.uniform() * 90_000) : 0
            columns.append(
                .init(
                    name: name, missingShare: missing, droppedReason: reason, hasMetadata: hasMetadata,
                    unknownCodeHits: hits))
        }
        let edges = (0...20).map { Double($0) / 20 }
        let counts =
            [601_234, 98_120, 45_002, 20_331, 11_907, 8_410, 6_112, 4_005, 3_220, 2_117] + [
                1_410, 12_660, 33_870, 30_102, 8_011, 2_507, 1_004, 803, 211, 85,
            ]
        let rowCount = counts.reduce(0, +)
        let dataQuality = ReportData.DataQuality(
            columns: columns, columnMissingThreshold: 0.3,
            rowMissingHistogram: .init(binEdges: edges, counts: counts), rowMissingThreshold: 0.5,
            rowsAboveThreshold: counts[10...].reduce(0, +), rowCount: rowCount)

        let raw = (1...200).map { 1 / pow(Double($0), 0.9) }
        let total = raw.reduce(0, +)
        let ratios = raw.map { $0 / total }
        var cumulative = 0.0
        let chosen =
            ratios.firstIndex {
                cumulative += $0
                return cumulative >= 0.9
            }! + 1
        let topAttributes = (1...3).map { component -> ReportData.ComponentLoadings in
            let loadings = (0..<8).map { rank -> ReportData.Loading in
                let sign: Double = rank % 2 == 0 ? 1 : -1
                let description =
                    rank == 0 && component == 1 ? trickyDescription : "Share of \(rank + 1)-person households"
                return ReportData.Loading(
                    name: columns[(component * 37 + rank * 13) % columns.count].name,
                    loading: sign * (0.21 - 0.02 * Double(rank)), description: description)
            }
            return ReportData.ComponentLoadings(component: component, attributes: loadings)
        }
        let pca = ReportData.PrincipalComponents(
            explainedVarianceRatio: ratios, chosenComponents: chosen, varianceTarget: 0.9, topAttributes: topAttributes)

        let names = [
            "Affluent families", "Young urban singles", "Rural pensioners", trickySegmentName, "Online shoppers",
            "Traditional savers", "Commuter households", "Students", "Investors in the suburbs", "Car enthusiasts",
            "Dual-income couples", "Frugal elderly",
        ]
        var populationShares = (0..<12).map { _ in 0.4 + random.uniform() }
        let populationTotal = populationShares.reduce(0, +)
        populationShares = populationShares.map { $0 / populationTotal * 0.88 }
        var customerShares = populationShares.enumerated().map { index, share in
            share * ([2.6, 0.4, 3.1, 1.3, 0.9, 1.0, 0.7, 0.2, 2.2, 1.1, 0.6, 1.4][index])
        }
        let customerTotal = customerShares.reduce(0, +)
        customerShares = customerShares.map { $0 / customerTotal * 0.8 }
        var rows: [ReportData.Segment] = (0..<12).map { index in
            let traits = (0..<4).map { rank -> ReportData.Trait in
                let sign: Double = rank % 2 == 0 ? 1 : -1
                let meaning: String? = rank == 0 ? "very high affinity" : rank == 1 ? "low" : nil
                return ReportData.Trait(
                    attribute: columns[(index * 29 + rank * 5) % columns.count].name,
                    description: rank == 1 ? nil : "Financial typology: money saver", level: rank == 2 ? nil : "Person",
                    deviation: sign * (1.6 - 0.35 * Double(rank)), typicalCode: rank == 3 ? nil : "\(rank + 1)",
                    typicalMeaning: meaning)
            }
            let ratio = customerShares[index] / populationShares[index]
            return ReportData.Segment(
                id: index, name: names[index], label: label(ratio), populationShare: populationShares[index],
                customerShare: customerShares[index], ratio: ratio, distinguishing: traits)
        }
        rows.append(
            .init(
                id: 12, name: "Insufficient data", label: label(0.2 / 0.12), populationShare: 0.12, customerShare: 0.2,
                ratio: 0.2 / 0.12, distinguishing: []))
        let segments = ReportData.Segments(
            kScan: (4...16).map { k in
                .init(
                    k: k, inertia: 41_000_000 * pow(Double(k), -0.35),
                    silhouette: 0.08 + 0.02 * sin(Double(k) / 3) + (k == 12 ? 0.02 : 0))
            },
            chosenK: 12, rows: rows)

        func curve(_ power: Double) -> [ReportData.ROCPoint] {
            (0...200).map { step in
                let fpr = Double(step) / 200
                return .init(falsePositiveRate: fpr, truePositiveRate: pow(fpr, power))
            }
        }
        let lift = (1...10).map { decile in
            let top = Double(decile) / 10
            let reached = decile == 10 ? 1 : pow(top, 0.45)
            return ReportData.LiftRow(
                topShare: top, responderShare: reached, lift: reached / top, threshold: 0.05 * pow(0.7, Double(decile)))
        }
        let reliability = (0..<10).map { bin in
            let predicted = 0.002 + 0.005 * Double(bin) * Double(bin) / 9
            return ReportData.ReliabilityBin(
                meanPredicted: predicted, observed: predicted * (0.85 + 0.3 * random.uniform()),
                count: 4_296 - bin * 180)
        }
        let response = ReportData.Response(
            models: [
                .init(name: "gradient-boosted trees", cvAUCMean: 0.7712, cvAUCSD: 0.0143, roc: curve(0.32)),
                .init(name: "logistic regression", cvAUCMean: 0.7021, cvAUCSD: 0.0198, roc: curve(0.45)),
            ],
            baseRate: 0.0124, lift: lift, reliability: reliability, expectedCalibrationError: 0.0031,
            topFeatures: (0..<40).map { rank in
                .init(
                    name: columns[(rank * 17) % columns.count].name, gain: 0.18 * pow(0.85, Double(rank)),
                    description: rank == 0
                        ? trickyDescription : rank % 3 == 0 ? nil : "Transactional activity, 12 months")
            })
        let provenance = ReportData.Provenance(
            bundleId: "2026-11-29T0300Z-1a2b3c4d", createdAt: "2026-11-29T03:00:00Z", prospectorVersion: "0.4.0",
            inputs: [
                .init(name: "Udacity_AZDIAS_052018.csv", size: 1_104_418_232, contentHash: "xxh64:1a2b3c4d5e6f7081"),
                .init(name: "Udacity_CUSTOMERS_052018.csv", size: 240_223_118, contentHash: "xxh64:0f1e2d3c4b5a6978"),
                .init(name: "DIAS Attributes - Values 2017.xlsx", size: 105_234, contentHash: "xxh64:99aa88bb77cc66dd"),
            ],
            parameters: [
                .init(name: "max-column-missing", value: "0.3"), .init(name: "max-row-missing", value: "0.5"),
                .init(name: "k-range", value: "4...16"), .init(name: "explained-variance", value: "0.9"),
                .init(name: "seed", value: "1"),
            ],
            steps: [
                .init(step: "read metadata", seconds: 0.41), .init(step: "ingest", seconds: 8.73),
                .init(step: "clean", seconds: 4.12), .init(step: "segment", seconds: 61.9),
                .init(step: "response model", seconds: 33.05), .init(step: "total", seconds: 110.0),
            ])
        return ReportData(
            provenance: provenance, dataQuality: dataQuality, principalComponents: pca, segments: segments,
            response: response)
    }

    private static func label(_ ratio: Double) -> String {
        ratio >= 2 ? "core" : ratio >= 1.25 ? "over-represented" : ratio > 0.8 ? "neutral" : "under-represented"
    }

    /// SplitMix64: small, fixed-seed, enough for made-up figures.
    struct Generator {
        var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func uniform() -> Double {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            z ^= z >> 31
            return Double(z >> 11) / Double(UInt64(1) << 53)
        }
    }
}

import Foundation
import ModelFormat
import Report
import Testing

@testable import Training

/// `trainer inspect`'s text: columns that line up with two-digit segment numbers, step times
/// in run order, and the small-numbers warning.
@Suite struct ManifestTextTests {
    static let runOrder = ["read metadata", "ingest", "clean", "segment", "response", "total"]

    static func manifest(responders: Int, withReport: Bool = true) throws -> BundleManifest {
        // Twelve segments (numbers 0…11): ratios 3.0, 2.7, … so two-digit numbers sit among one-digit ones.
        let rows = (0..<12).map { number in
            SegmentTable.Row(
                number: number, cluster: number, populationCount: 100, customerCount: 10, populationShare: 0.08,
                customerShare: 0.08 * (3.0 - 0.25 * Double((number * 5) % 12)), ratio: 3.0 - 0.25 * Double((number * 5) % 12),
                distinguishing: [.init(feature: "ALTER_HH", standardDeviations: 1.25, informationLevel: nil)])
        }
        let seconds = [0.4, 8.7, 4.1, 61.9, 33.0, 110.0]
        let steps = zip(runOrder, seconds).map { ReportData.StepTime(step: $0, seconds: $1) }
        var metrics: [String: JSONValue] = [
            "response": .object([
                "booster": .object(["meanAUC": .number(0.77), "standardDeviationAUC": .number(0.01)]),
                "logistic": .object(["meanAUC": .number(0.70), "standardDeviationAUC": .number(0.02)]),
                "positives": .number(Double(responders)), "rows": .number(4_000),
            ]),
            "segmentation": .object(["table": JSONValue(encoding: SegmentTable(rows: rows))]),
            "stepSeconds": .object(Dictionary(uniqueKeysWithValues: zip(runOrder, seconds.map { JSONValue.number($0) }))),
        ]
        if withReport {
            metrics["report"] = JSONValue(
                encoding: ReportData(provenance: .init(bundleId: "b", createdAt: "", prospectorVersion: "0", steps: steps)))
        }
        return BundleManifest(
            prospectorVersion: "0", inputSchema: .init(idColumn: "LNR", columns: []), metrics: metrics)
    }

    private func lines(_ manifest: BundleManifest, after heading: String) -> [String] {
        let all = ManifestText.render(manifest, sections: [:]).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        guard let start = all.firstIndex(of: heading) else { return [] }
        return Array(all[(start + 1)...].prefix { !$0.isEmpty })
    }

    private func column(of text: String, in line: String) -> Int? {
        line.range(of: text).map { line.distance(from: line.startIndex, to: $0.lowerBound) }
    }

    @Test func segmentColumnsLineUpWithTwoDigitNumbers() throws {
        let table = lines(try Self.manifest(responders: 500), after: "segments")
        #expect(table.count == 13)
        let header = table[0]
        let rows = table.dropFirst()
        #expect(rows.contains { $0.hasPrefix("     10 ") } && rows.contains { $0.hasPrefix("      4 ") })
        // Every row's shares end under the header's column titles, and the label starts under "label".
        let ends = rows.map { row in row.indices.filter { row[$0] == "%" }.map { row.distance(from: row.startIndex, to: $0) } }
        #expect(Set(ends).count == 1, "\(ends)")
        #expect(ends.first == [column(of: "population", in: header)! + 9, column(of: "customers", in: header)! + 8])
        let labelColumn = try #require(column(of: "label", in: header))
        for row in rows {
            let label = row.dropFirst(labelColumn).prefix { $0 != " " }
            #expect(["core", "over-represented", "neutral", "under-represented", "insufficient-data"].contains(String(label)), "\(row)")
            #expect(row.contains("ALTER_HH +1.2"), "\(row)")  // the distinguishing attributes, not an empty column
        }
    }

    @Test func modelLinesLineUp() throws {
        let response = lines(try Self.manifest(responders: 500), after: "response model")
        let auc = response.filter { $0.contains("CV AUC") }.map { column(of: "CV AUC", in: $0) }
        #expect(auc.count == 2 && auc[0] == auc[1] && auc[0] == 23, "\(response)")
    }

    @Test func stepTimesAreInRunOrder() throws {
        let steps = lines(try Self.manifest(responders: 500), after: "run time per step (s)")
        #expect(steps.map { $0.split(separator: " ").dropLast().joined(separator: " ") } == Self.runOrder)
        #expect(steps.last?.hasSuffix("110.00") == true)
        // Without the report data (older manifests) the total still comes last.
        let old = lines(try Self.manifest(responders: 500, withReport: false), after: "run time per step (s)")
        #expect(old.last?.hasPrefix("  total ") == true)
        #expect(old.count == Self.runOrder.count)
    }

    @Test func fewRespondersPrintAWarning() throws {
        let few = lines(try Self.manifest(responders: 40), after: "response model").filter { $0.contains("warning") }
        #expect(few.count == 1)
        #expect(few.first?.contains("40 responders (fewer than 100)") == true)
        #expect(lines(try Self.manifest(responders: 100), after: "response model").allSatisfy { !$0.contains("warning") })
    }
}

import Foundation
import ModelFormat
import Report

/// The manifest for people.
package enum ManifestText {
    package static func render(_ m: BundleManifest, sections: [String: [UInt8]]) -> String {
        var lines = [
            "bundle      \(m.bundleId)",
            "format      \(m.formatVersion), written by Prospector \(m.prospectorVersion) at \(m.createdAt)",
            "schema      \(m.inputSchema.columns.count) input columns, id column \(m.inputSchema.idColumn)",
            "sections    " + sections.keys.sorted().map { "\($0) (\(sections[$0]!.count) bytes)" }.joined(separator: ", "),
            "",
            "inputs",
        ]
        for input in m.inputs {
            lines.append("  \(pad(input.name, 48)) \(pad(String(input.size), 12)) \(input.contentHash)")
        }
        lines.append("")
        lines.append("parameters")
        for (key, value) in flatten(.object(m.parameters), prefix: "") { lines.append("  \(pad(key, 40)) \(value)") }
        let metrics = JSONValue.object(m.metrics)
        lines.append("")
        lines.append("response model")
        for (label, key) in [("boosted trees", "booster"), ("logistic baseline", "logistic")] {
            if let mean = metrics[path: ["response", key, "meanAUC"]]?.number,
                let sd = metrics[path: ["response", key, "standardDeviationAUC"]]?.number
            {
                // (`%-20@` does not pad on Linux: the labels are padded here.)
                lines.append("  \(pad(label, 20)) " + String(format: "CV AUC %.4f ± %.4f", mean, sd))
            }
        }
        if let warning = smallNumbersWarning(metrics) { lines.append("  warning              " + warning) }
        if let trees = metrics[path: ["response", "chosenTrees"]]?.number { lines.append("  trees                CV chose \(Int(trees))") }
        if let ece = metrics[path: ["response", "expectedCalibrationError"]]?.number {
            lines.append(String(format: "  calibration          %@, ECE %.4f", (metrics[path: ["response", "calibration"]]?.string ?? "none") as NSString, ece))
        }
        if let rows = metrics[path: ["segmentation", "table", "rows"]], case .array(let segments) = rows {
            lines.append("")
            lines.append("segments")
            if let table = try? JSONDecoder().decode(SegmentTable.self, from: JSONEncoder().encode(metrics[path: ["segmentation", "table"]])) {
                lines.append(SegmentTableText.render(table))
            } else {
            lines.append(SegmentTableText.header)
            let sorted = segments.sorted { ($0[path: ["ratio"]]?.number ?? .infinity) > ($1[path: ["ratio"]]?.number ?? .infinity) }
            for s in sorted {
                lines.append(SegmentTableText.line(
                    number: Int(s[path: ["number"]]?.number ?? -1), populationShare: s[path: ["populationShare"]]?.number ?? 0,
                    customerShare: s[path: ["customerShare"]]?.number ?? 0, ratio: s[path: ["ratio"]]?.number ?? .infinity,
                    label: s[path: ["label"]]?.string ?? "?", attributes: ""))
            }
            }
        }
        if let previous = metrics[path: ["segmentLineage", "previousBundleId"]]?.string {
            let renumbered = metrics[path: ["segmentLineage", "renumbered"]] == .bool(true)
            lines.append("")
            lines.append("segment lineage: follows \(previous)" + (renumbered ? " (renumbered afresh)" : "")
                + ", highest number used \(Int(metrics[path: ["segmentLineage", "highestNumber"]]?.number ?? 0))")
            lines.append("  segment  status    distance  population before -> now   customers before -> now")
            func share(_ value: JSONValue?) -> String { value?.number.map { String(format: "%6.1f %%", $0 * 100) } ?? "     -  " }
            var entries: [(Int, String)] = []
            for (key, status) in [("segments", ""), ("vanished", "vanished")] {
                guard case .array(let items)? = metrics[path: ["segmentLineage", key]] else { continue }
                for item in items {
                    let number = Int(item[path: ["number"]]?.number ?? -1)
                    let state = status.isEmpty ? (item[path: ["kept"]] == .bool(true) ? "kept" : "new") : status
                    let distance = item[path: ["distance"]]?.number.map { String(format: "%8.3f", $0) } ?? "       -"
                    entries.append((number, String(format: "  %7d  ", number) + state.padding(toLength: 8, withPad: " ", startingAt: 0) + "  \(distance)  "
                        + "\(share(item[path: ["populationShareBefore"]])) -> \(share(item[path: ["populationShareNow"]]))  "
                        + "\(share(item[path: ["customerShareBefore"]])) -> \(share(item[path: ["customerShareNow"]]))"))
                }
            }
            lines += entries.sorted { $0.0 < $1.0 }.map(\.1)
        }
        if let mean = metrics[path: ["test", "meanProbability"]]?.number, let rows = metrics[path: ["test", "rows"]]?.number {
            lines.append("")
            lines.append(String(format: "test predictions: %d rows, mean probability %.5f", Int(rows), mean))
        }
        let steps = stepsInRunOrder(metrics)
        if !steps.isEmpty {
            lines.append("")
            lines.append("run time per step (s)")
            for (step, seconds) in steps { lines.append("  \(pad(step, 24)) \(String(format: "%8.2f", seconds))") }
        }
        return lines.joined(separator: "\n")
    }

    /// The report's small-numbers note, from the response model's responder count.
    static func smallNumbersWarning(_ metrics: JSONValue) -> String? {
        guard let positives = metrics[path: ["response", "positives"]]?.number else { return nil }
        return ReportData.Response.smallNumbersWarning(responders: Int(positives))
    }

    /// The step times in the order the steps ran, the total last: the report data keeps that order;
    /// `stepSeconds` is a JSON object (no order), used for manifests without report data.
    static func stepsInRunOrder(_ metrics: JSONValue) -> [(String, Double)] {
        if case .array(let steps)? = metrics[path: ["report", "provenance", "steps"]] {
            return steps.compactMap { step in
                guard let name = step[path: ["step"]]?.string, let seconds = step[path: ["seconds"]]?.number else { return nil }
                return (name, seconds)
            }
        }
        guard case .object(let steps)? = metrics[path: ["stepSeconds"]] else { return [] }
        let total = ReportData.Provenance.totalStep
        return steps.compactMap { key, value in value.number.map { (key, $0) } }
            .sorted { ($0.0 == total ? 1 : 0, $0.0) < ($1.0 == total ? 1 : 0, $1.0) }
    }

    /// `text` left-aligned in `width` columns (never cut).
    private static func pad(_ text: String, _ width: Int) -> String {
        text.padding(toLength: max(width, text.count), withPad: " ", startingAt: 0)
    }

    private static func flatten(_ value: JSONValue, prefix: String) -> [(String, String)] {
        switch value {
        case .object(let members):
            return members.keys.sorted().flatMap { flatten(members[$0]!, prefix: prefix.isEmpty ? $0 : prefix + "." + $0) }
        case .array(let values): return [(prefix, "[" + values.map { flatten($0, prefix: "").map(\.1).joined() }.joined(separator: ", ") + "]")]
        case .number(let n): return [(prefix, n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n))]
        case .string(let s): return [(prefix, s)]
        case .bool(let b): return [(prefix, String(b))]
        case .null: return [(prefix, "null")]
        }
    }
}

extension JSONValue {
    package subscript(path keys: [String]) -> JSONValue? {
        var value = self
        for key in keys {
            guard case .object(let members) = value, let next = members[key] else { return nil }
            value = next
        }
        return value
    }

    package var number: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    package var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}

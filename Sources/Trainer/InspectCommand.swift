import ArgumentParser
import Foundation
import ModelFormat
import Training

/// `trainer inspect`: what a bundle is, where it came from and how good it was.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Verifies a bundle and prints its manifest.")

    @Argument(help: ArgumentHelp("The bundle, or a models directory (its 'current' is used).", valueName: "bundle"))
    var bundle: String = "models/current"
    @Option(help: ArgumentHelp("text (for people) or json (the manifest as stored).", valueName: "format"))
    var format: InspectFormat = .text

    enum InspectFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func run() throws {
        try CommandErrors.run("inspect") {
            let path = BundlePath.resolve(bundle)
            let file = try BundleFile.read(path: path)
            _ = try ScoringModel(bundle: file, path: path)
            let manifest = file.manifest
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(manifest), as: UTF8.self))
            case .text:
                print(ManifestText.render(manifest, sections: file.sections))
            }
        }
    }
}

/// The manifest for people.
enum ManifestText {
    static func render(_ m: BundleManifest, sections: [String: [UInt8]]) -> String {
        var lines = [
            "bundle      \(m.bundleId)",
            "format      \(m.formatVersion), written by Prospector \(m.prospectorVersion) at \(m.createdAt)",
            "schema      \(m.inputSchema.columns.count) input columns, id column \(m.inputSchema.idColumn)",
            "sections    " + sections.keys.sorted().map { "\($0) (\(sections[$0]!.count) bytes)" }.joined(separator: ", "),
            "",
            "inputs",
        ]
        for input in m.inputs {
            lines.append("  \(input.name, padding: 48) \(String(input.size), padding: 12) \(input.contentHash)")
        }
        lines.append("")
        lines.append("parameters")
        for (key, value) in flatten(.object(m.parameters), prefix: "") { lines.append("  \(key, padding: 40) \(value)") }
        let metrics = JSONValue.object(m.metrics)
        lines.append("")
        lines.append("response model")
        for (label, key) in [("boosted trees", "booster"), ("logistic baseline", "logistic")] {
            if let mean = metrics[path: ["response", key, "meanAUC"]]?.number,
                let sd = metrics[path: ["response", key, "standardDeviationAUC"]]?.number
            {
                lines.append(String(format: "  %-20@ CV AUC %.4f ± %.4f", label as NSString, mean, sd))
            }
        }
        if let trees = metrics[path: ["response", "chosenTrees"]]?.number { lines.append("  trees                CV chose \(Int(trees))") }
        if let ece = metrics[path: ["response", "expectedCalibrationError"]]?.number {
            lines.append(String(format: "  calibration          %@, ECE %.4f", (metrics[path: ["response", "calibration"]]?.string ?? "none") as NSString, ece))
        }
        if let rows = metrics[path: ["segmentation", "table", "rows"]], case .array(let segments) = rows {
            lines.append("")
            lines.append("segments")
            lines.append(SegmentTableText.header)
            let sorted = segments.sorted { ($0[path: ["ratio"]]?.number ?? .infinity) > ($1[path: ["ratio"]]?.number ?? .infinity) }
            for s in sorted {
                lines.append(SegmentTableText.line(
                    number: Int(s[path: ["number"]]?.number ?? -1), populationShare: s[path: ["populationShare"]]?.number ?? 0,
                    customerShare: s[path: ["customerShare"]]?.number ?? 0, ratio: s[path: ["ratio"]]?.number ?? .infinity,
                    label: s[path: ["label"]]?.string ?? "?", attributes: ""))
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
        if case .object(let steps)? = metrics[path: ["stepSeconds"]] {
            lines.append("")
            lines.append("run time per step (s)")
            for (step, value) in steps.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(step, padding: 24) \(String(format: "%8.2f", value.number ?? 0))")
            }
        }
        return lines.joined(separator: "\n")
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
    subscript(path keys: [String]) -> JSONValue? {
        var value = self
        for key in keys {
            guard case .object(let members) = value, let next = members[key] else { return nil }
            value = next
        }
        return value
    }

    var number: Double? {
        if case .number(let n) = self { return n }
        return nil
    }

    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }
}

import ArgumentParser
import Foundation
import ModelFormat

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
            lines.append("segments (population share, customer share, ratio, label)")
            for s in segments {
                let name = s[path: ["name"]]?.string ?? "?"
                let population = (s[path: ["populationShare"]]?.number ?? 0) * 100
                let customers = (s[path: ["customerShare"]]?.number ?? 0) * 100
                let ratio = s[path: ["ratio"]]?.number ?? 0
                lines.append(String(format: "  %-20@ %6.1f %%  %6.1f %%  %5.2f  %@", name as NSString, population, customers, ratio,
                                    (s[path: ["label"]]?.string ?? "") as NSString))
            }
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

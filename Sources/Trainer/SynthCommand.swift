import ArgumentParser
import Foundation
import Synth

/// `trainer synth`: writes an Arvato-shaped synthetic data set with its ground truth.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Writes Arvato-shaped synthetic CSV files, metadata workbooks and ground truth.")

    @Option(name: .long, help: "Output directory (created if needed).")
    var out: String

    @Option(name: .long, help: "Fraction of the real row counts (1 = 891 221 AZDIAS rows).")
    var scale: Double = 0.02

    @Option(name: .long, help: "Random seed; the same seed and scale give identical files.")
    var seed: UInt64 = 1

    func run() throws {
        let truth = try CommandErrors.run("synth") {
            try Synthesizer(options: SynthOptions(scale: scale, seed: seed)).generateAll(into: out)
        }
        for file in SynthFile.allCases {
            guard let facts = truth.files[file.schemaKey] else { continue }
            var line = "\(facts.fileName): \(facts.rows) rows, \(facts.bytes) bytes"
            if let auc = facts.bayesAUC, let positives = facts.positives {
                line += ", \(positives) responses, Bayes AUC \(String(format: "%.3f", auc))"
            }
            print(line)
        }
        print("truth: \(out)/truth/truth.json")
    }
}

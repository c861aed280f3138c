import ArgumentParser
import Foundation
import Synth

/// `prospector-bench synth`: times generating the whole synthetic data set.
struct SynthBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth", abstract: "Generates the synthetic data set and prints its timing as JSON.")

    @Option(name: .long, help: "Output directory.")
    var out: String

    @Option(name: .long, help: "Fraction of the real row counts.")
    var scale: Double = 1

    @Option(name: .long, help: "Random seed.")
    var seed: UInt64 = 1

    func run() throws {
        let start = Date()
        let synthesizer = try Synthesizer(options: SynthOptions(scale: scale, seed: seed))
        let truth = try synthesizer.generateAll(into: out)
        let seconds = Date().timeIntervalSince(start)
        let rows = truth.files.values.reduce(0) { $0 + $1.rows }
        let bytes = truth.files.values.reduce(0) { $0 + $1.bytes }
        print("{\"step\":\"synth\",\"seconds\":\(String(format: "%.3f", seconds)),\"rows\":\(rows),\"bytes\":\(bytes)}")
    }
}

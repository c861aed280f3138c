import ArgumentParser
import Console
import Foundation
import ModelFormat
import Synth
import Training

/// `trainer demo`: the whole nightly job on built-in synthetic data, then a few prospects scored,
/// for a first look on a fresh machine.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Generates Arvato-shaped demo data, trains, publishes a bundle and scores a few prospects.",
        discussion: """
            Writes synthetic data (with its ground truth) to --out/data unless it is already there, \
            then runs `trainer train --data --out/data --models --out/models` and scores the first \
            rows of the campaign's test file with the published bundle, as `trainer predict` and the \
            scorer would.
            """)

    @Option(help: "Working directory for the demo's data and models.")
    var out: String = "demo"
    @Option(help: "Fraction of the real row counts to generate.")
    var scale: Double = 0.02
    @Option(help: "Random seed of the synthetic data and the fitting.")
    var seed: UInt64 = 1
    @Option(help: "Prospects to score at the end.")
    var prospects: Int = 8

    func run() throws {
        let data = out + "/data"
        let models = out + "/models"
        let reporter = ProgressReporter(display: .auto)
        reporter.startHeartbeat()
        let started = Date()
        let outcome: (run: TrainingPipeline.Run, path: String) = try CommandErrors.run("demo", progress: reporter) {
            if FileManager.default.fileExists(atPath: data + "/" + SynthFile.azdias.fileName) {
                reporter.finish("synth", message: "synthetic data already in \(data)", seconds: 0)
            } else {
                reporter.begin("synth")
                let truth = try Synthesizer(options: SynthOptions(scale: scale, seed: seed)).generateAll(into: data)
                let rows = SynthFile.allCases.compactMap { truth.files[$0.schemaKey]?.rows }
                reporter.finish("synth", message: "generated synthetic data in \(data): \(rows.map(String.init).joined(separator: " / ")) rows")
            }
            var options = TrainingOptions(prospectorVersion: ProspectorVersion.current)
            options.seed = seed
            options.cacheDirectory = ModelStore(directory: models).cacheDirectory
            let run = try TrainingPipeline(
                inputs: try TrainingInputs(directory: data), options: options, progress: reporter.finish, live: reporter
            ).run()
            let path = try ModelStore(directory: models).publish(run.bundle, companions: run.companions)
            return (run, path)
        }
        print(TrainSummaryText.render(outcome.run, bundlePath: outcome.path, models: models))

        // A few prospects through the published bundle, as the scorer would see them.
        try CommandErrors.run("demo") {
            let model = try ScoringModel.load(path: models + "/current")
            let test = data + "/" + SynthFile.mailoutTest.fileName
            let text = try String(contentsOfFile: test, encoding: .utf8)
            let lines = text.split(separator: "\n", maxSplits: prospects + 1, omittingEmptySubsequences: false).prefix(prospects + 1)
            let sample = Array((lines.joined(separator: "\n") + "\n").utf8)
            let format = ScoreFormat()
            print("\n\(prospects) prospects from \(SynthFile.mailoutTest.fileName) scored with \(models)/current (\(model.bundleId)):")
            print(format.header(idColumn: model.transform.idColumn), terminator: "")
            for outcome in try BatchScorer.score(sample, model: model) { print(format.line(outcome, model: model), terminator: "") }
            print(String(format: "\ndone in %.1f s. Next: trainer inspect %@/current; trainer predict --bundle %@/current FILE.csv",
                         Date().timeIntervalSince(started), models as NSString, models as NSString))
        }
    }
}

import ArgumentParser
import Foundation
import ModelFormat
import Training

/// `prospector-bench train`: the whole nightly job (`trainer train`) on a data directory, then
/// the same run again with the step cache warm, then the published bundle loaded.
struct TrainBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Times trainer train, a cached re-run and a bundle load, as JSON.")

    @Option(help: "Directory holding the six input files under their real names.")
    var data: String
    @Option(help: "Models directory (emptied first).")
    var models: String
    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    func run() throws {
        try? FileManager.default.removeItem(atPath: models)
        var options = TrainingOptions(prospectorVersion: ProspectorVersion.current)
        options.seed = seed
        options.cacheDirectory = models + "/.cache"
        let inputs = try TrainingInputs(directory: data)
        var steps: [String: Double] = [:]

        let started = Date()
        let run = try TrainingPipeline(inputs: inputs, options: options, progress: { steps[$0.step] = $0.seconds }).run()
        try ModelStore(directory: models).publish(run.bundle, companions: run.companions)
        let seconds = Date().timeIntervalSince(started)
        let peak = PeakMemory.megabytes() ?? 0

        let cachedStart = Date()
        let cached = try TrainingPipeline(inputs: inputs, options: options).run()
        try ModelStore(directory: models).publish(cached.bundle, companions: cached.companions)
        let cachedSeconds = Date().timeIntervalSince(cachedStart)

        // Bundle load: read, verify every checksum, decode and cross-check every section (best of 5).
        var load = Double.infinity
        for _ in 0..<5 {
            let t = Date()
            _ = try ScoringModel.load(path: models + "/current")
            load = min(load, Date().timeIntervalSince(t))
        }
        let bundleBytes = (try? FileManager.default.attributesOfItem(atPath: models + "/" + (ModelStore(directory: models).currentBundleName() ?? ""))[.size] as? Int) ?? 0
        var fields = [
            "\"step\":\"train\"", "\"seconds\":\(r(seconds))", "\"peak_mb\":\(r(peak))",
            "\"cached_seconds\":\(r(cachedSeconds))", "\"cached_speedup\":\(r(seconds / cachedSeconds))",
            "\"bundle_load_ms\":\(r(load * 1000))", "\"bundle_bytes\":\(bundleBytes)",
            "\"cv_auc\":\(r(run.response.booster.meanAUC))", "\"logistic_cv_auc\":\(r(run.response.logistic.meanAUC))",
            "\"clusters\":\(run.segmentation.clusterCount)", "\"components\":\(run.segmentation.components)",
            "\"sections_identical\":\(cached.bundle.sections == run.bundle.sections)",
        ]
        if let test = run.test { fields.append("\"test_mean_probability\":\(r(test.summary.meanProbability))") }
        for (step, value) in steps.sorted(by: { $0.key < $1.key }) {
            fields.append("\"\(step.replacingOccurrences(of: " ", with: "_"))_seconds\":\(r(value))")
        }
        print("{" + fields.joined(separator: ",") + "}")
    }

    private func r(_ value: Double) -> String { String(format: "%.4f", value) }
}

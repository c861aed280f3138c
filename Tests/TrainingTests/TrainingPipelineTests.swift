import Foundation
import Learning
import ModelFormat
import Synth
import Tabular
import Testing

@testable import Training

/// Arvato-shaped synthetic data at 1 % scale (8 912 population rows, 430 campaign rows),
/// generated once per test process.
enum PipelineFixture {
    static let data: String = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prospector-pipeline-\(getpid())").path
        _ = try! Synthesizer(options: SynthOptions(scale: 0.01, seed: 4)).generateAll(into: directory)
        return directory
    }()

    static func options(cache: String?) -> TrainingOptions {
        var options = TrainingOptions(prospectorVersion: "test")
        options.seed = 3
        options.cacheDirectory = cache
        options.segmentation.components = 8
        options.segmentation.k = 4
        options.segmentation.initializations = 1
        options.response.folds = 3
        options.response.booster.numIterations = 30
        options.response.booster.earlyStoppingRounds = 10
        return options
    }

    static func temporaryDirectory(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Runs the pipeline, recording its progress events.
    static func run(cache: String?) throws -> (run: TrainingPipeline.Run, events: [ProgressEvent]) {
        let events = EventLog()
        let run = try TrainingPipeline(
            inputs: try TrainingInputs(directory: data), options: options(cache: cache), progress: { events.append($0) }
        ).run()
        return (run, events.events)
    }
}

final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [ProgressEvent] = []
    func append(_ event: ProgressEvent) { lock.withLock { stored.append(event) } }
    var events: [ProgressEvent] { lock.withLock { stored } }
}

@Suite(.serialized) struct TrainingPipelineTests {
    @Test("a run publishes a bundle whose own per-row scorer reproduces the test predictions byte for byte")
    func publishAndPredictParity() throws {
        let (run, _) = try PipelineFixture.run(cache: nil)
        let models = PipelineFixture.temporaryDirectory("models")
        let test = try #require(run.test)
        let store = ModelStore(directory: models)
        let path = try store.publish(run.bundle, companions: [
            ("predictions.csv", PredictionFiles.predictions(test, model: run.model)),
            ("submission.csv", PredictionFiles.submission(test)),
        ])
        #expect(store.currentBundleName() == (path as NSString).lastPathComponent)

        // The scorer's path: the file's bytes, record by record, through the published bundle.
        let model = try ScoringModel.load(path: models + "/current")
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: PipelineFixture.data + "/" + SynthFile.mailoutTest.fileName)))
        let format = ScoreFormat()
        var text = format.header(idColumn: "LNR")
        for outcome in try BatchScorer.score(bytes, model: model) { text += format.line(outcome, model: model) }
        let written = try String(contentsOfFile: store.companionPath(id: run.bundle.manifest.bundleId, "predictions.csv"), encoding: .utf8)
        #expect(text == written)

        // Every test id once in the submission, in file order, with the predicted probability.
        let truth = try String(contentsOfFile: PipelineFixture.data + "/truth/response_mailout_test.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().map { String($0.split(separator: ";")[0]) }
        let submission = try String(contentsOfFile: store.companionPath(id: run.bundle.manifest.bundleId, "submission.csv"), encoding: .utf8)
            .split(separator: "\n")
        #expect(submission.first == "LNR,RESPONSE")
        #expect(submission.dropFirst().map { String($0.split(separator: ",")[0]) } == truth)
        #expect(test.ids.count == truth.count)

        // The manifest carries what the issue asks for.
        let manifest = try BundleFile.read(path: path).manifest
        #expect(manifest.inputs.map(\.name) == [
            "Udacity_AZDIAS_052018.csv", "Udacity_CUSTOMERS_052018.csv", "Udacity_MAILOUT_052018_TRAIN.csv",
            "Udacity_MAILOUT_052018_TEST.csv", "DIAS Attributes - Values 2017.xlsx", "DIAS Information Levels - Attributes 2017.xlsx",
        ])
        #expect(manifest.inputs.allSatisfy { $0.contentHash.hasPrefix("xxh64:") && $0.contentHash.count == 22 })
        #expect(manifest.inputSchema.idColumn == "LNR")
        for key in ["cleaning", "segmentation", "response", "test", "stepSeconds"] { #expect(manifest.metrics[key] != nil, "\(key)") }
        #expect(manifest.parameters["seed"] == .number(3))
        // CV over 3 folds; the final booster has the trees CV chose, within the cap of 30.
        #expect(run.response.booster.foldAUC.count == 3 && run.response.logistic.foldAUC.count == 3)
        #expect(abs(run.response.booster.meanAUC - run.response.booster.foldAUC.reduce(0, +) / 3) < 1e-12)
        #expect((1...30).contains(run.response.chosenTrees))
        #expect(run.model.booster.treeCount == run.response.chosenTrees)
        #expect(run.response.positives == 10 && run.response.rows == 500)
        #expect(run.segmentation.clusterCount == 4)
    }

    @Test("same inputs and seed give byte-identical model sections; a re-run takes every step from the cache")
    func reproducibleAndCached() throws {
        let cache = PipelineFixture.temporaryDirectory("cache")
        let (first, firstEvents) = try PipelineFixture.run(cache: cache)
        #expect(firstEvents.filter(\.cached).isEmpty)
        let (second, secondEvents) = try PipelineFixture.run(cache: cache)
        #expect(Set(secondEvents.filter(\.cached).map(\.step)) == ["clean", "segment", "response"])
        // No table but the test file was read again.
        #expect(!secondEvents.contains { $0.step.hasPrefix("read ") })
        #expect(second.bundle.sections == first.bundle.sections)
        let (uncached, _) = try PipelineFixture.run(cache: nil)
        #expect(uncached.bundle.sections == first.bundle.sections)
        #expect(uncached.test?.probabilities == first.test?.probabilities)
    }

    @Test("a corrupt cache entry is detected, reported and rebuilt")
    func corruptCacheRebuilt() throws {
        let cache = PipelineFixture.temporaryDirectory("cache")
        let (first, _) = try PipelineFixture.run(cache: cache)
        let entries = try FileManager.default.contentsOfDirectory(atPath: cache).filter { $0.hasPrefix("segment-") }
        let entry = cache + "/" + (try #require(entries.first))
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: entry)))
        bytes[bytes.count / 2] ^= 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: entry))
        let (second, events) = try PipelineFixture.run(cache: cache)
        #expect(events.contains { $0.step == "segment" && $0.message.contains("corrupt") })
        #expect(events.contains { $0.step == "segment" && !$0.cached && $0.message.hasPrefix("segmented") })
        #expect(second.bundle.sections == first.bundle.sections)
        #expect(FileManager.default.fileExists(atPath: entry))  // rewritten, and now valid
        #expect((try? BundleFile.read(path: entry)) != nil)
    }

    @Test("retention keeps the newest bundles and their files; current is never removed")
    func retention() throws {
        let (run, _) = try PipelineFixture.run(cache: nil)
        let models = PipelineFixture.temporaryDirectory("models")
        let store = ModelStore(directory: models, retention: 2)
        var ids: [String] = []
        for minute in 0..<4 {
            var bundle = run.bundle
            bundle.manifest.bundleId = "2026-11-29T03\(minute)0Z-0000000\(minute)"
            ids.append(bundle.manifest.bundleId)
            try store.publish(bundle, companions: [("predictions.csv", Array("x\n".utf8))])
        }
        #expect(store.bundleIds() == Array(ids.suffix(2)))
        #expect(store.currentBundleName() == "prospector-\(ids[3]).bundle")
        let names = try FileManager.default.contentsOfDirectory(atPath: models).filter { !$0.hasPrefix(".") }.sorted()
        #expect(names == ["current"] + ids.suffix(2).flatMap { ["prospector-\($0).bundle", "prospector-\($0).predictions.csv"] })
    }

    @Test("each lift cut's threshold is the lowest probability it mails (worked out by hand)")
    func liftThresholds() {
        let probabilities = [0.9, 0.1, 0.5, 0.3]
        let lift = LiftTable(probabilities: probabilities, labels: [1, 0, 0, 1], groups: 2)
        #expect(lift.rows.map(\.mailedShare) == [0.5, 1])
        #expect(TrainingPipeline.thresholds(of: lift, probabilities: probabilities) == [0.5, 0.1])
    }

    @Test("a bad label is an input error naming file, line and column")
    func badLabel() throws {
        let directory = PipelineFixture.temporaryDirectory("labels")
        let csv = "LNR;RESPONSE;A\n1;0;3\n2;1;4\n3;x;5\n"
        let table = try Tabular.CSVReader.read(bytes: Array(csv.utf8), name: "train.csv")
        do {
            _ = try TrainingPipeline.labels(table, column: "RESPONSE", file: directory + "/train.csv")
            Issue.record("accepted a label 'x'")
        } catch {
            #expect(error.isBadInput)
            #expect(error.description == directory + "/train.csv: line 4: column RESPONSE: expected 0 or 1, found 'x'")
        }
    }
}

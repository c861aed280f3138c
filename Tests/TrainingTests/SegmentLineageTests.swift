import Foundation
import ModelFormat
import Synth
import Testing

@testable import Training

/// Retrains follow the previous bundle's segment numbers (``SegmentNumbering``), checked
/// against the generator's true segments.
@Suite(.serialized) struct SegmentLineageTests {
    /// 4 true segments at 1 % scale, so that k = 4 clusters find them.
    static let data: String = {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prospector-lineage-\(getpid())").path
        _ = try! Synthesizer(options: SynthOptions(scale: 0.01, seed: 21, segmentCount: 4)).generateAll(into: directory)
        return directory
    }()

    static func options(seed: UInt64, previous: String?) -> TrainingOptions {
        var options = PipelineFixture.options(cache: nil)
        options.seed = seed
        options.segmentation.initializations = 8
        options.previousBundle = previous
        return options
    }

    static func train(_ directory: String, seed: UInt64, previous: String?, models: String) throws -> TrainingPipeline.Run {
        let run = try TrainingPipeline(inputs: try TrainingInputs(directory: directory), options: options(seed: seed, previous: previous)).run()
        _ = try ModelStore(directory: models).publish(run.bundle, companions: [])
        return run
    }

    /// LNR → true segment of the population file's rows.
    static func truth(_ directory: String) throws -> [String: Int] {
        let lines = try String(contentsOfFile: directory + "/truth/segments_azdias.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        return Dictionary(uniqueKeysWithValues: lines.map { line in
            let fields = line.split(separator: ";")
            return (String(fields[0]), Int(fields[1])!)
        })
    }

    /// The number most of each true segment's population rows get from `model` (scored as the scorer scores).
    static func dominantNumbers(_ directory: String, model: ScoringModel) throws -> [Int: Int] {
        try numberShares(directory, model: model).mapValues { $0.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!.key }
    }

    /// For each true segment, the share of its population rows (with enough data) each number gets.
    static func numberShares(_ directory: String, model: ScoringModel) throws -> [Int: [Int: Double]] {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + SynthFile.azdias.fileName)))
        let truth = try truth(directory)
        var counts: [Int: [Int: Int]] = [:]
        for outcome in try BatchScorer.score(bytes, model: model) {
            guard case .scored(let id, let segment, _, _) = outcome, let t = truth[id] else { continue }
            let number = model.segmentNumbers.number(ofSegment: segment)
            guard number != SegmentNumbers.insufficientData else { continue }
            counts[t, default: [:]][number, default: 0] += 1
        }
        return counts.mapValues { numbers in
            let total = Double(numbers.values.reduce(0, +))
            return numbers.mapValues { Double($0) / total }
        }
    }

    @Test("retraining on the same data with another seed keeps every number")
    func sameDataKeepsNumbers() throws {
        let models = PipelineFixture.temporaryDirectory("lineage-same")
        let first = try Self.train(Self.data, seed: 3, previous: nil, models: models)
        #expect(first.lineage.previousBundleId == nil)
        let before = try Self.dominantNumbers(Self.data, model: first.model)
        #expect(Set(before.values).count == 4, "the 4 true segments should land in 4 clusters: \(before)")

        let second = try Self.train(Self.data, seed: 11, previous: models + "/current", models: models)
        #expect(second.lineage.previousBundleId == first.bundle.manifest.bundleId)
        #expect(second.lineage.vanished.isEmpty)
        #expect(second.lineage.segments.allSatisfy { $0.kept })
        #expect(second.lineage.highestNumber == 4)
        #expect(Set(second.model.segmentNumbers.numbers) == Set(first.model.segmentNumbers.numbers))
        for segment in second.lineage.segments where segment.number != 0 {
            #expect((segment.distance ?? .infinity) < 0.05, "segment \(segment.number) moved \(segment.distance ?? .nan)")
        }
        let after = try Self.dominantNumbers(Self.data, model: second.model)
        #expect(after == before)
        // The manifest records it, and the report shows it.
        guard case .object(let lineage)? = second.bundle.manifest.metrics["segmentLineage"] else {
            Issue.record("no segmentLineage in the manifest"); return
        }
        #expect(lineage["previousBundleId"] == .string(first.bundle.manifest.bundleId))
        // Every segment's match, with its distance and shares then and now, in the manifest too.
        guard case .array(let segments)? = lineage["segments"] else {
            Issue.record("no per-segment lineage in the manifest"); return
        }
        #expect(segments.count == second.lineage.segments.count)
        for case .object(let entry) in segments where entry["number"] != .number(0) {
            #expect(entry["kept"] == .bool(true))
            #expect(entry["distance"] != nil && entry["populationShareBefore"] != nil, "\(entry.keys.sorted())")
        }
        #expect(second.report.segments?.lineage?.entries.filter { $0.status == "kept" }.count == 5)
    }

    @Test("retraining without one true segment keeps the others' numbers and lists the removed one")
    func removedSegmentIsListed() throws {
        let models = PipelineFixture.temporaryDirectory("lineage-removed")
        let first = try Self.train(Self.data, seed: 3, previous: nil, models: models)
        let before = try Self.dominantNumbers(Self.data, model: first.model)
        try #require(Set(before.values).count == 4, "the 4 true segments should land in 4 clusters: \(before)")

        // The same files, the population without the rows of one true segment.
        let removed = 2
        let reduced = PipelineFixture.temporaryDirectory("lineage-data")
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.data) where name != SynthFile.azdias.fileName {
            try FileManager.default.copyItem(atPath: Self.data + "/" + name, toPath: reduced + "/" + name)
        }
        let truth = try Self.truth(Self.data)
        let lines = try String(contentsOfFile: Self.data + "/" + SynthFile.azdias.fileName, encoding: .utf8).split(separator: "\n")
        let kept = lines.prefix(1) + lines.dropFirst().filter { truth[String($0.prefix { $0 != ";" })] != removed }
        #expect(kept.count < lines.count - 1000)
        try (kept.joined(separator: "\n") + "\n").write(toFile: reduced + "/" + SynthFile.azdias.fileName, atomically: true, encoding: .utf8)

        let second = try Self.train(reduced, seed: 3, previous: models + "/current", models: models)
        #expect(second.lineage.vanished.map(\.number) == [before[removed]!])
        // The fourth cluster is new, numbered above every number used so far.
        let new = second.lineage.segments.filter { !$0.kept }.map(\.number)
        #expect(new == [5])
        // Every remaining true segment keeps its number: its rows carry it, or the new number
        // when k-means split it in two (the half nearer the old centre keeps the number).
        let after = try Self.numberShares(reduced, model: second.model)
        for t in 0..<4 where t != removed {
            let number = before[t]!
            #expect(second.model.segmentNumbers.numbers.contains(number), "true segment \(t)'s number \(number) is gone")
            let share = (after[t]?[number] ?? 0) + (after[t]?[5] ?? 0)
            #expect(share > 0.95, "true segment \(t): \(after[t] ?? [:]) (was \(number))")
            #expect((after[t]?[number] ?? 0) > 0.2, "true segment \(t): \(after[t] ?? [:]) (was \(number))")
        }
        #expect(second.lineage.highestNumber == 5)

        // A third run follows the second: 5 is not given again, and the vanished number stays unused.
        let third = try Self.train(reduced, seed: 7, previous: models + "/current", models: models)
        #expect(Set(third.model.segmentNumbers.numbers) == Set(second.model.segmentNumbers.numbers))
        #expect(!third.model.segmentNumbers.numbers.contains(before[removed]!))

        // --renumber starts afresh.
        var options = Self.options(seed: 3, previous: models + "/current")
        options.renumber = true
        let fresh = try TrainingPipeline(inputs: try TrainingInputs(directory: reduced), options: options).run()
        #expect(fresh.model.segmentNumbers.numbers.sorted() == [1, 2, 3, 4])
        #expect(fresh.lineage.renumbered)
        #expect(fresh.lineage.highestNumber == 4)
    }
}

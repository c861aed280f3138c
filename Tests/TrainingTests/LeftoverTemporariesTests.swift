import Foundation
import ModelFormat
import Testing

@testable import Training

/// What a run killed with SIGKILL leaves behind (hidden temporaries in `--models` and in its
/// `.cache`) is removed by the next run; live files, and the temporaries of a writer that is
/// still running, stay.
@Suite(.serialized) struct LeftoverTemporariesTests {
    /// No process has this id: it is above Linux's largest `pid_max` (2^22).
    static let deadPID = 99_999_999

    static func touch(_ path: String, modified: Date? = nil) throws {
        try Data("partial".utf8).write(to: URL(fileURLWithPath: path))
        if let modified { try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path) }
    }

    @Test("the next run removes a killed run's temporaries in --models and its cache, and keeps live files")
    func nextRunCleansUp() throws {
        let models = PipelineFixture.temporaryDirectory("leftovers")
        let store = ModelStore(directory: models)
        let cache = store.cacheDirectory
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)

        // A live process standing in for a writer that is still running, and for a process
        // that got the id of a killed run (it started after that run's file was written).
        let live = Process()
        live.executableURL = URL(fileURLWithPath: "/bin/sleep")
        // Longer than any run of the pipeline, sanitizers included (a TSan run took 84 s and
        // outlived a 60 s sleep, so the "running" writer's file was rightly removed).
        live.arguments = ["3600"]
        try live.run()
        // SIGKILL: the test process may ignore SIGTERM (a signal test before), and an ignored
        // signal stays ignored in the child; a surviving sleep would hold the test's output open.
        defer {
            kill(live.processIdentifier, SIGKILL)
            live.waitUntilExit()
        }
        let livePID = live.processIdentifier
        let longAgo = Date(timeIntervalSinceNow: -3600)

        let abandoned = [
            cache + "/.clean-0123456789abcdef.cache.tmp-\(Self.deadPID)-1f2e3d",
            cache + "/.segment-0123456789abcdef.cache.tmp-\(Self.deadPID)",
            cache + "/.response-0123456789abcdef.cache.tmp-\(livePID)-77",
            models + "/.prospector-2026-11-29T0300Z-0badf00d.bundle.tmp-\(Self.deadPID)-abc",
            models + "/.prospector-2026-11-29T0300Z-0badf00d.report.html.tmp-\(livePID)-5",
        ]
        for path in abandoned {
            try Self.touch(path, modified: path.contains("-\(livePID)") ? longAgo : nil)
        }
        try FileManager.default.createSymbolicLink(
            atPath: models + "/.current.tmp-\(Self.deadPID)", withDestinationPath: "prospector-x.bundle")
        let kept = [
            cache + "/.segment-fedcba9876543210.cache.tmp-\(livePID)-9",  // its writer is running
            cache + "/notes.tmp-\(Self.deadPID)-1",  // not a hidden temporary
            models + "/prospector-2026-11-28T0300Z-00000001.predictions.csv",
        ]
        for path in kept { try Self.touch(path) }

        let run = try TrainingPipeline(
            inputs: try TrainingInputs(directory: PipelineFixture.data), options: PipelineFixture.options(cache: cache)
        ).run()
        try store.publish(run.bundle, companions: [])

        let names = Set(try FileManager.default.contentsOfDirectory(atPath: models))
            .union(try FileManager.default.contentsOfDirectory(atPath: cache))
        for path in abandoned + [models + "/.current.tmp-\(Self.deadPID)"] {
            #expect(!names.contains((path as NSString).lastPathComponent), "\(path) was left")
        }
        for path in kept { #expect(FileManager.default.fileExists(atPath: path), "\(path) was removed") }
        // The run itself left no temporary behind, and published.
        #expect(names.filter { $0.contains(".tmp-") && !$0.contains("-\(livePID)-9") && !$0.hasPrefix("notes") }.isEmpty, "\(names)")
        #expect(store.currentBundleName() == ModelStore.prefix + run.bundle.manifest.bundleId + ModelStore.bundleSuffix)
    }
}

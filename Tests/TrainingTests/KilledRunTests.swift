import Foundation
import ModelFormat
import Testing

@testable import Training

/// The nightly job killed at random moments (SIGKILL: no cleanup runs) never leaves a partial
/// bundle where a reader would look, and `current` always points at a complete bundle.
@Suite(.serialized) struct KilledRunTests {
    /// The `trainer` built beside this test binary (`swift test` builds every product).
    static var trainer: String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = (executable as NSString).deletingLastPathComponent
        // The test binary may sit inside a .xctest bundle directory.
        while !FileManager.default.fileExists(atPath: directory + "/trainer"), directory.count > 1 {
            directory = (directory as NSString).deletingLastPathComponent
        }
        return directory + "/trainer"
    }

    static func train(models: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: trainer)
        process.arguments = [
            "train", "--data", PipelineFixture.data, "--models", models, "--no-cache", "--components", "8", "--k", "4",
            "--restarts", "1", "--folds", "3", "--trees", "30", "--progress", "log",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Every file a reader can see is complete: `current` and each visible bundle load.
    static func checkVisibleState(_ models: String) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: models).filter { !$0.hasPrefix(".") }
        for name in names where name.hasSuffix(".bundle") {
            #expect((try? ScoringModel.load(path: models + "/" + name)) != nil, "\(name) is not a complete bundle")
        }
        #expect(names.allSatisfy { $0 == "current" || $0.hasPrefix("prospector-") }, "\(names)")
        let current = try #require(ModelStore(directory: models).currentBundleName())
        #expect(names.contains(current))
        _ = try ScoringModel.load(path: models + "/current")
        return current
    }

    @Test("runs killed at random points leave current on a complete bundle and no partial bundle visible")
    func killedRuns() throws {
        #expect(FileManager.default.fileExists(atPath: Self.trainer), "no trainer binary at \(Self.trainer)")
        let models = PipelineFixture.temporaryDirectory("killed")
        let first = try Self.train(models: models)
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        var previous = try Self.checkVisibleState(models)
        // Kill moments spread over a run (about 3–6 s here), fixed so the test is repeatable.
        for delay in [0.05, 0.4, 1.1, 2.0, 3.2] {
            let run = try Self.train(models: models)
            Thread.sleep(forTimeInterval: delay)
            kill(run.processIdentifier, SIGKILL)
            run.waitUntilExit()
            let current = try Self.checkVisibleState(models)
            // Either the run was killed before its switch (current unmoved) or it had published.
            if current != previous {
                #expect(run.terminationReason == .exit || current > previous)
            }
            previous = current
        }
        // The next run cleans up what killed runs left behind, and publishes.
        let last = try Self.train(models: models)
        last.waitUntilExit()
        #expect(last.terminationStatus == 0)
        _ = try Self.checkVisibleState(models)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: models).filter { $0.contains(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test("a failing run exits 65 for bad input and leaves current untouched")
    func failedRunKeepsCurrent() throws {
        let models = PipelineFixture.temporaryDirectory("failing")
        let first = try Self.train(models: models)
        first.waitUntilExit()
        let before = try Self.checkVisibleState(models)
        let bad = Process()
        bad.executableURL = URL(fileURLWithPath: Self.trainer)
        let broken = PipelineFixture.temporaryDirectory("broken") + "/broken.csv"
        try "LNR;RESPONSE\n1;0\n2;x\n".write(toFile: broken, atomically: true, encoding: .utf8)
        bad.arguments = ["train", "--data", PipelineFixture.data, "--mailout-train", broken, "--models", models, "--no-cache"]
        let errors = Pipe()
        bad.standardError = errors
        bad.standardOutput = FileHandle.nullDevice
        try bad.run()
        bad.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(bad.terminationStatus == 65)
        #expect(message.hasSuffix("trainer train: \(broken): line 3: column RESPONSE: expected 0 or 1, found 'x'\n"), "\(message)")
        #expect(try Self.checkVisibleState(models) == before)
    }
}

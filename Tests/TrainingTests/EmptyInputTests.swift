import Foundation
import Testing

@testable import Training

/// A table file with a header and no rows is bad input (exit 65) naming the file, not an
/// internal failure (exit 70) from a step that was handed nothing to fit.
@Suite(.serialized) struct EmptyInputTests {
    /// A copy of the fixture's `file` holding only its header line.
    static func headerOnly(_ file: String) throws -> String {
        let text = try String(contentsOfFile: PipelineFixture.data + "/" + file, encoding: .utf8)
        let header = try #require(text.split(separator: "\n", maxSplits: 1).first)
        let path = PipelineFixture.temporaryDirectory("header-only") + "/" + file
        try (header + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func failure(population: String? = nil, customers: String? = nil) throws -> TrainingError? {
        var inputs = try TrainingInputs(directory: PipelineFixture.data)
        if let population { inputs.population = population }
        if let customers { inputs.customers = customers }
        do {
            _ = try TrainingPipeline(inputs: inputs, options: PipelineFixture.options(cache: nil)).run()
            return nil
        } catch {
            return error
        }
    }

    @Test("a header-only population file is bad input naming the file")
    func headerOnlyPopulation() throws {
        let population = try Self.headerOnly(TrainingInputs.FileName.population)
        let error = try #require(try Self.failure(population: population))
        guard case .badInput(let file, let problem) = error else {
            Issue.record("expected bad input, got \(error)")
            return
        }
        #expect(file == population)
        #expect(problem == "the file has a header but no data rows")
    }

    @Test("a header-only customers file is bad input naming the file")
    func headerOnlyCustomers() throws {
        let customers = try Self.headerOnly(TrainingInputs.FileName.customers)
        let error = try #require(try Self.failure(customers: customers))
        guard case .badInput(let file, _) = error else {
            Issue.record("expected bad input, got \(error)")
            return
        }
        #expect(file == customers)
    }

    @Test("the trainer exits 65 on a header-only population and names the file")
    func headerOnlyPopulationExitCode() throws {
        let population = try Self.headerOnly(TrainingInputs.FileName.population)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: KilledRunTests.trainer)
        process.arguments = [
            "train", "--data", PipelineFixture.data, "--population", population,
            "--models", PipelineFixture.temporaryDirectory("empty-models"), "--no-cache",
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 65)
        #expect(message.hasSuffix("trainer train: \(population): the file has a header but no data rows\n"), "\(message)")
    }
}

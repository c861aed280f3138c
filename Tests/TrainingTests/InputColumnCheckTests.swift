import Foundation
import Testing

@testable import Training

/// A column missing from one input is reported against the file to fix: the one that lacks it,
/// or the population when the population renamed it (then no other file has it).
@Suite struct InputColumnCheckTests {
    /// A copy of the fixture data with `column` renamed to `newName` in the header of `file`.
    static func dataWithRenamed(_ column: String, to newName: String, in file: String) throws -> String {
        let copy = PipelineFixture.temporaryDirectory("renamed")
        for name in try FileManager.default.contentsOfDirectory(atPath: PipelineFixture.data) {
            let source = PipelineFixture.data + "/" + name
            if name == file {
                var text = try String(contentsOfFile: source, encoding: .utf8)
                let header = text.prefix { $0 != "\n" }
                text.replaceSubrange(header.startIndex..<header.endIndex,
                                     with: header.split(separator: ";").map { $0 == column ? newName : String($0) }.joined(separator: ";"))
                try text.write(toFile: copy + "/" + name, atomically: false, encoding: .utf8)
            } else {
                try FileManager.default.createSymbolicLink(atPath: copy + "/" + name, withDestinationPath: source)
            }
        }
        return copy
    }

    static func failure(_ data: String) throws -> TrainingError? {
        do {
            _ = try TrainingPipeline(inputs: try TrainingInputs(directory: data), options: PipelineFixture.options(cache: nil)).run()
            return nil
        } catch {
            return error
        }
    }

    @Test("a column renamed in the population is reported against the population, with the other files' name")
    func renamedInPopulation() throws {
        let data = try Self.dataWithRenamed("ANZ_PERSONEN", to: "ANZ_PERS", in: TrainingInputs.FileName.population)
        let error = try #require(try Self.failure(data))
        guard case .badInput(let file, let problem) = error else { Issue.record("\(error)"); return }
        #expect((file as NSString).lastPathComponent == TrainingInputs.FileName.population)
        #expect(problem.contains("ANZ_PERS is in no other input file (they have ANZ_PERSONEN instead)"), "\(problem)")
    }

    @Test("a column missing from the customers file only is reported against the customers file")
    func missingInCustomers() throws {
        let data = try Self.dataWithRenamed("ANZ_PERSONEN", to: "ANZ_PERS", in: TrainingInputs.FileName.customers)
        let error = try #require(try Self.failure(data))
        guard case .badInput(let file, let problem) = error else { Issue.record("\(error)"); return }
        #expect((file as NSString).lastPathComponent == TrainingInputs.FileName.customers)
        #expect(problem.hasPrefix("required column ANZ_PERSONEN is not in the file"), "\(problem)")
    }
}

import Foundation
import ModelFormat
import Synth
import Testing

@testable import Training

/// Drift against the population on synthetic data: a second draw of the same population
/// model (another seed) does not drift; the same draw with one attribute shifted flags exactly
/// that attribute.
@Suite(.serialized) struct DriftTests {
    static func psi(_ model: ScoringModel, file: String) throws -> [String: Double] {
        var scorer = FileRowScorer(model: model)
        scorer.countsDrift = true
        let counts = try #require(try scorer.score(path: file) { _, _ in })
        #expect(counts.rows > 5000)
        var out: [String: Double] = [:]
        for (a, attribute) in counts.layout.reference.attributes.enumerated() { out[attribute.name] = counts.psi(attribute: a) }
        return out
    }

    @Test func secondDrawIsStableAndAShiftedAttributeIsFlagged() throws {
        let model = try PipelineFixture.run(cache: nil).run.model
        let reference = try #require(model.reference)
        #expect(reference.attributes.map(\.name) == model.transform.inputs.map(\.name))
        #expect(abs(reference.segmentShares.reduce(0, +) - 1) < 1e-9)

        // The same population model, another seed: 8 912 other people.
        let directory = PipelineFixture.temporaryDirectory("drift")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try Synthesizer(options: SynthOptions(scale: 0.01, seed: 11)).generate(.azdias, into: directory)
        let file = directory + "/" + SynthFile.azdias.fileName
        let stable = try Self.psi(model, file: file)
        #expect(stable.count == model.transform.inputs.count)
        let worst = stable.max { $0.value < $1.value }!
        #expect(worst.value < 0.02, "largest PSI \(worst.key) = \(worst.value)")

        // Shift one attribute: the age class one step up (1→2, 2→3, 3→4, 4 stays).
        let shiftedName = "ALTERSKATEGORIE_GROB"
        #expect(stable[shiftedName] != nil)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let separator: Character = lines[0].contains(";") ? ";" : ","
        let column = try #require(lines[0].split(separator: separator, omittingEmptySubsequences: false).firstIndex { $0 == shiftedName })
        for i in 1..<lines.count where !lines[i].isEmpty {
            var fields = lines[i].split(separator: separator, omittingEmptySubsequences: false).map(String.init)
            if let v = Int(fields[column]), (1...3).contains(v) { fields[column] = String(v + 1) }
            lines[i] = fields.joined(separator: String(separator))
        }
        let shiftedFile = directory + "/shifted.csv"
        try lines.joined(separator: "\n").write(toFile: shiftedFile, atomically: true, encoding: .utf8)
        let shifted = try Self.psi(model, file: shiftedFile)
        let flagged = shifted.filter { $0.value >= 0.1 }.map(\.key)
        #expect(flagged == [shiftedName], "flagged: \(flagged)")
    }
}

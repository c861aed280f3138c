import Foundation
import ModelFormat
import Testing

@testable import ScoringService

@Suite("Stdin filter")
struct StdinFilterTests {
    @Test("thousands of rows through many small reads: every row answered once, in input order, the last one included")
    func manyBlocksInOrder() throws {
        let (directory, models) = try ModelDirectory.servingV1()
        _ = directory  // kept alive while the filter reads the bundle
        // Rows 1 and 2 of ScoringStreamTests, alternating, with increasing ids; the last row
        // has no newline.
        let count = 5000
        var input = "LNR;A;B;C\n"
        for i in 1...count { input += i % 2 == 1 ? "\(i);2;0;x" : "\(i);7;9;y"; if i < count { input += "\n" } }
        let output = try EndOfInputTests.filter(Array(input.utf8), models: models, batchBytes: 4096)
        let lines = output.split(separator: "\n")
        #expect(lines.count == count + 1)
        #expect(lines.first == "LNR;segment;segment_label;probability")
        for (i, line) in lines.dropFirst().enumerated() {
            let expected = i % 2 == 0 ? "\(i + 1);1;core;0.18242552380635632" : "\(i + 1);2;neutral;0.8175744761936437"
            if line != expected {
                Issue.record("line \(i + 1): \(line) instead of \(expected)")
                break
            }
        }
    }
}

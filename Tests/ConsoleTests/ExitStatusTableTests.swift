import Foundation
import Testing

@testable import Console

@Suite struct ExitStatusTableTests {
    @Test("the codes are sysexits(3)'s and README.md's table has a row for each, and no other")
    func readmeTable() throws {
        #expect(ExitStatus.allCases.map(\.rawValue) == [0, 64, 65, 66, 70, 73, 74])
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "### Exit codes").dropFirst().first)
        let rows = section.components(separatedBy: "\n").prefix { !$0.hasPrefix("#") }
            .compactMap { line -> Int32? in
                guard line.hasPrefix("| `") else { return nil }
                return Int32(line.dropFirst(3).prefix { $0 != "`" })
            }
        #expect(rows == ExitStatus.allCases.map(\.rawValue))
    }
}

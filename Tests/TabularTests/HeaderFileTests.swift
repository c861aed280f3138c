import Foundation
import Testing

@testable import Tabular

/// `trainer metadata --header-from` reads only a file's header, through the same parser as
/// the bulk reader and the scorer.
@Suite struct HeaderFileTests {
    static func columns(_ text: String) throws -> [String] {
        try Array(text.utf8).withUnsafeBufferPointer { try CSVReader.header(of: $0, name: "h.csv").columnNames }
    }

    @Test func separatorsIndexColumnBOMAndQuotes() throws {
        #expect(try Self.columns("LNR;AGER_TYP;AKT_DAT_KL\n") == ["LNR", "AGER_TYP", "AKT_DAT_KL"])
        #expect(try Self.columns(";LNR;AGER_TYP\r\n1;2;3\n") == ["LNR", "AGER_TYP"])
        #expect(try Self.columns("\u{FEFF},LNR,AGER_TYP") == ["LNR", "AGER_TYP"])
        #expect(try Self.columns("\"LNR\",\"RESPONSE\"\n") == ["LNR", "RESPONSE"])
        #expect(throws: CSVError.emptyFile(file: "h.csv")) { try Self.columns("") }
    }

    @Test func readsOnlyTheFirstLineOfAFile() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("header-\(UInt32.random(in: 0...UInt32.max)).csv").path
        // The second line has the wrong field count: a reader of the whole file would refuse it.
        let body = ";LNR;AGER_TYP;D19_KOSMETIK\n0;910215;-1;0\n1;910220\n"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(body.utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try CSVReader.header(ofFileAt: path).columnNames == ["LNR", "AGER_TYP", "D19_KOSMETIK"])
        let missing = path + ".missing"
        #expect(throws: CSVError.cannotRead(file: (missing as NSString).lastPathComponent, reason: "no such file, or not readable")) {
            try CSVReader.header(ofFileAt: missing)
        }
    }
}

import Foundation
import Testing
@testable import DIASMetadata

@Suite struct DataHeaderTests {
    static func columns(_ line: String) throws -> [String] {
        try DataHeader.columns(inLine: Array(line.utf8))
    }

    @Test func separatorsIndexColumnAndBOM() throws {
        #expect(try Self.columns("LNR;AGER_TYP;AKT_DAT_KL") == ["LNR", "AGER_TYP", "AKT_DAT_KL"])
        #expect(try Self.columns(";LNR;AGER_TYP\r") == ["LNR", "AGER_TYP"])
        #expect(try Self.columns("\u{FEFF},LNR,AGER_TYP") == ["LNR", "AGER_TYP"])
        #expect(try Self.columns("\"LNR\",\"RESPONSE\"") == ["LNR", "RESPONSE"])
        #expect(throws: MetadataError.self) { try Self.columns("") }
        #expect(throws: MetadataError.self) { try DataHeader.columns(inLine: [0x41, 0xFF, 0x42]) }
    }

    @Test func readsOnlyTheFirstLineOfAFile() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("dias-header-\(UInt32.random(in: 0...UInt32.max)).csv").path
        let body = ";LNR;AGER_TYP;D19_KOSMETIK\n0;910215;-1;0\n1;910220;-1;0\n"
        #expect(FileManager.default.createFile(atPath: path, contents: Data(body.utf8)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try DataHeader.columns(fromFirstLineOf: path) == ["LNR", "AGER_TYP", "D19_KOSMETIK"])
        #expect(throws: MetadataError.unreadableDataHeader(
            file: path + ".missing", reason: "no such file, or not readable")) {
            try DataHeader.columns(fromFirstLineOf: path + ".missing")
        }
    }
}

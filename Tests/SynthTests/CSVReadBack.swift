import Foundation

/// A deliberately simple reader for the generated files, independent of the generator:
/// splits bytes on newlines and `;`.
struct CSVReadBack {
    let header: [String]
    let rows: [[String]]

    init(path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        header = lines.first.map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) } ?? []
        rows = lines.dropFirst().map { $0.split(separator: ";", omittingEmptySubsequences: false).map(String.init) }
    }

    func column(_ name: String) -> [String] {
        guard let i = header.firstIndex(of: name) else { return [] }
        return rows.map { $0[i] }
    }
}

/// A fresh temporary directory, removed by `cleanup()`.
struct TemporaryDirectory {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "synth-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
}

/// Which cells of a large file are empty, as a flat row-major matrix: a byte scan, no Strings.
struct EmptyCellScan {
    let header: [String]
    let rowCount: Int
    let empty: [Bool]

    init(path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let bytes = [UInt8](data)
        let headerEnd = bytes.firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
        header = String(decoding: bytes[..<headerEnd], as: UTF8.self).split(separator: ";").map(String.init)
        var empty: [Bool] = []
        empty.reserveCapacity(bytes.count / 2)
        var fieldLength = 0
        var rows = 0
        bytes.withUnsafeBufferPointer { b in
            var i = headerEnd + 1
            while i < b.count {
                let byte = b[i]
                if byte == UInt8(ascii: ";") || byte == UInt8(ascii: "\n") {
                    empty.append(fieldLength == 0)
                    fieldLength = 0
                    if byte == UInt8(ascii: "\n") { rows += 1 }
                } else {
                    fieldLength += 1
                }
                i += 1
            }
        }
        rowCount = rows
        self.empty = empty
    }

    func isEmpty(row: Int, column: Int) -> Bool { empty[row * header.count + column] }
}

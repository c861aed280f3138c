import Foundation

/// The column names of an Arvato-style CSV file, read from its first line only (the files
/// run to a gigabyte; the header is a few kilobytes).
public enum DataHeader {
    /// A header line longer than this is not a header: the file is probably not a CSV.
    static let maximumLineBytes = 1 << 20

    /// Reads the first line of the file at `path` and splits it with ``columns(inLine:)``.
    public static func columns(fromFirstLineOf path: String) throws(MetadataError) -> [String] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadableDataHeader(file: path, reason: "no such file, or not readable")
        }
        defer { try? handle.close() }
        var line: [UInt8] = []
        while line.count <= maximumLineBytes {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 64 * 1024) ?? Data()
            } catch {
                throw .unreadableDataHeader(file: path, reason: "\(error)")
            }
            if chunk.isEmpty { break }
            if let newline = chunk.firstIndex(of: UInt8(ascii: "\n")) {
                line.append(contentsOf: chunk[chunk.startIndex..<newline])
                return try columns(inLine: line, file: path)
            }
            line.append(contentsOf: chunk)
        }
        if line.count > maximumLineBytes {
            throw .unreadableDataHeader(file: path, reason: "no line break in the first \(maximumLineBytes) bytes")
        }
        return try columns(inLine: line, file: path)
    }

    /// Splits a header line on `;` (the Arvato files) or, when it has none, on `,`.
    /// A UTF-8 byte-order mark, a trailing carriage return and surrounding double quotes are
    /// dropped, and so is a leading unnamed column (the row index a later release added).
    public static func columns(inLine bytes: [UInt8], file: String = "data file") throws(MetadataError) -> [String] {
        var line = bytes[...]
        if line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
        guard let text = String(validating: line, as: UTF8.self) else {
            throw .unreadableDataHeader(file: file, reason: "the first line is not UTF-8 text")
        }
        let separator: Character = text.contains(";") ? ";" : ","
        var names = text.split(separator: separator, omittingEmptySubsequences: false).map { field in
            var name = CellText.trimmed(String(field))
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
                name = String(name.dropFirst().dropLast())
            }
            return name
        }
        if names.count > 1, names.first == "" { names.removeFirst() }
        if names.allSatisfy(\.isEmpty) {
            throw .unreadableDataHeader(file: file, reason: "the first line holds no column names")
        }
        return names
    }
}

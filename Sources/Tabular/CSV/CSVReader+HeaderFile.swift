import Foundation

extension CSVReader.Header {
    /// The column names without a leading unnamed index column (the row index a later
    /// release of the Arvato files adds in front of LNR).
    public var columnNames: [String] { hasIndexColumn ? Array(names.dropFirst()) : names }
}

extension CSVReader {
    /// A header line longer than this is not a header: the file is probably not a CSV.
    static let maximumHeaderBytes = 1 << 20

    /// Reads only the header of the file at `path` (the files run to a gigabyte; the header is
    /// a few kilobytes) and parses it like ``header(of:name:separator:)``.
    public static func header(ofFileAt path: String, separator: UInt8? = nil) throws(CSVError) -> Header {
        let name = (path as NSString).lastPathComponent
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .cannotRead(file: name, reason: "no such file, or not readable")
        }
        defer { try? handle.close() }
        var line: [UInt8] = []
        while line.count <= maximumHeaderBytes {
            let chunk: Data
            do {
                chunk = try handle.read(upToCount: 64 * 1024) ?? Data()
            } catch {
                throw .cannotRead(file: name, reason: "\(error)")
            }
            if chunk.isEmpty { break }
            line.append(contentsOf: chunk)
            if chunk.contains(CSVTokenizer.newline) { break }
        }
        guard line.count <= maximumHeaderBytes || line.prefix(maximumHeaderBytes).contains(CSVTokenizer.newline) else {
            throw .cannotRead(file: name, reason: "no line break in the first \(maximumHeaderBytes) bytes")
        }
        return try line.withUnsafeBufferPointer { bytes throws(CSVError) in
            try header(of: bytes, name: name, separator: separator)
        }
    }
}

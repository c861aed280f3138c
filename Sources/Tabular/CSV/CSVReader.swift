import Concurrency
import Dispatch
import Foundation

/// Reads a delimited text file into a columnar ``Table``.
///
/// The file is mapped, its header read, and the records split at line boundaries into
/// chunks parsed concurrently straight into per-column buffers, which are then joined in
/// order. The split assumes no quoted fields (the Arvato files have none); if any chunk
/// meets one, the file is split again by walking records with the quote-aware tokenizer.
public enum CSVReader {
    /// Reads the file at `path`; errors name its last path component.
    public static func read(path: String, options: CSVOptions = CSVOptions()) throws(CSVError) -> Table {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let file = try MappedFile(path: path, displayName: name)
        let release: @Sendable (Range<Int>) -> Void = { file.releaseRange($0) }
        return try withExtendedLifetime(file) { () throws(CSVError) -> Table in
            try read(
                base: file.base, count: file.count, name: name, options: options, releaseParsed: release)
        }
    }

    /// Reads a file already in memory; `name` is used in error messages.
    public static func read(bytes: [UInt8], name: String, options: CSVOptions = CSVOptions()) throws(CSVError)
        -> Table
    {
        guard !bytes.isEmpty else { throw .emptyFile(file: name) }
        return try bytes.withUnsafeBufferPointer { (buffer) throws(CSVError) -> Table in
            try read(base: buffer.baseAddress!, count: buffer.count, name: name, options: options, releaseParsed: nil)
        }
    }

    /// The file's header: separator, column names and where the records begin.
    public struct Header: Sendable, Equatable {
        /// The field separator the file uses.
        public var separator: UInt8
        /// All header names, including an unnamed leading index column.
        public var names: [String]
        /// Offset of the first record.
        public var dataStart: Int
        /// True when the first column is unnamed: the index column some releases add.
        public var hasIndexColumn: Bool { names.count > 1 && names[0].isEmpty }
    }

    /// Reads the header line: skips a UTF-8 BOM and picks the separator (`options.separator`,
    /// or `;`/`,` by count in the header line). The scorer uses it to learn a file's layout.
    public static func header(
        of bytes: UnsafeBufferPointer<UInt8>, name: String, separator: UInt8? = nil
    ) throws(CSVError) -> Header {
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        guard start < bytes.count else { throw .emptyFile(file: name) }
        let chosen = separator ?? detectSeparator(bytes, from: start)
        let tokenizer = CSVTokenizer(separator: chosen)
        var fields: [CSVField] = []
        let dataStart: Int
        do {
            // A header line without a newline is the whole file: the records start at its end,
            // not one past it (where the tokenizer leaves a last line without a newline).
            dataStart = min(try tokenizer.record(in: bytes, from: start, into: &fields), bytes.count)
        } catch {
            throw convert(error, base: bytes.baseAddress!, name: name)
        }
        let names = fields.map { CSVTokenizer.text(of: $0, in: bytes) }
        if names == [""] { throw .emptyFile(file: name) }
        return Header(separator: chosen, names: names, dataStart: dataStart)
    }

    private static func detectSeparator(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt8 {
        var semicolons = 0
        var commas = 0
        var quoted = false
        var i = start
        while i < bytes.count {
            let byte = bytes[i]
            if byte == CSVTokenizer.quote {
                quoted.toggle()
            } else if !quoted {
                if byte == CSVTokenizer.newline { break }
                if byte == 0x3B { semicolons += 1 } else if byte == 0x2C { commas += 1 }
            }
            i += 1
        }
        return commas > semicolons ? 0x2C : 0x3B
    }

    static func read(
        base: UnsafePointer<UInt8>, count: Int, name: String, options: CSVOptions,
        releaseParsed: (@Sendable (Range<Int>) -> Void)?
    ) throws(CSVError) -> Table {
        let bytes = UnsafeBufferPointer(start: base, count: count)
        let header = try header(of: bytes, name: name, separator: options.separator)
        let dropIndex = header.hasIndexColumn && options.indexColumn == .drop
        let names = Array(header.names.dropFirst(dropIndex ? 1 : 0))
        if let expected = options.expectedColumns, expected != names {
            let difference = zip(expected, names).enumerated().first { $0.element.0 != $0.element.1 }
                .map { "column \($0.offset + 1) is \($0.element.1), expected \($0.element.0)" }
                ?? "the shorter list is a prefix of the longer"
            throw .unexpectedHeader(
                file: name, expected: expected.count, found: names.count, firstDifference: difference)
        }
        let parser = ChunkParser(
            tokenizer: CSVTokenizer(separator: header.separator), fieldCount: header.names.count,
            firstStoredField: dropIndex ? 1 : 0, releaseParsed: releaseParsed)
        let data = header.dataStart..<count
        let pieces = options.chunkCount ?? options.workers * 4
        let shared = SharedBytes(base: base)

        var chunks = lineChunks(bytes, data, pieces: pieces)
        var outcomes = run(chunks, workers: options.workers) { parser.parse(shared.base, chunk: $0, end: count) }
        if chunks.count > 1 && outcomes.contains(where: \.sawQuotedField) {
            chunks = recordChunks(bytes, data, pieces: pieces, tokenizer: parser.tokenizer)
            outcomes = run(chunks, workers: options.workers) { parser.parse(shared.base, chunk: $0, end: count) }
        }
        if let failure = outcomes.lazy.compactMap(\.failure).first {
            switch failure {
            case .fieldCount(let recordStart, let found):
                throw .fieldCount(
                    file: name, line: lineNumber(base, recordStart), found: found, expected: header.names.count)
            case .tokenizer(let error):
                throw convert(error, base: base, name: name)
            }
        }

        let columns = outcomes.map(\.columns)
        outcomes = []
        var rowOffsets: [Int] = []
        var rowCount = 0
        for chunk in columns {
            rowOffsets.append(rowCount)
            rowCount += chunk.rowCount
        }
        let merger = ColumnMerger(chunks: columns, rowOffsets: rowOffsets, rowCount: rowCount, fileName: name)
        let merged = run(Array(names.indices), workers: options.workers) { column in
            Result { () throws(CSVError) -> Column in
                try merger.merge(column: column, name: names[column], forcedKind: options.columnKinds[names[column]])
            }
        }
        var result: [Column] = []
        result.reserveCapacity(merged.count)
        for column in merged { result.append(try column.get()) }
        return Table(columns: result, rowCount: rowCount, droppedIndexColumn: dropIndex)
    }

    /// Splits `data` into about `pieces` ranges ending just after a newline.
    static func lineChunks(_ bytes: UnsafeBufferPointer<UInt8>, _ data: Range<Int>, pieces: Int) -> [Range<Int>] {
        guard !data.isEmpty else { return [] }
        let pieces = max(1, min(pieces, data.count / 4096 + 1))
        var bounds = [data.lowerBound]
        for k in 1..<pieces {
            let target = max(data.lowerBound + data.count / pieces * k, bounds.last!)
            guard target < data.upperBound else { break }
            let found = memchr(bytes.baseAddress! + target, Int32(CSVTokenizer.newline), data.upperBound - target)
            guard let found else { break }
            let bound = bytes.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
            if bound < data.upperBound && bound > bounds.last! { bounds.append(bound) }
        }
        bounds.append(data.upperBound)
        return zip(bounds, bounds.dropFirst()).map { $0..<$1 }
    }

    /// Splits `data` into about `pieces` ranges at true record starts, walking every record
    /// with the quote-aware tokenizer (newlines inside quotes do not end records). A malformed
    /// record ends the split: the rest is one range, whose parse reports that error, so an
    /// earlier record's error (a wrong field count) is still the one reported, as in one chunk.
    static func recordChunks(
        _ bytes: UnsafeBufferPointer<UInt8>, _ data: Range<Int>, pieces: Int, tokenizer: CSVTokenizer
    ) -> [Range<Int>] {
        var bounds = [data.lowerBound]
        let step = max(1, data.count / max(1, pieces))
        var nextTarget = data.lowerBound + step
        var position = data.lowerBound
        do {
            while position < data.upperBound {
                let recordStart = position
                while try !tokenizer.scanField(bytes.baseAddress!, &position, bytes.count, recordStart: recordStart)
                    .endsRecord
                {}
                if position >= nextTarget && position < data.upperBound {
                    bounds.append(position)
                    nextTarget = position + step
                }
            }
        } catch {
            // Left to the parse of the last range, which meets the same record.
        }
        bounds.append(data.upperBound)
        return zip(bounds, bounds.dropFirst()).map { $0..<$1 }
    }

    /// 1-based physical line of `offset` (the header is line 1).
    static func lineNumber(_ base: UnsafePointer<UInt8>, _ offset: Int) -> Int {
        var lines = 1
        var i = 0
        while i < offset {
            if base[i] == CSVTokenizer.newline { lines += 1 }
            i += 1
        }
        return lines
    }

    static func convert(_ error: CSVTokenizerError, base: UnsafePointer<UInt8>, name: String) -> CSVError {
        switch error {
        case .unterminatedQuote(let recordStart):
            return .unterminatedQuote(file: name, line: lineNumber(base, recordStart))
        case .textAfterClosingQuote(let recordStart):
            return .textAfterClosingQuote(file: name, line: lineNumber(base, recordStart))
        }
    }

    /// Runs `body` on every item with at most `workers` threads, results in item order.
    static func run<Item: Sendable, T: Sendable>(
        _ items: [Item], workers: Int, _ body: @Sendable (Item) -> T
    ) -> [T] {
        Parallel.perform(items.count, workers: workers) { body(items[$0]) }
    }
}

/// The input's base address, shared read-only by the chunk workers.
struct SharedBytes: @unchecked Sendable {
    let base: UnsafePointer<UInt8>
}

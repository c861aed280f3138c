import Concurrency
import Foundation

/// Joins one column's per-chunk buffers into a ``Column``, deciding its kind from the
/// whole file: numeric (narrowest width any chunk needed, tokens set aside as special) or
/// text (when tokens outnumber numbers, or when the caller says so).
struct ColumnMerger {
    let chunks: [ChunkColumns]
    /// First row of each chunk in the table.
    let rowOffsets: [Int]
    let rowCount: Int
    let fileName: String

    static let dictionaryLimit = Int(UInt16.max) + 1

    func merge(column: Int, name: String, forcedKind: CSVOptions.ColumnKind?) throws(CSVError) -> Column {
        defer { for chunk in chunks { chunk.release(column: column) } }
        let tokenCount = chunks.reduce(0) { $0 + $1.tokenCount(column) }
        var isText = forcedKind == .text
        if forcedKind == nil && tokenCount > 0 {
            // Counting numbers costs a pass over the column: only done when there are tokens.
            isText = tokenCount > chunks.reduce(0) { $0 + $1.numericCount(column) }
        }
        return isText ? try mergeText(column, name) : mergeNumeric(column, name)
    }

    // MARK: numeric

    private func mergeNumeric(_ column: Int, _ name: String) -> Column {
        let width = chunks.map { $0.widths[column] }.max() ?? .int8
        var words = [UInt64](repeating: 0, count: (rowCount + 63) >> 6)
        let storage: ColumnStorage
        switch width {
        case .int8: storage = .int8(gather(column, as: Int8.self, &words))
        case .int16: storage = .int16(gather(column, as: Int16.self, &words))
        case .int32: storage = .int32(gather(column, as: Int32.self, &words))
        case .int64: storage = .int64(gather(column, as: Int64.self, &words))
        case .double: storage = .double(gatherDoubles(column, &words))
        }
        let (tokens, chunkCodeMaps) = distinctTokens(column)
        var rows: [Int32] = []
        var codes: [UInt16] = []
        for (c, chunk) in chunks.enumerated() {
            let extras = chunk.extras + column
            for k in 0..<extras.pointee.tokenRows.count {
                rows.append(Int32(rowOffsets[c] + Int(extras.pointee.tokenRows[k])))
                codes.append(UInt16(chunkCodeMaps[c][Int(extras.pointee.tokenCodes[k])]))
            }
        }
        return Column(
            name: name, storage: storage, missing: MissingMask(rowCount: rowCount, words: words),
            specialTokens: SpecialTokens(tokens: tokens, rows: rows, codes: codes))
    }

    /// Copies every chunk's integers into one array of the final width (gaps hold 0 already)
    /// and their gap bits into `words`.
    private func gather<T: FixedWidthInteger>(_ column: Int, as: T.Type, _ words: inout [UInt64]) -> [T] {
        mergeGaps(column, &words)
        // No rows: a plain empty array. `init(filling: 0)` writes its count
        // into the one shared empty-array storage, which ThreadSanitizer reports as a race when
        // several columns of a header-only file are merged at once.
        guard rowCount > 0 else { return [] }
        return [T](filling: rowCount) { buffer, initialized in
            for (c, chunk) in chunks.enumerated() {
                guard chunk.rowCount > 0, let raw = chunk.values[column] else { continue }
                let out = buffer.baseAddress! + rowOffsets[c]
                switch chunk.widths[column] {
                case .int8: widen(raw.assumingMemoryBound(to: Int8.self), chunk.rowCount, out)
                case .int16: widen(raw.assumingMemoryBound(to: Int16.self), chunk.rowCount, out)
                case .int32: widen(raw.assumingMemoryBound(to: Int32.self), chunk.rowCount, out)
                case .int64, .double: widen(raw.assumingMemoryBound(to: Int64.self), chunk.rowCount, out)
                }
            }
            initialized = rowCount
        }
    }

    /// Copies `count` integers into a width at least as wide (a `memcpy` when equal).
    @inline(__always)
    private func widen<S: FixedWidthInteger, T: FixedWidthInteger>(
        _ source: UnsafePointer<S>, _ count: Int, _ out: UnsafeMutablePointer<T>
    ) {
        if S.self == T.self {
            UnsafeMutableRawPointer(out).copyMemory(from: source, byteCount: count * MemoryLayout<S>.stride)
        } else {
            for row in 0..<count { out[row] = T(truncatingIfNeeded: source[row]) }
        }
    }

    private func gatherDoubles(_ column: Int, _ words: inout [UInt64]) -> [Double] {
        mergeGaps(column, &words)
        return [Double](filling: rowCount) { buffer, initialized in
            for (c, chunk) in chunks.enumerated() {
                guard chunk.rowCount > 0, let raw = chunk.values[column] else { continue }
                let out = buffer.baseAddress! + rowOffsets[c]
                let n = chunk.rowCount
                switch chunk.widths[column] {
                case .int8: for row in 0..<n { out[row] = Double(raw.load(fromByteOffset: row, as: Int8.self)) }
                case .int16: for row in 0..<n { out[row] = Double(raw.load(fromByteOffset: row * 2, as: Int16.self)) }
                case .int32: for row in 0..<n { out[row] = Double(raw.load(fromByteOffset: row * 4, as: Int32.self)) }
                case .int64: for row in 0..<n { out[row] = Double(raw.load(fromByteOffset: row * 8, as: Int64.self)) }
                case .double: out.update(from: raw.assumingMemoryBound(to: Double.self), count: n)
                }
            }
            initialized = rowCount
        }
    }

    /// ORs every chunk's gap bitmap into `words` at the chunk's first table row.
    private func mergeGaps(_ column: Int, _ words: inout [UInt64]) {
        words.withUnsafeMutableBufferPointer { words in
            for (c, chunk) in chunks.enumerated() {
                guard chunk.rowCount > 0, let gaps = chunk.gaps[column] else { continue }
                let first = rowOffsets[c]
                let shift = UInt64(first & 63)
                var target = first >> 6
                for w in 0..<ChunkColumns.gapWords(rows: chunk.rowCount) {
                    let bits = gaps[w]
                    if bits != 0 {
                        words[target] |= bits &<< shift
                        if shift != 0 && bits &>> (64 - shift) != 0 { words[target + 1] |= bits &>> (64 - shift) }
                    }
                    target += 1
                }
            }
        }
    }

    /// All tokens of the column sorted by UTF-8 bytes, and per chunk its local code → global code.
    private func distinctTokens(_ column: Int, extra: Set<String> = []) -> ([String], [[Int]]) {
        var all = extra
        for chunk in chunks {
            let interner = chunk.extras + column
            for code in 0..<interner.pointee.tokens.count { all.insert(interner.pointee.tokens.string(code)) }
        }
        let sorted = all.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var index: [String: Int] = [:]
        for (i, token) in sorted.enumerated() { index[token] = i }
        let maps = chunks.map { chunk in
            let interner = chunk.extras + column
            return (0..<interner.pointee.tokens.count).map { index[interner.pointee.tokens.string($0)]! }
        }
        return (sorted, maps)
    }

    // MARK: text

    /// A text column; numbers in it keep their canonical spelling (`2.0` reads back as "2").
    private func mergeText(_ column: Int, _ name: String) throws(CSVError) -> Column {
        var numberTexts = Set<String>()
        forEachNumber(column) { _, _, text in numberTexts.insert(text) }
        let (dictionary, chunkCodeMaps) = distinctTokens(column, extra: numberTexts)
        guard dictionary.count <= ColumnMerger.dictionaryLimit else {
            throw .tooManyDistinctValues(file: fileName, column: name, limit: ColumnMerger.dictionaryLimit)
        }
        var numberCodes: [String: UInt16] = [:]
        for text in numberTexts { numberCodes[text] = UInt16(dictionary.firstIndex(of: text)!) }
        var codes = [UInt16](repeating: 0, count: rowCount)
        // Every cell starts missing; numbers and tokens clear their bit.
        var words = [UInt64](repeating: 0, count: (rowCount + 63) >> 6)
        for row in 0..<rowCount { words[row >> 6] |= 1 << UInt64(row & 63) }
        for (c, chunk) in chunks.enumerated() {
            let extras = chunk.extras + column
            for k in 0..<extras.pointee.tokenRows.count {
                let row = rowOffsets[c] + Int(extras.pointee.tokenRows[k])
                codes[row] = UInt16(chunkCodeMaps[c][Int(extras.pointee.tokenCodes[k])])
                words[row >> 6] &= ~(1 << UInt64(row & 63))
            }
        }
        forEachNumber(column) { c, chunkRow, text in
            let row = rowOffsets[c] + chunkRow
            codes[row] = numberCodes[text]!
            words[row >> 6] &= ~(1 << UInt64(row & 63))
        }
        return Column(
            name: name, storage: .text(codes: codes, dictionary: dictionary),
            missing: MissingMask(rowCount: rowCount, words: words))
    }

    /// Calls `body(chunk, row, canonical text)` for every numeric cell of the column.
    private func forEachNumber(_ column: Int, _ body: (Int, Int, String) -> Void) {
        for (c, chunk) in chunks.enumerated() {
            let isDouble = chunk.widths[column] == .double
            for row in 0..<chunk.rowCount {
                guard let number = chunk.number(column, row) else { continue }
                body(c, row, isDouble ? "\(number.double)" : "\(number.integer)")
            }
        }
    }
}

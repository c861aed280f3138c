import Foundation

/// Joins one column's per-chunk accumulators into a ``Column``, deciding its kind from the
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
        var numericCount = 0
        var tokenCount = 0
        for chunk in chunks {
            numericCount += chunk.accumulators[column].numericCount
            tokenCount += chunk.accumulators[column].tokenRows.count
        }
        let isText = forcedKind == .text || (forcedKind != .numeric && tokenCount > numericCount)
        return isText ? try mergeText(column, name) : mergeNumeric(column, name)
    }

    // MARK: numeric

    private func mergeNumeric(_ column: Int, _ name: String) -> Column {
        let width = chunks.map { $0.accumulators[column].width }.max() ?? .int8
        let storage: ColumnStorage
        switch width {
        case .int8: storage = .int8(gatherIntegers(column, as: Int8.self))
        case .int16: storage = .int16(gatherIntegers(column, as: Int16.self))
        case .int32: storage = .int32(gatherIntegers(column, as: Int32.self))
        case .int64: storage = .int64(gatherIntegers(column, as: Int64.self))
        case .double: storage = .double(gatherDoubles(column))
        }
        var words = emptyFieldWords(column)
        let (tokens, chunkCodeMaps) = distinctTokens(column)
        var rows: [Int32] = []
        var codes: [UInt16] = []
        for (c, chunk) in chunks.enumerated() {
            let accumulator = chunk.accumulators[column]
            for k in 0..<accumulator.tokenRows.count {
                let row = rowOffsets[c] + Int(accumulator.tokenRows[k])
                words[row >> 6] |= 1 << UInt64(row & 63)
                rows.append(Int32(row))
                codes.append(UInt16(chunkCodeMaps[c][Int(accumulator.tokenCodes[k])]))
            }
        }
        return Column(
            name: name, storage: storage, missing: MissingMask(rowCount: rowCount, words: words),
            specialTokens: SpecialTokens(tokens: tokens, rows: rows, codes: codes))
    }

    private func gatherIntegers<T: FixedWidthInteger>(_ column: Int, as: T.Type) -> [T] {
        [T](unsafeUninitializedCapacity: rowCount) { buffer, initialized in
            for (c, chunk) in chunks.enumerated() {
                let accumulator = chunk.accumulators[column]
                guard accumulator.count > 0, let source = accumulator.values else { continue }
                let destination = buffer.baseAddress! + rowOffsets[c]
                if accumulator.width != .double && accumulator.width.byteSize == MemoryLayout<T>.size {
                    memcpy(destination, source, accumulator.count * MemoryLayout<T>.size)
                } else {
                    for row in 0..<accumulator.count {
                        destination[row] = T(truncatingIfNeeded: accumulator.integer(at: row))
                    }
                }
            }
            initialized = rowCount
        }
    }

    private func gatherDoubles(_ column: Int) -> [Double] {
        [Double](unsafeUninitializedCapacity: rowCount) { buffer, initialized in
            for (c, chunk) in chunks.enumerated() {
                let accumulator = chunk.accumulators[column]
                let destination = buffer.baseAddress! + rowOffsets[c]
                for row in 0..<accumulator.count { destination[row] = accumulator.double(at: row) }
            }
            initialized = rowCount
        }
    }

    /// The chunks' empty-field bits shifted into place in one table-wide bit array.
    private func emptyFieldWords(_ column: Int) -> [UInt64] {
        var words = [UInt64](repeating: 0, count: (rowCount + 63) >> 6)
        for (c, chunk) in chunks.enumerated() {
            let accumulator = chunk.accumulators[column]
            guard accumulator.emptyCount > 0 else { continue }
            let offset = rowOffsets[c]
            for k in 0..<accumulator.missingWordCount {
                let word = accumulator.missing[k]
                if word == 0 { continue }
                let bit = offset + k << 6
                let index = bit >> 6
                let shift = UInt64(bit & 63)
                words[index] |= word << shift
                if shift != 0, word >> (64 - shift) != 0 { words[index + 1] |= word >> (64 - shift) }
            }
        }
        return words
    }

    /// All tokens of the column sorted by UTF-8 bytes, and per chunk its local code → global code.
    private func distinctTokens(_ column: Int, extra: Set<String> = []) -> ([String], [[Int]]) {
        var all = extra
        for chunk in chunks {
            let interner = chunk.accumulators[column].tokens
            for code in 0..<interner.count { all.insert(interner.string(code)) }
        }
        let sorted = all.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var index: [String: Int] = [:]
        for (i, token) in sorted.enumerated() { index[token] = i }
        let maps = chunks.map { chunk in
            let interner = chunk.accumulators[column].tokens
            return (0..<interner.count).map { index[interner.string($0)]! }
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
        for (c, chunk) in chunks.enumerated() {
            let accumulator = chunk.accumulators[column]
            for k in 0..<accumulator.tokenRows.count {
                codes[rowOffsets[c] + Int(accumulator.tokenRows[k])] =
                    UInt16(chunkCodeMaps[c][Int(accumulator.tokenCodes[k])])
            }
        }
        forEachNumber(column) { c, row, text in codes[rowOffsets[c] + row] = numberCodes[text]! }
        return Column(
            name: name, storage: .text(codes: codes, dictionary: dictionary),
            missing: MissingMask(rowCount: rowCount, words: emptyFieldWords(column)))
    }

    /// Calls `body(chunk, row, canonical text)` for every numeric cell of the column.
    private func forEachNumber(_ column: Int, _ body: (Int, Int, String) -> Void) {
        for (c, chunk) in chunks.enumerated() {
            let accumulator = chunk.accumulators[column]
            guard accumulator.numericCount > 0 else { continue }
            var nextToken = 0
            for row in 0..<accumulator.count {
                if nextToken < accumulator.tokenRows.count && Int(accumulator.tokenRows[nextToken]) == row {
                    nextToken += 1
                    continue
                }
                if accumulator.isEmptyField(row) { continue }
                let text =
                    accumulator.width == .double
                    ? "\(accumulator.double(at: row))" : "\(accumulator.integer(at: row))"
                body(c, row, text)
            }
        }
    }
}

import Concurrency

/// A worksheet's cells gathered into rows, from one parse or from two halves parsed at once.
struct SheetGrid {
    var rows: [[CellValue?]] = []
    var merged: [CellRange] = []

    static func read(_ bytes: [UInt8], with parser: SheetParser) throws(XLSXError) -> SheetGrid {
        var grid = SheetGrid()
        do {
            grid.merged = try parser.parse(bytes) { rowIndex, cells in grid.place(rowIndex, cells) }
        } catch let error as XLSXError {
            throw error
        } catch {
            // The row closure above never throws, so every error is the parser's.
            throw .invalidContent(file: parser.file, part: parser.part, reason: "\(error)")
        }
        return grid
    }

    /// Reads `bytes` as two halves on two cores (see ``SheetSplitter``) and joins them. If the
    /// part cannot be cut, or either half is not plain to ``SheetScanner`` or fails, the whole
    /// is read again in one pass, so any error (and its line number) is exactly the one an
    /// in-order read reports.
    static func readInParallel(_ bytes: [UInt8], with parser: SheetParser) throws(XLSXError) -> SheetGrid {
        if let joined = readHalves(bytes, with: parser) { return joined }
        return try read(bytes, with: parser)
    }

    /// The two halves' cells joined, or nil if the part must be read in one pass. `cut` is
    /// where to cut (for tests); by default ``SheetSplitter`` finds it.
    static func readHalves(_ bytes: [UInt8], at cut: SheetSplitter.Cut? = nil, with parser: SheetParser) -> SheetGrid? {
        bytes.withUnsafeBufferPointer { buffer -> SheetGrid? in
            guard let cut = cut ?? SheetSplitter.cut(buffer) else { return nil }
            let whole = UnsafeSendableBuffer(buffer)
            let halves = Parallel.perform(2, workers: 2) { half in scanHalf(half, of: whole.buffer, at: cut, with: parser) }
            guard var grid = halves[0], let second = halves[1] else { return nil }
            grid.join(second)
            return grid
        }
    }

    /// One half's cells, or nil if that half must be left to the one-pass read.
    private static func scanHalf(
        _ half: Int, of buffer: UnsafeBufferPointer<UInt8>, at cut: SheetSplitter.Cut, with parser: SheetParser
    ) -> SheetGrid? {
        var grid = SheetGrid()
        var content = SheetContent(
            parser: parser, emit: { rowIndex, cells in grid.place(rowIndex, cells) }, inSheetData: half == 1)
        do {
            if half == 0 {
                guard try SheetScanner.scanHead(buffer, to: cut.offset, openElements: cut.openElements, into: &content)
                else { return nil }
            } else {
                guard try SheetScanner.scanTail(buffer, from: cut.offset, openElements: cut.openElements, into: &content),
                    content.firstRowNumbered
                else { return nil }
            }
        } catch {
            return nil
        }
        grid.merged = content.merged
        return grid
    }

    /// Adds the rows and merged ranges of the grid read from the tail of the part.
    private mutating func join(_ second: SheetGrid) {
        merged = (merged + second.merged).sorted()
        if second.rows.count > rows.count {
            rows.append(contentsOf: repeatElement([], count: second.rows.count - rows.count))
        }
        for (index, row) in second.rows.enumerated() where !row.isEmpty {
            if rows[index].isEmpty {
                rows[index] = row
            } else {
                for (column, value) in row.enumerated() where value != nil {
                    place(index, [(column, value!)])
                }
            }
        }
    }

    /// Puts a row's cells at their places; rows normally arrive once, a repeated index adds to
    /// what is there.
    mutating func place(_ rowIndex: Int, _ cells: SheetParser.Row) {
        if rowIndex >= rows.count {
            rows.append(contentsOf: repeatElement([], count: rowIndex - rows.count + 1))
        }
        var width = 0
        for cell in cells where cell.column >= width { width = cell.column + 1 }
        var row = rows[rowIndex]
        rows[rowIndex] = []
        if row.count < width { row.append(contentsOf: repeatElement(nil, count: width - row.count)) }
        for (column, value) in cells { row[column] = value }
        rows[rowIndex] = row
    }
}

/// One slot per half, each written by exactly one of the two concurrent iterations and read
/// only after both have finished (`concurrentPerform` returns when all iterations are done).
/// The part's bytes, read by both halves while the caller keeps them alive and unchanged.
private struct UnsafeSendableBuffer: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<UInt8>
    init(_ buffer: UnsafeBufferPointer<UInt8>) { self.buffer = buffer }
}

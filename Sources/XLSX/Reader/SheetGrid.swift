import Dispatch

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

    /// Parses the two halves of `bytes` from ``SheetSplitter`` concurrently and joins them.
    /// If either half fails, the whole is read again in one pass, so the error (and its line
    /// number) is exactly the one an in-order read reports.
    static func readInParallel(_ bytes: [UInt8], _ halves: SheetSplitter.Halves, with parser: SheetParser)
        throws(XLSXError) -> SheetGrid
    {
        let results = HalfResults()
        DispatchQueue.concurrentPerform(iterations: 2) { half in
            if half == 0 {
                results.first = Result { () throws(XLSXError) in try read(halves.first, with: parser) }
            } else {
                results.second = Result { () throws(XLSXError) in try read(halves.second, with: parser) }
            }
        }
        guard case .success(var grid) = results.first, case .success(let second) = results.second else {
            return try read(bytes, with: parser)
        }
        grid.merged = (grid.merged + second.merged).sorted()
        if second.rows.count > grid.rows.count {
            grid.rows.append(contentsOf: repeatElement([], count: second.rows.count - grid.rows.count))
        }
        for (index, row) in second.rows.enumerated() where !row.isEmpty {
            if grid.rows[index].isEmpty {
                grid.rows[index] = row
            } else {
                for (column, value) in row.enumerated() where value != nil {
                    grid.place(index, [(column, value!)])
                }
            }
        }
        return grid
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
private final class HalfResults: @unchecked Sendable {
    var first: Result<SheetGrid, XLSXError>?
    var second: Result<SheetGrid, XLSXError>?
}

/// A worksheet's cells gathered into rows, for ``Workbook/worksheet(at:)``.
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

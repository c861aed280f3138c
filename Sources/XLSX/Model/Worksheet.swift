/// One worksheet read whole: a grid of cell values plus its merged ranges.
///
/// `rows[i][j]` is the cell at Excel row `i + 1`, column `j + 1` (row 1 and column A
/// included even when empty). Rows may differ in length; trailing empty cells and
/// trailing empty rows are not stored. A missing cell reads as `nil`.
public struct Worksheet: Sendable, Hashable {
    /// The sheet's name as the workbook lists it (the tab's label).
    public var name: String
    /// The cells, row by row from row 1; `nil` where a cell is empty.
    public var rows: [[CellValue?]]
    /// Merged ranges, sorted by top row, then left column.
    public var mergedRanges: [CellRange]

    /// A sheet of the given cells; `mergedRanges` are sorted, so equal sheets compare equal
    /// whatever order the ranges came in.
    public init(name: String, rows: [[CellValue?]] = [], mergedRanges: [CellRange] = []) {
        self.name = name
        self.rows = rows
        self.mergedRanges = mergedRanges.sorted()
    }

    /// The cell at zero-based `row` and `column`; `nil` outside the stored grid. Setting a cell
    /// beyond it grows the grid with empty cells; negative positions are ignored.
    public subscript(row: Int, column: Int) -> CellValue? {
        get {
            guard row >= 0, row < rows.count, column >= 0, column < rows[row].count else { return nil }
            return rows[row][column]
        }
        set {
            guard row >= 0, column >= 0 else { return }
            if row >= rows.count { rows.append(contentsOf: repeatElement([], count: row - rows.count + 1)) }
            if column >= rows[row].count {
                rows[row].append(contentsOf: repeatElement(nil, count: column - rows[row].count + 1))
            }
            rows[row][column] = newValue
        }
    }

    /// The cell at `cell` (see ``subscript(row:column:)``).
    public subscript(_ cell: CellReference) -> CellValue? {
        get { self[cell.row, cell.column] }
        set { self[cell.row, cell.column] = newValue }
    }

    /// The widest row's length.
    public var columnCount: Int { rows.map(\.count).max() ?? 0 }

    /// A copy in which every cell of a merged range holds the value of the range's
    /// top-left cell: what a person sees on screen, and what a layout-driven reader
    /// (a merged "Meaning" shared by several codes) wants.
    public func fillingMergedRanges() -> Worksheet {
        var copy = self
        for range in mergedRanges {
            let value = self[range.first]
            for r in range.first.row...range.last.row {
                for c in range.first.column...range.last.column where (r, c) != (range.first.row, range.first.column) {
                    copy[r, c] = value
                }
            }
        }
        copy.trimTrailingEmptyCells()
        return copy
    }

    /// Drops trailing `nil` cells of each row and trailing empty rows.
    public mutating func trimTrailingEmptyCells() {
        for i in rows.indices {
            while let last = rows[i].last, last == nil { rows[i].removeLast() }
        }
        while let last = rows.last, last.isEmpty { rows.removeLast() }
    }
}

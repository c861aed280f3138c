/// One worksheet read whole: a grid of cell values plus its merged ranges.
///
/// `rows[i][j]` is the cell at Excel row `i + 1`, column `j + 1` (row 1 and column A
/// included even when empty). Rows may differ in length; trailing empty cells and
/// trailing empty rows are not stored. A missing cell reads as `nil`.
public struct Worksheet: Sendable, Hashable {
    public var name: String
    public var rows: [[CellValue?]]
    /// Merged ranges, sorted by top row, then left column.
    public var mergedRanges: [CellRange]

    public init(name: String, rows: [[CellValue?]] = [], mergedRanges: [CellRange] = []) {
        self.name = name
        self.rows = rows
        self.mergedRanges = mergedRanges.sorted()
    }

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

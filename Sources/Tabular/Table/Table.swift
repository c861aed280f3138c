/// A whole CSV file in columns, each stored compactly (see ``ColumnStorage``).
public struct Table: Sendable, Equatable {
    /// The header's names, in file order (without a dropped index column).
    public let columnNames: [String]
    /// Data rows (the header not counted).
    public let rowCount: Int
    /// The columns, parallel to ``columnNames``.
    public let columns: [Column]
    /// True if the file had a leading unnamed index column that was left out.
    public let droppedIndexColumn: Bool

    /// A table of `columns`, each `rowCount` long.
    public init(columns: [Column], rowCount: Int, droppedIndexColumn: Bool = false) {
        self.columns = columns
        self.columnNames = columns.map(\.name)
        self.rowCount = rowCount
        self.droppedIndexColumn = droppedIndexColumn
    }

    /// The first column with this name.
    public subscript(name: String) -> Column? {
        columnIndex(name).map { columns[$0] }
    }

    /// The position of the first column with this name.
    public func columnIndex(_ name: String) -> Int? {
        columnNames.firstIndex(of: name)
    }

    /// Bytes held by all columns, for memory reports.
    public var byteCount: Int { columns.reduce(0) { $0 + $1.byteCount } }
}

/// A whole CSV file in columns, each stored compactly (see ``ColumnStorage``).
public struct Table: Sendable, Equatable {
    public let columnNames: [String]
    public let rowCount: Int
    public let columns: [Column]
    /// True if the file had a leading unnamed index column that was left out.
    public let droppedIndexColumn: Bool

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

    public func columnIndex(_ name: String) -> Int? {
        columnNames.firstIndex(of: name)
    }

    /// Bytes held by all columns, for memory reports.
    public var byteCount: Int { columns.reduce(0) { $0 + $1.byteCount } }
}

import Concurrency
import Foundation

/// How ``CSVReader`` reads a file. The defaults read every Arvato release unchanged.
public struct CSVOptions: Sendable {
    /// What to do with a leading column whose header name is empty (the row index a later
    /// release of the Arvato files adds in front of LNR).
    public enum IndexColumn: Sendable, Equatable {
        /// Leave it out of the table (``Table/droppedIndexColumn`` tells it was there).
        case drop
        /// Keep it as an ordinary column named "".
        case keep
    }

    /// A column's kind forced by the caller instead of decided from the data. Useful when a
    /// small batch could mislead the majority rule (a batch of only `X` in a numeric column).
    public enum ColumnKind: Sendable, Equatable {
        /// Numbers; other text in the column is kept aside as ``SpecialTokens``.
        case numeric
        /// Text, dictionary-coded, even when the values look like numbers.
        case text
    }

    /// The field separator; `nil` picks `;` or `,`, whichever the header line holds more of.
    public var separator: UInt8?
    /// What to do with a leading unnamed index column; dropped by default.
    public var indexColumn: IndexColumn
    /// If set, the header (after dropping an index column) must hold exactly these names.
    public var expectedColumns: [String]?
    /// Kinds forced per column name; other columns are decided from the data.
    public var columnKinds: [String: ColumnKind]
    /// Threads used for parsing; defaults to the active processor count.
    public var workers: Int
    /// Pieces the data is split into (at record boundaries); `nil` = a few per worker.
    /// Tests set it to force chunking on small inputs.
    public var chunkCount: Int?

    /// Options with the defaults that read every Arvato release: separator from the header,
    /// index column dropped, any header accepted, kinds from the data, all cores.
    public init(
        separator: UInt8? = nil, indexColumn: IndexColumn = .drop, expectedColumns: [String]? = nil,
        columnKinds: [String: ColumnKind] = [:], workers: Int? = nil, chunkCount: Int? = nil
    ) {
        self.separator = separator
        self.indexColumn = indexColumn
        self.expectedColumns = expectedColumns
        self.columnKinds = columnKinds
        self.workers = max(1, workers ?? Parallel.defaultWorkers)
        self.chunkCount = chunkCount
    }
}

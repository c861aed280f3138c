import Foundation

/// A few dozen parsed records, field by field, waiting to be moved into their columns.
///
/// Writing each field straight into its column spreads one record over hundreds of cache
/// lines and pages, and the parser then mostly waits on stores. Here the cells of a block
/// (field-major: a field's cells for all the block's rows are adjacent) stay in L1/L2, and
/// ``ChunkColumns/append(_:input:firstStoredField:)`` moves each field's run into its column
/// in one branch-free, vectorizable pass.
///
/// Every field takes one `Int32` cell: a plain integer, or ``RowBlock/empty``. Fields a cell
/// cannot hold (tokens, fractions, integers beyond `Int32`) leave `empty` in their cell and
/// are listed in ``escapes``, applied after the block's cells.
///
/// Non-copyable: it owns its cells and frees them once, in `deinit`.
struct RowBlock: ~Copyable {
    /// The cell of an empty field (and of an escaped one).
    static let empty = Int32.min

    enum EscapedValue: BitwiseCopyable {
        case integer(Int64)
        case double(Double)
        /// A token as bytes of the input, by offset.
        case inputToken(start: Int, length: Int)
        /// A token whose quotes were unescaped into ``RowBlock/copiedBytes``.
        case copiedToken(start: Int, length: Int)
    }

    struct Escape: BitwiseCopyable {
        var field: Int32
        var row: Int32
        var value: EscapedValue
    }

    /// Fields per record, including a dropped index column.
    let fieldCount: Int
    let capacity: Int
    let cells: UnsafeMutablePointer<Int32>
    /// Per field, bit `row` set where the cell is ``empty``: set by the parser as it writes
    /// one, so the move into the columns needs no per-cell test to build the gap bitmap.
    let gaps: UnsafeMutablePointer<UInt64>
    private(set) var rowCount = 0
    /// In record order, hence in row order per field.
    private(set) var escapes = GrowableBuffer<Escape>()
    private(set) var copiedBytes = GrowableBuffer<UInt8>()

    init(fieldCount: Int, capacity: Int) {
        self.fieldCount = fieldCount
        self.capacity = capacity
        precondition(capacity <= 64, "a block's rows must fit one gap word")
        cells = .allocate(capacity: max(1, fieldCount * capacity))
        gaps = .allocate(capacity: max(1, fieldCount))
        gaps.initialize(repeating: 0, count: max(1, fieldCount))
    }

    /// The gap bit of the record being parsed.
    @inline(__always)
    var currentGapBit: UInt64 { 1 &<< UInt64(rowCount) }

    var isFull: Bool { rowCount == capacity }

    /// The cells of the record being parsed: field `f` at offset `f * capacity`.
    @inline(__always)
    var currentRow: UnsafeMutablePointer<Int32> { cells + rowCount }

    /// The cells of one field, one per row.
    func field(_ field: Int) -> UnsafePointer<Int32> { UnsafePointer(cells + field &* capacity) }

    /// Keeps the record just parsed.
    @inline(__always)
    mutating func commitRow() { rowCount += 1 }

    /// Sets aside a field of the current record that no cell can hold.
    mutating func escape(field: Int, _ value: EscapedValue) {
        escapes.append(Escape(field: Int32(field), row: Int32(rowCount), value: value))
    }

    /// Sets aside a token held in other memory (its doubled quotes collapsed) by copying it.
    mutating func escapeCopy(field: Int, _ text: UnsafeBufferPointer<UInt8>) {
        let start = copiedBytes.count
        if let base = text.baseAddress { copiedBytes.append(contentsOf: base, count: text.count) }
        escape(field: field, .copiedToken(start: start, length: text.count))
    }

    mutating func removeAll() {
        rowCount = 0
        gaps.update(repeating: 0, count: max(1, fieldCount))
        escapes.removeAll()
        copiedBytes.removeAll()
    }

    deinit {
        cells.deallocate()
        gaps.deallocate()
    }
}

/// A cell position, zero-based: `A1` is row 0, column 0.
public struct CellReference: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Zero-based row: Excel's row 1 is 0.
    public var row: Int
    /// Zero-based column: `A` is 0.
    public var column: Int

    /// A reference to the cell at zero-based `row` and `column`.
    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    /// Parses an A1-style reference such as `B2` or `AAB300` (`$` signs allowed).
    public init?<S: StringProtocol>(a1 text: S) {
        var column = 0
        var row = 0
        var sawLetter = false
        var sawDigit = false
        for byte in text.utf8 where byte != UInt8(ascii: "$") {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z") where !sawDigit:
                column = column * 26 + Int(byte - UInt8(ascii: "A")) + 1
                sawLetter = true
            case UInt8(ascii: "a")...UInt8(ascii: "z") where !sawDigit:
                column = column * 26 + Int(byte - UInt8(ascii: "a")) + 1
                sawLetter = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                row = row * 10 + Int(byte - UInt8(ascii: "0"))
                sawDigit = true
            default:
                return nil
            }
            if column > 16_384 || row > 1_048_576 { return nil }
        }
        guard sawLetter, sawDigit, row >= 1 else { return nil }
        self.init(row: row - 1, column: column - 1)
    }

    /// The column's letters: 0 → `A`, 25 → `Z`, 26 → `AA`.
    public static func columnName(_ column: Int) -> String {
        var n = column + 1
        var letters: [UInt8] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.append(UInt8(ascii: "A") + UInt8(r))
            n = (n - 1) / 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }

    /// `B2` style.
    public var a1: String { Self.columnName(column) + String(row + 1) }
    /// The A1 form, so references print the way Excel shows them.
    public var description: String { a1 }

    /// Row-major order: the order a sheet is read in.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.row, lhs.column) < (rhs.row, rhs.column)
    }
}

/// A rectangular range such as a merged region `B78:B87` (both corners inclusive).
public struct CellRange: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The top-left corner.
    public var first: CellReference
    /// The bottom-right corner.
    public var last: CellReference

    /// A range between two corners given in any order; it is normalised so that `first` is the
    /// top-left and `last` the bottom-right cell.
    public init(first: CellReference, last: CellReference) {
        self.first = CellReference(row: min(first.row, last.row), column: min(first.column, last.column))
        self.last = CellReference(row: max(first.row, last.row), column: max(first.column, last.column))
    }

    /// Parses `B78:B87`, or a single cell `C3`.
    public init?<S: StringProtocol>(a1 text: S) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2,
            let a = CellReference(a1: parts[0]),
            let b = CellReference(a1: parts[parts.count - 1])
        else { return nil }
        self.init(first: a, last: b)
    }

    /// Whether `cell` lies inside the range, edges included.
    public func contains(_ cell: CellReference) -> Bool {
        (first.row...last.row).contains(cell.row) && (first.column...last.column).contains(cell.column)
    }

    /// `B78:B87` style; a one-cell range prints as its cell (`C3`), as Excel writes it.
    public var a1: String { first == last ? first.a1 : first.a1 + ":" + last.a1 }
    /// The A1 form (see ``a1``).
    public var description: String { a1 }

    /// Sorted by top row, then left column (the order the fixtures list merges in).
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.first, lhs.last) < (rhs.first, rhs.last)
    }
}

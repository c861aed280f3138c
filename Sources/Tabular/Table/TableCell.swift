/// One cell of a ``Table`` as a caller sees it.
public enum TableCell: Sendable, Equatable {
    /// An empty field.
    case missing
    /// A number without a fraction.
    case integer(Int)
    /// A number with a fraction.
    case double(Double)
    /// A value of a text column.
    case text(String)
    /// A non-numeric token in a numeric column (see ``SpecialTokens``).
    case special(String)
}

extension TableCell {
    /// The cell as text: integers without a decimal point, missing as the empty string.
    public var text: String {
        switch self {
        case .missing: ""
        case .integer(let value): String(value)
        case .double(let value): String(value)
        case .text(let value), .special(let value): value
        }
    }
}

/// One cell of a ``Table`` as a caller sees it.
public enum TableCell: Sendable, Equatable {
    case missing
    case integer(Int)
    case double(Double)
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

/// One cell of a ``Table`` as a caller sees it.
public enum TableCell: Sendable, Equatable {
    case missing
    case integer(Int)
    case double(Double)
    case text(String)
    /// A non-numeric token in a numeric column (see ``SpecialTokens``).
    case special(String)
}

/// Everything that can go wrong while reading a CSV file into a ``Table``.
///
/// Messages name the file and the 1-based physical line (the header is line 1) so a
/// user can open the file at the right place.
public enum CSVError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened, sized or mapped.
    case cannotRead(file: String, reason: String)
    /// The file holds no header line.
    case emptyFile(file: String)
    /// A record has a different number of fields than the header.
    case fieldCount(file: String, line: Int, found: Int, expected: Int)
    /// A quoted field is still open at the end of the file.
    case unterminatedQuote(file: String, line: Int)
    /// A closing quote is followed by something other than a separator or line end.
    case textAfterClosingQuote(file: String, line: Int)
    /// A text column has more distinct values than its 16-bit codes can number.
    case tooManyDistinctValues(file: String, column: String, limit: Int)
    /// The header does not match ``CSVOptions/expectedColumns``.
    case unexpectedHeader(file: String, expected: Int, found: Int, firstDifference: String)

    /// What went wrong, naming the file, line and column where there is one, for the user.
    public var description: String {
        switch self {
        case .cannotRead(let file, let reason):
            return "\(file): cannot read: \(reason)"
        case .emptyFile(let file):
            return "\(file): the file is empty (no header line)"
        case .fieldCount(let file, let line, let found, let expected):
            return "\(file): line \(line): \(found) fields, expected \(expected)"
        case .unterminatedQuote(let file, let line):
            return "\(file): line \(line): a quoted field is never closed"
        case .textAfterClosingQuote(let file, let line):
            return "\(file): line \(line): text after a closing quote (write a quote inside a quoted field as \"\")"
        case .tooManyDistinctValues(let file, let column, let limit):
            return "\(file): column \(column): more than \(limit) distinct text values"
        case .unexpectedHeader(let file, let expected, let found, let firstDifference):
            return "\(file): header has \(found) columns, expected \(expected): \(firstDifference)"
        }
    }
}

/// A column's values in the narrowest form that holds them exactly.
///
/// Cells that are missing (see ``Column/missing``) hold a placeholder 0 (code 0 for text).
public enum ColumnStorage: Sendable, Equatable {
    /// Integers in −128...127: most Arvato codes.
    case int8([Int8])
    /// Integers that need 16 bits.
    case int16([Int16])
    /// Integers that need 32 bits.
    case int32([Int32])
    /// Integers that need 64 bits.
    case int64([Int64])
    /// Only for columns with genuine fractions; `2.0` is stored as an integer.
    case double([Double])
    /// Dictionary-coded text; `dictionary` is sorted by UTF-8 bytes, so codes do not depend
    /// on row order or on how the file was split for parsing.
    case text(codes: [UInt16], dictionary: [String])

    /// Number of values (rows).
    public var count: Int {
        switch self {
        case .int8(let v): v.count
        case .int16(let v): v.count
        case .int32(let v): v.count
        case .int64(let v): v.count
        case .double(let v): v.count
        case .text(let codes, _): codes.count
        }
    }

    /// Bytes held by the values (and the dictionary's UTF-8), for memory reports.
    public var byteCount: Int {
        switch self {
        case .int8(let v): v.count
        case .int16(let v): v.count * 2
        case .int32(let v): v.count * 4
        case .int64(let v): v.count * 8
        case .double(let v): v.count * 8
        case .text(let codes, let dictionary): codes.count * 2 + dictionary.reduce(0) { $0 + $1.utf8.count }
        }
    }

    /// True for the integer and double cases, false for text.
    public var isNumeric: Bool {
        if case .text = self { return false }
        return true
    }
}

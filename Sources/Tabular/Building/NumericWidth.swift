/// Integer widths a numeric column can take, narrowest first; `double` holds everything.
enum NumericWidth: UInt8, Comparable, Sendable {
    case int8, int16, int32, int64, double

    static func < (a: NumericWidth, b: NumericWidth) -> Bool { a.rawValue < b.rawValue }

    var byteSize: Int {
        switch self {
        case .int8: 1
        case .int16: 2
        case .int32: 4
        case .int64, .double: 8
        }
    }

    /// The narrowest width holding `value`, each type's minimum left out (a column holding
    /// -128 is `Int16`): those values once marked empty cells, and tables keep their layout.
    static func narrowest(for value: Int64) -> NumericWidth {
        if value > Int64(Int8.min) && value <= Int64(Int8.max) { return .int8 }
        if value > Int64(Int16.min) && value <= Int64(Int16.max) { return .int16 }
        if value > Int64(Int32.min) && value <= Int64(Int32.max) { return .int32 }
        return .int64
    }
}

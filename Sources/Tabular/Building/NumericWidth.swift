/// Integer widths a numeric column can take, narrowest first; `double` holds everything.
///
/// While a chunk is parsed, each width reserves one bit pattern as "no number here"
/// (the type's minimum for integers, a quiet NaN with a payload for doubles), so an empty
/// field costs one store like any other value. The merge turns it into the missing mask.
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

    /// The narrowest width holding `value` without colliding with that width's sentinel.
    static func narrowest(for value: Int64) -> NumericWidth {
        if value > Int64(Int8.min) && value <= Int64(Int8.max) { return .int8 }
        if value > Int64(Int16.min) && value <= Int64(Int16.max) { return .int16 }
        if value > Int64(Int32.min) && value <= Int64(Int32.max) { return .int32 }
        return .int64
    }

    /// Bit pattern of the double sentinel; parsed doubles are always finite.
    static let doubleSentinelBits: UInt64 = 0x7FF8_0000_DEAD_BEEF
    static var doubleSentinel: Double { Double(bitPattern: doubleSentinelBits) }
}

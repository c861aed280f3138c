/// One column of a ``Table``: values, which rows are missing, and tokens set aside.
public struct Column: Sendable, Equatable {
    /// The header's name for the column.
    public let name: String
    /// The values, in the narrowest type that holds them exactly.
    public let storage: ColumnStorage
    /// Rows without a value: empty fields, plus rows carrying a special token.
    public let missing: MissingMask
    /// Non-numeric tokens of a numeric column, kept aside with their rows.
    public let specialTokens: SpecialTokens

    /// A column from its parts; `missing` must cover the rows of `specialTokens` too.
    public init(name: String, storage: ColumnStorage, missing: MissingMask, specialTokens: SpecialTokens = .none) {
        self.name = name
        self.storage = storage
        self.missing = missing
        self.specialTokens = specialTokens
    }

    /// Rows in the column (missing ones included).
    public var count: Int { storage.count }
    /// True unless the column holds dictionary-coded text.
    public var isNumeric: Bool { storage.isNumeric }
    /// Empty fields only (missing cells not explained by a special token).
    public var emptyCount: Int { missing.count - specialTokens.rows.count }

    /// Whether `row` has no value (an empty field or a special token).
    @inline(__always)
    public func isMissing(row: Int) -> Bool { missing.contains(row) }

    /// The cell at `row` as a value that says what it is: a number, text, a special token, or
    /// missing. For display and error messages; bulk readers use ``doubles(missingValue:)``.
    public func value(row: Int) -> TableCell {
        if missing.contains(row) {
            if let token = specialTokens.token(atRow: row) { return .special(token) }
            return .missing
        }
        switch storage {
        case .int8(let v): return .integer(Int(v[row]))
        case .int16(let v): return .integer(Int(v[row]))
        case .int32(let v): return .integer(Int(v[row]))
        case .int64(let v): return .integer(Int(v[row]))
        case .double(let v): return .double(v[row])
        case .text(let codes, let dictionary): return .text(dictionary[Int(codes[row])])
        }
    }

    /// The number at `row`; nil if missing, a special token, or a text column.
    @inline(__always)
    public func double(row: Int) -> Double? {
        if missing.contains(row) { return nil }
        switch storage {
        case .int8(let v): return Double(v[row])
        case .int16(let v): return Double(v[row])
        case .int32(let v): return Double(v[row])
        case .int64(let v): return Double(v[row])
        case .double(let v): return v[row]
        case .text: return nil
        }
    }

    /// The text at `row` for a text column; nil if missing or numeric.
    public func text(row: Int) -> String? {
        guard case .text(let codes, let dictionary) = storage, !missing.contains(row) else { return nil }
        return dictionary[Int(codes[row])]
    }

    /// The whole column as doubles, `missingValue` (NaN by default) where there is no number.
    /// Text columns give their codes as numbers. One tight pass: the form cleaning wants.
    public func doubles(missingValue: Double = .nan) -> [Double] {
        var out: [Double]
        switch storage {
        case .int8(let v): out = v.map { Double($0) }
        case .int16(let v): out = v.map { Double($0) }
        case .int32(let v): out = v.map { Double($0) }
        case .int64(let v): out = v.map { Double($0) }
        case .double(let v): out = v
        case .text(let codes, _): out = codes.map { Double($0) }
        }
        if !missing.words.isEmpty {
            for (w, word) in missing.words.enumerated() where word != 0 {
                var bits = word
                while bits != 0 {
                    out[w << 6 | bits.trailingZeroBitCount] = missingValue
                    bits &= bits - 1
                }
            }
        }
        return out
    }

    /// Bytes held by this column (values, mask, side tokens).
    public var byteCount: Int { storage.byteCount + missing.byteCount + specialTokens.byteCount }
}

/// One code an attribute's values can take, as the metadata lists it.
///
/// Most codes are integers (`-1`, `9`); a few attributes use text codes (`1A`, `O`, `XX`).
/// Text that reads as an integer is always stored as `.integer`, so one code has one
/// spelling whether the workbook held it as a number or as text.
package enum ValueCode: Sendable, Hashable, Comparable, CustomStringConvertible {
    case integer(Int)
    case text(String)

    /// Reads a code written as text: `-1` → `.integer(-1)`, ` 1A ` → `.text("1A")`;
    /// nil for empty text.
    package init?<S: StringProtocol>(parsing text: S) {
        let trimmed = CellText.trimmed(String(text))
        if trimmed.isEmpty { return nil }
        if let value = Int(trimmed) {
            self = .integer(value)
        } else {
            self = .text(trimmed)
        }
    }

    package var description: String {
        switch self {
        case .integer(let value): String(value)
        case .text(let value): value
        }
    }

    /// Integers first, by value; then text codes in lexical order.
    package static func < (lhs: ValueCode, rhs: ValueCode) -> Bool {
        switch (lhs, rhs) {
        case (.integer(let a), .integer(let b)): a < b
        case (.integer, .text): true
        case (.text, .integer): false
        case (.text(let a), .text(let b)): a < b
        }
    }
}

/// JSON writes integer codes as numbers and text codes as strings, like schema.json does.
extension ValueCode: Codable {
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .integer(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        }
    }
}

/// Lets `[ValueCode: String]` encode as a JSON object keyed by the code's text. The mapping
/// is one to one because text codes never read as integers.
extension ValueCode: CodingKeyRepresentable {
    package var codingKey: any CodingKey { CodeKey(stringValue: description) }

    package init?<T: CodingKey>(codingKey: T) {
        self.init(parsing: codingKey.stringValue)
    }

    private struct CodeKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

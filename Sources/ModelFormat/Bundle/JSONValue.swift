import Foundation

/// Any JSON value: the free-form `parameters` and `metrics` of a ``BundleManifest`` and the
/// report's data (``ModelBundle/reportMetrics()``).
///
/// Numbers are `Double`s (integers up to 2^53 are exact); JSON cannot hold NaN or infinities,
/// so writing a manifest that contains one fails with a message naming the key.
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Tries each kind in turn; only a type mismatch moves on to the next, so a number JSON
    /// cannot hold (`1e999`) is reported as such rather than as "not an object".
    public init(from decoder: any Decoder) throws {
        func attempt<T: Decodable>(_ type: T.Type, _ container: any SingleValueDecodingContainer) throws -> T? {
            do {
                return try container.decode(type)
            } catch DecodingError.typeMismatch {
                return nil
            }
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try attempt(Double.self, container) {
            self = .number(value)
        } else if let value = try attempt(String.self, container) {
            self = .string(value)
        } else if let value = try attempt(Bool.self, container) {
            self = .bool(value)
        } else if let value = try attempt([String: JSONValue].self, container) {
            self = .object(value)
        } else {
            self = .array(try container.decode([JSONValue].self))
        }
    }

    /// Writes the value as the JSON it stands for (a number as a JSON number).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Why a value could not be written as JSON: a non-finite number (named by its path) or
    /// the encoder's own error.
    struct Unencodable: Error {
        var problem: String
    }

    /// `value` as JSON with sorted keys, so equal values give equal bytes. `checking` are the
    /// free-form parts of it, by path (`metrics`): a NaN or infinity in them is refused, naming
    /// its path (`metrics.folds[1]`), rather than written as a string.
    static func sortedJSON(
        _ value: some Encodable, checking parts: [(path: String, value: JSONValue)], pretty: Bool
    ) throws(Unencodable) -> [UInt8] {
        for part in parts {
            if let bad = part.value.firstNonFiniteNumber(at: part.path) {
                throw Unencodable(problem: "\(bad) is not a finite number, which JSON cannot hold")
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(value))
        } catch {
            throw Unencodable(problem: "\(error)")
        }
    }

    /// The path (`metrics.auc`, `parameters.grid[2]`) of the first number JSON cannot hold.
    func firstNonFiniteNumber(at path: String) -> String? {
        switch self {
        case .number(let value): return value.isFinite ? nil : path
        case .array(let values):
            for (i, value) in values.enumerated() {
                if let bad = value.firstNonFiniteNumber(at: "\(path)[\(i)]") { return bad }
            }
            return nil
        case .object(let members):
            for key in members.keys.sorted() {
                if let bad = members[key]!.firstNonFiniteNumber(at: "\(path).\(key)") { return bad }
            }
            return nil
        case .null, .bool, .string: return nil
        }
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByFloatLiteral,
    ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    /// `nil` is JSON `null`.
    public init(nilLiteral: ()) { self = .null }
    /// `true`/`false`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// A JSON number.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// A JSON number (JSON has one number type; integers are exact up to 2^53).
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    /// A JSON string.
    public init(stringLiteral value: String) { self = .string(value) }
    /// A JSON array.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// A JSON object; a repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

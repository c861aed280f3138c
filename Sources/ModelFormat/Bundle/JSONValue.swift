/// Any JSON value: the free-form `parameters` and `metrics` of a ``BundleManifest``.
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

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

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
    public init(nilLiteral: ()) { self = .null }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

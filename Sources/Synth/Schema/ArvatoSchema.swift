import Foundation

/// The facts about the real Arvato files (`schema.json`): every column with its kind,
/// statistics, value domain, metadata entry and missing-value block. No real rows.
public struct ArvatoSchema: Sendable, Codable {
    public var about: String?
    public var files: [String: FileFacts]
    public var extraColumns: [String: ExtraColumn]
    public var columns: [Column]

    enum CodingKeys: String, CodingKey {
        case about, files, columns
        case extraColumns = "extra_columns"
    }

    /// The copy of `schema.json` shipped inside the Synth module.
    public static func bundled() throws -> ArvatoSchema {
        guard let url = Bundle.module.url(forResource: "schema", withExtension: "json") else {
            throw SynthError.schemaMissing("schema.json is not in the Synth module's resources")
        }
        return try load(from: url)
    }

    public static func load(from url: URL) throws -> ArvatoSchema {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw SynthError.schemaMissing("cannot read \(url.path): \(error.localizedDescription)")
        }
        do { return try JSONDecoder().decode(ArvatoSchema.self, from: data) } catch {
            throw SynthError.schemaInvalid("\(url.path): \(error)")
        }
    }

    public func column(named name: String) -> Column? { columns.first { $0.name == name } }

    /// Row count, column order and LNR rule of one CSV file.
    public struct FileFacts: Sendable, Codable {
        public var rows: Int
        public var columns: [String]
        public var lnr: String?
        public var positives: Int?
    }

    /// A column that exists only in CUSTOMERS or MAILOUT_TRAIN.
    public struct ExtraColumn: Sendable, Codable {
        public var name: String
        public var onlyIn: String
        public var dtype: String
        public var missingFrac: Double
        public var values: [ValueToken]
        public var valueCounts: [String: Int]
        public var mean: Double?

        enum CodingKeys: String, CodingKey {
            case name, dtype, values, mean
            case onlyIn = "only_in"
            case missingFrac = "missing_frac"
            case valueCounts = "value_counts"
        }
    }

    /// One AZDIAS column in file order.
    public struct Column: Sendable, Codable {
        public var name: String
        public var position: Int
        public var kind: Kind
        public var azdias: Statistics?
        public var customers: Statistics?
        /// The values seen in the data (for some columns only a sample of them).
        public var values: [ValueToken]?
        public var valueCounts: [String: Int]?
        public var metadata: MetadataEntry?
        public var informationLevel: String?
        public var missingBlock: String?

        enum CodingKeys: String, CodingKey {
            case name, position, kind, azdias, customers, values, metadata
            case valueCounts = "value_counts"
            case informationLevel = "information_level"
            case missingBlock = "missing_block"
        }
    }

    public enum Kind: String, Sendable, Codable {
        case int, float, object
    }

    /// Missing fraction and moments; quartiles only for AZDIAS.
    public struct Statistics: Sendable, Codable {
        public var missingFrac: Double
        public var min: Double?
        public var p25: Double?
        public var p50: Double?
        public var p75: Double?
        public var max: Double?
        public var mean: Double?
        public var std: Double?

        enum CodingKeys: String, CodingKey {
            case min, p25, p50, p75, max, mean, std
            case missingFrac = "missing_frac"
        }
    }

    /// The column's entry in the values workbook and how its name matches.
    public struct MetadataEntry: Sendable, Codable {
        public var name: String
        public var match: String
        public var codes: [MetadataCode]
        public var unknownCodes: [MetadataCode]

        enum CodingKeys: String, CodingKey {
            case name, match, codes
            case unknownCodes = "unknown_codes"
        }

        /// Every integer the unknown codes stand for (`"-1, 9"` gives -1 and 9).
        public var unknownIntegers: [Int] { unknownCodes.flatMap(\.integers) }
    }
}

/// A value cell of the metadata workbook: a number, or text such as `"-1, 9"`, `"…"`, `"1A"`.
public enum MetadataCode: Sendable, Codable, Hashable {
    case integer(Int)
    case text(String)

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .integer(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        }
    }

    /// The integers a code names: `-1` → [-1], `"-1, 0"` → [-1, 0], `"1A"` → [].
    public var integers: [Int] {
        switch self {
        case .integer(let value): return [value]
        case .text(let text):
            let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let numbers = parts.compactMap { Int($0) }
            return numbers.count == parts.count ? numbers : []
        }
    }
}

/// A value of the data's domain: an integer (`2`) or a string (`"1A"`, `"X"`).
public enum ValueToken: Sendable, Codable, Hashable {
    case integer(Int)
    case text(String)

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .integer(Int(value))
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .integer(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        }
    }

    public var integer: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var text: String {
        switch self {
        case .integer(let value): return String(value)
        case .text(let value): return value
        }
    }
}

import Foundation

/// What a bundle is, where it came from and how good it was: the `manifest` section, stored
/// as JSON so an operator can read it with any tool (`prospector` never needs to run for that).
///
/// Readers ignore JSON keys they do not know, so a minor format version may add fields.
public struct BundleManifest: Sendable, Hashable, Codable {
    /// `2026-11-29T0300Z-1a2b3c4d`: creation minute, then 8 hex digits of the content hash.
    public var bundleId: String
    /// The container format the bundle was written with, `major.minor`.
    public var formatVersion: String
    /// ISO 8601, UTC (`2026-11-29T03:00:00Z`).
    public var createdAt: String
    public var prospectorVersion: String
    /// The data files the models were fitted on.
    public var inputs: [Input]
    /// What a record must provide to be scored.
    public var inputSchema: InputSchema
    /// Fitting parameters (free-form).
    public var parameters: [String: JSONValue]
    /// Validation figures (free-form).
    public var metrics: [String: JSONValue]
    public var notes: String

    public struct Input: Sendable, Hashable, Codable {
        public var name: String
        /// Bytes.
        public var size: Int
        /// How the file was hashed is part of the value, e.g. `xxh64:1a2b3c4d5e6f7081`.
        public var contentHash: String

        public init(name: String, size: Int, contentHash: String) {
            self.name = name
            self.size = size
            self.contentHash = contentHash
        }
    }

    public struct InputSchema: Sendable, Hashable, Codable {
        public var idColumn: String
        public var columns: [Column]

        public struct Column: Sendable, Hashable, Codable {
            public var name: String
            /// `number`, `category` or `year` (see ``InputColumn/Reading``).
            public var kind: String

            public init(name: String, kind: String) {
                self.name = name
                self.kind = kind
            }
        }

        public init(idColumn: String, columns: [Column]) {
            self.idColumn = idColumn
            self.columns = columns
        }

        /// The columns `transform` reads.
        public init(transform: CleaningTransform) {
            self.idColumn = transform.idColumn
            self.columns = transform.inputs.map { input in
                let kind =
                    switch input.reading {
                    case .number: "number"
                    case .category: "category"
                    case .year: "year"
                    }
                return Column(name: input.name, kind: kind)
            }
        }
    }

    public init(
        bundleId: String = "", formatVersion: String = BundleFile.formatVersionString, createdAt: String = "",
        prospectorVersion: String, inputs: [Input] = [], inputSchema: InputSchema,
        parameters: [String: JSONValue] = [:], metrics: [String: JSONValue] = [:], notes: String = ""
    ) {
        self.bundleId = bundleId
        self.formatVersion = formatVersion
        self.createdAt = createdAt
        self.prospectorVersion = prospectorVersion
        self.inputs = inputs
        self.inputSchema = inputSchema
        self.parameters = parameters
        self.metrics = metrics
        self.notes = notes
    }

    /// `date` as the manifest writes it: ISO 8601 in UTC, to the second.
    public static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(secondsFromGMT: 0)!))
    }

    /// The bundle id for a bundle created at `date` whose sections hash to `contentHash`.
    public static func bundleId(createdAt date: Date, contentHash: UInt64) -> String {
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(secondsFromGMT: 0)!
        let c = utc.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let hex = String(contentHash >> 32, radix: 16)
        let minute = "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2))\(pad(c.minute, 2))Z"
        return minute + "-" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// Sorted keys, so equal manifests give equal bytes.
    func jsonBytes() throws(BundleError) -> [UInt8] {
        for (name, object) in [("parameters", parameters), ("metrics", metrics)] {
            if let bad = JSONValue.object(object).firstNonFiniteNumber(at: name) {
                throw .unencodableManifest(problem: "\(bad) is not a finite number, which JSON cannot hold")
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(self))
        } catch {
            throw .unencodableManifest(problem: "\(error)")
        }
    }

    /// Parsed with `JSONSerialization` and read field by field: several times faster than
    /// `JSONDecoder` on a manifest of a few hundred kilobytes, and loading a bundle is on the
    /// scorer's reload path. Messages name the field, as `JSONDecoder`'s would.
    static func decode(json bytes: ArraySlice<UInt8>, path: String) throws(BundleError) -> BundleManifest {
        let parsed: JSONValue
        do {
            parsed = try JSONParser.parse(bytes)
        } catch {
            throw .invalidManifest(path: path, problem: error.description)
        }
        func fail(_ problem: String) -> BundleError { .invalidManifest(path: path, problem: problem) }
        func lookup(_ object: [String: JSONValue], _ key: String, at: String) throws(BundleError) -> JSONValue {
            guard let value = object[key] else { throw fail("missing field '\(key)'\(at)") }
            return value
        }
        func place(_ key: String, _ at: String) -> String { at.isEmpty ? key : at.dropFirst(4) + "." + key }
        func string(_ object: [String: JSONValue], _ key: String, at: String = "") throws(BundleError) -> String {
            guard case .string(let text) = try lookup(object, key, at: at) else { throw fail("expected String at \(place(key, at))") }
            return text
        }
        func array(_ object: [String: JSONValue], _ key: String, at: String = "") throws(BundleError) -> [JSONValue] {
            guard case .array(let values) = try lookup(object, key, at: at) else { throw fail("expected an array at \(place(key, at))") }
            return values
        }
        func members(_ object: [String: JSONValue], _ key: String, at: String = "") throws(BundleError) -> [String: JSONValue] {
            guard case .object(let members) = try lookup(object, key, at: at) else { throw fail("expected an object at \(place(key, at))") }
            return members
        }
        guard case .object(let root) = parsed else { throw fail("not a JSON object") }
        var inputs: [Input] = []
        for (i, item) in try array(root, "inputs").enumerated() {
            let at = " at inputs.[\(i)]"
            guard case .object(let object) = item else { throw fail("expected an object at inputs.[\(i)]") }
            guard case .number(let size) = try lookup(object, "size", at: at), size == size.rounded(), size >= 0, size < 0x1p53 else {
                throw fail("expected a byte count at inputs.[\(i)].size")
            }
            inputs.append(Input(name: try string(object, "name", at: at), size: Int(size), contentHash: try string(object, "contentHash", at: at)))
        }
        let schema = try members(root, "inputSchema")
        var columns: [InputSchema.Column] = []
        for (i, item) in try array(schema, "columns", at: " at inputSchema").enumerated() {
            let at = " at inputSchema.columns.[\(i)]"
            guard case .object(let object) = item else { throw fail("expected an object at inputSchema.columns.[\(i)]") }
            columns.append(InputSchema.Column(name: try string(object, "name", at: at), kind: try string(object, "kind", at: at)))
        }
        // Printed on every answer line with --with-version, and into logs: one printable line.
        let bundleId = try string(root, "bundleId")
        do {
            try ValueChecks.printableLine(bundleId, "bundleId", allowEmpty: true)
        } catch {
            throw error.inSection(BundleFile.manifestSectionName)
        }
        return BundleManifest(
            bundleId: bundleId, formatVersion: try string(root, "formatVersion"),
            createdAt: try string(root, "createdAt"), prospectorVersion: try string(root, "prospectorVersion"),
            inputs: inputs,
            inputSchema: InputSchema(idColumn: try string(schema, "idColumn", at: " at inputSchema"), columns: columns),
            parameters: try members(root, "parameters"), metrics: try members(root, "metrics"), notes: try string(root, "notes"))
    }
}

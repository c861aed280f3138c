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
    /// The `trainer` version that wrote the bundle (`--version`'s first word).
    public var prospectorVersion: String
    /// The data files the models were fitted on.
    public var inputs: [Input]
    /// What a record must provide to be scored.
    public var inputSchema: InputSchema
    /// Fitting parameters (free-form).
    public var parameters: [String: JSONValue]
    /// Validation figures (free-form).
    public var metrics: [String: JSONValue]
    /// Free text an operator may add; empty by default.
    public var notes: String

    /// One data file the models were fitted on, identified by name, size and content hash.
    public struct Input: Sendable, Hashable, Codable {
        /// The file's name, without its directory.
        public var name: String
        /// Bytes.
        public var size: Int
        /// How the file was hashed is part of the value, e.g. `xxh64:1a2b3c4d5e6f7081`.
        public var contentHash: String

        /// A file as the trainer fingerprinted it.
        public init(name: String, size: Int, contentHash: String) {
            self.name = name
            self.size = size
            self.contentHash = contentHash
        }
    }

    /// The columns a record must carry, checked against a CSV header before any row is scored.
    public struct InputSchema: Sendable, Hashable, Codable {
        /// The id column echoed in every answer (`LNR`).
        public var idColumn: String
        /// The columns the cleaning transform reads, in its order.
        public var columns: [Column]

        /// One required input column and how its text is read.
        public struct Column: Sendable, Hashable, Codable {
            /// The header name.
            public var name: String
            /// `number`, `category` or `year` (see ``InputColumn/Reading``).
            public var kind: String

            /// A column named `name`, read as `kind`.
            public init(name: String, kind: String) {
                self.name = name
                self.kind = kind
            }
        }

        /// A schema from its parts.
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

    /// A manifest; the id and creation time are filled in when the bundle is written.
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
        do {
            return try JSONValue.sortedJSON(
                self, checking: [("parameters", .object(parameters)), ("metrics", .object(metrics))], pretty: true)
        } catch {
            throw .unencodableManifest(problem: error.problem)
        }
    }

    /// Decoded with `JSONDecoder`: since format 1.2 the manifest is a few kilobytes (the
    /// report's data lives in its own section, see ``ModelBundle/report``), so the scorer's
    /// reload path no longer needs a parser of its own. Messages name the field
    /// (`missing field 'bundleId'`, `expected String at inputs.[0].name`).
    static func decode(json bytes: ArraySlice<UInt8>, path: String) throws(BundleError) -> BundleManifest {
        let manifest: BundleManifest
        do {
            manifest = try JSONDecoder().decode(BundleManifest.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw .invalidManifest(path: path, problem: BundleManifest.problem(error))
        } catch {
            throw .invalidManifest(path: path, problem: "\(error)")
        }
        for (i, input) in manifest.inputs.enumerated() where input.size < 0 {
            throw .invalidManifest(path: path, problem: "expected a byte count at inputs.[\(i)].size")
        }
        // Printed on every answer line with --with-version, and into logs: one printable line.
        do {
            try ValueChecks.printableLine(manifest.bundleId, "bundleId", allowEmpty: true)
        } catch {
            throw error.inSection(BundleFile.manifestSectionName)
        }
        return manifest
    }

    /// What a `JSONDecoder` error means for a person reading the log, with the JSON path
    /// (`inputs.[0].size`) of the value it is about.
    static func problem(_ error: DecodingError) -> String {
        func place(_ context: DecodingError.Context, _ key: CodingKey? = nil) -> String {
            let path = (context.codingPath + (key.map { [$0] } ?? [])).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return path.isEmpty ? "the top level" : path.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field '\(key.stringValue)'" + (context.codingPath.isEmpty ? "" : " at \(place(context))")
        case .typeMismatch(let type, let context):
            return "expected \(type) at \(place(context))"
        case .valueNotFound(let type, let context):
            return "expected \(type) at \(place(context)), found null"
        case .dataCorrupted(let context):
            let cause = (context.underlyingError as? NSError)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return "not valid JSON at \(place(context)): " + (cause ?? context.debugDescription)
        @unknown default:
            return "\(error)"
        }
    }
}

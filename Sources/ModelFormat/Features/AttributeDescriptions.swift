/// What each input column means, from the DIAS metadata the bundle was trained with: the
/// `attributes` section (format 1.1), so that `trainer explain` can put a prospect in words
/// without the workbooks.
public struct AttributeDescriptions: Sendable, Hashable, BinaryCodable {
    public struct Entry: Sendable, Hashable, BinaryCodable {
        /// The data column (an input of the transform).
        public var column: String
        /// The metadata attribute it was matched to (empty without metadata).
        public var attribute: String
        public var description: String
        /// `Person`, `Household`, `PLZ8`, … (empty when unknown).
        public var informationLevel: String
        /// Listed codes and their meanings, in parallel.
        public var codes: [String]
        public var meanings: [String]

        public init(
            column: String, attribute: String, description: String, informationLevel: String, codes: [String], meanings: [String]
        ) {
            self.column = column
            self.attribute = attribute
            self.description = description
            self.informationLevel = informationLevel
            self.codes = codes
            self.meanings = meanings
        }

        /// The meaning of code `code` (as the data writes it: `3`, `1A`), if listed.
        public func meaning(of code: String) -> String? {
            codes.firstIndex(of: code).map { meanings[$0] }
        }

        public func encode(to writer: inout BinaryWriter) {
            writer.write(column)
            writer.write(attribute)
            writer.write(description)
            writer.write(informationLevel)
            writer.write(codes)
            writer.write(meanings)
        }

        public init(from reader: inout BinaryReader) throws(BundleError) {
            let start = reader.offset
            column = try reader.read(String.self)
            attribute = try reader.read(String.self)
            description = try reader.read(String.self)
            informationLevel = try reader.read(String.self)
            codes = try reader.read([String].self)
            meanings = try reader.read([String].self)
            guard codes.count == meanings.count else {
                throw .malformed(section: nil, offset: start, problem: "\(codes.count) codes and \(meanings.count) meanings for \(column)")
            }
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry]) { self.entries = entries }

    /// The entry of data column `column`.
    public func entry(column: String) -> Entry? { entries.first { $0.column == column } }

    public func encode(to writer: inout BinaryWriter) { writer.write(entries) }

    public init(from reader: inout BinaryReader) throws(BundleError) { entries = try reader.read([Entry].self) }
}

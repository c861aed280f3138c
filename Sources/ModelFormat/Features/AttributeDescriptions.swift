/// What each input column means, from the DIAS metadata the bundle was trained with: the
/// `attributes` section (format 1.1), so that `trainer explain` can put a prospect in words
/// without the workbooks.
public struct AttributeDescriptions: Sendable, Hashable, BinaryCodable {
    /// One input column and what the metadata says of it.
    public struct Entry: Sendable, Hashable, BinaryCodable {
        /// The data column (an input of the transform).
        public var column: String
        /// The metadata attribute it was matched to (empty without metadata).
        public var attribute: String
        /// The attribute's description from the metadata (empty without metadata).
        public var description: String
        /// `Person`, `Household`, `PLZ8`, … (empty when unknown).
        public var informationLevel: String
        /// Listed codes and their meanings, in parallel.
        public var codes: [String]
        /// The meaning of each code in ``codes``.
        public var meanings: [String]

        /// An entry from its parts; `codes` and `meanings` must be parallel.
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

        /// Writes the strings in declaration order, then the codes and meanings.
        public func encode(to writer: inout BinaryWriter) {
            writer.write(column)
            writer.write(attribute)
            writer.write(description)
            writer.write(informationLevel)
            writer.write(codes)
            writer.write(meanings)
        }

        /// Reads an entry, refusing codes without a meaning (or meanings without a code).
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

    /// One entry per input of the transform.
    public var entries: [Entry]

    /// Descriptions from their entries.
    public init(entries: [Entry]) { self.entries = entries }

    /// The entry of data column `column`.
    public func entry(column: String) -> Entry? { entries.first { $0.column == column } }

    /// Writes the entries as a counted list.
    public func encode(to writer: inout BinaryWriter) { writer.write(entries) }

    /// Reads the entries.
    public init(from reader: inout BinaryReader) throws(BundleError) { entries = try reader.read([Entry].self) }
}

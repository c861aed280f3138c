/// How a data file's columns map onto the metadata's attributes.
package struct Reconciliation: Sendable, Codable, Hashable {
    /// How a column found its attribute.
    package enum MatchKind: String, Sendable, Codable, Hashable, CaseIterable {
        /// Same name in data and metadata.
        case exact
        /// The metadata adds `_RZ` (`D19_KOSMETIK` → `D19_KOSMETIK_RZ`).
        case suffixRZ
        /// Listed in ``KnownRenames``.
        case renamed
        /// No attribute: the metadata says nothing about this column.
        case none
    }

    package struct ColumnMatch: Sendable, Codable, Hashable {
        /// The data column's name.
        package var column: String
        package var kind: MatchKind
        /// The matched attribute (nil for ``MatchKind/none``).
        package var attribute: Attribute?
        /// The column's information level: the attribute's, or else that of a levels-workbook
        /// row matched by the same rules (the levels workbook lists some columns the values
        /// workbook lacks, such as `ARBEIT`).
        package var informationLevel: String?
    }

    /// One entry per data column, in header order.
    package var columns: [ColumnMatch]
    /// Data columns without an attribute, in header order.
    package var unmatchedColumns: [String]
    /// Attributes no data column matched, in workbook order.
    package var unmatchedAttributes: [String]

    /// Matches each column by the first rule that finds an attribute: exact name, the
    /// metadata's `_RZ` suffix, then the known renames.
    package init(columns names: [String], catalog: DIASCatalog) {
        var claimed = Set<String>()
        columns = names.map { column in
            let found = Self.lookUp(column) { catalog.attribute(named: $0) }
            if let found { claimed.insert(found.1.name) }
            let level = found?.1.informationLevel
                ?? Self.lookUp(column) { catalog.levelEntry(named: $0) }?.1.level
            return ColumnMatch(
                column: column, kind: found?.0 ?? .none, attribute: found?.1, informationLevel: level)
        }
        unmatchedColumns = columns.filter { $0.kind == .none }.map(\.column)
        unmatchedAttributes = catalog.attributes.map(\.name).filter { !claimed.contains($0) }
    }

    /// How many columns matched by each kind.
    package func count(_ kind: MatchKind) -> Int {
        columns.reduce(0) { $0 + ($1.kind == kind ? 1 : 0) }
    }

    private static func lookUp<T>(_ column: String, in find: (String) -> T?) -> (MatchKind, T)? {
        if let found = find(column) { return (.exact, found) }
        if let found = find(column + KnownRenames.metadataSuffix) { return (.suffixRZ, found) }
        if let renamed = KnownRenames.metadataNameForDataColumn[column], let found = find(renamed) {
            return (.renamed, found)
        }
        return nil
    }
}

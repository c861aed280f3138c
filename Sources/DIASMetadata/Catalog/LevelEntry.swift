/// One row of the information-levels workbook. Kept apart from ``Attribute`` because the
/// levels workbook names attributes the values workbook lacks (such as `ARBEIT`).
package struct LevelEntry: Sendable, Codable, Hashable {
    /// The attribute name, trimmed, stray inner spaces removed.
    package var name: String
    /// The level (`Person`, `Postcode`, ...), trimmed; nil above the first level.
    package var level: String?
    package var description: String
    /// The "Additional notes" text (shared by the rows of a merged cell); nil when empty.
    package var notes: String?

    package init(name: String, level: String?, description: String = "", notes: String? = nil) {
        self.name = name
        self.level = level
        self.description = description
        self.notes = notes
    }
}

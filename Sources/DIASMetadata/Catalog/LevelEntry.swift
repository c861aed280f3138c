/// One row of the information-levels workbook. Kept apart from ``Attribute`` because the
/// levels workbook names attributes the values workbook lacks (such as `ARBEIT`).
public struct LevelEntry: Sendable, Codable, Hashable {
    /// The attribute name, trimmed, stray inner spaces removed.
    public var name: String
    /// The level (`Person`, `Postcode`, ...), trimmed; nil above the first level.
    public var level: String?
    public var description: String
    /// The "Additional notes" text (shared by the rows of a merged cell); nil when empty.
    public var notes: String?

    public init(name: String, level: String?, description: String = "", notes: String? = nil) {
        self.name = name
        self.level = level
        self.description = description
        self.notes = notes
    }
}

import XLSX

/// The DIAS metadata: every attribute of the values workbook with its codes, unknown codes
/// and information level, plus the rows of the levels workbook.
///
/// Built from worksheets so it does not care how they were read; `load(valuesPath:levelsPath:)`
/// reads the two `.xlsx` files.
package struct DIASCatalog: Sendable, Codable, Hashable {
    /// The values workbook's attributes in workbook order.
    package var attributes: [Attribute]
    /// The levels workbook's rows in workbook order (empty without a levels workbook).
    package var levelEntries: [LevelEntry]

    private var indexByName: [String: Int]
    private var levelIndexByName: [String: Int]

    package init(attributes: [Attribute], levelEntries: [LevelEntry] = []) {
        self.attributes = attributes
        self.levelEntries = levelEntries
        var index: [String: Int] = [:]
        for (position, attribute) in attributes.enumerated() where index[attribute.name] == nil {
            index[attribute.name] = position
        }
        indexByName = index
        var levelIndex: [String: Int] = [:]
        for (position, entry) in levelEntries.enumerated() where levelIndex[entry.name] == nil {
            levelIndex[entry.name] = position
        }
        levelIndexByName = levelIndex
    }

    /// Reads the sheets of the values workbook and, optionally, of the levels workbook.
    /// The header is searched for in every sheet, so pass all of a workbook's sheets.
    /// - Parameters:
    ///   - valuesFile, levelsFile: names used in error messages (the file names).
    package init(
        valuesSheets: [Worksheet], levelsSheets: [Worksheet]? = nil,
        valuesFile: String = "values workbook", levelsFile: String = "levels workbook"
    ) throws(MetadataError) {
        let attributes = try ValuesSheetParser(file: valuesFile).parse(valuesSheets)
        let entries = try levelsSheets.map { sheets throws(MetadataError) in
            try LevelsSheetParser(file: levelsFile).parse(sheets)
        } ?? []
        self.init(attributes: attributes, levelEntries: entries)
        for i in self.attributes.indices {
            self.attributes[i].informationLevel = levelEntry(named: self.attributes[i].name)?.level
        }
    }

    /// The attribute the metadata names `name` (exact spelling, as trimmed from the workbook).
    package func attribute(named name: String) -> Attribute? {
        indexByName[name].map { attributes[$0] }
    }

    /// The level entry named `name`, if the levels workbook lists it.
    package func levelEntry(named name: String) -> LevelEntry? {
        levelIndexByName[name].map { levelEntries[$0] }
    }

    private enum CodingKeys: String, CodingKey { case attributes, levelEntries }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            attributes: try container.decode([Attribute].self, forKey: .attributes),
            levelEntries: try container.decode([LevelEntry].self, forKey: .levelEntries))
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(attributes, forKey: .attributes)
        try container.encode(levelEntries, forKey: .levelEntries)
    }
}

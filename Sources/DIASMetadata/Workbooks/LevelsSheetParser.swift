import XLSX

/// Reads "DIAS Information Levels - Attributes 2017.xlsx".
///
/// Layout: a header `Information level | Attribute | Description | Additional notes`; the
/// level stands once per group, in a cell merged down over the group's rows. One group in
/// the real workbook runs on past its merged range with empty level cells, so an empty
/// level cell carries the level above it; rows above the first level have none.
struct LevelsSheetParser {
    static let captions = ["Information level", "Attribute", "Description"]
    static let optionalCaptions = ["Additional notes"]

    var file: String

    func parse(_ sheets: [Worksheet]) throws(MetadataError) -> [LevelEntry] {
        let header = try HeaderLocator(required: Self.captions, optional: Self.optionalCaptions)
            .locate(in: sheets, file: file)
        let (levelColumn, nameColumn, descriptionColumn) =
            (header.columns[0], header.columns[1], header.columns[2])
        let notesColumn = header.optionalColumns[0]
        var filledColumns: Set<Int> = [levelColumn]
        if let notesColumn { filledColumns.insert(notesColumn) }
        let sheet = header.sheet.fillingMergedRanges(inColumns: filledColumns)

        var entries: [LevelEntry] = []
        var level: String?
        for rowIndex in (header.row + 1)..<max(header.row + 1, sheet.rows.count) {
            if let levelText = CellText.text(of: sheet[rowIndex, levelColumn]) { level = levelText }
            guard let nameText = CellText.text(of: sheet[rowIndex, nameColumn]) else { continue }
            let description = CellText.text(of: sheet[rowIndex, descriptionColumn]) ?? ""
            let notes = notesColumn.flatMap { CellText.text(of: sheet[rowIndex, $0]) }
            for name in CellText.attributeNames(in: nameText) {
                entries.append(LevelEntry(name: name, level: level, description: description, notes: notes))
            }
        }
        return entries
    }
}

import XLSX

extension DIASCatalog {
    /// Reads the values workbook and, optionally, the levels workbook from `.xlsx` files.
    /// Every sheet is read, since the header is looked for in each; error messages name the
    /// paths as given.
    package static func load(valuesPath: String, levelsPath: String? = nil) throws(MetadataError) -> DIASCatalog {
        let valuesSheets = try worksheets(of: valuesPath)
        let levelsSheets = try levelsPath.map { path throws(MetadataError) in try worksheets(of: path) }
        return try DIASCatalog(
            valuesSheets: valuesSheets, levelsSheets: levelsSheets,
            valuesFile: valuesPath, levelsFile: levelsPath ?? "levels workbook")
    }

    private static func worksheets(of path: String) throws(MetadataError) -> [Worksheet] {
        do {
            return try Workbook(contentsOf: path).worksheets()
        } catch {
            throw .workbook(error)
        }
    }
}

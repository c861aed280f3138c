/// An `.xlsx` workbook: its package opened and its sheet list, shared strings and styles read;
/// worksheets are parsed on demand, streaming, from the in-memory archive.
public struct Workbook: Sendable {
    /// The name errors are reported under (the file name, or the name given with the bytes).
    public let name: String
    /// The sheets' names, in the workbook's tab order.
    public var sheetNames: [String] { sheets.map(\.name) }
    /// True when serials count from 1904-01-01 (`workbookPr date1904`).
    public let date1904: Bool

    private struct SheetEntry: Sendable {
        var name: String
        var part: String
    }

    private let archive: ZipArchive
    private let sheets: [SheetEntry]
    private let sharedStrings: [String]?
    private let styles: CellStyles

    /// Opens the workbook file at `path`; errors name its last path component.
    ///
    /// - Throws: ``XLSXError`` when the file cannot be read, or for the reasons
    ///   ``init(bytes:name:limits:)`` gives.
    public init(contentsOf path: String, limits: ZipLimits = ZipLimits()) throws(XLSXError) {
        let bytes = try FileBytes.read(path: path)
        let fileName = path.split(separator: "/").last.map(String.init) ?? path
        try self.init(bytes: bytes, name: fileName, limits: limits)
    }

    /// Opens a workbook held in memory: the package's relationships, the sheet list, shared
    /// strings and styles are read now; worksheets when asked for.
    ///
    /// - Parameters:
    ///   - bytes: The `.xlsx` file's bytes.
    ///   - name: The name errors are reported under.
    ///   - limits: Bounds on the archive (see ``ZipLimits``).
    /// - Throws: ``XLSXError`` when the archive is not a ZIP, lacks a required part, or a part
    ///   is not the SpreadsheetML it should be.
    public init(bytes: [UInt8], name: String, limits: ZipLimits = ZipLimits()) throws(XLSXError) {
        self.name = name
        let archive = try ZipArchive(bytes: bytes, name: name, limits: limits)
        self.archive = archive

        // Package relationships → the main part, wherever it is (`/xl/workbook.xml` or not).
        let workbookPart: String
        if archive.contains("_rels/.rels") {
            let relationships = try Relationships.parse(
                archive.data(forEntry: "_rels/.rels"), file: name, part: "_rels/.rels", sourcePart: nil)
            guard let main = relationships.first(where: { $0.isType("officeDocument") })?.target else {
                throw .invalidContent(
                    file: name, part: "_rels/.rels", reason: "no officeDocument relationship: not a workbook package")
            }
            workbookPart = main
        } else if archive.contains("xl/workbook.xml") {
            workbookPart = "xl/workbook.xml"
        } else {
            throw .missingPart(file: name, part: "_rels/.rels")
        }
        guard archive.contains(workbookPart) else { throw .missingPart(file: name, part: workbookPart) }
        let workbook = try WorkbookPart.parse(archive.data(forEntry: workbookPart), file: name, part: workbookPart)
        date1904 = workbook.date1904

        let relsPart = Relationships.relsPart(for: workbookPart)
        guard archive.contains(relsPart) else { throw .missingPart(file: name, part: relsPart) }
        let relationships = try Relationships.parse(
            archive.data(forEntry: relsPart), file: name, part: relsPart, sourcePart: workbookPart)
        var targets: [String: String] = [:]
        for relationship in relationships {
            if let target = relationship.target { targets[relationship.id] = target }
        }
        sheets = try workbook.sheets.map { (sheet) throws(XLSXError) -> SheetEntry in
            guard let part = targets[sheet.relationshipID] else {
                throw .invalidContent(
                    file: name, part: relsPart,
                    reason: "sheet \"\(sheet.name)\" refers to relationship \"\(sheet.relationshipID)\", which is not there")
            }
            return SheetEntry(name: sheet.name, part: part)
        }

        // Optional parts: no shared string table is fine until a cell asks for one.
        if let part = relationships.first(where: { $0.isType("sharedStrings") })?.target, archive.contains(part) {
            sharedStrings = try SharedStrings.parse(archive.data(forEntry: part), file: name, part: part)
        } else {
            sharedStrings = nil
        }
        if let part = relationships.first(where: { $0.isType("styles") })?.target, archive.contains(part) {
            styles = try CellStyles.parse(archive.data(forEntry: part), file: name, part: part)
        } else {
            styles = CellStyles()
        }
    }

    /// Reads the sheet called `sheetName` (exact match).
    ///
    /// - Throws: ``XLSXError/sheetNotFound(file:name:available:)`` listing the sheets there are,
    ///   or an error from parsing the sheet.
    public func worksheet(named sheetName: String) throws(XLSXError) -> Worksheet {
        try worksheet(at: index(of: sheetName))
    }

    /// Reads the sheet at zero-based `index` in tab order, with trailing empty cells trimmed.
    ///
    /// - Throws: ``XLSXError/sheetIndexOutOfRange(file:index:count:)``, or an error from parsing
    ///   the sheet.
    public func worksheet(at index: Int) throws(XLSXError) -> Worksheet {
        guard sheets.indices.contains(index) else {
            throw .sheetIndexOutOfRange(file: name, index: index, count: sheets.count)
        }
        let entry = sheets[index]
        guard archive.contains(entry.part) else { throw .missingPart(file: name, part: entry.part) }
        let bytes = try archive.data(forEntry: entry.part)
        let grid = try SheetGrid.read(bytes, with: sheetParser(entry))
        var sheet = Worksheet(name: entry.name, rows: grid.rows, mergedRanges: grid.merged)
        sheet.trimTrailingEmptyCells()
        return sheet
    }

    /// Reads every sheet, in tab order.
    public func worksheets() throws(XLSXError) -> [Worksheet] {
        var result: [Worksheet] = []
        for index in sheets.indices { result.append(try worksheet(at: index)) }
        return result
    }

    /// Streaming: calls body for each non-empty row with its 0-based row index and its cells
    /// (sparse: (column, value), in document order). Rows come in document order; only one
    /// row is held at a time.
    public func forEachRow(
        inSheet sheetName: String, _ body: (Int, [(column: Int, value: CellValue)]) throws -> Void
    ) throws {
        _ = try parse(sheets[index(of: sheetName)], body)
    }

    /// The merged ranges of a sheet without keeping its cells.
    public func mergedRanges(inSheet sheetName: String) throws -> [CellRange] {
        try parse(sheets[index(of: sheetName)]) { _, _ in }
    }

    private func index(of sheetName: String) throws(XLSXError) -> Int {
        guard let index = sheets.firstIndex(where: { $0.name == sheetName }) else {
            throw .sheetNotFound(file: name, name: sheetName, available: sheetNames)
        }
        return index
    }

    private func sheetParser(_ sheet: SheetEntry) -> SheetParser {
        SheetParser(file: name, part: sheet.part, sharedStrings: sharedStrings, styles: styles, date1904: date1904)
    }

    private func parse(_ sheet: SheetEntry, _ body: (Int, SheetParser.Row) throws -> Void) throws -> [CellRange] {
        guard archive.contains(sheet.part) else { throw XLSXError.missingPart(file: name, part: sheet.part) }
        return try sheetParser(sheet).parse(archive.data(forEntry: sheet.part), row: body)
    }
}

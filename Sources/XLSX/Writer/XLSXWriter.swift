import Foundation

/// Writes worksheets as an Excel `.xlsx` workbook (Office Open XML, SpreadsheetML).
///
/// Values only: text goes through the shared-string table, dates get a built-in
/// date format, merged ranges are kept; no column widths, fonts or formulas.
/// Output is deterministic — the same sheets give the same bytes — because the
/// zip timestamps and document properties are fixed.
public struct XLSXWriter: Sendable {
    /// A writer; it holds no state, so one can write any number of workbooks.
    public init() {}

    /// The workbook file's bytes. Sheets appear in the given order.
    public func data(for sheets: [Worksheet]) throws(XLSXWriterError) -> [UInt8] {
        guard !sheets.isEmpty else { throw .noSheets }
        try Self.validateSheetNames(sheets.map(\.name))

        // One date system per workbook: 1904 only if every date asks for it.
        let dates = sheets.lazy.flatMap(\.rows).joined().compactMap { cell -> Bool? in
            if case .date(let date)? = cell { return date.date1904 }
            return nil
        }
        var sawDate = false
        var all1904 = true
        for is1904 in dates {
            sawDate = true
            if !is1904 { all1904 = false; break }
        }
        let date1904 = sawDate && all1904

        var strings = SharedStringTableBuilder()
        let worksheetWriter = WorksheetXMLWriter(date1904: date1904)
        var worksheetParts: [[UInt8]] = []
        worksheetParts.reserveCapacity(sheets.count)
        for sheet in sheets {
            worksheetParts.append(try worksheetWriter.xml(for: sheet, strings: &strings))
        }

        do {
            var zip = ZipWriter()
            let hasStrings = !strings.isEmpty
            // [Content_Types].xml first, as Office writes it; some readers sniff for it.
            try zip.addEntry(
                name: "[Content_Types].xml",
                data: OOXMLParts.contentTypes(sheetCount: sheets.count, hasSharedStrings: hasStrings))
            try zip.addEntry(name: "_rels/.rels", data: OOXMLParts.packageRelationships())
            try zip.addEntry(name: "docProps/app.xml", data: OOXMLParts.appProperties())
            try zip.addEntry(name: "docProps/core.xml", data: OOXMLParts.coreProperties())
            try zip.addEntry(
                name: "xl/workbook.xml", data: OOXMLParts.workbook(sheetNames: sheets.map(\.name), date1904: date1904))
            try zip.addEntry(
                name: "xl/_rels/workbook.xml.rels",
                data: OOXMLParts.workbookRelationships(sheetCount: sheets.count, hasSharedStrings: hasStrings))
            try zip.addEntry(name: "xl/styles.xml", data: OOXMLParts.styles())
            if hasStrings {
                try zip.addEntry(name: "xl/sharedStrings.xml", data: strings.xml())
            }
            for (i, part) in worksheetParts.enumerated() {
                try zip.addEntry(name: OOXMLParts.worksheetPath(i + 1), data: part)
            }
            return try zip.finish()
        } catch {
            throw .zip(error)
        }
    }

    /// Writes the workbook to `path` through a temporary file in the same directory
    /// and a rename, so a reader never sees a half-written workbook.
    public func write(_ sheets: [Worksheet], to path: String) throws(XLSXWriterError) {
        let bytes = try data(for: sheets)
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try Data(bytes).write(to: temporary)
        } catch {
            throw .cannotWrite(path: path, reason: "writing temporary file \(temporary.path) failed: \(error.localizedDescription)")
        }
        if rename(temporary.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw .cannotWrite(path: path, reason: "renaming \(temporary.path) into place failed: \(reason)")
        }
    }

    static let forbiddenSheetNameCharacters: Set<Character> = ["[", "]", ":", "*", "?", "/", "\\"]

    /// Excel's rules for sheet names; breaking them makes Excel refuse or "repair" the file.
    static func validateSheetNames(_ names: [String]) throws(XLSXWriterError) {
        var seen: Set<String> = []
        for name in names {
            let length = name.utf16.count
            guard length >= 1, length <= 31 else {
                throw .invalidSheetName(name, reason: "must be 1 to 31 characters long, is \(length)")
            }
            if let bad = name.first(where: { forbiddenSheetNameCharacters.contains($0) }) {
                throw .invalidSheetName(name, reason: "contains \"\(bad)\"; none of [ ] : * ? / \\ are allowed")
            }
            if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0xFFFE || $0.value == 0xFFFF }) {
                throw .invalidSheetName(name, reason: "contains a control character")
            }
            if name.hasPrefix("'") || name.hasSuffix("'") {
                throw .invalidSheetName(name, reason: "must not begin or end with an apostrophe")
            }
            guard seen.insert(name.lowercased()).inserted else { throw .duplicateSheetName(name) }
        }
    }
}

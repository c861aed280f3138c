/// Writes one `xl/worksheets/sheetN.xml` part: `<dimension>`, `<sheetData>` and `<mergeCells>`.
///
/// Text cells go through the workbook's shared-string table (`t="s"`); dates are
/// numbers with a date style, as Excel stores them.
struct WorksheetXMLWriter {
    /// Excel's largest sheet: 1 048 576 rows by 16 384 columns (XFD).
    static let maxRows = 1_048_576
    static let maxColumns = 16_384
    static let maxTextLength = 32_767

    /// Cell style indices in `xl/styles.xml`'s `<cellXfs>`.
    enum Style {
        static let date = 1  // numFmtId 14
        static let dateTime = 2  // numFmtId 22
        static let time = 3  // numFmtId 21
    }

    /// Whether the workbook stores dates in the 1904 system; dates of the other system are converted.
    var date1904: Bool

    func xml(for sheet: Worksheet, strings: inout SharedStringTableBuilder) throws(XLSXWriterError) -> [UInt8] {
        try validateMergedRanges(of: sheet)
        var out = XMLByteWriter(capacity: 256 + sheet.rows.reduce(0) { $0 + $1.count * 24 })
        out.raw(OOXMLParts.declaration)
        out.raw(
            #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
        )
        out.raw(#"<dimension ref=""#)
        if let used = usedRange(of: sheet) {
            out.rawText(used.a1)
        } else {
            out.raw("A1")
        }
        out.raw(#""/>"#)

        out.raw("<sheetData>")
        for (rowIndex, row) in sheet.rows.enumerated() {
            guard row.contains(where: { $0 != nil }) else { continue }
            guard rowIndex < Self.maxRows else {
                throw .cellOutOfRange(sheet: sheet.name, row: rowIndex, column: 0)
            }
            out.raw(#"<row r=""#)
            out.decimal(rowIndex + 1)
            out.raw(#"">"#)
            for (column, cell) in row.enumerated() {
                guard let cell else { continue }
                guard column < Self.maxColumns else {
                    throw .cellOutOfRange(sheet: sheet.name, row: rowIndex, column: column)
                }
                try writeCell(cell, row: rowIndex, column: column, sheet: sheet.name, into: &out, strings: &strings)
            }
            out.raw("</row>")
        }
        out.raw("</sheetData>")

        if !sheet.mergedRanges.isEmpty {
            out.raw(#"<mergeCells count=""#)
            out.decimal(sheet.mergedRanges.count)
            out.raw(#"">"#)
            for range in sheet.mergedRanges {
                out.raw(#"<mergeCell ref=""#)
                out.cellReference(row: range.first.row, column: range.first.column)
                out.byte(UInt8(ascii: ":"))
                out.cellReference(row: range.last.row, column: range.last.column)
                out.raw(#""/>"#)
            }
            out.raw("</mergeCells>")
        }
        out.raw("</worksheet>")
        return out.bytes
    }

    private func writeCell(
        _ cell: CellValue, row: Int, column: Int, sheet: String,
        into out: inout XMLByteWriter, strings: inout SharedStringTableBuilder
    ) throws(XLSXWriterError) {
        out.raw(#"<c r=""#)
        out.cellReference(row: row, column: column)
        switch cell {
        case .number(let value):
            guard value.isFinite else {
                throw .nonFiniteNumber(sheet: sheet, cell: CellReference(row: row, column: column).a1)
            }
            out.raw(#""><v>"#)
            Self.writeNumber(value, into: &out)
        case .text(let text):
            let length = text.utf16.count
            guard length <= Self.maxTextLength else {
                throw .textTooLong(sheet: sheet, cell: CellReference(row: row, column: column).a1, length: length)
            }
            out.raw(#"" t="s"><v>"#)
            out.decimal(strings.index(of: text))
        case .bool(let value):
            out.raw(#"" t="b"><v>"#)
            out.byte(value ? UInt8(ascii: "1") : UInt8(ascii: "0"))
        case .error(let code):
            out.raw(#"" t="e"><v>"#)
            out.escaped(code)
        case .date(let date):
            guard date.serial.isFinite else {
                throw .nonFiniteNumber(sheet: sheet, cell: CellReference(row: row, column: column).a1)
            }
            out.raw(#"" s=""#)
            switch date.kind {
            case .date: out.decimal(Style.date)
            case .dateTime: out.decimal(Style.dateTime)
            case .time: out.decimal(Style.time)
            }
            out.raw(#""><v>"#)
            Self.writeNumber(serial(of: date), into: &out)
        }
        out.raw("</v></c>")
    }

    /// The serial in this workbook's date system. The systems are 1 462 days apart;
    /// a bare time of day (serial below 1) means the same in both.
    func serial(of date: ExcelDate) -> Double {
        guard date.date1904 != date1904, !(date.kind == .time && date.serial < 1) else { return date.serial }
        return date.date1904 ? date.serial + 1462 : date.serial - 1462
    }

    /// The shortest text that reads back as the same double: integers without a
    /// fraction (`42`, not `42.0`) up to 2^53, where every integer is still exact;
    /// everything else as Swift's round-tripping `description` (`0.1`, `1e+20`).
    static func writeNumber(_ value: Double, into out: inout XMLByteWriter) {
        if value == value.rounded(.towardZero), abs(value) < 9_007_199_254_740_992 {
            let integer = Int(value)
            if integer < 0 { out.byte(UInt8(ascii: "-")) }
            out.decimal(abs(integer))
        } else {
            // Above 2^53 `description` may still print `…992.0`; the digits are exact, the `.0` is noise.
            let text = value.description
            out.rawText(text.hasSuffix(".0") ? String(text.dropLast(2)) : text)
        }
    }

    /// The smallest range holding every cell with a value and every merged range.
    func usedRange(of sheet: Worksheet) -> CellRange? {
        var minRow = Int.max, minColumn = Int.max, maxRow = -1, maxColumn = -1
        for (r, row) in sheet.rows.enumerated() {
            guard let first = row.firstIndex(where: { $0 != nil }), let last = row.lastIndex(where: { $0 != nil })
            else { continue }
            minRow = min(minRow, r)
            maxRow = r
            minColumn = min(minColumn, first)
            maxColumn = max(maxColumn, last)
        }
        for range in sheet.mergedRanges {
            minRow = min(minRow, range.first.row)
            minColumn = min(minColumn, range.first.column)
            maxRow = max(maxRow, range.last.row)
            maxColumn = max(maxColumn, range.last.column)
        }
        guard maxRow >= 0 else { return nil }
        return CellRange(
            first: CellReference(row: minRow, column: minColumn), last: CellReference(row: maxRow, column: maxColumn))
    }

    /// Excel refuses (offers to "repair") a file whose merged ranges overlap or cover one cell.
    private func validateMergedRanges(of sheet: Worksheet) throws(XLSXWriterError) {
        let ranges = sheet.mergedRanges.sorted()
        for (i, range) in ranges.enumerated() {
            guard range.first.row >= 0, range.first.column >= 0,
                range.last.row < Self.maxRows, range.last.column < Self.maxColumns
            else {
                throw .invalidMergedRange(sheet: sheet.name, range: range.a1, reason: "lies outside A1:XFD1048576")
            }
            guard range.first != range.last else {
                throw .invalidMergedRange(sheet: sheet.name, range: range.a1, reason: "a merge must span at least two cells")
            }
            for other in ranges[(i + 1)...] {
                // Sorted by top row: once a range starts below this one, none after it can overlap.
                if other.first.row > range.last.row { break }
                if other.first.column <= range.last.column && range.first.column <= other.last.column {
                    throw .invalidMergedRange(
                        sheet: sheet.name, range: range.a1, reason: "overlaps merged range \(other.a1)")
                }
            }
        }
    }
}

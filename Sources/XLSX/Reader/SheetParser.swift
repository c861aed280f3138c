/// Streams one worksheet part row by row, never holding more than the current row.
///
/// The part is read by libxml2's SAX2 parser (``SheetSAXHandler`` over ``SAXParser``), which
/// gives the well-formedness errors with their lines and the security checks (no network, no
/// DTD, no entity expansion, a DOCTYPE refused); ``SheetContent`` turns its events into cells.
struct SheetParser {
    typealias Row = [(column: Int, value: CellValue)]

    let file: String
    let part: String
    let sharedStrings: [String]?
    let styles: CellStyles
    let date1904: Bool

    /// The type attribute of a `<c>` element.
    enum CellType {
        case number, sharedString, inlineString, formulaString, boolean, error, isoDate
    }

    /// Calls `emit` for every row with at least one value, and returns the merged ranges.
    /// An error `emit` throws stops the parse and reaches the caller unchanged.
    func parse(_ bytes: [UInt8], row emit: (Int, Row) throws -> Void) throws -> [CellRange] {
        try withoutActuallyEscaping(emit) { emit in
            try SheetSAXHandler.parse(bytes, content: SheetContent(parser: self, emit: emit))
        }
    }

    /// The value of a finished `<c>`: nil for a style-only cell or a formula without a cached value.
    @inline(__always)
    func cellValue(
        type: CellType, style: Int, valueText: UnsafeBufferPointer<UInt8>?, inlineText: UnsafeBufferPointer<UInt8>?,
        row: Int, column: Int
    ) throws(XLSXError) -> CellValue? {
        switch type {
        case .number:
            guard let valueText, !valueText.isEmpty else { return nil }
            let number = try parseNumber(valueText, row: row, column: column)
            if let kind = styles.dateKind(style: style) {
                return .date(ExcelDate(serial: number, date1904: date1904, kind: kind))
            }
            return .number(number)
        case .sharedString:
            guard let valueText, !valueText.isEmpty else { return nil }
            let index = NumberParsing.integer(valueText.baseAddress!, count: valueText.count)
            guard let index, let sharedStrings, index < sharedStrings.count else {
                throw .missingSharedString(
                    file: file, part: part, cell: CellReference(row: row, column: column).a1,
                    index: index ?? -1, tableSize: sharedStrings?.count)
            }
            return .text(sharedStrings[index])
        case .inlineString:
            if let inlineText { return .text(TextDecoding.string(inlineText)) }
            if let valueText { return .text(TextDecoding.string(valueText)) }
            return nil
        case .formulaString:
            guard let valueText else { return nil }
            return .text(TextDecoding.string(valueText))
        case .boolean:
            guard let valueText, !valueText.isEmpty else { return nil }
            switch String(decoding: valueText, as: UTF8.self).trimmingASCIISpaces() {
            case "1", "true": return .bool(true)
            case "0", "false": return .bool(false)
            default:
                throw .invalidContent(
                    file: file, part: part,
                    reason: "cell \(CellReference(row: row, column: column).a1) has an invalid boolean "
                        + "\"\(String(decoding: valueText, as: UTF8.self))\"")
            }
        case .error:
            guard let valueText else { return nil }
            return .error(String(decoding: valueText, as: UTF8.self))
        case .isoDate:
            guard let valueText, !valueText.isEmpty else { return nil }
            let text = String(decoding: valueText, as: UTF8.self).trimmingASCIISpaces()
            guard let date = ISODateCell.date(text, date1904: date1904) else {
                throw .invalidContent(
                    file: file, part: part,
                    reason: "cell \(CellReference(row: row, column: column).a1) has an invalid ISO 8601 date \"\(text)\"")
            }
            return .date(date)
        }
    }

    @inline(__always)
    private func parseNumber(_ text: UnsafeBufferPointer<UInt8>, row: Int, column: Int) throws(XLSXError) -> Double {
        let number = NumberParsing.double(text.baseAddress!, count: text.count)
        guard let number else {
            throw .invalidContent(
                file: file, part: part,
                reason: "cell \(CellReference(row: row, column: column).a1) has an invalid number "
                    + "\"\(String(decoding: text, as: UTF8.self))\"")
        }
        return number
    }
}

extension String {
    func trimmingASCIISpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !" \t\r\n".unicodeScalars.contains($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !" \t\r\n".unicodeScalars.contains($0) })!
        return String(scalars[first...last])
    }
}

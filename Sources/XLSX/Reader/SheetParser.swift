/// Streams one worksheet part row by row, never holding more than the current row.
///
/// Names are compared by dictionary pointer, attribute values and `<v>` texts are parsed
/// from libxml2's C strings, and shared strings are Strings made once in the table, so the
/// only per-cell allocation left is the text of an inline string.
struct SheetParser {
    typealias Row = [(column: Int, value: CellValue)]

    let file: String
    let part: String
    let sharedStrings: [String]?
    let styles: CellStyles
    let date1904: Bool

    /// The type attribute of a `<c>` element.
    private enum CellType {
        case number, sharedString, inlineString, formulaString, boolean, error, isoDate
    }

    /// Calls `emit` for every row with at least one value, and returns the merged ranges.
    /// An error `emit` throws stops the parse and reaches the caller unchanged.
    func parse(_ bytes: [UInt8], row emit: (Int, Row) throws -> Void) throws -> [CellRange] {
        var callerError: (any Error)?
        do {
            return try XMLStreamReader.parse(bytes, file: file, part: part) { (reader) throws(XLSXError) in
                do {
                    return try parse(reader, emit)
                } catch let error as XLSXError {
                    throw error
                } catch {
                    callerError = error
                    throw .invalidContent(file: file, part: part, reason: "reading stopped by the caller")
                }
            }
        } catch {
            throw callerError ?? error
        }
    }

    private func parse(_ reader: XMLStreamReader, _ emit: (Int, Row) throws -> Void) throws -> [CellRange] {
        let sheetDataName = reader.intern("sheetData")
        let rowName = reader.intern("row")
        let cName = reader.intern("c")
        let vName = reader.intern("v")
        let isName = reader.intern("is")
        let tName = reader.intern("t")
        let rPhName = reader.intern("rPh")
        let rName = reader.intern("r")
        let sName = reader.intern("s")
        let mergeCellName = reader.intern("mergeCell")
        let refName = reader.intern("ref")

        var merged: [CellRange] = []
        var cells: Row = []
        cells.reserveCapacity(64)
        var inSheetData = false
        var rowIndex = -1
        var inRow = false
        var lastColumn = -1

        // The cell being read.
        var inCell = false
        var column = 0
        var type = CellType.number
        var style = 0
        var valueText: [UInt8] = []
        var hasValue = false
        var inlineText: [UInt8] = []
        var hasInline = false
        var inIs = false
        var inPhonetic = false
        enum Collecting { case none, value, inline }
        var collecting = Collecting.none
        valueText.reserveCapacity(64)
        inlineText.reserveCapacity(64)

        func finishCell() throws(XLSXError) {
            inCell = false
            collecting = .none
            if let value = try cellValue(
                type: type, style: style, valueText: hasValue ? valueText : nil,
                inlineText: hasInline ? inlineText : nil, row: rowIndex, column: column)
            {
                cells.append((column, value))
            }
        }

        func finishRow() throws {
            inRow = false
            if !cells.isEmpty {
                try emit(rowIndex, cells)
                cells.removeAll(keepingCapacity: true)
            }
        }

        while try reader.read() {
            let nodeType = reader.nodeType
            if nodeType == XMLNodeType.text || nodeType == XMLNodeType.significantWhitespace
                || nodeType == XMLNodeType.whitespace || nodeType == XMLNodeType.cdata
            {
                switch collecting {
                case .none: break
                case .value: if let text = reader.value { TextDecoding.append(text, to: &valueText) }
                case .inline: if let text = reader.value { TextDecoding.append(text, to: &inlineText) }
                }
                continue
            }
            let name = reader.localName
            if nodeType == XMLNodeType.element {
                let empty = reader.isEmptyElement
                if name == cName && inRow {
                    inCell = true
                    column = lastColumn + 1
                    type = .number
                    style = 0
                    hasValue = false
                    hasInline = false
                    inIs = false
                    inPhonetic = false
                    try readCellAttributes(reader, rName, tName, sName, &column, &type, &style)
                    lastColumn = column
                    if empty { try finishCell() }
                } else if name == vName && inCell {
                    valueText.removeAll(keepingCapacity: true)
                    hasValue = true
                    collecting = empty ? .none : .value
                } else if name == tName && inIs && !inPhonetic {
                    collecting = empty ? .none : .inline
                } else if name == isName && inCell {
                    inlineText.removeAll(keepingCapacity: true)
                    hasInline = true
                    inIs = !empty
                } else if name == rPhName && inIs {
                    inPhonetic = !empty
                } else if name == rowName && inSheetData {
                    if inRow { try finishRow() }
                    rowIndex = try readRowIndex(reader, rName, previous: rowIndex)
                    inRow = true
                    lastColumn = -1
                    if empty { try finishRow() }
                } else if name == sheetDataName {
                    inSheetData = !empty
                } else if name == mergeCellName {
                    try readMergeCell(reader, refName, into: &merged)
                }
            } else if nodeType == XMLNodeType.endElement {
                if name == vName || name == tName {
                    collecting = .none
                } else if name == cName {
                    if inCell { try finishCell() }
                } else if name == rowName {
                    if inRow { try finishRow() }
                } else if name == isName {
                    inIs = false
                } else if name == rPhName {
                    inPhonetic = false
                } else if name == sheetDataName {
                    inSheetData = false
                }
            }
        }
        return merged.sorted()
    }

    @inline(__always)
    private func readCellAttributes(
        _ reader: XMLStreamReader, _ rName: XMLStreamReader.Name, _ tName: XMLStreamReader.Name,
        _ sName: XMLStreamReader.Name, _ column: inout Int, _ type: inout CellType, _ style: inout Int
    ) throws(XLSXError) {
        var badReference: String?
        reader.forEachAttribute { name, value in
            if name == rName {
                if let reference = NumberParsing.cellReference(value) {
                    column = reference.column
                } else {
                    badReference = String(cString: value)
                }
            } else if name == tName {
                type = Self.cellType(value)
            } else if name == sName {
                style = NumberParsing.integer(value) ?? 0
            }
        }
        if let badReference {
            throw .invalidContent(file: file, part: part, reason: "invalid cell reference \"\(badReference)\"")
        }
        guard column < 16_384 else {
            throw .invalidContent(file: file, part: part, reason: "a cell lies past column XFD, the last Excel allows")
        }
    }

    @inline(__always)
    private static func cellType(_ value: UnsafePointer<UInt8>) -> CellType {
        switch value[0] {
        case UInt8(ascii: "s"): return value[1] == 0 ? .sharedString : (value[1] == UInt8(ascii: "t") ? .formulaString : .number)
        case UInt8(ascii: "i"): return .inlineString
        case UInt8(ascii: "b"): return .boolean
        case UInt8(ascii: "e"): return .error
        case UInt8(ascii: "d"): return .isoDate
        default: return .number
        }
    }

    private func readRowIndex(_ reader: XMLStreamReader, _ rName: XMLStreamReader.Name, previous: Int)
        throws(XLSXError) -> Int
    {
        var index = previous + 1
        var bad: String?
        reader.forEachAttribute { name, value in
            guard name == rName else { return }
            if let number = NumberParsing.integer(value), number >= 1 {
                index = number - 1
            } else {
                bad = String(cString: value)
            }
        }
        if let bad { throw .invalidContent(file: file, part: part, reason: "invalid row number \"\(bad)\"") }
        guard index < 1_048_576 else {
            throw .invalidContent(file: file, part: part, reason: "a row lies past row 1048576, the last Excel allows")
        }
        return index
    }

    private func readMergeCell(_ reader: XMLStreamReader, _ refName: XMLStreamReader.Name, into merged: inout [CellRange])
        throws(XLSXError)
    {
        var text: String?
        reader.forEachAttribute { name, value in
            if name == refName { text = String(cString: value) }
        }
        guard let text, let range = CellRange(a1: text) else {
            throw .invalidContent(file: file, part: part, reason: "invalid merged range \"\(text ?? "")\"")
        }
        merged.append(range)
    }

    /// The value of a finished `<c>`: nil for a style-only cell or a formula without a cached value.
    @inline(__always)
    private func cellValue(
        type: CellType, style: Int, valueText: [UInt8]?, inlineText: [UInt8]?, row: Int, column: Int
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
            let index = valueText.withUnsafeBufferPointer { NumberParsing.integer($0.baseAddress!, count: $0.count) }
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
    private func parseNumber(_ text: [UInt8], row: Int, column: Int) throws(XLSXError) -> Double {
        let number = text.withUnsafeBufferPointer { NumberParsing.double($0.baseAddress!, count: $0.count) }
        guard let number else {
            throw .invalidContent(
                file: file, part: part,
                reason: "cell \(CellReference(row: row, column: column).a1) has an invalid number "
                    + "\"\(String(decoding: text, as: UTF8.self))\"")
        }
        return number
    }
}

/// libxml2's `xmlReaderTypes` as plain constants for the hot loop.
enum XMLNodeType {
    static let element: Int32 = 1
    static let text: Int32 = 3
    static let cdata: Int32 = 4
    static let whitespace: Int32 = 13
    static let significantWhitespace: Int32 = 14
    static let endElement: Int32 = 15
}

extension String {
    func trimmingASCIISpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !" \t\r\n".unicodeScalars.contains($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !" \t\r\n".unicodeScalars.contains($0) })!
        return String(scalars[first...last])
    }
}

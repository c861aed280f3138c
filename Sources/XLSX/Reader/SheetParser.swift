internal import CLibXML2

/// Streams one worksheet part row by row (libxml2 SAX2, see ``SAXParser``), never holding
/// more than the current row.
///
/// Names are compared by dictionary pointer, attribute values and `<v>` texts are parsed
/// straight from libxml2's bytes, and shared strings are Strings made once in the table, so
/// the only per-cell allocation left is the text of an inline string.
struct SheetParser {
    typealias Row = [(column: Int, value: CellValue)]

    let file: String
    let part: String
    let sharedStrings: [String]?
    let styles: CellStyles
    let date1904: Bool

    /// The type attribute of a `<c>` element.
    fileprivate enum CellType {
        case number, sharedString, inlineString, formulaString, boolean, error, isoDate
    }

    /// Calls `emit` for every row with at least one value, and returns the merged ranges.
    /// An error `emit` throws stops the parse and reaches the caller unchanged.
    func parse(_ bytes: [UInt8], row emit: (Int, Row) throws -> Void) throws -> [CellRange] {
        try withoutActuallyEscaping(emit) { emit in
            let state = UnsafeMutablePointer<SheetState>.allocate(capacity: 1)
            state.initialize(to: SheetState(parser: self, emit: emit))
            defer {
                state.deinitialize(count: 1)
                state.deallocate()
            }
            do {
                try SAXParser.parse(bytes, file: file, part: part, state: state) { dictionary in
                    state.pointee.names = SheetState.Names(dictionary)
                }
            } catch {
                throw state.pointee.callerError ?? error
            }
            return state.pointee.merged.sorted()
        }
    }

    /// The value of a finished `<c>`: nil for a style-only cell or a formula without a cached value.
    @inline(__always)
    fileprivate func cellValue(
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

extension String {
    func trimmingASCIISpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !" \t\r\n".unicodeScalars.contains($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !" \t\r\n".unicodeScalars.contains($0) })!
        return String(scalars[first...last])
    }
}

/// The worksheet state machine, driven by SAX events: the row being gathered and the cell
/// being read. Only `<sheetData>` content and `<mergeCell>` matter; all else is skipped.
private struct SheetState: SAXState {
    typealias Name = SAXParser.Name

    struct Names {
        let sheetData, row, c, v, inlineString, t, rPh, r, s, mergeCell, ref: Name?

        init(_ dictionary: xmlDictPtr?) {
            func name(_ text: String) -> Name? { dictionary.map { SAXParser.intern(text, in: $0) } }
            sheetData = name("sheetData")
            row = name("row")
            c = name("c")
            v = name("v")
            inlineString = name("is")
            t = name("t")
            rPh = name("rPh")
            r = name("r")
            s = name("s")
            mergeCell = name("mergeCell")
            ref = name("ref")
        }
    }

    var status = SAXStatus()
    let parser: SheetParser
    let emit: (Int, SheetParser.Row) throws -> Void
    var names = Names(nil)
    var merged: [CellRange] = []
    var callerError: (any Error)?

    private var cells: SheetParser.Row = []
    private var inSheetData = false
    private var rowIndex = -1
    private var inRow = false
    private var lastColumn = -1

    private var inCell = false
    private var column = 0
    private var type = SheetParser.CellType.number
    private var style = 0
    private var valueText: [UInt8] = []
    private var hasValue = false
    private var inlineText: [UInt8] = []
    private var hasInline = false
    private var inIs = false
    private var inPhonetic = false
    private enum Collecting { case none, value, inline }
    private var collecting = Collecting.none

    init(parser: SheetParser, emit: @escaping (Int, SheetParser.Row) throws -> Void) {
        self.parser = parser
        self.emit = emit
        cells.reserveCapacity(64)
        valueText.reserveCapacity(64)
        inlineText.reserveCapacity(64)
    }

    static let callbacks = SAXParser.Callbacks(
        startElement: { context, name, _, _, _, _, attributeCount, _, attributes in
            let state = context!.assumingMemoryBound(to: SheetState.self)
            guard !state.pointee.status.stopped, let name else { return }
            do throws(XLSXError) {
                try state.pointee.startElement(name, SAXParser.Attributes(base: attributes, count: Int(attributeCount)))
            } catch {
                state.pointee.status.stop(error)
            }
        },
        endElement: { context, name, _, _ in
            let state = context!.assumingMemoryBound(to: SheetState.self)
            guard !state.pointee.status.stopped, let name else { return }
            do throws(XLSXError) {
                try state.pointee.endElement(name)
            } catch {
                state.pointee.status.stop(error)
            }
        },
        characters: { context, text, count in
            let state = context!.assumingMemoryBound(to: SheetState.self)
            guard let text, count > 0 else { return }
            state.pointee.characters(UnsafeBufferPointer(start: text, count: Int(count)))
        },
        internalSubset: { context, _, _, _ in
            context!.assumingMemoryBound(to: SheetState.self).pointee.status.stopForDoctype()
        },
        error: { context, error in
            guard let error else { return }
            context!.assumingMemoryBound(to: SheetState.self).pointee.status.record(error)
        })

    @inline(__always)
    mutating func characters(_ text: UnsafeBufferPointer<UInt8>) {
        switch collecting {
        case .none: break
        case .value: valueText.append(contentsOf: text)
        case .inline: inlineText.append(contentsOf: text)
        }
    }

    mutating func startElement(_ name: Name, _ attributes: SAXParser.Attributes) throws(XLSXError) {
        if name == names.c {
            guard inRow else { return }
            inCell = true
            column = lastColumn + 1
            type = .number
            style = 0
            hasValue = false
            hasInline = false
            inIs = false
            inPhonetic = false
            try readCellAttributes(attributes)
            lastColumn = column
        } else if name == names.v {
            guard inCell else { return }
            valueText.removeAll(keepingCapacity: true)
            hasValue = true
            collecting = .value
        } else if name == names.t {
            if inIs && !inPhonetic { collecting = .inline }
        } else if name == names.inlineString {
            guard inCell else { return }
            inlineText.removeAll(keepingCapacity: true)
            hasInline = true
            inIs = true
        } else if name == names.rPh {
            if inIs { inPhonetic = true }
        } else if name == names.row {
            guard inSheetData else { return }
            if inRow { try finishRow() }
            rowIndex = try readRowIndex(attributes)
            inRow = true
            lastColumn = -1
        } else if name == names.sheetData {
            inSheetData = true
        } else if name == names.mergeCell {
            try readMergeCell(attributes)
        }
    }

    mutating func endElement(_ name: Name) throws(XLSXError) {
        if name == names.v || name == names.t {
            collecting = .none
        } else if name == names.c {
            if inCell { try finishCell() }
        } else if name == names.row {
            if inRow { try finishRow() }
        } else if name == names.inlineString {
            inIs = false
        } else if name == names.rPh {
            inPhonetic = false
        } else if name == names.sheetData {
            inSheetData = false
        }
    }

    private mutating func finishCell() throws(XLSXError) {
        inCell = false
        collecting = .none
        if let value = try parser.cellValue(
            type: type, style: style, valueText: hasValue ? valueText : nil,
            inlineText: hasInline ? inlineText : nil, row: rowIndex, column: column)
        {
            cells.append((column, value))
        }
    }

    private mutating func finishRow() throws(XLSXError) {
        inRow = false
        guard !cells.isEmpty else { return }
        do {
            try emit(rowIndex, cells)
        } catch let error as XLSXError {
            throw error
        } catch {
            callerError = error
            throw .invalidContent(file: parser.file, part: parser.part, reason: "reading stopped by the caller")
        }
        cells.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private mutating func readCellAttributes(_ attributes: SAXParser.Attributes) throws(XLSXError) {
        let names = self.names
        try attributes.forEach { (name, value) throws(XLSXError) in
            guard let base = value.baseAddress else { return }
            if name == names.r {
                guard let reference = NumberParsing.cellReference(base, count: value.count) else {
                    throw .invalidContent(
                        file: parser.file, part: parser.part,
                        reason: "invalid cell reference \"\(String(decoding: value, as: UTF8.self))\"")
                }
                column = reference.column
            } else if name == names.t {
                type = Self.cellType(value)
            } else if name == names.s {
                style = NumberParsing.integer(base, count: value.count) ?? 0
            }
        }
        guard column < 16_384 else {
            throw .invalidContent(
                file: parser.file, part: parser.part, reason: "a cell lies past column XFD, the last Excel allows")
        }
    }

    @inline(__always)
    private static func cellType(_ value: UnsafeBufferPointer<UInt8>) -> SheetParser.CellType {
        guard let first = value.first else { return .number }
        switch first {
        case UInt8(ascii: "s"):
            if value.count == 1 { return .sharedString }
            return value[1] == UInt8(ascii: "t") ? .formulaString : .number
        case UInt8(ascii: "i"): return .inlineString
        case UInt8(ascii: "b"): return .boolean
        case UInt8(ascii: "e"): return .error
        case UInt8(ascii: "d"): return .isoDate
        default: return .number
        }
    }

    private func readRowIndex(_ attributes: SAXParser.Attributes) throws(XLSXError) -> Int {
        var index = rowIndex + 1
        try attributes.forEach { (name, value) throws(XLSXError) in
            guard name == names.r else { return }
            guard let base = value.baseAddress, let number = NumberParsing.integer(base, count: value.count),
                number >= 1
            else {
                throw .invalidContent(
                    file: parser.file, part: parser.part,
                    reason: "invalid row number \"\(String(decoding: value, as: UTF8.self))\"")
            }
            index = number - 1
        }
        guard index < 1_048_576 else {
            throw .invalidContent(
                file: parser.file, part: parser.part, reason: "a row lies past row 1048576, the last Excel allows")
        }
        return index
    }

    private mutating func readMergeCell(_ attributes: SAXParser.Attributes) throws(XLSXError) {
        var text: String?
        try attributes.forEach { (name, value) throws(XLSXError) in
            if name == names.ref { text = String(decoding: value, as: UTF8.self) }
        }
        guard let text, let range = CellRange(a1: text) else {
            throw .invalidContent(file: parser.file, part: parser.part, reason: "invalid merged range \"\(text ?? "")\"")
        }
        merged.append(range)
    }
}

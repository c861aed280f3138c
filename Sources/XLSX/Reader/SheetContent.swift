/// What a worksheet's elements mean for its cells, whichever parser found them: the row being
/// gathered and the cell being read. Only `<sheetData>` content and `<mergeCell>` matter; all
/// else is skipped.
///
/// ``SheetSAXHandler`` drives it with libxml2's elements and attributes named by their local
/// names (namespace prefixes do not matter).
struct SheetContent {
    /// The elements that matter, by local name; everything else is `.other`.
    enum Element {
        case sheetData, row, c, v, inlineString, t, rPh, mergeCell, other
    }

    /// The attributes that matter, by local name.
    enum Attribute {
        case r, t, s, ref, other
    }

    let parser: SheetParser
    let emit: (Int, SheetParser.Row) throws -> Void
    var merged: [CellRange] = []
    /// The caller's own error from `emit`, passed through unchanged.
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
    private let valueText = TextBuffer()
    private var hasValue = false
    private let inlineText = TextBuffer()
    private var hasInline = false
    private var inIs = false
    private var inPhonetic = false
    private enum Collecting { case none, value, inline }
    private var collecting = Collecting.none

    init(parser: SheetParser, emit: @escaping (Int, SheetParser.Row) throws -> Void) {
        self.parser = parser
        self.emit = emit
        cells.reserveCapacity(64)
    }

    @inline(__always)
    mutating func characters(_ text: UnsafeBufferPointer<UInt8>) {
        switch collecting {
        case .none: break
        case .value: valueText.append(contentsOf: text)
        case .inline: inlineText.append(contentsOf: text)
        }
    }

    @inline(__always)
    mutating func startElement<A: SheetAttributes>(_ element: Element, _ attributes: A) throws(XLSXError) {
        switch element {
        case .c:
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
        case .v:
            guard inCell else { return }
            valueText.reset()
            hasValue = true
            collecting = .value
        case .t:
            if inIs && !inPhonetic { collecting = .inline }
        case .inlineString:
            guard inCell else { return }
            inlineText.reset()
            hasInline = true
            inIs = true
        case .rPh:
            if inIs { inPhonetic = true }
        case .row:
            guard inSheetData else { return }
            if inRow { try finishRow() }
            rowIndex = try readRowIndex(attributes)
            inRow = true
            lastColumn = -1
        case .sheetData:
            inSheetData = true
        case .mergeCell:
            try readMergeCell(attributes)
        case .other:
            break
        }
    }

    @inline(__always)
    mutating func endElement(_ element: Element) throws(XLSXError) {
        switch element {
        case .v, .t:
            collecting = .none
        case .c:
            if inCell { try finishCell() }
        case .row:
            if inRow { try finishRow() }
        case .inlineString:
            inIs = false
        case .rPh:
            inPhonetic = false
        case .sheetData:
            inSheetData = false
        case .mergeCell, .other:
            break
        }
    }

    private mutating func finishCell() throws(XLSXError) {
        inCell = false
        collecting = .none
        if let value = try parser.cellValue(
            type: type, style: style, valueText: hasValue ? valueText.bytes : nil,
            inlineText: hasInline ? inlineText.bytes : nil, row: rowIndex, column: column)
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
    private mutating func readCellAttributes<A: SheetAttributes>(_ attributes: A) throws(XLSXError) {
        try attributes.forEach { (name, value) throws(XLSXError) in
            guard let base = value.baseAddress else { return }
            switch name {
            case .r:
                guard let reference = NumberParsing.cellReference(base, count: value.count) else {
                    throw .invalidContent(
                        file: parser.file, part: parser.part,
                        reason: "invalid cell reference \"\(String(decoding: value, as: UTF8.self))\"")
                }
                column = reference.column
            case .t:
                type = Self.cellType(value)
            case .s:
                style = NumberParsing.integer(base, count: value.count) ?? 0
            case .ref, .other:
                break
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

    private mutating func readRowIndex<A: SheetAttributes>(_ attributes: A) throws(XLSXError) -> Int {
        var index = rowIndex + 1
        try attributes.forEach { (name, value) throws(XLSXError) in
            guard name == .r else { return }
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

    private mutating func readMergeCell<A: SheetAttributes>(_ attributes: A) throws(XLSXError) {
        var text: String?
        try attributes.forEach { (name, value) throws(XLSXError) in
            if name == .ref { text = String(decoding: value, as: UTF8.self) }
        }
        guard let text, let range = CellRange(a1: text) else {
            throw .invalidContent(file: parser.file, part: parser.part, reason: "invalid merged range \"\(text ?? "")\"")
        }
        merged.append(range)
    }
}

/// A start tag's attributes in document order, each by its local name's meaning and its value.
protocol SheetAttributes {
    func forEach(_ body: (SheetContent.Attribute, UnsafeBufferPointer<UInt8>) throws(XLSXError) -> Void)
        throws(XLSXError)
}

/// A growable byte buffer for a cell's text, reused from cell to cell without Array's
/// uniqueness checks and bookkeeping on every append.
final class TextBuffer {
    private var storage: UnsafeMutablePointer<UInt8>
    private var capacity = 64
    private var count = 0

    init() {
        storage = .allocate(capacity: capacity)
    }

    deinit {
        storage.deallocate()
    }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: storage, count: count) }

    @inline(__always)
    func reset() {
        count = 0
    }

    @inline(__always)
    func append(contentsOf text: UnsafeBufferPointer<UInt8>) {
        guard let source = text.baseAddress else { return }
        if count + text.count > capacity { grow(to: count + text.count) }
        (storage + count).update(from: source, count: text.count)
        count += text.count
    }

    private func grow(to needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: storage, count: count)
        storage.deallocate()
        storage = bigger
        capacity = newCapacity
    }
}

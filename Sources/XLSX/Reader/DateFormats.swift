/// Which number formats make a cell's number a date, a time or both.
///
/// SpreadsheetML has no date cell type in practice: a date is a serial number whose cell
/// style (`cellXfs[s]`) points at a number format that renders it as a date.
enum DateFormats {
    /// Built-in formats (ECMA-376 Part 1 §18.8.30): 14-17 dates, 18-21 and 45-47 times, 22 a
    /// date-time; 27-36 and 50-58 are the East Asian locales' date formats.
    static func kind(builtIn id: Int) -> ExcelDate.Kind? {
        switch id {
        case 14...17, 27...31, 34...36, 50...58: return .date
        case 18...21, 32, 33, 45...47: return .time
        case 22: return .dateTime
        default: return nil
        }
    }

    /// Classifies a custom format code such as `yyyy\-mm\-dd hh:mm:ss` or `[h]:mm;@`.
    ///
    /// Quoted literals, `\`-escaped characters, `_x` (space as wide as x) and `*x` (fill with x)
    /// are text, and `[...]` sections are colours or conditions, so all are skipped before
    /// looking for the date letters y, d (and m on its own, months) and time letters h, s
    /// (`m` next to them means minutes). Elapsed-time codes `[h]`, `[mm]`, `[ss]` count as time.
    static func kind(formatCode: String) -> ExcelDate.Kind? {
        var hasDate = false
        var hasTime = false
        var hasMonthOrMinute = false
        let bytes = Array(formatCode.utf8)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "\""):
                i += 1
                while i < bytes.count && bytes[i] != UInt8(ascii: "\"") { i += 1 }
            case UInt8(ascii: "\\"), UInt8(ascii: "_"), UInt8(ascii: "*"):
                i += 1
            case UInt8(ascii: "["):
                let start = i + 1
                while i < bytes.count && bytes[i] != UInt8(ascii: "]") { i += 1 }
                let section = bytes[start..<min(i, bytes.count)].map { $0 | 0x20 }
                if !section.isEmpty && section.allSatisfy({ $0 == UInt8(ascii: "h") || $0 == UInt8(ascii: "m") || $0 == UInt8(ascii: "s") }) {
                    hasTime = true
                }
            default:
                switch byte | 0x20 {
                case UInt8(ascii: "y"), UInt8(ascii: "d"): hasDate = true
                case UInt8(ascii: "h"), UInt8(ascii: "s"): hasTime = true
                case UInt8(ascii: "m"): hasMonthOrMinute = true
                default: break
                }
            }
            i += 1
        }
        if hasMonthOrMinute && !hasTime { hasDate = true }
        switch (hasDate, hasTime) {
        case (true, true): return .dateTime
        case (true, false): return .date
        case (false, true): return .time
        case (false, false): return nil
        }
    }
}

/// The date kind of each cell style index (`s` attribute), read from `styles.xml`.
struct CellStyles: Sendable {
    var dateKinds: [ExcelDate.Kind?] = []

    @inline(__always)
    func dateKind(style: Int) -> ExcelDate.Kind? {
        style >= 0 && style < dateKinds.count ? dateKinds[style] : nil
    }

    static func parse(_ bytes: [UInt8], file: String, part: String) throws(XLSXError) -> CellStyles {
        try XMLStreamReader.parse(bytes, file: file, part: part) { (reader) throws(XLSXError) in
            let numFmtName = reader.intern("numFmt")
            let numFmtIdName = reader.intern("numFmtId")
            let formatCodeName = reader.intern("formatCode")
            let cellXfsName = reader.intern("cellXfs")
            let xfName = reader.intern("xf")
            var customKinds: [Int: ExcelDate.Kind?] = [:]
            var xfFormatIds: [Int] = []
            var inCellXfs = false
            while try reader.read() {
                let name = reader.localName
                if reader.isElement {
                    if name == numFmtName {
                        var id: Int?
                        var code = ""
                        reader.forEachAttribute { attribute, value in
                            if attribute == numFmtIdName {
                                id = NumberParsing.integer(value)
                            } else if attribute == formatCodeName {
                                code = String(cString: value)
                            }
                        }
                        if let id { customKinds[id] = DateFormats.kind(formatCode: code) }
                    } else if name == cellXfsName {
                        inCellXfs = !reader.isEmptyElement
                    } else if name == xfName && inCellXfs {
                        var id = 0
                        reader.forEachAttribute { attribute, value in
                            if attribute == numFmtIdName { id = NumberParsing.integer(value) ?? 0 }
                        }
                        xfFormatIds.append(id)
                    }
                } else if reader.isEndElement && name == cellXfsName {
                    inCellXfs = false
                }
            }
            // A custom format may redefine a built-in id; the custom definition wins.
            return CellStyles(
                dateKinds: xfFormatIds.map { id in customKinds[id] ?? DateFormats.kind(builtIn: id) })
        }
    }
}

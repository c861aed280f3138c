/// Collects a workbook's text cells into `xl/sharedStrings.xml`, each distinct
/// string once, numbered in order of first use (what Excel and openpyxl do).
struct SharedStringTableBuilder {
    private var indices: [String: Int] = [:]
    private(set) var strings: [String] = []
    /// Every reference, duplicates included: the part's `count` attribute.
    private(set) var referenceCount = 0

    /// The string's index in the table, adding it on first use.
    mutating func index(of text: String) -> Int {
        referenceCount += 1
        if let index = indices[text] { return index }
        let index = strings.count
        indices[text] = index
        strings.append(text)
        return index
    }

    var isEmpty: Bool { strings.isEmpty }

    func xml() -> [UInt8] {
        var out = XMLByteWriter(capacity: strings.reduce(200) { $0 + $1.utf8.count + 16 })
        out.raw(OOXMLParts.declaration)
        out.raw(#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count=""#)
        out.decimal(referenceCount)
        out.raw(#"" uniqueCount=""#)
        out.decimal(strings.count)
        out.raw(#"">"#)
        for text in strings {
            // Without xml:space="preserve" XML consumers may drop leading/trailing blanks.
            if Self.hasOuterWhitespace(text) {
                out.raw(#"<si><t xml:space="preserve">"#)
            } else {
                out.raw("<si><t>")
            }
            out.escaped(text)
            out.raw("</t></si>")
        }
        out.raw("</sst>")
        return out.bytes
    }

    static func hasOuterWhitespace(_ text: String) -> Bool {
        func isBlank(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == 0x09 || byte == 0x0A || byte == 0x0D
        }
        guard let first = text.utf8.first, let last = text.utf8.last else { return false }
        return isBlank(first) || isBlank(last)
    }
}

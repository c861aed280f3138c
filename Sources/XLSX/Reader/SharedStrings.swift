/// The shared string table (`xl/sharedStrings.xml`), each `<si>` made a String once.
enum SharedStrings {
    /// Plain `<si><t>` and rich `<si><r><t>…</t></r>…` items alike: the `<t>` texts joined,
    /// phonetic runs (`<rPh>`) left out, `_xHHHH_` escapes decoded.
    static func parse(_ bytes: [UInt8], file: String, part: String) throws(XLSXError) -> [String] {
        try XMLStreamReader.parse(bytes, file: file, part: part) { (reader) throws(XLSXError) in
            let siName = reader.intern("si")
            let tName = reader.intern("t")
            let rPhName = reader.intern("rPh")
            let sstName = reader.intern("sst")
            var strings: [String] = []
            var text: [UInt8] = []
            var inItem = false
            var inText = false
            var inPhonetic = false
            while try reader.read() {
                if reader.isText {
                    if inText, let value = reader.value { TextDecoding.append(value, to: &text) }
                    continue
                }
                let name = reader.localName
                if reader.isElement {
                    let empty = reader.isEmptyElement
                    if name == siName {
                        if empty {
                            strings.append("")
                        } else {
                            inItem = true
                            text.removeAll(keepingCapacity: true)
                        }
                    } else if name == tName {
                        inText = inItem && !inPhonetic && !empty
                    } else if name == rPhName {
                        inPhonetic = !empty
                    } else if name == sstName, let count = uniqueCountHint(reader) {
                        strings.reserveCapacity(min(count, 1 << 20))
                    }
                } else if reader.isEndElement {
                    if name == tName {
                        inText = false
                    } else if name == rPhName {
                        inPhonetic = false
                    } else if name == siName {
                        strings.append(TextDecoding.string(text))
                        inItem = false
                    }
                }
            }
            return strings
        }
    }

    private static func uniqueCountHint(_ reader: XMLStreamReader) -> Int? {
        let uniqueCountName = reader.intern("uniqueCount")
        var count: Int?
        reader.forEachAttribute { name, value in
            if name == uniqueCountName { count = NumberParsing.integer(value) }
        }
        return count
    }
}

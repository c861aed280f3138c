/// What `xl/workbook.xml` says: the sheets in tab order and the date system.
struct WorkbookPart {
    struct Sheet {
        var name: String
        var relationshipID: String
    }

    var sheets: [Sheet] = []
    var date1904 = false

    static func parse(_ bytes: [UInt8], file: String, part: String) throws(XLSXError) -> WorkbookPart {
        try XMLStreamReader.parse(bytes, file: file, part: part) { (reader) throws(XLSXError) in
            let sheetName = reader.intern("sheet")
            let nameName = reader.intern("name")
            let idName = reader.intern("id")
            let workbookPrName = reader.intern("workbookPr")
            let date1904Name = reader.intern("date1904")
            var result = WorkbookPart()
            while try reader.read() {
                guard reader.isElement else { continue }
                let name = reader.localName
                if name == sheetName {
                    var sheet = Sheet(name: "", relationshipID: "")
                    reader.forEachAttribute { attribute, value in
                        if attribute == nameName {
                            sheet.name = String(cString: value)
                        } else if attribute == idName {
                            sheet.relationshipID = String(cString: value)
                        }
                    }
                    result.sheets.append(sheet)
                } else if name == workbookPrName {
                    reader.forEachAttribute { attribute, value in
                        if attribute == date1904Name {
                            let text = String(cString: value)
                            result.date1904 = text == "1" || text == "true"
                        }
                    }
                }
            }
            return result
        }
    }
}

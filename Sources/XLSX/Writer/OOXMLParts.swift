/// The package parts around the worksheets: content types, relationships,
/// document properties, the workbook and its styles.
///
/// Document properties carry a fixed timestamp so the same sheets always give
/// the same bytes.
enum OOXMLParts {
    static let declaration: StaticString = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let fixedTimestamp = "1980-01-01T00:00:00Z"

    static func worksheetPath(_ number: Int) -> String { "xl/worksheets/sheet\(number).xml" }

    static func contentTypes(sheetCount: Int, hasSharedStrings: Bool) -> [UInt8] {
        var out = XMLByteWriter(capacity: 1200 + sheetCount * 160)
        out.raw(declaration)
        out.rawText(
            #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
                + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
                + #"<Default Extension="xml" ContentType="application/xml"/>"#
                + #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
        )
        for number in 1...sheetCount {
            out.raw(#"<Override PartName="/"#)
            out.rawText(worksheetPath(number))
            out.raw(#"" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#)
        }
        out.raw(
            #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
        )
        if hasSharedStrings {
            out.raw(
                #"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#
            )
        }
        out.rawText(
            #"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#
                + #"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#
                + "</Types>")
        return out.bytes
    }

    static func packageRelationships() -> [UInt8] {
        var out = XMLByteWriter()
        out.raw(declaration)
        out.rawText(
            #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#
                + #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#
                + #"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>"#
                + "</Relationships>")
        return out.bytes
    }

    static func appProperties() -> [UInt8] {
        var out = XMLByteWriter()
        out.raw(declaration)
        out.rawText(
            #"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">"#
                + "<Application>Prospector</Application></Properties>")
        return out.bytes
    }

    static func coreProperties() -> [UInt8] {
        var out = XMLByteWriter()
        out.raw(declaration)
        out.rawText(
            #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
                + "<dc:creator>Prospector</dc:creator>"
                + #"<dcterms:created xsi:type="dcterms:W3CDTF">"#)
        out.rawText(fixedTimestamp)
        out.raw(#"</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">"#)
        out.rawText(fixedTimestamp)
        out.raw("</dcterms:modified></cp:coreProperties>")
        return out.bytes
    }

    /// `names` must already be valid sheet names; they are escaped here.
    static func workbook(sheetNames names: [String], date1904: Bool) -> [UInt8] {
        var out = XMLByteWriter(capacity: 600 + names.count * 80)
        out.raw(declaration)
        out.raw(
            #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
        )
        out.raw(date1904 ? #"<workbookPr date1904="1"/>"# : "<workbookPr/>")
        out.raw("<bookViews><workbookView/></bookViews><sheets>")
        for (i, name) in names.enumerated() {
            out.raw(#"<sheet name=""#)
            out.escaped(name)
            out.raw(#"" sheetId=""#)
            out.decimal(i + 1)
            out.raw(#"" r:id="rId"#)
            out.decimal(i + 1)
            out.raw(#""/>"#)
        }
        out.raw("</sheets></workbook>")
        return out.bytes
    }

    /// Worksheets are `rId1`…`rIdN`; styles and shared strings follow.
    static func workbookRelationships(sheetCount: Int, hasSharedStrings: Bool) -> [UInt8] {
        var out = XMLByteWriter(capacity: 600 + sheetCount * 160)
        out.raw(declaration)
        out.raw(#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#)
        for number in 1...sheetCount {
            out.raw(#"<Relationship Id="rId"#)
            out.decimal(number)
            out.raw(#"" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet"#)
            out.decimal(number)
            out.raw(#".xml"/>"#)
        }
        out.raw(#"<Relationship Id="rId"#)
        out.decimal(sheetCount + 1)
        out.raw(#"" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#)
        if hasSharedStrings {
            out.raw(#"<Relationship Id="rId"#)
            out.decimal(sheetCount + 2)
            out.raw(
                #"" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#
            )
        }
        out.raw("</Relationships>")
        return out.bytes
    }

    /// One font, the two fills Excel insists on, one border, and four cell formats:
    /// general, then the built-in date (14), time (21) and date-time (22) formats at
    /// the indices ``WorksheetXMLWriter/Style`` uses.
    static func styles() -> [UInt8] {
        var out = XMLByteWriter()
        out.raw(declaration)
        out.rawText(
            #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
                + #"<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>"#
                + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
                + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
                + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
                + #"<cellXfs count="4">"#
                + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
                + #"<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
                + #"<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
                + #"<xf numFmtId="21" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
                + "</cellXfs>"
                + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
                + "</styleSheet>")
        return out.bytes
    }
}

import XLSX

/// Reads the attribute blocks of "DIAS Attributes - Values 2017.xlsx".
///
/// Layout: a header `Attribute | Description | Value | Meaning`; each attribute is a block
/// of rows whose first row carries the name and description; the rows below carry one code
/// (or a list such as `-1, 9`, or `…` for a numeric attribute) and its meaning. Cells right
/// of the table are ignored.
struct ValuesSheetParser {
    static let captions = ["Attribute", "Description", "Value", "Meaning"]
    /// The Value cell of an attribute measured as a number rather than coded.
    static let numericMarker = "…"

    var file: String

    func parse(_ sheets: [Worksheet]) throws(MetadataError) -> [Attribute] {
        let header = try HeaderLocator(required: Self.captions).locate(in: sheets, file: file)
        let (nameColumn, descriptionColumn, valueColumn, meaningColumn) =
            (header.columns[0], header.columns[1], header.columns[2], header.columns[3])
        let sheet = header.sheet.fillingMergedRanges(inColumns: [meaningColumn])

        var attributes: [Attribute] = []
        var block: Block?
        for rowIndex in (header.row + 1)..<max(header.row + 1, sheet.rows.count) {
            if let nameText = CellText.text(of: sheet[rowIndex, nameColumn]) {
                if let finished = block { attributes.append(contentsOf: finished.attributes) }
                block = Block(
                    names: CellText.attributeNames(in: nameText),
                    description: CellText.text(of: sheet[rowIndex, descriptionColumn]) ?? "")
            } else if let more = CellText.text(of: sheet[rowIndex, descriptionColumn]) {
                block?.appendDescription(more)
            }

            let valueCell = sheet[rowIndex, valueColumn]
            let meaning = CellText.text(of: sheet[rowIndex, meaningColumn])
            guard CellText.text(of: valueCell) != nil else { continue }
            let cell = CellReference(row: rowIndex, column: valueColumn)
            guard block != nil else {
                throw .codeWithoutAttribute(file: file, sheet: sheet.name, cell: cell)
            }
            switch try codes(in: valueCell, at: cell, sheet: sheet.name) {
            case .numeric:
                block?.isNumeric = true
            case .codes(let codes):
                for code in codes { block?.add(code, meaning: meaning) }
            }
        }
        if let finished = block { attributes.append(contentsOf: finished.attributes) }
        return attributes
    }

    private enum ValueCell {
        case numeric
        case codes([ValueCode])
    }

    private func codes(in value: CellValue?, at cell: CellReference, sheet: String) throws(MetadataError) -> ValueCell {
        switch value {
        case .number(let number):
            guard let integer = CellText.exactInteger(number) else {
                throw .invalidCode(file: file, sheet: sheet, cell: cell, found: CellText.numberText(number))
            }
            return .codes([.integer(integer)])
        case .text(let text):
            let trimmed = CellText.trimmed(text)
            if trimmed == Self.numericMarker { return .numeric }
            let parts = trimmed.split(separator: ",", omittingEmptySubsequences: false)
            let codes = parts.compactMap { ValueCode(parsing: $0) }
            guard codes.count == parts.count else {
                throw .invalidCode(file: file, sheet: sheet, cell: cell, found: "\"\(trimmed)\"")
            }
            return .codes(codes)
        case .bool, .error, .date, nil:
            throw .invalidCode(file: file, sheet: sheet, cell: cell, found: CellText.text(of: value) ?? "an empty cell")
        }
    }
}

/// The rows of one attribute collected so far.
private struct Block {
    var names: [String]
    var description: String
    var codes: [ValueCode] = []
    var unknownCodes: [ValueCode] = []
    var meanings: [ValueCode: String] = [:]
    var isNumeric = false

    /// A description continuing on the next row joins the first with a space.
    mutating func appendDescription(_ more: String) {
        description = description.isEmpty ? more : description + " " + more
    }

    /// A code listed twice keeps its first meaning; it is unknown if either says so.
    mutating func add(_ code: ValueCode, meaning: String?) {
        if !codes.contains(code) {
            codes.append(code)
            if let meaning { meanings[code] = meaning }
        }
        if let meaning, UnknownMeaning.matches(meaning), !unknownCodes.contains(code) {
            unknownCodes.append(code)
        }
    }

    /// One attribute per name: a name cell listing two names describes both.
    var attributes: [Attribute] {
        names.map {
            Attribute(
                name: $0, description: description, codes: codes, unknownCodes: unknownCodes,
                isNumeric: isNumeric, meanings: meanings)
        }
    }
}

/// Which meanings mark a code as "unknown": the metadata says so in words
/// (`unknown`, `unknown / no main age detectable`). Meanings such as `none`,
/// `no transaction known` or `no classification possible` describe real values.
enum UnknownMeaning {
    static func matches(_ meaning: String) -> Bool {
        meaning.lowercased().contains("unknown")
    }
}

import Foundation
import XLSX

/// The two metadata workbooks in the real files' layout, filled from the schema's facts
/// with neutral placeholder texts (no text of the real workbooks).
///
/// The layout keeps the quirks a reader of the real files must handle: row 1 and column A
/// empty, name and description only on a block's first row, a continuation cell holding a
/// single space, descriptions running onto a second row, two codes in one text cell
/// (`-1, 9`), `…` for numeric attributes, vertically merged meanings and levels, a level
/// running past its merged range, `Postcode ` with a trailing space, and cells naming two
/// attributes at once.
public struct MetadataWorkbookLayout: Sendable {
    public static let valuesFileName = "DIAS Attributes - Values 2017.xlsx"
    public static let informationLevelsFileName = "DIAS Information Levels - Attributes 2017.xlsx"

    /// Attributes the metadata describes that no data column carries.
    public static let attributesWithoutColumn = [
        "SYNTH_META_ONLY_1", "SYNTH_META_ONLY_2", "SYNTH_META_ONLY_3", "SYNTH_META_ONLY_4",
    ]

    /// Attributes whose fine codes share merged meanings, and the code groups merged.
    static let mergedMeaningGroups: [String: [[Int]]] = [
        "LP_FAMILIE_GROB": [[3, 4, 5], [6, 7, 8], [9, 10, 11]],
        "LP_STATUS_GROB": [[1, 2], [3, 4, 5], [6, 7], [9, 10]],
    ]

    public let schema: ArvatoSchema

    public init(schema: ArvatoSchema) {
        self.schema = schema
    }

    /// One metadata entry per attribute, in column order, with the metadata-only ones spread in.
    var attributes: [(name: String, codes: [MetadataCode], unknown: Set<MetadataCode>, level: String?)] {
        var seen = Set<String>()
        var list: [(name: String, codes: [MetadataCode], unknown: Set<MetadataCode>, level: String?)] = []
        for column in schema.columns {
            guard let entry = column.metadata, seen.insert(entry.name).inserted else { continue }
            list.append((entry.name, entry.codes, Set(entry.unknownCodes), column.informationLevel))
        }
        for (k, name) in Self.attributesWithoutColumn.enumerated() {
            let position = min(list.count, (k + 1) * list.count / (Self.attributesWithoutColumn.count + 1))
            list.insert((name, [.integer(-1), .integer(1), .integer(2), .integer(3)], [.integer(-1)], "Person"), at: position)
        }
        return list
    }

    // MARK: Values workbook

    /// `Tabelle1` with the attribute blocks, plus two empty sheets.
    public func valuesWorkbook() -> [Worksheet] {
        var sheet = Worksheet(name: "Tabelle1")
        sheet[1, 1] = .text("Attribute")
        sheet[1, 2] = .text("Description")
        sheet[1, 3] = .text("Value")
        sheet[1, 4] = .text("Meaning")
        var merges: [CellRange] = []
        var row = 2
        var continuedDescriptions = 0
        var placedSpace = false
        for (index, attribute) in attributes.enumerated() {
            let codes = attribute.codes.isEmpty ? [MetadataCode.text("…")] : attribute.codes
            sheet[row, 1] = .text(attribute.name)
            sheet[row, 2] = .text("Synthetic description of \(attribute.name)")
            if codes.count > 1 && index % 8 == 3 && continuedDescriptions < 37 {
                sheet[row + 1, 2] = .text("(continued) further synthetic detail")
                continuedDescriptions += 1
            } else if codes.count > 1 && !placedSpace && index > 10 {
                sheet[row + 1, 1] = .text(" ")
                placedSpace = true
            }
            let groups = Self.mergedMeaningGroups[attribute.name] ?? []
            for (offset, code) in codes.enumerated() {
                let r = row + offset
                switch code {
                case .integer(let value): sheet[r, 3] = .number(Double(value))
                case .text(let text): sheet[r, 3] = .text(text)
                }
                if let value = code.integers.first, code.integers.count == 1,
                    let group = groups.first(where: { $0.contains(value) })
                {
                    if value == group[0] {
                        sheet[r, 4] = .text("group \(group[0])")
                        merges.append(
                            CellRange(
                                first: CellReference(row: r, column: 4),
                                last: CellReference(row: r + group.count - 1, column: 4)))
                    }
                } else {
                    sheet[r, 4] = .text(meaning(of: code, attribute: attribute.name, unknown: attribute.unknown))
                }
            }
            row += max(codes.count, 2)
        }
        sheet.mergedRanges = merges.sorted()
        return [sheet, Worksheet(name: "Tabelle2"), Worksheet(name: "Tabelle3")]
    }

    private func meaning(of code: MetadataCode, attribute: String, unknown: Set<MetadataCode>) -> String {
        if unknown.contains(code) {
            return attribute == "ALTER_HH" ? "unknown / no main age detectable" : "unknown"
        }
        switch code {
        case .integer(0): return "none"
        case .integer(let value): return "level \(value)"
        case .text("…"): return "numeric value"
        case .text(let text): return "class \(text)"
        }
    }

    // MARK: Information levels workbook

    static let levels = [
        "Person", "Household", "Building", "Microcell (RR4_ID)", "Microcell (RR3_ID)", "125m x 125m Grid",
        "Postcode", "RR1_ID", "PLZ8", "Community",
    ]

    /// `Komplett`: level, attribute, description, notes.
    public func informationLevelsWorkbook() -> Worksheet {
        var sheet = Worksheet(name: "Komplett")
        sheet[1, 1] = .text("Information level")
        sheet[1, 2] = .text("Attribute")
        sheet[1, 3] = .text("Description")
        sheet[1, 4] = .text("Additional notes")
        var merges: [CellRange] = []
        var row = 2
        let all = attributes
        // Row 3: an attribute without a level.
        if let first = all.first(where: { $0.level == nil }) {
            sheet[row, 2] = .text(first.name)
            sheet[row, 3] = .text("Synthetic description of \(first.name)")
            row += 1
        }
        for level in Self.levels {
            var names = all.filter { $0.level == level }.map(\.name)
            if level == "Household" { names = Self.pairCountColumns(names) }
            guard !names.isEmpty else { continue }
            let top = row
            for name in names {
                sheet[row, 2] = .text(name)
                sheet[row, 3] = .text("Synthetic description of \(name.split(separator: " ").first ?? "")")
                row += 1
            }
            sheet[top, 1] = .text(level == "Postcode" ? "Postcode " : level)
            // The level of Building runs one row past its merged range, unmerged.
            let lastMerged = level == "Building" ? row - 2 : row - 1
            if lastMerged > top {
                merges.append(CellRange(first: CellReference(row: top, column: 1), last: CellReference(row: lastMerged, column: 1)))
            }
            if names.count >= 4 && (level == "Household" || level == "PLZ8") {
                sheet[top + 1, 4] = .text("Synthetic note on \(level)")
                merges.append(
                    CellRange(first: CellReference(row: top + 1, column: 4), last: CellReference(row: top + 3, column: 4)))
            }
        }
        sheet.mergedRanges = merges.sorted()
        return sheet
    }

    /// Puts each `_ANZ_12` / `_ANZ_24` pair into one cell, separated by many spaces,
    /// some with a stray space inside the name.
    static func pairCountColumns(_ names: [String]) -> [String] {
        var result: [String] = []
        var skip = Set<String>()
        for name in names where !skip.contains(name) {
            if name.hasSuffix("_ANZ_12") {
                let partner = String(name.dropLast(2)) + "24"
                if names.contains(partner) {
                    skip.insert(partner)
                    let stray = name.hasPrefix("D19_BANKEN") || name.hasPrefix("D19_TELKO")
                    func shown(_ n: String) -> String { stray ? n.replacingOccurrences(of: "_ANZ", with: "_ ANZ") : n }
                    result.append(shown(name) + "             " + shown(partner))
                    continue
                }
            }
            result.append(name)
        }
        return result
    }
}

import ArgumentParser
import DIASMetadata
import Foundation
import Tabular

/// `trainer metadata`: shows what the DIAS workbooks say about each attribute and, given a
/// data file, which columns the metadata covers, so a user can check both before a fit.
struct MetadataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metadata",
        abstract: "Reads the DIAS metadata workbooks and prints the attribute catalog.",
        discussion: """
            Prints each attribute of the values workbook with its information level, its value \
            codes, the codes whose meaning says "unknown" (a cleaner treats them as missing) and \
            whether it is numeric (listed with "…" instead of codes). Integer runs are shortened: \
            1..9 means 1 to 9.

            With --header-from, also matches the data file's columns to the attributes: by exact \
            name, by the metadata's _RZ suffix (D19_KOSMETIK_RZ for D19_KOSMETIK), or by a known \
            rename (CAMEO_INTL_2015 is CAMEO_DEUINTL_2015 in the metadata), and lists the data \
            columns without metadata and the attributes without a data column.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The values workbook (\"DIAS Attributes - Values 2017.xlsx\"): attributes, codes and meanings.",
            valueName: "values.xlsx"))
    var values: String

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The information levels workbook (\"DIAS Information Levels - Attributes 2017.xlsx\"); "
                + "without it no levels are shown.",
            valueName: "levels.xlsx"))
    var levels: String?

    @Option(
        name: .customLong("header-from"),
        help: ArgumentHelp(
            "A data file (such as Udacity_AZDIAS_052018.csv) whose columns to match to the metadata. "
                + "Only its first line is read; ';' or ',' separated, a leading unnamed index column "
                + "and a byte-order mark are accepted.",
            valueName: "data.csv"))
    var headerFrom: String?

    @Option(
        name: .long,
        help: "Output format: 'table' for people, 'json' for programs (catalog with meanings, and the reconciliation).")
    var format: Format = .table

    func run() throws {
        try CommandErrors.run("metadata") {
            let catalog = try DIASCatalog.load(valuesPath: values, levelsPath: levels)
            let reconciliation = try headerFrom.map { path in
                Reconciliation(columns: try CSVReader.header(ofFileAt: path).columnNames, catalog: catalog)
            }
            switch format {
            case .table:
                print(MetadataTables.catalog(catalog, valuesFile: values, levelsFile: levels), terminator: "")
                if let reconciliation, let headerFrom {
                    print("")
                    print(MetadataTables.reconciliation(reconciliation, dataFile: headerFrom), terminator: "")
                }
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let report = MetadataReport(catalog: catalog, reconciliation: reconciliation)
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            }
        }
    }
}

/// What `--format json` prints.
private struct MetadataReport: Encodable {
    var catalog: DIASCatalog
    var reconciliation: Reconciliation?
}

/// The `--format table` rendering: fixed-width columns, one line per attribute or data column.
enum MetadataTables {
    static func catalog(_ catalog: DIASCatalog, valuesFile: String, levelsFile: String?) -> String {
        var text = "\(catalog.attributes.count) attributes from \(fileName(valuesFile))"
        if let levelsFile {
            text += ", \(catalog.levelEntries.count) level rows from \(fileName(levelsFile))"
        }
        text += "\n"
        let rows = catalog.attributes.map { attribute in
            [
                attribute.name, attribute.informationLevel ?? "-", attribute.isNumeric ? "yes" : "no",
                codeList(attribute.unknownCodes), codeList(attribute.codes),
            ]
        }
        // CODES last: CAMEO_DEU_2015's 45 codes would otherwise pad every line.
        text += table(header: ["ATTRIBUTE", "LEVEL", "NUMERIC", "UNKNOWN", "CODES"], rows: rows)
        let numeric = catalog.attributes.filter(\.isNumeric).count
        let withUnknown = catalog.attributes.filter { !$0.unknownCodes.isEmpty }.count
        text += "\(numeric) numeric, \(withUnknown) with unknown codes\n"
        return text
    }

    static func reconciliation(_ result: Reconciliation, dataFile: String) -> String {
        var text = "\(result.columns.count) columns in \(fileName(dataFile))\n"
        let rows = result.columns.map { match in
            [match.column, label(match.kind), match.attribute?.name ?? "-", match.informationLevel ?? "-"]
        }
        text += table(header: ["COLUMN", "MATCH", "ATTRIBUTE", "LEVEL"], rows: rows)
        text += Reconciliation.MatchKind.allCases.map { "\(label($0)) \(result.count($0))" }
            .joined(separator: ", ") + "\n"
        text += "data columns without metadata (\(result.unmatchedColumns.count)):"
            + wrapped(result.unmatchedColumns)
        text += "attributes without a data column (\(result.unmatchedAttributes.count)):"
            + wrapped(result.unmatchedAttributes)
        return text
    }

    /// Names on indented lines of at most about 100 characters; ` -` for none.
    static func wrapped(_ names: [String]) -> String {
        if names.isEmpty { return " -\n" }
        var text = "\n "
        var lineLength = 1
        for name in names {
            if lineLength + name.count + 1 > 100 {
                text += "\n "
                lineLength = 1
            }
            text += " " + name
            lineLength += name.count + 1
        }
        return text + "\n"
    }

    static func label(_ kind: Reconciliation.MatchKind) -> String {
        switch kind {
        case .exact: "exact"
        case .suffixRZ: "_RZ"
        case .renamed: "renamed"
        case .none: "none"
        }
    }

    /// Codes separated by spaces, runs of three or more consecutive integers as `a..b`.
    static func codeList(_ codes: [ValueCode]) -> String {
        if codes.isEmpty { return "-" }
        var parts: [String] = []
        var index = 0
        while index < codes.count {
            guard case .integer(let start) = codes[index] else {
                parts.append(codes[index].description)
                index += 1
                continue
            }
            var end = index
            while end + 1 < codes.count, case .integer(let next) = codes[end + 1], next == start + (end + 1 - index) {
                end += 1
            }
            if end - index >= 2 {
                parts.append("\(start)..\(start + end - index)")
            } else {
                parts.append(contentsOf: codes[index...end].map(\.description))
            }
            index = end + 1
        }
        return parts.joined(separator: " ")
    }

    static func table(header: [String], rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() { widths[column] = max(widths[column], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (column, cell) in cells.enumerated() {
                if column == cells.count - 1 {
                    text += cell
                } else {
                    text += cell + String(repeating: " ", count: widths[column] - cell.count + 2)
                }
            }
            return text + "\n"
        }
        return ([header] + rows).map(line).joined()
    }

    private static func fileName(_ path: String) -> String {
        URL(fileURLWithPath: path).lastPathComponent
    }
}

import Foundation
import XLSX

/// Worksheets built from the fixtures' `.expected.json` files (written by openpyxl from
/// the `.xlsx` files beside them), so the catalog is tested independently of the reader.
enum FixtureSheets {
    static func url(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil)!
    }

    static func path(_ name: String) -> String { url(name).path }

    static func sheets(_ expectedJSON: String) throws -> [Worksheet] {
        let data = try Data(contentsOf: url(expectedJSON))
        let file = try JSONDecoder().decode(ExpectedFile.self, from: data)
        return file.sheets.map { sheet in
            Worksheet(
                name: sheet.name,
                rows: sheet.rows.map { $0.map(\.value) },
                mergedRanges: sheet.merged.map { CellRange(a1: $0)! })
        }
    }

    private struct ExpectedFile: Decodable {
        var sheets: [ExpectedSheet]
    }

    private struct ExpectedSheet: Decodable {
        var name: String
        var merged: [String]
        var rows: [[JSONCell]]
    }

    /// A JSON cell: null, a number, a string or a boolean (the dias_* fixtures hold no dates).
    private struct JSONCell: Decodable {
        var value: CellValue?

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                value = nil
            } else if let bool = try? container.decode(Bool.self) {
                value = .bool(bool)
            } else if let number = try? container.decode(Double.self) {
                value = .number(number)
            } else {
                value = .text(try container.decode(String.self))
            }
        }
    }
}

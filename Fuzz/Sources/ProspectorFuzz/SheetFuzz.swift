@testable import XLSX

/// The OOXML part parsers, without the ZIP around them. The first byte picks the part:
/// even, a worksheet (the byte scanner, and libxml2 where the scanner gives up); odd, the
/// shared-strings table.
enum SheetFuzz {
    /// Shared strings a fuzzed worksheet's `t="s"` cells can point at (or past).
    static let sharedStrings = ["Attribute", "Value", "Meaning", "-1, 0", "ALTERSKATEGORIE_GROB"]

    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        guard let selector = input.first else { return }
        let part = Array(input[1...])
        if selector & 1 == 0 {
            let parser = SheetParser(
                file: "fuzz.xlsx", part: "xl/worksheets/sheet1.xml", sharedStrings: sharedStrings,
                styles: CellStyles(dateKinds: [nil, .date, .dateTime]), date1904: selector & 2 != 0)
            var rows = 0
            _ = try? parser.parse(part) { _, _ in rows += 1 }
        } else {
            _ = try? SharedStrings.parse(part, file: "fuzz.xlsx", part: "xl/sharedStrings.xml")
        }
    }
}

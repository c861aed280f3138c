/// Why a workbook could not be written. Messages name the sheet and cell involved.
public enum XLSXWriterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A workbook was asked for with no sheets.
    case noSheets
    /// Excel requires 1–31 characters, none of `[ ] : * ? / \` or control characters,
    /// and no apostrophe at either end.
    case invalidSheetName(String, reason: String)
    /// Sheet names are compared case-insensitively, as Excel does.
    case duplicateSheetName(String)
    /// NaN and infinities have no representation in a worksheet.
    case nonFiniteNumber(sheet: String, cell: String)
    /// A cell holds at most 32 767 characters (UTF-16 code units).
    case textTooLong(sheet: String, cell: String, length: Int)
    /// Beyond XFD1048576, the largest worksheet Excel opens.
    case cellOutOfRange(sheet: String, row: Int, column: Int)
    /// A merged range lies outside the sheet, covers one cell only, or overlaps another.
    case invalidMergedRange(sheet: String, range: String, reason: String)
    /// The ZIP container could not be built.
    case zip(ZipWriterError)
    /// The workbook file could not be written.
    case cannotWrite(path: String, reason: String)

    /// What went wrong, naming the sheet and cell, for the user.
    public var description: String {
        switch self {
        case .noSheets:
            "a workbook needs at least one worksheet"
        case .invalidSheetName(let name, let reason):
            "invalid sheet name \"\(name)\": \(reason)"
        case .duplicateSheetName(let name):
            "sheet name \"\(name)\" is used twice (Excel compares sheet names ignoring case)"
        case .nonFiniteNumber(let sheet, let cell):
            "sheet \"\(sheet)\", cell \(cell): NaN or infinity cannot be stored in a worksheet; write an error value such as #NUM! or leave the cell empty"
        case .textTooLong(let sheet, let cell, let length):
            "sheet \"\(sheet)\", cell \(cell): text of \(length) characters exceeds Excel's limit of 32 767"
        case .cellOutOfRange(let sheet, let row, let column):
            "sheet \"\(sheet)\": cell at row \(row + 1), column \(column + 1) lies beyond XFD1048576, the largest worksheet Excel supports"
        case .invalidMergedRange(let sheet, let range, let reason):
            "sheet \"\(sheet)\", merged range \(range): \(reason)"
        case .zip(let error):
            "cannot build the .xlsx container: \(error)"
        case .cannotWrite(let path, let reason):
            "cannot write \(path): \(reason)"
        }
    }
}

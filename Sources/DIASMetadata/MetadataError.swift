import XLSX

/// Why a metadata workbook or a data header could not be read. Each message names the
/// file, and the sheet and cell where there is one.
package enum MetadataError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No sheet of the workbook has a row with all the captions.
    case noHeaderRow(file: String, sheets: [String], captions: [String])
    /// A Value cell that is neither a number, a code list such as `-1, 9`, nor `…`.
    case invalidCode(file: String, sheet: String, cell: CellReference, found: String)
    /// A Value or Meaning below the header before the first attribute name.
    case codeWithoutAttribute(file: String, sheet: String, cell: CellReference)
    /// The workbook itself could not be read; the reader's error names the file and part.
    case workbook(XLSXError)
    /// The data file's first line could not be read or holds no column names.

    package var description: String {
        switch self {
        case .noHeaderRow(let file, let sheets, let captions):
            let wanted = captions.joined(separator: "/")
            switch sheets.count {
            case 0: return "\(file): the workbook has no sheets, so no header row with \(wanted)"
            case 1: return "\(file): \(sheets[0]): no header row with \(wanted)"
            default:
                return "\(file): no sheet (\(sheets.joined(separator: ", "))) has a header row with \(wanted)"
            }
        case .invalidCode(let file, let sheet, let cell, let found):
            return "\(file): \(sheet)!\(cell): \(found) is not a value code "
                + "(expected an integer, a text code such as 1A, a list such as \"-1, 9\", or …)"
        case .codeWithoutAttribute(let file, let sheet, let cell):
            return "\(file): \(sheet)!\(cell): a value below the header before any attribute name"
        case .workbook(let error):
            return error.description
        }
    }
}

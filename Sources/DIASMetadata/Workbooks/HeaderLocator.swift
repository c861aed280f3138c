import XLSX

/// Finds a table's header by its captions rather than by position: the real workbooks put
/// it on row 2 from column B of `Tabelle1`, but another save may move or rename things.
struct HeaderLocator {
    /// The sheet, row and the column of each caption, in the order the captions were asked for.
    struct Header {
        var sheet: Worksheet
        var row: Int
        var columns: [Int]
        /// Columns of the optional captions; nil where a caption is absent.
        var optionalColumns: [Int?]
    }

    var required: [String]
    var optional: [String] = []

    /// The first row, in sheet order then row order, holding every required caption.
    func locate(in sheets: [Worksheet], file: String) throws(MetadataError) -> Header {
        let requiredKeys = required.map(CellText.captionKey)
        let optionalKeys = optional.map(CellText.captionKey)
        for sheet in sheets {
            for (rowIndex, row) in sheet.rows.enumerated() {
                var columnOfKey: [String: Int] = [:]
                for (column, cell) in row.enumerated() {
                    guard let text = CellText.text(of: cell) else { continue }
                    let key = CellText.captionKey(text)
                    if columnOfKey[key] == nil { columnOfKey[key] = column }
                }
                let columns = requiredKeys.compactMap { columnOfKey[$0] }
                if columns.count == requiredKeys.count {
                    return Header(
                        sheet: sheet, row: rowIndex, columns: columns,
                        optionalColumns: optionalKeys.map { columnOfKey[$0] })
                }
            }
        }
        throw .noHeaderRow(file: file, sheets: sheets.map(\.name), captions: required)
    }
}

extension Worksheet {
    /// A copy in which only the merged ranges lying within one of `columns` are filled: a
    /// layout reader wants a merged Meaning shared by its rows, but must not copy other
    /// merges (a merged name would start a second block).
    func fillingMergedRanges(inColumns columns: Set<Int>) -> Worksheet {
        var copy = self
        copy.mergedRanges = mergedRanges.filter {
            $0.first.column == $0.last.column && columns.contains($0.first.column)
        }
        var filled = copy.fillingMergedRanges()
        filled.mergedRanges = mergedRanges
        return filled
    }
}

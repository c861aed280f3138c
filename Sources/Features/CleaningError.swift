/// Why a cleaning fit or application failed.
package enum CleaningError: Error, Sendable, Hashable, CustomStringConvertible {
    case missingIdColumn(file: String, column: String)
    case unparsableToken(file: String, line: Int, column: String, token: String)
    case noFeatures(file: String)

    package var description: String {
        switch self {
        case .missingIdColumn(let file, let column):
            "\(file): no id column \(column)"
        case .unparsableToken(let file, let line, let column, let token):
            "\(file): line \(line): column \(column): cannot read '\(token)' as a number (--strict)"
        case .noFeatures(let file):
            "\(file): no column is left to make features from"
        }
    }
}

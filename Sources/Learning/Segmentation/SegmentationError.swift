/// Why a PCA or k-means fit refused its input.
package enum SegmentationError: Error, CustomStringConvertible, Equatable {
    case emptyInput(rows: Int, columns: Int)
    case notFinite(row: Int, column: Int, value: Double)
    case invalidComponentCount(requested: Int, columns: Int)
    case invalidVarianceTarget(Double)
    case invalidClusterCount(k: Int, rows: Int)
    case invalidParameter(name: String, value: String, expected: String)
    case eigenSolverFailed(String)

    package var description: String {
        switch self {
        case let .emptyInput(rows, columns):
            return "segmentation needs at least 2 rows and 1 column, got \(rows)x\(columns)"
        case let .notFinite(row, column, value):
            return "row \(row), column \(column) holds \(value); impute missing values before fitting PCA or k-means"
        case let .invalidComponentCount(requested, columns):
            return "asked for \(requested) principal components of \(columns) columns; choose 1...\(columns)"
        case let .invalidVarianceTarget(target):
            return "explained-variance target \(target) must lie in (0, 1]"
        case let .invalidClusterCount(k, rows):
            return "k-means with k = \(k) on \(rows) rows: k must be in 1...\(rows)"
        case let .invalidParameter(name, value, expected):
            return "\(name) = \(value) is invalid: expected \(expected)"
        case let .eigenSolverFailed(message):
            return "PCA eigen-decomposition failed: \(message)"
        }
    }
}

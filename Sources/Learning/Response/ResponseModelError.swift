/// Why a response model could not be fitted or evaluated, in terms a caller can fix.
package enum ResponseModelError: Error, CustomStringConvertible, Equatable {
    case noRows
    case labelCountMismatch(rows: Int, labels: Int)
    case invalidLabel(row: Int, value: UInt8)
    case singleClass(positives: Int, rows: Int)
    case featureCountMismatch(expected: Int, found: Int)
    case tooFewRowsForFolds(folds: Int, positives: Int, negatives: Int)
    case invalidParameter(name: String, value: String, expected: String)

    package var description: String {
        switch self {
        case .noRows:
            return "no rows to fit: the feature matrix is empty"
        case let .labelCountMismatch(rows, labels):
            return "the feature matrix has \(rows) rows but \(labels) labels were given; pass one label per row"
        case let .invalidLabel(row, value):
            return "label of row \(row) is \(value); labels must be 0 (no response) or 1 (response)"
        case let .singleClass(positives, rows):
            return "labels hold a single class (\(positives) positives in \(rows) rows); need both 0s and 1s"
        case let .featureCountMismatch(expected, found):
            return "rows have \(found) features but the model was fitted on \(expected)"
        case let .tooFewRowsForFolds(folds, positives, negatives):
            return "cannot split \(positives) positives and \(negatives) negatives into \(folds) stratified folds; "
                + "use fewer folds (each class needs at least one row per fold)"
        case let .invalidParameter(name, value, expected):
            return "parameter \(name) = \(value) is invalid: expected \(expected)"
        }
    }

    /// Checks that `labels` are 0/1, one per row, holding both classes.
    static func validate(labels: [UInt8], rows: Int) throws(ResponseModelError) {
        guard rows > 0 else { throw .noRows }
        guard labels.count == rows else { throw .labelCountMismatch(rows: rows, labels: labels.count) }
        var positives = 0
        for (i, y) in labels.enumerated() {
            guard y <= 1 else { throw .invalidLabel(row: i, value: y) }
            positives += Int(y)
        }
        guard positives > 0 && positives < rows else { throw .singleClass(positives: positives, rows: rows) }
    }
}

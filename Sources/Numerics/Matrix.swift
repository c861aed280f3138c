/// A dense row-major matrix of doubles: the storage of fitted linear maps
/// (PCA components, centroids) and of the small dense problems the learners solve.
public struct Matrix: Sendable, Hashable {
    /// Number of rows.
    public private(set) var rows: Int
    /// Number of columns (the length of each row).
    public private(set) var columns: Int
    /// Row-major: element (i, j) is `values[i * columns + j]`.
    public var values: [Double]

    /// A `rows` x `columns` matrix with every element `value` (zeros by default).
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0)
        self.rows = rows
        self.columns = columns
        self.values = Array(repeating: value, count: rows * columns)
    }

    /// A matrix over row-major `values`, which must hold exactly `rows * columns` elements.
    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "Matrix: \(values.count) values for \(rows)x\(columns)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Builds a matrix from nested rows (all of one length).
    public init(_ nested: [[Double]]) {
        let columns = nested.first?.count ?? 0
        precondition(nested.allSatisfy { $0.count == columns }, "Matrix: ragged rows")
        self.init(rows: nested.count, columns: columns, values: nested.flatMap { $0 })
    }

    /// Element (`row`, `column`).
    public subscript(row: Int, column: Int) -> Double {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// A copy of row `i`.
    public func row(_ i: Int) -> [Double] {
        Array(values[(i * columns)..<((i + 1) * columns)])
    }

    /// The given rows, in the order given (repeats allowed).
    public func selecting(rows indices: [Int]) -> Matrix {
        var values: [Double] = []
        values.reserveCapacity(indices.count * columns)
        for i in indices { values += self.values[(i * columns)..<((i + 1) * columns)] }
        return Matrix(rows: indices.count, columns: columns, values: values)
    }

    /// The transpose, as a new row-major matrix.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0..<rows {
            for j in 0..<columns { t.values[j * rows + i] = values[i * columns + j] }
        }
        return t
    }
}

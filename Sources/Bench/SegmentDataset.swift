import DIASMetadata
import Features
import Foundation
import ModelFormat
import Numerics
import Tabular

/// The matrices the segmentation step fits on, made from a `trainer synth` directory the way
/// `trainer segment` makes them: CSVReader → CleaningFit on AZDIAS → scaled features; rows
/// missing more than the cleaning threshold are the "insufficient data" segment and left out.
///
/// Everything the peer needs is written to `work`, so scikit-learn fits the very same bytes:
///
/// | file | content |
/// |---|---|
/// | `population.f64` | fitted population rows, scaled, row-major little-endian float64 |
/// | `population.lnr` | their LNRs, little-endian int64 |
/// | `customers.f64`, `customers.lnr` | the same for the customers with sufficient data |
/// | `meta.json` | `columns`, `population_total`, `customer_total` (all rows, for shares) |
/// | `kmeans_seed_rows.json` | written after the fit: the rows each k-means restart started from |
struct SegmentDataset {
    var population: Matrix
    var populationLNR: [Int64]
    var populationTotal: Int
    var customerRows: Int
    var customerTotal: Int
    var prepareSeconds: Double

    static let azdiasFile = "Udacity_AZDIAS_052018.csv"
    static let customersFile = "Udacity_CUSTOMERS_052018.csv"
    static let valuesFile = "DIAS Attributes - Values 2017.xlsx"
    static let seedRowsFile = "kmeans_seed_rows.json"

    /// Rows per slice when applying the transform: the whole scaled population is never held twice.
    static let sliceRows = 65_536

    static func prepare(directory: String, work: String) throws -> SegmentDataset {
        let started = Date()
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let catalog = try DIASCatalog.load(valuesPath: path(directory, valuesFile))
        let populationTable = try CSVReader.read(path: path(directory, azdiasFile))
        let fit = try CleaningFit.fit(population: populationTable, file: azdiasFile, catalog: catalog)
        let population = try sufficientRows(of: populationTable, transform: fit.transform, file: azdiasFile)
        let customers: (matrix: Matrix, lnr: [Int64], total: Int)
        do {
            let customerTable = try CSVReader.read(path: path(directory, customersFile))
            customers = try sufficientRows(of: customerTable, transform: fit.transform, file: customersFile)
        }
        try RawMatrixFile.write(population.matrix, path: path(work, "population.f64"))
        try RawMatrixFile.write(integers: population.lnr, path: path(work, "population.lnr"))
        try RawMatrixFile.write(customers.matrix, path: path(work, "customers.f64"))
        try RawMatrixFile.write(integers: customers.lnr, path: path(work, "customers.lnr"))
        let meta: [String: Any] = [
            "columns": population.matrix.columns, "population_total": population.total, "customer_total": customers.total,
            "population_rows": population.matrix.rows, "customer_rows": customers.matrix.rows,
        ]
        try JSONSerialization.data(withJSONObject: meta, options: [.sortedKeys])
            .write(to: URL(fileURLWithPath: path(work, "meta.json")))
        return SegmentDataset(
            population: population.matrix, populationLNR: population.lnr, populationTotal: population.total,
            customerRows: customers.matrix.rows, customerTotal: customers.total,
            prepareSeconds: Date().timeIntervalSince(started))
    }

    /// The customers' matrix written by ``prepare(directory:work:)``.
    static func customers(work: String, columns: Int) throws -> Matrix {
        try RawMatrixFile.read(path: path(work, "customers.f64"), columns: columns)
    }

    /// Scaled features and LNRs of the rows with sufficient data, applied slice by slice.
    private static func sufficientRows(
        of table: Table, transform: CleaningTransform, file: String
    ) throws -> (matrix: Matrix, lnr: [Int64], total: Int) {
        guard let idColumn = table[transform.idColumn] else { throw Failure.missingColumn(file: file, column: transform.idColumn) }
        let f = transform.features.count
        var values: [Double] = []
        values.reserveCapacity(table.rowCount * f)
        var lnr: [Int64] = []
        var slice = FeatureMatrix()
        for lower in stride(from: 0, to: table.rowCount, by: sliceRows) {
            let rows = lower..<min(table.rowCount, lower + sliceRows)
            try transform.transform(table: table, rows: rows, parts: .scaled, into: &slice)
            for r in 0..<slice.rows where slice.missingShare[r] <= transform.maxRowMissingShare {
                values.append(contentsOf: slice.scaled[(r * f)..<((r + 1) * f)])
                guard let id = idColumn.double(row: lower + r) else {
                    throw Failure.missingID(file: file, row: lower + r, column: transform.idColumn)
                }
                lnr.append(Int64(id))
            }
        }
        return (Matrix(rows: lnr.count, columns: f, values: values), lnr, table.rowCount)
    }

    static func path(_ directory: String, _ name: String) -> String {
        (directory as NSString).appendingPathComponent(name)
    }

    enum Failure: Error, CustomStringConvertible {
        case missingColumn(file: String, column: String)
        case missingID(file: String, row: Int, column: String)

        var description: String {
            switch self {
            case let .missingColumn(file, column): return "\(file): no \(column) column; the segment bench needs it to match rows with the truth"
            case let .missingID(file, row, column): return "\(file), data row \(row + 1): \(column) is empty or not a number"
            }
        }
    }
}

import Numerics

/// Rows and columns as `Int64`, then the row-major values as one raw block.
extension Matrix: BinaryCodable {
    /// Writes the shape, then the values in one block.
    public func encode(to writer: inout BinaryWriter) {
        writer.write(rows)
        writer.write(columns)
        writer.write(values)
    }

    /// Reads a matrix, refusing a shape that does not match the number of values.
    public init(from reader: inout BinaryReader) throws(BundleError) {
        let start = reader.offset
        let rows = try reader.read(Int.self)
        let columns = try reader.read(Int.self)
        let values = try reader.read([Double].self)
        let (product, overflow) = rows.multipliedReportingOverflow(by: columns)
        guard rows >= 0, columns >= 0, !overflow, product == values.count else {
            throw BundleError.malformed(
                section: nil, offset: start, problem: "a \(rows)x\(columns) matrix cannot hold \(values.count) values")
        }
        self.init(rows: rows, columns: columns, values: values)
    }
}

import Tabular

/// The CSV reader's chunk parser: the input (after its first byte) is read whole as one chunk
/// and split into 2 to 5 chunks at record boundaries (the first byte picks how many), and the
/// two reads must agree: the same table, or the same error.
enum CSVChunkFuzz {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        guard let selector = input.first, input.count > 1 else { return }
        let bytes = Array(input[1...])
        let chunks = 2 + Int(selector % 4)
        let indexColumn: CSVOptions.IndexColumn = selector & 4 == 0 ? .drop : .keep
        let whole = read(bytes, CSVOptions(indexColumn: indexColumn, workers: 1, chunkCount: 1))
        let chunked = read(bytes, CSVOptions(indexColumn: indexColumn, workers: 2, chunkCount: chunks))
        switch (whole, chunked) {
        case (.success(let a), .success(let b)):
            guard a == b else { fuzzFailure("\(chunks) chunks read another table than one chunk") }
        case (.failure(let a), .failure(let b)):
            guard "\(a)" == "\(b)" else { fuzzFailure("one chunk: \(a); \(chunks) chunks: \(b)") }
        case (.success, .failure(let error)):
            fuzzFailure("one chunk reads the file, \(chunks) chunks fail: \(error)")
        case (.failure(let error), .success):
            fuzzFailure("\(chunks) chunks read the file, one chunk fails: \(error)")
        }
    }

    static func read(_ bytes: [UInt8], _ options: CSVOptions) -> Result<Table, CSVError> {
        Result { () throws(CSVError) in try CSVReader.read(bytes: bytes, name: "fuzz.csv", options: options) }
    }
}

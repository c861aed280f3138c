/// The fuzz targets: each feeds one input to one of the parsers that read untrusted bytes.
enum FuzzTarget: String, CaseIterable, Sendable {
    /// The scorer's stream protocol: line framing, header binding, record reading, scoring.
    case stream
    /// `RecordReader`'s inline line splitter against the `CSVTokenizer` path it mirrors.
    case records
    /// The bundle container, the manifest's JSON and every model section's decoder.
    case bundle
    /// The ZIP reader, and the workbook read through it.
    case zip
    /// The OOXML worksheet and shared-strings parsers.
    case sheet
    /// The CSV reader's chunk parser, chunked against unchunked.
    case csv

    /// Loads what the target needs before the first input (so it is not timed per input).
    func prepare() {
        switch self {
        case .stream, .records, .bundle: _ = FuzzFixtures.model
        case .zip, .sheet, .csv: break
        }
    }

    func run(_ input: UnsafeBufferPointer<UInt8>) {
        switch self {
        case .stream: ScoringStreamFuzz.run(input)
        case .records: RecordReaderFuzz.run(input)
        case .bundle: BundleFuzz.run(input)
        case .zip: ZipFuzz.run(input)
        case .sheet: SheetFuzz.run(input)
        case .csv: CSVChunkFuzz.run(input)
        }
    }
}

/// Stops the run with a message libFuzzer reports as a crash (with the input that caused it).
func fuzzFailure(_ message: String, file: StaticString = #file, line: UInt = #line) -> Never {
    fatalError("fuzz invariant violated: \(message)", file: file, line: line)
}

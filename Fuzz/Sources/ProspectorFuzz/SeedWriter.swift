import Foundation
@testable import ModelFormat
import Tabular
import XLSX

/// Writes the committed fuzz fixture and seed corpus from real synthetic files (run by
/// `Fuzz/make-seeds`): PROSPECTOR_FUZZ_WRITE_SEEDS names the `Fuzz/` directory to fill,
/// PROSPECTOR_FUZZ_SOURCE_BUNDLE a bundle from `trainer train`, PROSPECTOR_FUZZ_SOURCE_CSV
/// a campaign file from `trainer synth`, PROSPECTOR_FUZZ_SOURCE_XLSX a directory of workbooks.
/// Every seed starts with the selector byte its target reads first.
enum SeedWriter {
    /// Largest seed file written: libFuzzer mutates small inputs best.
    static let maxSeedBytes = 96 << 10

    static func write(to directory: String, environment: [String: String]) {
        do {
            let root = URL(fileURLWithPath: directory)
            let bundle = try slimBundle(path: required("PROSPECTOR_FUZZ_SOURCE_BUNDLE", environment))
            let fixture = root.appendingPathComponent("Fixtures/model.bundle")
            try FileManager.default.createDirectory(
                at: fixture.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(try BundleFile.encode(bundle)).write(to: fixture)
            let csv = try Data(contentsOf: URL(fileURLWithPath: required("PROSPECTOR_FUZZ_SOURCE_CSV", environment)))
            let corpus = root.appendingPathComponent("Corpus")
            try writeBundleSeeds(bundle, to: corpus.appendingPathComponent("bundle"))
            try writeCSVSeeds(Array(csv), model: try ScoringModel(bundle: bundle, path: fixture.path), to: corpus)
            try writeWorkbookSeeds(from: required("PROSPECTOR_FUZZ_SOURCE_XLSX", environment), to: corpus)
        } catch {
            FileHandle.standardError.write(Data("writing the fuzz seeds failed: \(error)\n".utf8))
            exit(1)
        }
    }

    static func required(_ name: String, _ environment: [String: String]) throws -> String {
        guard let value = environment[name] else { throw SeedError("\(name) is not set") }
        return value
    }

    struct SeedError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The trained bundle without the report section and metrics: the models alone.
    static func slimBundle(path: String) throws -> ModelBundle {
        var bundle = try BundleFile.read(path: path)
        bundle.manifest.metrics = [:]
        bundle.report = nil
        bundle.manifest.notes = "fuzz fixture: a bundle trained on trainer synth --scale 0.001, metrics removed"
        return bundle
    }

    /// Writes `seed` as `name` (spaces become `-`), unless it is too large or `directory`
    /// already holds the same bytes (several xlsx fixtures share a worksheet).
    static func save(_ seed: [UInt8], _ name: String, in directory: URL) throws {
        guard seed.count <= maxSeedBytes else { return }
        let manager = FileManager.default
        try manager.createDirectory(at: directory, withIntermediateDirectories: true)
        for existing in try manager.contentsOfDirectory(atPath: directory.path)
        where manager.contents(atPath: directory.appendingPathComponent(existing).path) == Data(seed) {
            return
        }
        let fileName = name.replacingOccurrences(of: " ", with: "-")
        try Data(seed).write(to: directory.appendingPathComponent(fileName))
    }

    static func writeBundleSeeds(_ bundle: ModelBundle, to directory: URL) throws {
        try save([0] + BundleFile.encode(bundle), "file", in: directory)
        try save([1] + bundle.manifest.jsonBytes(), "manifest.json", in: directory)
        for (index, name) in BundleFuzz.sections.enumerated() {
            guard let bytes = bundle.sections[name] else { continue }
            try save([UInt8(2 + index)] + bytes, "section-\(name)", in: directory)
        }
    }

    /// Stream, record and CSV seeds from the first rows of a campaign file.
    static func writeCSVSeeds(_ csv: [UInt8], model: ScoringModel, to corpus: URL) throws {
        let lines = csv.split(separator: 0x0A, omittingEmptySubsequences: false).prefix(6).map(Array.init)
        guard lines.count >= 4 else { throw SeedError("the campaign file has fewer than 3 rows") }
        let head = Array(lines.prefix(4).joined(separator: [0x0A])) + [0x0A]
        let crlf = Array(lines.prefix(4).map { $0 + [0x0D] }.joined(separator: [0x0A])) + [0x0A]

        let stream = corpus.appendingPathComponent("stream")
        try save([0] + head, "rows", in: stream)
        try save([3] + crlf, "rows-crlf", in: stream)
        try save([255] + head.dropLast(), "rows-no-final-newline", in: stream)

        let csvDirectory = corpus.appendingPathComponent("csv")
        try save([1] + head, "rows", in: csvDirectory)
        try save([2] + crlf, "rows-crlf", in: csvDirectory)
        try save([5] + Array(lines.prefix(6).map { [0x3B] + $0 }.joined(separator: [0x0A])), "index-column", in: csvDirectory)

        // Records in the fixture header's column order, as `RecordReaderFuzz` reads them.
        let tokenizer = CSVTokenizer(separator: 0x3B)
        let header = try fields(of: lines[0], tokenizer)
        let records = corpus.appendingPathComponent("records")
        for (number, line) in lines[1...3].enumerated() {
            let values = Dictionary(zip(header, try fields(of: line, tokenizer)), uniquingKeysWith: { first, _ in first })
            let names = [model.transform.idColumn] + model.transform.inputs.map(\.name)
            let record = names.map { values[$0] ?? "" }.joined(separator: ";")
            try save([0] + Array(record.utf8), "row-\(number + 1)", in: records)
        }
    }

    static func fields(of line: [UInt8], _ tokenizer: CSVTokenizer) throws -> [String] {
        try line.withUnsafeBufferPointer { bytes in
            var fields: [CSVField] = []
            _ = try tokenizer.record(in: bytes, from: 0, into: &fields)
            return fields.map { CSVTokenizer.text(of: $0, in: bytes) }
        }
    }

    /// Whole workbooks for the ZIP target, their worksheet and shared-strings parts for the sheet target.
    static func writeWorkbookSeeds(from directory: String, to corpus: URL) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".xlsx") }.sorted()
        for name in names {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(name)))
            try save(bytes, name, in: corpus.appendingPathComponent("zip"))
            guard let archive = try? ZipArchive(bytes: bytes, name: name) else { continue }
            for entry in archive.entryNames {
                let selector: UInt8
                if entry.hasPrefix("xl/worksheets/") && entry.hasSuffix(".xml") {
                    selector = 0
                } else if entry == "xl/sharedStrings.xml" {
                    selector = 1
                } else {
                    continue
                }
                guard let part = try? archive.data(forEntry: entry) else { continue }
                let partName = entry.split(separator: "/").last.map(String.init) ?? entry
                try save([selector] + part, "\(name)-\(partName)", in: corpus.appendingPathComponent("sheet"))
            }
        }
    }
}

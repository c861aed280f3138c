import Concurrency
import Foundation

/// What one generated file holds, for the truth and the report.
struct FileResult: Sendable {
    var rows: Int
    var bytes: Int
    var segmentCounts: [Int]
    /// Rows missing more than half of their values.
    var sparseRows: Int
    /// True response probability and drawn response per row (mailout files only).
    var probabilities: [Double]
    var labels: [UInt8]
}

/// Writes one CSV file and its truth file: rows are generated in blocks of `blockRows`,
/// each block from its own random stream (seed, file, block), a wave of blocks at a time
/// on all cores, and written in block order. Output therefore never depends on threads.
enum FileGeneration {
    static let blockRows = 8192

    private struct BlockOutput {
        var csv: [UInt8] = []
        var truth: [UInt8] = []
        var segmentCounts: [Int] = []
        var sparseRows = 0
        var probabilities: [Double] = []
        var labels: [UInt8] = []
    }

    static func write(
        model: SynthModel, file: SynthFile, lnrs: [Int32], csvPath: String, truthPath: String
    ) throws -> FileResult {
        guard let columns = model.fileColumns[file] else {
            throw SynthError.schemaInvalid("no column order for \(file.schemaKey)")
        }
        let csv = try OutputFile(path: csvPath)
        defer { csv.close() }
        let truth = try OutputFile(path: truthPath)
        defer { truth.close() }

        let header = columns.map { model.plans[$0].name }.joined(separator: ";") + "\n"
        try csv.write(Array(header.utf8))
        try truth.write(Array((file.isMailout ? "LNR;segment;p_true;response\n" : "LNR;segment\n").utf8))

        let rows = lnrs.count
        let blockCount = (rows + blockRows - 1) / blockRows
        let wave = max(2, 2 * ProcessInfo.processInfo.activeProcessorCount)
        var result = FileResult(
            rows: rows, bytes: header.utf8.count, segmentCounts: Array(repeating: 0, count: model.latent.segments.count),
            sparseRows: 0, probabilities: [], labels: [])
        var firstBlock = 0
        while firstBlock < blockCount {
            let count = min(wave, blockCount - firstBlock)
            let start = firstBlock
            let outputs = Parallel.perform(count, workers: count) { i in
                let block = start + i
                let range = (block * blockRows)..<min(rows, (block + 1) * blockRows)
                return generateBlock(model: model, file: file, columns: columns, block: block, rows: range, lnrs: lnrs)
            }
            for output in outputs {
                try csv.write(output.csv)
                try truth.write(output.truth)
                result.bytes += output.csv.count
                for (s, n) in output.segmentCounts.enumerated() { result.segmentCounts[s] += n }
                result.sparseRows += output.sparseRows
                result.probabilities += output.probabilities
                result.labels += output.labels
            }
            firstBlock += count
        }
        try csv.finish()
        try truth.finish()
        return result
    }

    private static func generateBlock(
        model: SynthModel, file: SynthFile, columns: [Int], block: Int, rows: Range<Int>, lnrs: [Int32]
    ) -> BlockOutput {
        let generator = RowGenerator(model: model, population: file.population)
        let c = model.compiled
        var random = SynthRandom(seed: model.seed, stream: 0xF11E, UInt64(file.rawValue), UInt64(block))
        let rowCapacity = columns.reduce(1) { $0 + c.maxTokenLength[$1] + 1 } + 4
        let truthCapacity = 48
        var output = BlockOutput()
        output.segmentCounts = Array(repeating: 0, count: model.latent.segments.count)
        let mailout = file.isMailout
        let wanted = columns.map { Int32($0) }
        let halfColumns = columns.count / 2
        var csv = [UInt8](repeating: 0, count: rows.count * rowCapacity)
        var truth = [UInt8](repeating: 0, count: rows.count * truthCapacity)
        var csvLength = 0, truthLength = 0
        wanted.withUnsafeBufferPointer { wantedColumns in
            csv.withUnsafeMutableBufferPointer { csvBuffer in
                truth.withUnsafeMutableBufferPointer { truthBuffer in
                    let csvBase = csvBuffer.baseAddress!
                    let truthBase = truthBuffer.baseAddress!
                    for row in rows {
                        let segment = generator.drawRow(&random, columns: wantedColumns)
                        output.segmentCounts[segment] += 1
                        var probability = 0.0
                        var label: UInt8 = 0
                        if mailout {
                            probability = generator.response.probability(
                                score: generator.responseScore(segment: segment), hidden: random.normal())
                            label = random.uniform() < probability ? 1 : 0
                            output.probabilities.append(probability)
                            output.labels.append(label)
                        }
                        let lnr = Int(lnrs[row])
                        let (csvEnd, missingCount) = writeCSVRow(
                            to: csvBase + csvLength, columns: wantedColumns, compiled: c, values: generator.values, lnr: lnr,
                            label: label)
                        csvLength = csvEnd - csvBase
                        if missingCount > halfColumns { output.sparseRows += 1 }
                        let truthEnd = writeTruthRow(
                            to: truthBase + truthLength, lnr: lnr, segment: segment,
                            response: mailout ? (probability, label) : nil)
                        truthLength = truthEnd - truthBase
                    }
                }
            }
        }
        csv.removeLast(csv.count - csvLength)
        truth.removeLast(truth.count - truthLength)
        output.csv = csv
        output.truth = truth
        return output
    }

    /// Writes one CSV row (the generator's current `values`, `;`-separated, with its newline) at
    /// `out`; returns the end of what it wrote and how many of the fields were left empty.
    @inline(__always)
    private static func writeCSVRow(
        to out: UnsafeMutablePointer<UInt8>, columns wantedColumns: UnsafeBufferPointer<Int32>, compiled c: CompiledColumns,
        values: UnsafeMutablePointer<Int32>, lnr: Int, label: UInt8
    ) -> (end: UnsafeMutablePointer<UInt8>, missing: Int) {
        var out = out
        var missingCount = 0
        for (k, j32) in wantedColumns.enumerated() {
            if k > 0 {
                out.pointee = UInt8(ascii: ";")
                out += 1
            }
            let j = Int(j32)
            switch c.special[j] {
            case CompiledColumns.lnr:
                out += ByteFormatting.writeInteger(lnr, to: out)
            case CompiledColumns.response:
                out.pointee = UInt8(ascii: "0") + label
                out += 1
            default:
                let v = Int(values[j])
                if v < 0 {
                    missingCount += 1
                } else {
                    let t = Int(c.tokenStart[j]) + v
                    let from = Int(c.tokenOffsets[t]), to = Int(c.tokenOffsets[t + 1])
                    out.update(from: c.pool + from, count: to - from)
                    out += to - from
                }
            }
        }
        out.pointee = UInt8(ascii: "\n")
        out += 1
        return (out, missingCount)
    }

    /// Writes one truth row at `t`: the LNR and segment, plus the response probability and
    /// label for a campaign file. Returns the end of what it wrote.
    @inline(__always)
    private static func writeTruthRow(
        to t: UnsafeMutablePointer<UInt8>, lnr: Int, segment: Int, response: (probability: Double, label: UInt8)?
    ) -> UnsafeMutablePointer<UInt8> {
        var t = t
        t += ByteFormatting.writeInteger(lnr, to: t)
        t.pointee = UInt8(ascii: ";")
        t += 1
        t += ByteFormatting.writeInteger(segment, to: t)
        if let response {
            t.pointee = UInt8(ascii: ";")
            t += 1
            t += ByteFormatting.writeProbability(response.probability, to: t)
            t.pointee = UInt8(ascii: ";")
            t += 1
            t.pointee = UInt8(ascii: "0") + response.label
            t += 1
        }
        t.pointee = UInt8(ascii: "\n")
        t += 1
        return t
    }
}

/// A file written through C stdio with a large buffer.
final class OutputFile {
    private var handle: UnsafeMutablePointer<FILE>?
    let path: String

    init(path: String) throws {
        self.path = path
        guard let handle = fopen(path, "wb") else {
            throw SynthError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        setvbuf(handle, nil, _IOFBF, 1 << 22)
        self.handle = handle
    }

    func write(_ bytes: [UInt8]) throws {
        guard let handle else { throw SynthError.cannotWrite(path: path, reason: "file already closed") }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        if written != bytes.count {
            throw SynthError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Flushes and closes, reporting a failed flush (a full disk shows up here).
    func finish() throws {
        guard let handle else { return }
        self.handle = nil
        if fclose(handle) != 0 {
            throw SynthError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }

    func close() {
        if let handle { fclose(handle) }
        handle = nil
    }

    deinit { close() }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sorts any number of candidates in bounded memory: candidates are collected up to
/// `runLength`, each full run is sorted and written to a temporary file, and the runs are
/// merged k-way at the end (a heap of the runs' heads). Fewer than `runLength` candidates are
/// sorted in memory and never touch the disk. Memory: one run plus one read buffer per run.
///
/// Run files hold fixed-layout records (probability bits, row, segment, id length, id bytes)
/// in native byte order; they live in `directory` for the sorter's lifetime only.
package final class ExternalSorter {
    package let runLength: Int
    package let directory: String
    private var buffer: [Candidate] = []
    private var runs: [String] = []
    package private(set) var count = 0

    package init(runLength: Int = 1 << 18, directory: String) {
        self.runLength = max(1, runLength)
        self.directory = directory
    }

    deinit {
        for path in runs { unlink(path) }
    }

    /// Run files written so far (the memory bound at work).
    package var runCount: Int { runs.count }

    package func add(_ candidate: Candidate) throws {
        buffer.append(candidate)
        count += 1
        if buffer.count >= runLength { try spill() }
    }

    /// Calls `body` with every candidate, best first.
    package func forEachSorted(_ body: (Candidate) throws -> Void) throws {
        buffer.sort { $0.ranksBefore($1) }
        if runs.isEmpty {
            for candidate in buffer { try body(candidate) }
            return
        }
        if !buffer.isEmpty { try spill() }
        var readers: [RunReader] = []
        for path in runs { readers.append(try RunReader(path: path)) }
        // Heap of run indices ordered by their head candidate.
        var heads: [Candidate?] = []
        for reader in readers { heads.append(try reader.next()) }
        var heap = heads.indices.filter { heads[$0] != nil }
        func before(_ a: Int, _ b: Int) -> Bool { heads[a]!.ranksBefore(heads[b]!) }
        func siftDown(_ start: Int) {
            var parent = start
            while true {
                let left = 2 * parent + 1
                guard left < heap.count else { return }
                var best = left
                if left + 1 < heap.count, before(heap[left + 1], heap[left]) { best = left + 1 }
                guard before(heap[best], heap[parent]) else { return }
                heap.swapAt(best, parent)
                parent = best
            }
        }
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(i) }
        while let top = heap.first {
            try body(heads[top]!)
            heads[top] = try readers[top].next()
            if heads[top] == nil {
                heap[0] = heap[heap.count - 1]
                heap.removeLast()
            }
            siftDown(0)
        }
    }

    private func spill() throws {
        buffer.sort { $0.ranksBefore($1) }
        let path = directory + "/.plan-run-\(getpid())-\(ObjectIdentifier(self).hashValue & 0xFFFFFF)-\(runs.count).bin"
        guard let file = fopen(path, "wb") else {
            throw PlanError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        runs.append(path)
        var record: [UInt8] = []
        var failed = false
        for candidate in buffer {
            record.removeAll(keepingCapacity: true)
            Self.append(candidate, to: &record)
            if fwrite(record, 1, record.count, file) != record.count { failed = true; break }
        }
        if fclose(file) != 0 { failed = true }
        if failed { throw PlanError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        buffer.removeAll(keepingCapacity: true)
    }

    static func append(_ candidate: Candidate, to out: inout [UInt8]) {
        withUnsafeBytes(of: candidate.probability.bitPattern) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: Int64(candidate.row)) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: Int32(candidate.segment)) { out.append(contentsOf: $0) }
        let id = Array(candidate.id.utf8.prefix(Int(UInt16.max)))
        withUnsafeBytes(of: UInt16(id.count)) { out.append(contentsOf: $0) }
        out.append(contentsOf: id)
    }
}

/// Reads one run file back, record by record, through stdio's buffer.
private final class RunReader {
    let path: String
    private let file: UnsafeMutablePointer<FILE>
    private var fixed = [UInt8](repeating: 0, count: 22)
    private var id = [UInt8](repeating: 0, count: Int(UInt16.max))

    init(path: String) throws {
        self.path = path
        guard let file = fopen(path, "rb") else {
            throw PlanError.cannotReadRun(path: path, reason: String(cString: strerror(errno)))
        }
        self.file = file
    }

    deinit { fclose(file) }

    func next() throws -> Candidate? {
        let got = fread(&fixed, 1, 22, file)
        if got == 0 && feof(file) != 0 { return nil }
        guard got == 22 else { throw PlanError.cannotReadRun(path: path, reason: "truncated record") }
        let (bits, row, segment, length) = fixed.withUnsafeBytes {
            ($0.loadUnaligned(fromByteOffset: 0, as: UInt64.self), $0.loadUnaligned(fromByteOffset: 8, as: Int64.self),
             $0.loadUnaligned(fromByteOffset: 16, as: Int32.self), $0.loadUnaligned(fromByteOffset: 20, as: UInt16.self))
        }
        let n = Int(length)
        guard fread(&id, 1, n, file) == n else { throw PlanError.cannotReadRun(path: path, reason: "truncated id") }
        return Candidate(
            probability: Double(bitPattern: bits), row: Int(row), segment: Int(segment),
            id: String(decoding: id[0..<n], as: UTF8.self))
    }
}

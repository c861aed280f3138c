import ArgumentParser
import Foundation
import Tabular

/// `prospector-bench ingest FILE`: times reading a CSV file into a `Table`, next to
/// `wc -l` on the same (cached) file as the yardstick of raw read throughput. With
/// `--repeats N` the file is read N times (each table freed before the next) and the fastest
/// read is reported, measured the way `bench/run` measures `wc -l` (best of three).
struct IngestBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Time CSV ingestion into a columnar table (and wc -l for scale).")

    @Argument(help: "The CSV file to read.")
    var file: String

    @Option(help: "Parsing threads (default: all active processors).")
    var workers: Int?

    @Option(help: "Reads of the file; the fastest is reported, as bench/run takes the best of three wc -l runs.")
    var repeats = 1

    func run() throws {
        let bytes = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
        _ = try timeWordCount()  // warm-up: brings the file into the page cache
        let wcSeconds = try timeWordCount()

        var runs: [(seconds: Double, cpuSeconds: Double, rows: Int, columns: Int, tableBytes: Int)] = []
        for _ in 0..<max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            let cpuStart = processCPUSeconds()
            let table = try CSVReader.read(path: file, options: CSVOptions(workers: workers))
            let cpuSeconds = processCPUSeconds() - cpuStart
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            runs.append((seconds, cpuSeconds, table.rowCount, table.columns.count, table.byteCount))
        }
        let fastest = runs.min { $0.seconds < $1.seconds }!
        let seconds = fastest.seconds
        let megabytes = Double(bytes) / 1e6
        let fields: [(String, String)] = [
            ("step", "\"ingest\""),
            ("seconds", format(seconds)),
            // CPU time of all threads: on a shared machine the steadier measure of work done.
            ("cpu_seconds", format(fastest.cpuSeconds)),
            ("seconds_all", "[" + runs.map { format($0.seconds) }.joined(separator: ",") + "]"),
            ("rows", "\(fastest.rows)"),
            ("columns", "\(fastest.columns)"),
            ("bytes", "\(bytes)"),
            ("mb_per_s", format(megabytes / seconds)),
            ("peak_mb", format((PeakMemory.megabytes() ?? 0))),
            ("table_mb", format(Double(fastest.tableBytes) / 1e6)),
            ("wc_seconds", format(wcSeconds)),
            ("wc_mb_per_s", format(megabytes / wcSeconds)),
            ("ingest_vs_wc", format(wcSeconds / seconds)),
        ]
        print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
    }

    /// Seconds `wc -l FILE` takes, run as a child process.
    private func timeWordCount() throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["wc", "-l", file]
        process.standardOutput = FileHandle.nullDevice
        let start = DispatchTime.now().uptimeNanoseconds
        try process.run()
        process.waitUntilExit()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

private func format(_ value: Double) -> String { String(format: "%.4f", value) }

private func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

import ArgumentParser
import Foundation
import XLSX

/// `prospector-bench xlsx`: opens a workbook and reads every worksheet into memory N times
/// (ZIP inflate, shared strings, styles and the streaming sheet parse), and reports cells/s.
struct XLSXReadBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xlsx", abstract: "Times the native .xlsx reader on a workbook (default: the 30 001 x 8 fixture).")

    /// What the worksheet path is expected to sustain on the default fixture (release build).
    static let targetCellsPerSecond = 1_500_000.0
    /// calamine (Rust) on the same fixture, as reference: a quoted figure, not measured here.
    static let calamineCellsPerSecond = 1_100_000.0

    @Option(help: "The workbook to read.")
    var file = "Tests/XLSXTests/Fixtures/large_sheet.xlsxwriter.xlsx"

    @Option(help: "How many times to read it.")
    var `repeat` = 5

    @Flag(help: "Stream rows with forEachRow instead of building Worksheet values.")
    var stream = false

    func run() throws {
        guard `repeat` >= 1 else { throw ValidationError("--repeat must be at least 1") }
        var cells = 0
        var best = Double.infinity
        var total = 0.0
        let cpuStart = ProcessCPU.seconds()
        for _ in 0..<`repeat` {
            let start = DispatchTime.now().uptimeNanoseconds
            let workbook = try Workbook(contentsOf: file)
            var count = 0
            if stream {
                for name in workbook.sheetNames {
                    try workbook.forEachRow(inSheet: name) { _, cells in count += cells.count }
                }
            } else {
                for sheet in try workbook.worksheets() {
                    for row in sheet.rows { for cell in row where cell != nil { count += 1 } }
                }
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            cells = count
            best = min(best, seconds)
            total += seconds
        }
        // The machine is shared: CPU time says what the reader costs when wall time is inflated by others.
        let cpuSeconds = (ProcessCPU.seconds() - cpuStart) / Double(`repeat`)
        let cellsPerSecond = Double(cells) / (total / Double(`repeat`))
        let record: [String: Any] = [
            "step": "xlsx_read",
            "mode": stream ? "stream" : "worksheet",
            "file": (file as NSString).lastPathComponent,
            "cells": cells,
            "repeat": `repeat`,
            "seconds": total / Double(`repeat`),
            "best_seconds": best,
            "cells_per_s": cellsPerSecond,
            "target_cells_per_s": Self.targetCellsPerSecond,
            "meets_target": cellsPerSecond >= Self.targetCellsPerSecond,
            "calamine_cells_per_s": Self.calamineCellsPerSecond,
            "cpu_seconds": cpuSeconds,
            "cells_per_cpu_s": Double(cells) / cpuSeconds,
            "peak_mb": PeakMemory.megabytes() ?? -1,
        ]
        let json = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }
}

/// User plus system CPU time of this process so far (`getrusage`).
enum ProcessCPU {
    static func seconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}

import Foundation
import Synchronization
import Testing

@testable import Console

/// A clock the test moves by hand, and the text the reporter wrote.
final class FakeConsole: Sendable {
    private let now = Mutex(100.0)
    private let written = Mutex<[String]>([])

    func advance(_ seconds: Double) { now.withLock { $0 += seconds } }

    func reporter(_ display: ProgressReporter.Display, isTerminal: Bool, width: Int = 120) -> ProgressReporter {
        ProgressReporter(
            display: display, isTerminal: isTerminal, clock: { self.now.withLock { $0 } },
            wallClock: { Date(timeIntervalSince1970: 1_796_367_600) },  // 2026-12-04T07:00:00Z
            write: { text in self.written.withLock { $0.append(text) } }, width: width)
    }

    /// Everything written since the last call.
    func take() -> [String] {
        written.withLock { lines in
            defer { lines = [] }
            return lines
        }
    }
}

@Suite struct ProgressReporterTests {
    @Test("auto shows the live line on a terminal and log lines elsewhere")
    func autoDisplay() {
        #expect(ProgressReporter.Display.auto.resolved(isTerminal: true) == .terminal)
        #expect(ProgressReporter.Display.auto.resolved(isTerminal: false) == .log)
        #expect(ProgressReporter.Display.log.resolved(isTerminal: true) == .log)
        let console = FakeConsole()
        let reporter = console.reporter(.auto, isTerminal: false)
        reporter.finish("metadata", message: "read the metadata", seconds: 0.5)
        #expect(console.take().first?.hasPrefix("ts=2026-12-04T07:00:00.000Z level=info step=metadata") == true)
    }

    @Test("terminal: the live line is redrawn in place with elapsed run time, counter, percent and ETA")
    func terminalLiveLine() {
        let console = FakeConsole()
        let reporter = console.reporter(.terminal, isTerminal: true)
        console.advance(8)  // 8 s into the run when the step starts
        reporter.begin("segment: k-means", total: 4, unit: "restarts")
        #expect(console.take() == ["\r\u{1B}[K[    8.0 s] segment: k-means  0/4 restarts  0 %"])
        console.advance(2)
        reporter.update("segment: k-means", done: 1, total: 4, unit: "restarts")
        // 2 s for a quarter: 6 s left; the bracket is the run's elapsed time, not the step's.
        #expect(console.take() == ["\r\u{1B}[K[   10.0 s] segment: k-means  1/4 restarts  25 %  ETA 6.0 s"])
        console.advance(0.05)
        reporter.update("segment: k-means", done: 1, total: 4, unit: "restarts")
        #expect(console.take().isEmpty, "at most ten redraws a second")
        console.advance(1.05)
        reporter.tick()
        #expect(console.take() == ["\r\u{1B}[K[   11.1 s] segment: k-means  1/4 restarts  25 %  ETA 9.3 s"])
        console.advance(3)
        reporter.finish("segment: k-means", message: "segmented: 10 clusters", rows: 60_000)
        // The live line is cleared and one line stays: elapsed in brackets, the step's 6.1 s and rate after.
        #expect(console.take() == ["\r\u{1B}[K[   14.1 s] segmented: 10 clusters (6.1 s, 9.8 k rows/s)\n"])
    }

    @Test("terminal: a step without a counter shows its elapsed time; rows get a rate; long lines are cut to the width")
    func terminalWithoutTotal() {
        let console = FakeConsole()
        let reporter = console.reporter(.terminal, isTerminal: true, width: 40)
        reporter.begin("read population")
        console.advance(2)
        reporter.tick()
        #expect(console.take() == ["\r\u{1B}[K[    0.0 s] read population", "\r\u{1B}[K[    2.0 s] read population"])
        reporter.update("scoring the records of a long file name", done: 50_000, total: 200_000, unit: "rows")
        console.advance(2)
        reporter.update("scoring the records of a long file name", done: 100_000, total: 200_000, unit: "rows")
        let lines = console.take()
        #expect(lines.count == 2)
        #expect(lines[1] == "\r\u{1B}[K" + "[    4.0 s] scoring the records of a lo", "\(lines)")
        #expect(lines.allSatisfy { $0.count - 4 <= 39 })
    }

    @Test("log: progress lines at most every few seconds, finished steps always, logfmt quoted")
    func logLines() {
        let console = FakeConsole()
        let reporter = console.reporter(.log, isTerminal: true)
        console.advance(1)
        reporter.begin("response: boosted trees CV", total: 5, unit: "folds")
        #expect(console.take().count == 1, "the first progress line of a run is due at once")
        for fold in 1...5 {
            console.advance(2)
            reporter.update("response: boosted trees CV", done: fold, total: 5, unit: "folds")
        }
        // 10 s of folds: one line more 5 s or later after the first (fold 3, 6 s after), not one per fold.
        let lines = console.take()
        #expect(lines == [
            "ts=2026-12-04T07:00:00.000Z level=info step=\"response: boosted trees CV\" progress=0.60 done=3 total=5 "
                + "elapsed=7.000 eta=4 msg=\"response: boosted trees CV 3/5 folds\"\n"
        ])
        reporter.finish("response", message: "response model: CV AUC 0.7 \"trees\"", seconds: 7.5, rows: 42_000)
        #expect(console.take() == [
            "ts=2026-12-04T07:00:00.000Z level=info step=response elapsed=11.000 seconds=7.500 rows=42000 "
                + "rows_per_second=5600 msg=\"response model: CV AUC 0.7 \\\"trees\\\"\"\n"
        ])
    }

    @Test("advance adds the chunks of several workers; silent writes nothing")
    func advanceAndSilent() {
        let console = FakeConsole()
        let reporter = console.reporter(.terminal, isTerminal: true)
        reporter.advance("predict", by: 512, total: 2000, unit: "rows")
        console.advance(1)
        reporter.advance("predict", by: 512, total: 2000, unit: "rows")
        #expect(console.take().last == "\r\u{1B}[K[    1.0 s] predict  1024/2000 rows  51 %  ETA 1.0 s  1.0 k rows/s")
        let quiet = console.reporter(.silent, isTerminal: true)
        quiet.begin("x", total: 3)
        quiet.finish("x", message: "done")
        #expect(console.take().isEmpty)
    }

    @Test("durations and rates read as people write them")
    func formats() {
        #expect(ProgressReporter.duration(0.42) == "0.4 s")
        #expect(ProgressReporter.duration(42.4) == "42 s")
        #expect(ProgressReporter.duration(185) == "3 min 05 s")
        #expect(ProgressReporter.rate(850) == "850 rows/s")
        #expect(ProgressReporter.rate(160_500) == "160.5 k rows/s")
        #expect(ProgressReporter.rate(1_520_000) == "1.52 M rows/s")
    }
}

@Suite struct ProgressReporterClearTests {
    @Test("clearing the live line (before an error line) ends the step: a later tick draws nothing")
    func clearEndsStep() {
        let console = FakeConsole()
        let reporter = console.reporter(.terminal, isTerminal: true)
        reporter.begin("clean")
        reporter.clearLiveLine()
        console.advance(1)
        reporter.tick()
        #expect(console.take() == ["\r\u{1B}[K[    0.0 s] clean", "\r\u{1B}[K"])
    }
}

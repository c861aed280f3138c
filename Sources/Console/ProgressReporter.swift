import Foundation
import Synchronization

/// Progress of a long command on standard error, for the two readers it has.
///
/// On a terminal, one live line is redrawn in place while a step runs (`[  12.4 s] segment:
/// k-means  restart 2/3  67 %  ETA 4 s`: elapsed since the run started, the step's counter,
/// its share done and the time left at the rate so far), and a finished step leaves one line.
/// Elsewhere (cron, systemd, a pipe) every finished step is one logfmt line and a running step
/// adds a progress line at most every ``logInterval`` seconds, so a log gets a line every few
/// seconds, not one per row.
///
/// Steps call ``update(_:done:total:unit:)`` or ``advance(_:by:total:unit:)`` once per chunk,
/// fold or restart; the cost is a lock and a clock read, so hot loops report per chunk, never
/// per row. ``tick()`` (every half second from ``startHeartbeat()``) keeps the elapsed time of
/// a step that reports nothing moving.
package final class ProgressReporter: Sendable {
    /// How progress is shown: `auto` is `terminal` when standard error is a terminal, else `log`.
    package enum Display: String, Sendable, CaseIterable {
        case auto, terminal, log, silent

        /// `auto` settled by whether standard error is a terminal.
        package func resolved(isTerminal: Bool) -> Display {
            self == .auto ? (isTerminal ? .terminal : .log) : self
        }
    }

    /// Shows nothing (library callers and tests that do not watch progress).
    package static let silent = ProgressReporter(display: .silent)

    /// Seconds between two progress lines of a running step in log mode.
    package let logInterval: Double
    private let display: Display
    private let clock: @Sendable () -> Double
    private let wallClock: @Sendable () -> Date
    private let write: @Sendable (String) -> Void
    private let width: Int
    private let state: Mutex<State>
    private let heartbeat = Mutex<Heartbeat?>(nil)

    /// The timer behind ``startHeartbeat(every:)``; only created, resumed and cancelled.
    private final class Heartbeat: @unchecked Sendable {
        let timer: any DispatchSourceTimer
        init(_ timer: any DispatchSourceTimer) { self.timer = timer }
    }

    private struct State {
        var runStart: Double
        var step: String?
        var stepStart = 0.0
        var done = 0
        var total: Int?
        var unit = ""
        var lastDraw = -Double.infinity
        var lastLog = -Double.infinity
        var liveLineShown = false
    }

    /// - Parameters:
    ///   - display: `auto` looks at whether standard error is a terminal (`isTerminal`).
    ///   - clock: monotonic seconds; the run's elapsed time counts from the first reading.
    ///   - wallClock: the `ts=` of log lines.
    ///   - write: where the text goes (standard error).
    ///   - width: the terminal's columns; live lines are cut to fit so `\r` redraws one line.
    package init(
        display: Display, isTerminal: Bool = isatty(STDERR_FILENO) != 0,
        clock: @escaping @Sendable () -> Double = ProgressReporter.monotonicSeconds,
        wallClock: @escaping @Sendable () -> Date = { Date() },
        write: @escaping @Sendable (String) -> Void = ProgressReporter.standardError,
        width: Int? = nil, logInterval: Double = 5
    ) {
        self.display = display.resolved(isTerminal: isTerminal)
        self.clock = clock
        self.wallClock = wallClock
        self.write = write
        self.width = width ?? Self.terminalColumns() ?? 100
        self.logInterval = logInterval
        state = Mutex(State(runStart: clock()))
    }

    deinit {
        heartbeat.withLock { $0?.timer.cancel() }
    }

    /// Whether anything is shown at all (callers skip building messages otherwise).
    package var isSilent: Bool { display == .silent }

    // MARK: Steps

    /// A step starts: its live line shows at once, with its counter when `total` is known.
    package func begin(_ step: String, total: Int? = nil, unit: String = "") {
        update(step, total: total, unit: unit, force: true) { _ in 0 }
    }

    /// `done` of `total` units of `step` are finished (a new step name starts a new step).
    package func update(_ step: String, done: Int, total: Int?, unit: String = "") {
        update(step, total: total, unit: unit, force: false) { _ in done }
    }

    /// `count` more units of `step` are finished: for workers that each finish chunks.
    package func advance(_ step: String, by count: Int, total: Int?, unit: String = "") {
        update(step, total: total, unit: unit, force: false) { $0 + count }
    }

    /// Sets the step's count to `done(count so far)` under the lock, and shows what is due.
    private func update(_ step: String, total: Int?, unit: String, force: Bool, done: (Int) -> Int) {
        guard display != .silent else { return }
        let now = clock()
        let text: String? = state.withLock { s in
            if s.step != step {
                s.step = step
                s.stepStart = now
                s.lastDraw = -.infinity
                s.done = 0
            }
            s.done = done(s.done)
            s.total = total
            s.unit = unit
            return render(&s, now: now, force: force)
        }
        if let text { write(text) }
    }

    /// Redraws the live line (terminal) or writes a due progress line (log) with the time now.
    package func tick() {
        guard display != .silent else { return }
        let now = clock()
        let text: String? = state.withLock { s in
            guard s.step != nil else { return nil }
            return render(&s, now: now, force: false)
        }
        if let text { write(text) }
    }

    /// A step ended: one line for good (`seconds` is its duration, `rows` its work for a rate).
    package func finish(_ step: String, message: String, seconds: Double? = nil, rows: Int? = nil, cached: Bool = false) {
        guard display != .silent else { return }
        let now = clock()
        let text: String = state.withLock { s in
            let elapsed = now - s.runStart
            let seconds = seconds ?? (s.step == step ? now - s.stepStart : nil)
            var text = ""
            if display == .terminal {
                if s.liveLineShown { text = "\r\u{1B}[K" }
                text += Self.bracket(elapsed) + " " + message
                var notes: [String] = []
                if let seconds, seconds >= 0.05 { notes.append(Self.duration(seconds)) }
                if let rows, let seconds, seconds >= 0.05 { notes.append(Self.rate(Double(rows) / seconds)) }
                if cached { notes.append("cached") }
                if !notes.isEmpty { text += " (" + notes.joined(separator: ", ") + ")" }
                text += "\n"
            } else {
                var line = LogfmtLine()
                line.append("ts", LogfmtLine.timestamp(wallClock()))
                line.append("level", "info")
                line.append("step", step)
                line.append("elapsed", String(format: "%.3f", elapsed))
                if let seconds { line.append("seconds", String(format: "%.3f", seconds)) }
                if let rows {
                    line.append("rows", String(rows))
                    if let seconds, seconds > 0 { line.append("rows_per_second", String(Int(Double(rows) / seconds))) }
                }
                if cached { line.append("cached", "true") }
                line.append("msg", message)
                text = line.text + "\n"
                s.lastLog = now
            }
            s.step = nil
            s.liveLineShown = false
            return text
        }
        write(text)
    }

    /// Clears the live line and ends the running step (before an error line, or at the end),
    /// so the heartbeat draws nothing after it.
    package func clearLiveLine() {
        let shown = state.withLock { s in
            defer {
                s.liveLineShown = false
                s.step = nil
            }
            return s.liveLineShown
        }
        if shown { write("\r\u{1B}[K") }
    }

    /// Calls ``tick()`` every `interval` seconds until the reporter goes away (terminal and log).
    package func startHeartbeat(every interval: Double = 0.5) {
        guard display != .silent else { return }
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [weak self] in self?.tick() }
        let next = Heartbeat(timer)
        heartbeat.withLock {
            $0?.timer.cancel()
            $0 = next
        }
        timer.resume()
    }

    // MARK: Rendering

    /// The text to write for the state at `now`, or nil when nothing is due.
    private func render(_ s: inout State, now: Double, force: Bool) -> String? {
        guard let step = s.step else { return nil }
        let elapsed = now - s.runStart
        let stepSeconds = now - s.stepStart
        let fraction = s.total.flatMap { $0 > 0 ? min(1, Double(s.done) / Double($0)) : nil }
        let eta: Double? = fraction.flatMap { f in f > 0 && stepSeconds >= 1 ? stepSeconds * (1 - f) / f : nil }
        switch display {
        case .terminal:
            // At most ten redraws a second: a terminal cannot show more, and writes cost.
            guard force || now - s.lastDraw >= 0.1 else { return nil }
            s.lastDraw = now
            var line = Self.bracket(elapsed) + " " + step
            if let total = s.total {
                line += "  \(s.done)/\(total)" + (s.unit.isEmpty ? "" : " " + s.unit)
            } else if s.done > 0 {
                line += "  \(s.done)" + (s.unit.isEmpty ? "" : " " + s.unit)
            }
            if let fraction { line += String(format: "  %.0f %%", fraction * 100) }
            if let eta { line += "  ETA " + Self.duration(eta) }
            if s.done > 0, stepSeconds >= 1, s.unit == "rows" { line += "  " + Self.rate(Double(s.done) / stepSeconds) }
            s.liveLineShown = true
            return "\r\u{1B}[K" + String(line.prefix(max(20, width - 1)))
        case .log:
            guard now - s.lastLog >= logInterval else { return nil }
            s.lastLog = now
            var line = LogfmtLine()
            line.append("ts", LogfmtLine.timestamp(wallClock()))
            line.append("level", "info")
            line.append("step", step)
            if let fraction { line.append("progress", String(format: "%.2f", fraction)) }
            if let total = s.total {
                line.append("done", String(s.done))
                line.append("total", String(total))
            }
            line.append("elapsed", String(format: "%.3f", elapsed))
            if let eta { line.append("eta", String(format: "%.0f", eta)) }
            var message = step
            if let total = s.total { message += " \(s.done)/\(total)" + (s.unit.isEmpty ? "" : " " + s.unit) }
            line.append("msg", message)
            return line.text + "\n"
        case .auto, .silent:
            return nil
        }
    }

    /// `[  12.4 s]`: the run's elapsed time, fixed width so messages line up.
    static func bracket(_ seconds: Double) -> String { String(format: "[%7.1f s]", seconds) }

    /// `0.4 s`, `12 s`, `3 min 05 s`.
    static func duration(_ seconds: Double) -> String {
        if seconds < 10 { return String(format: "%.1f s", seconds) }
        if seconds < 60 { return String(format: "%.0f s", seconds) }
        let whole = Int(seconds.rounded())
        return String(format: "%d min %02d s", whole / 60, whole % 60)
    }

    /// `850 rows/s`, `12.3 k rows/s`, `1.52 M rows/s`.
    static func rate(_ rowsPerSecond: Double) -> String {
        if rowsPerSecond >= 1_000_000 { return String(format: "%.2f M rows/s", rowsPerSecond / 1_000_000) }
        if rowsPerSecond >= 1000 { return String(format: "%.1f k rows/s", rowsPerSecond / 1000) }
        return String(format: "%.0f rows/s", rowsPerSecond)
    }

    // MARK: The real process's clock, stream and terminal

    @Sendable package static func monotonicSeconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }

    @Sendable package static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func terminalColumns() -> Int? {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}

import Console
import Foundation
import Logging

/// The scorer's log lines on standard error: logfmt like the trainer's
/// (`ts=… level=info msg="serving bundle …" logger=scorer bundle_id=…`), or one JSON object per
/// line with the same keys (`--log-format json`), for journald, Loki and `jq`.
package struct ScorerLogHandler: LogHandler {
    package enum Format: String, Sendable, CaseIterable {
        case logfmt, json
    }

    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level = .info
    private let label: String
    private let format: Format
    private let write: @Sendable (String) -> Void
    private let wallClock: @Sendable () -> Date

    package init(
        label: String, format: Format, logLevel: Logger.Level = .info,
        write: @escaping @Sendable (String) -> Void = ProgressReporter.standardError,
        wallClock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.label = label
        self.format = format
        self.logLevel = logLevel
        self.write = write
        self.wallClock = wallClock
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        write(line(level: event.level, message: "\(event.message)", metadata: event.metadata) + "\n")
    }

    /// One event as a line (without its newline): `ts`, `level`, `msg`, `logger`, then the
    /// handler's and the event's metadata in key order (the event's win).
    func line(level: Logger.Level, message: String, metadata event: Logger.Metadata?) -> String {
        var fields: [(String, String)] = [
            ("ts", LogfmtLine.timestamp(wallClock())), ("level", level.rawValue), ("msg", message), ("logger", label),
        ]
        let merged = metadata.merging(event ?? [:]) { $1 }
        for key in merged.keys.sorted() where !["ts", "level", "msg", "logger"].contains(key) {
            fields.append((key, "\(merged[key]!)"))
        }
        switch format {
        case .logfmt:
            var line = LogfmtLine()
            for (key, value) in fields { line.append(key, value) }
            return line.text
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.withoutEscapingSlashes]
            func quoted(_ text: String) -> String {
                String(decoding: (try? encoder.encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
            }
            return "{" + fields.map { quoted($0.0) + ":" + quoted($0.1) }.joined(separator: ",") + "}"
        }
    }
}

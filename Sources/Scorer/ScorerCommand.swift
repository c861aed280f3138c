import ArgumentParser
import Console
import Foundation
import Logging
import ModelFormat
import ScoringService

@main
struct ScorerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scorer",
        abstract: "Score prospects with a trained bundle: a stdin filter or a Unix-socket daemon.",
        discussion: """
            Each stream (stdin, or each socket connection) starts with a CSV header (';' or ','); every \
            later line is a row, answered by one line in input order: LNR;segment;segment_label;probability \
            (or JSON Lines), or LNR;error;MESSAGE for a row that cannot be scored. SIGHUP reloads the \
            bundle, as does a change of the bundle path (polled); SIGTERM/SIGINT drain and exit 0. \
            The stdin filter exits 65 when the header lacks a column the bundle needs.

            \(ExitStatus.helpText)
            """,
        version: ProspectorVersion.versionText)

    @Option(name: .long, help: "The bundle to serve; usually a symlink such as models/current.")
    var bundle: String

    @Flag(name: .long, help: "Filter mode: CSV on stdin, answers on stdout, exit at end of input.")
    var stdin = false

    @Option(name: .long, help: "Daemon mode: listen on this Unix-domain socket path.")
    var socket: String?

    @Option(name: .long, help: "Octal permission bits of the socket files.")
    var socketMode = "0600"

    @Option(name: .long, help: "Serve /metrics, /healthz and /readyz over HTTP on this Unix socket.")
    var adminSocket: String?

    @Option(name: .long, help: "Close an admin connection whose request headers take longer than this many seconds.")
    var adminHeaderTimeout = 10.0

    @Option(name: .long, help: "Answer format: csv or jsonl.")
    var output: ScoreFormat.Style = .csv

    @Flag(name: .long, help: "Add the bundle id to every answer.")
    var withVersion = false

    @Option(name: .long, help: "Add each row's N top reason codes (tree SHAP per attribute) and N segment reasons.")
    var reasons = 0

    @Option(name: .long, help: "A longer line is answered with an error and skipped.")
    var maxLineBytes = 1 << 20

    @Option(name: .long, help: "Seconds between checks of the bundle path for a new bundle (0: only on SIGHUP).")
    var pollSeconds = 2.0

    @Option(name: .long, help: "Close a connection idle this many seconds (0: never).")
    var idleTimeout = 300.0

    @Option(name: .long, help: "Seconds open connections may go on after SIGTERM before they are finished.")
    var drainTimeout = 10.0

    /// Optional, so that `--help` and the man page say "the cores" rather than the build machine's count.
    @Option(name: .long, help: "Threads scoring one batch (default: the number of cores).")
    var workers: Int?

    @Option(name: .long, help: "Drift gauges: count every N-th scored row (0: no drift counting).")
    var driftSample = 8

    @Option(name: .long, help: "Drift gauges cover about the last N scored rows.")
    var driftWindow = 100_000

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    @Option(name: .long, help: "Log lines on stderr: logfmt (ts=… level=… msg=… key=value) or json (one object per line).")
    var logFormat: ScorerLogHandler.Format = .logfmt

    func validate() throws {
        guard mode != nil else { throw ValidationError("--socket-mode \(socketMode): expected octal such as 0600") }
        guard maxLineBytes > 0 else { throw ValidationError("--max-line-bytes must be positive") }
        guard adminHeaderTimeout > 0 else { throw ValidationError("--admin-header-timeout must be positive") }
        guard pollSeconds >= 0, idleTimeout >= 0, drainTimeout >= 0 else {
            throw ValidationError("--poll-seconds, --idle-timeout and --drain-timeout cannot be negative")
        }
        guard (workers ?? 1) > 0 else { throw ValidationError("--workers must be positive") }
        guard driftSample >= 0, driftWindow > 0 else {
            throw ValidationError("--drift-sample cannot be negative and --drift-window must be positive")
        }
        guard reasons >= 0 else { throw ValidationError("--reasons must be 0 or more") }
    }

    var mode: mode_t? {
        guard let value = mode_t(socketMode, radix: 8), value <= 0o777 else { return nil }
        return value
    }

    func run() async throws {
        // Checked here, not in validate(): ArgumentParser validates before it reports an
        // unknown option, so `--stdn` would be answered with this line instead of its name.
        guard stdin != (socket != nil) else {
            throw ValidationError("give exactly one of --stdin and --socket PATH")
        }
        let (level, format) = (logLevel, logFormat)
        LoggingSystem.bootstrap { label in ScorerLogHandler(label: label, format: format, logLevel: level) }
        let logger = Logger(label: "scorer")
        let configuration = ScorerConfiguration(
            bundlePath: bundle, useStdin: stdin, socketPath: socket, socketMode: mode ?? 0o600,
            adminSocketPath: adminSocket, adminHeaderTimeout: .seconds(adminHeaderTimeout), idleTimeout: idleTimeout > 0 ? .seconds(idleTimeout) : nil,
            drainTimeout: .seconds(drainTimeout), pollInterval: pollSeconds > 0 ? .seconds(pollSeconds) : nil,
            stream: StreamOptions(style: output, withVersion: withVersion, maxLineBytes: maxLineBytes,
                workers: workers ?? ProcessInfo.processInfo.activeProcessorCount,
                driftSampleEvery: driftSample, driftWindow: max(1, driftWindow / max(1, driftSample)),
                reasons: reasons))
        let status = await ScorerDaemon.run(configuration, logger: logger)
        if status != 0 { throw ExitCode(status) }
    }
}

extension ScoreFormat.Style: ExpressibleByArgument {}
extension ScorerLogHandler.Format: ExpressibleByArgument {}
extension Logger.Level: @retroactive ExpressibleByArgument {}

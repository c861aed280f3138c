import Foundation
import ModelFormat
import Synchronization

/// The scorer's counters, and their Prometheus text exposition (format 0.0.4).
///
/// Updated once per batch, not per row, so one lock costs nothing next to the scoring; a
/// hand-written exposition keeps the daemon free of a metrics stack it would use five lines of.
package final class ScorerMetrics: Sendable {
    /// Upper bounds (seconds) of the per-row latency buckets: from a batch starting to be
    /// scored to its answers being ready, observed once per row.
    package static let latencyBuckets: [Double] = [
        0.000_01, 0.000_025, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.025, 0.05, 0.1,
        0.25, 0.5, 1,
    ]

    struct Counts {
        var rowsScored = 0
        var errorRows = 0
        var streamsRejected = 0
        var connectionsActive = 0
        var connectionsTotal = 0
        var reloads = 0
        var reloadFailures = 0
        var acceptErrors = 0
        var adminHeaderTimeouts = 0
        var latencyCounts = [Int](repeating: 0, count: ScorerMetrics.latencyBuckets.count + 1)
        var latencySum = 0.0
        var bundleId = ""
        var bundleCreatedAt: Date?
        var bundleLoadedAt = Date()
    }

    private let counts = PthreadLocked(Counts())
    /// Input drift over the last scored rows (`scorer_feature_psi`, `scorer_segment_share`).
    package let drift: DriftMonitor

    package init(driftWindow: Int = 100_000) {
        drift = DriftMonitor(windowRows: driftWindow)
    }

    package func recordBatch(scored: Int, failed: Int, seconds: Double) {
        let rows = scored + failed
        guard rows > 0 else { return }
        let bucket = ScorerMetrics.latencyBuckets.firstIndex { seconds <= $0 } ?? ScorerMetrics.latencyBuckets.count
        counts.withLock {
            $0.rowsScored += scored
            $0.errorRows += failed
            $0.latencyCounts[bucket] += rows
            $0.latencySum += seconds * Double(rows)
        }
    }

    package func streamRejected() { counts.withLock { $0.streamsRejected += 1 } }

    package func connectionOpened() {
        counts.withLock {
            $0.connectionsActive += 1
            $0.connectionsTotal += 1
        }
    }

    package func connectionClosed() { counts.withLock { $0.connectionsActive -= 1 } }
    package func reloadSucceeded() { counts.withLock { $0.reloads += 1 } }
    package func reloadFailed() { counts.withLock { $0.reloadFailures += 1 } }
    package func acceptFailed() { counts.withLock { $0.acceptErrors += 1 } }
    package func adminHeaderTimedOut() { counts.withLock { $0.adminHeaderTimeouts += 1 } }

    package func bundleLoaded(model: ScoringModel, at date: Date) {
        let created = try? Date(model.manifest.createdAt, strategy: .iso8601)
        counts.withLock {
            $0.bundleId = model.bundleId
            $0.bundleCreatedAt = created
            $0.bundleLoadedAt = date
        }
    }

    /// A copy of the counters, for tests and the exposition.
    package struct Snapshot: Sendable, Equatable {
        package var rowsScored: Int
        package var errorRows: Int
        package var streamsRejected: Int
        package var connectionsActive: Int
        package var connectionsTotal: Int
        package var reloads: Int
        package var reloadFailures: Int
        package var acceptErrors: Int
        package var adminHeaderTimeouts: Int
        package var bundleId: String
    }

    package var snapshot: Snapshot {
        counts.withLock {
            Snapshot(
                rowsScored: $0.rowsScored, errorRows: $0.errorRows, streamsRejected: $0.streamsRejected,
                connectionsActive: $0.connectionsActive, connectionsTotal: $0.connectionsTotal, reloads: $0.reloads,
                reloadFailures: $0.reloadFailures, acceptErrors: $0.acceptErrors,
                adminHeaderTimeouts: $0.adminHeaderTimeouts, bundleId: $0.bundleId)
        }
    }

    /// The Prometheus text exposition.
    package func prometheusText(now: Date = Date()) -> String {
        let c = counts.withLock { $0 }
        var text = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(String, String)]) {
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for (suffix, value) in samples { text += "\(name)\(suffix) \(value)\n" }
        }
        metric("scorer_rows_scored_total", "counter", "Rows answered with a score.", [("", "\(c.rowsScored)")])
        metric("scorer_error_rows_total", "counter", "Rows answered with an error line.", [("", "\(c.errorRows)")])
        metric(
            "scorer_streams_rejected_total", "counter", "Streams closed because their header lacks a required column.",
            [("", "\(c.streamsRejected)")])
        var buckets: [(String, String)] = []
        var cumulative = 0
        for (i, bound) in ScorerMetrics.latencyBuckets.enumerated() {
            cumulative += c.latencyCounts[i]
            buckets.append(("_bucket{le=\"\(bound)\"}", "\(cumulative)"))
        }
        cumulative += c.latencyCounts[ScorerMetrics.latencyBuckets.count]
        buckets.append(("_bucket{le=\"+Inf\"}", "\(cumulative)"))
        buckets.append(("_sum", "\(c.latencySum)"))
        buckets.append(("_count", "\(cumulative)"))
        metric(
            "scorer_row_latency_seconds", "histogram",
            "Seconds from a row's batch starting to be scored to its answer being ready.", buckets)
        metric("scorer_connections_active", "gauge", "Open socket connections.", [("", "\(c.connectionsActive)")])
        metric("scorer_connections_total", "counter", "Socket connections accepted.", [("", "\(c.connectionsTotal)")])
        metric(
            "scorer_accept_errors_total", "counter",
            "Failed accepts of socket connections (e.g. out of file descriptors); accepting pauses after each.",
            [("", "\(c.acceptErrors)")])
        metric(
            "scorer_admin_header_timeouts_total", "counter",
            "Admin connections closed because their request headers did not arrive in time.",
            [("", "\(c.adminHeaderTimeouts)")])
        metric("scorer_reloads_total", "counter", "Bundles swapped in after start.", [("", "\(c.reloads)")])
        metric(
            "scorer_reload_failures_total", "counter", "Bundles that failed to load (the old one kept serving).",
            [("", "\(c.reloadFailures)")])
        metric(
            "scorer_bundle_info", "gauge", "The bundle being served.",
            [("{bundle_id=\"\(Self.escapeLabel(c.bundleId))\"}", "1")])
        let created = c.bundleCreatedAt ?? c.bundleLoadedAt
        metric(
            "scorer_bundle_age_seconds", "gauge", "Seconds since the served bundle was created (its manifest's createdAt).",
            [("", "\(max(0, now.timeIntervalSince(created)))")])
        metric(
            "scorer_bundle_loaded_timestamp_seconds", "gauge", "Unix time the served bundle was swapped in.",
            [("", "\(c.bundleLoadedAt.timeIntervalSince1970)")])
        return text + drift.exposition()
    }

    static func escapeLabel(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}

import ModelFormat
import Synchronization

/// Input drift over a sliding window of scored rows, for `scorer_feature_psi` and
/// `scorer_segment_share`.
///
/// Workers count (sampled) rows into their own ``DriftTally`` and hand the counts over in
/// groups (``ScoringStream`` does); here they go into a ring of ``blockCount`` blocks. When the
/// newest block is full the oldest is dropped from the total, so the gauges cover the last
/// `windowRows` to `windowRows × (1 + 1/blockCount)` counted rows, at the cost of one addition
/// per counter per hand-over. Counts for another reference (a reloaded bundle) restart the window.
package final class DriftMonitor: Sendable {
    package static let blockCount = 10
    /// Counted rows the window holds.
    package let windowRows: Int

    struct State {
        var blocks: [DriftCounts] = []
        var current = 0
        var total: DriftCounts?
    }

    private let state = PthreadLocked(State())

    package init(windowRows: Int) {
        self.windowRows = max(Self.blockCount, windowRows)
    }

    package func absorb(_ counts: DriftCounts) {
        guard counts.rows > 0 else { return }
        let blockRows = windowRows / Self.blockCount
        state.withLock { state in
            if state.total?.layout !== counts.layout {
                state.blocks = [DriftCounts](repeating: DriftCounts(layout: counts.layout), count: Self.blockCount)
                state.current = 0
                state.total = DriftCounts(layout: counts.layout)
            }
            state.blocks[state.current].add(counts)
            state.total!.add(counts)
            if state.blocks[state.current].rows >= blockRows {
                state.current = (state.current + 1) % Self.blockCount
                state.total!.subtract(state.blocks[state.current])
                state.blocks[state.current].reset()
            }
        }
    }

    /// The counts over the window (nil before any row was counted).
    package var window: DriftCounts? { state.withLock { $0.total } }

    /// Prometheus samples: PSI per attribute and share per segment (numbered as the scorer
    /// prints them: 1… for clusters, 0 for insufficient data). Empty before any row.
    func exposition() -> String {
        guard let window, window.rows > 0 else { return "" }
        let reference = window.layout.reference
        var text = "# HELP scorer_drift_window_rows Rows counted in the drift window (sampled).\n"
        text += "# TYPE scorer_drift_window_rows gauge\nscorer_drift_window_rows \(window.rows)\n"
        text += "# HELP scorer_feature_psi Population stability index of an input attribute over the drift window.\n"
        text += "# TYPE scorer_feature_psi gauge\n"
        for (a, attribute) in reference.attributes.enumerated() {
            text += "scorer_feature_psi{attribute=\"\(ScorerMetrics.escapeLabel(attribute.name))\"} \(window.psi(attribute: a) ?? 0)\n"
        }
        text += "# HELP scorer_segment_share Share of the drift window's rows in a segment (0 = insufficient data).\n"
        text += "# TYPE scorer_segment_share gauge\n"
        let shares = window.segmentShares ?? []
        for (s, share) in shares.enumerated() {
            let number = s == shares.count - 1 ? 0 : s + 1
            text += "scorer_segment_share{segment=\"\(number)\"} \(share)\n"
        }
        return text
    }
}

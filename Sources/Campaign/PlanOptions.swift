/// What a mailing costs and earns, and how the list is cut.
package struct PlanOptions: Sendable, Hashable {
    /// How many prospects are mailed.
    package enum Cut: Sendable, Hashable {
        /// As many as `budget / costPerMail` pays for (rounded down), best first.
        case budget(Double)
        /// The best `n`.
        case top(Int)
        /// Everyone whose expected profit is positive: `p x value > cost`.
        case minProfit
    }

    package var costPerMail: Double
    package var valuePerResponse: Double
    package var cut: Cut

    package init(costPerMail: Double, valuePerResponse: Double, cut: Cut) {
        self.costPerMail = costPerMail
        self.valuePerResponse = valuePerResponse
        self.cut = cut
    }

    /// The probability at which a mail pays for itself: `cost / value`.
    package var breakEvenProbability: Double { costPerMail / valuePerResponse }

    /// Expected profit of mailing a prospect who responds with probability `p`.
    @inline(__always)
    package func expectedProfit(_ p: Double) -> Double { p * valuePerResponse - costPerMail }

    /// Mails bought by the budget, or the top N; nil when the count is not bounded.
    package var mailLimit: Int? {
        switch cut {
        case .budget(let budget):
            guard costPerMail > 0 else { return nil }
            // A tiny tolerance, so that 100 EUR at 0.1 EUR buys 1000 mails despite rounding.
            return max(0, Int((budget / costPerMail * (1 + 1e-12)).rounded(.down)))
        case .top(let n): return max(0, n)
        case .minProfit: return nil
        }
    }

    /// Whether a prospect is a candidate at all: under `--min-profit`, only above break-even.
    @inline(__always)
    package func isCandidate(_ p: Double) -> Bool {
        switch cut {
        case .minProfit: expectedProfit(p) > 0
        case .budget, .top: true
        }
    }
}

/// Problems with the plan's own options (as opposed to the input file).
package enum PlanError: Error, Sendable, CustomStringConvertible {
    case invalidOption(String)
    case cannotWrite(path: String, reason: String)
    case cannotReadRun(path: String, reason: String)

    package var description: String {
        switch self {
        case .invalidOption(let problem): problem
        case .cannotWrite(let path, let reason): "\(path): cannot write: \(reason)"
        case .cannotReadRun(let path, let reason): "\(path): cannot read back the temporary run: \(reason)"
        }
    }
}

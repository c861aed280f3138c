import Foundation

/// The figures of a mailing: for the whole list and per segment.
package struct PlanSummary: Sendable, Codable, Hashable {
    package struct Figures: Sendable, Codable, Hashable {
        /// Rows scored (the whole file, or the segment's rows in it).
        package var scored: Int
        package var mailed: Int
        package var expectedResponders: Double
        /// The central 90 % interval of the number of responders.
        package var respondersLow: Double
        package var respondersHigh: Double
        /// `exact` (Poisson-binomial) or `normal`.
        package var intervalMethod: String
        package var expectedRevenue: Double
        package var cost: Double
        package var expectedProfit: Double
        /// Expected profit / cost (0 when nothing is mailed).
        package var roi: Double
    }

    package struct Segment: Sendable, Codable, Hashable {
        /// As printed in the list: 1-based cluster number, 0 for insufficient data.
        package var segment: Int
        package var label: String
        package var figures: Figures
    }

    package var bundleId: String
    package var costPerMail: Double
    package var valuePerResponse: Double
    /// `budget 1000`, `top 500` or `min-profit`.
    package var cut: String
    package var breakEvenProbability: Double
    package var rowsRead: Int
    package var rowsWithErrors: Int
    package var total: Figures
    package var segments: [Segment]

    /// The summary as JSON (`--summary FILE`).
    package func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// The summary as a text table (standard output).
    package func table() -> String {
        var out = "bundle \(bundleId): \(cut), cost \(Self.money(costPerMail)) per mail, value \(Self.money(valuePerResponse)) per response\n"
        out += "rows read \(rowsRead), with errors \(rowsWithErrors), mailed \(total.mailed); "
        out += "break-even probability \(String(format: "%.6g", breakEvenProbability))\n\n"
        let header = ["segment", "label", "scored", "mailed", "responders", "90% interval", "revenue", "cost", "profit", "ROI"]
        var rows = [header]
        func row(_ name: String, _ label: String, _ f: Figures) -> [String] {
            [
                name, label, "\(f.scored)", "\(f.mailed)", String(format: "%.2f", f.expectedResponders),
                String(format: "%.0f-%.0f", f.respondersLow.rounded(.down), f.respondersHigh.rounded(.up))
                    + (f.intervalMethod == "exact" ? "" : " (normal)"),
                Self.money(f.expectedRevenue), Self.money(f.cost), Self.money(f.expectedProfit),
                String(format: "%.1f%%", f.roi * 100),
            ]
        }
        for s in segments { rows.append(row("\(s.segment)", s.label, s.figures)) }
        rows.append(row("all", "", total))
        let widths = header.indices.map { c in rows.map { $0[c].count }.max()! }
        for (i, r) in rows.enumerated() {
            let cells = r.enumerated().map { c, text in
                c < 2 ? text.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                    : String(repeating: " ", count: widths[c] - text.count) + text
            }
            out += cells.joined(separator: "  ") + "\n"
            if i == 0 || i == rows.count - 2 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out
    }

    static func money(_ value: Double) -> String { String(format: "%.2f", value) }
}

/// Adds up one group's mails (the whole list, or one segment).
struct FiguresAccumulator {
    var scored = 0
    var responders = ResponderInterval()
    var revenue = 0.0

    mutating func mail(_ p: Double, value: Double) {
        responders.add(p)
        revenue += p * value
    }

    func figures(costPerMail: Double) -> PlanSummary.Figures {
        let cost = Double(responders.count) * costPerMail
        let bounds = responders.bounds
        return PlanSummary.Figures(
            scored: scored, mailed: responders.count, expectedResponders: responders.mean, respondersLow: bounds.low,
            respondersHigh: bounds.high, intervalMethod: responders.isExact ? "exact" : "normal", expectedRevenue: revenue,
            cost: cost, expectedProfit: revenue - cost, roi: cost > 0 ? (revenue - cost) / cost : 0)
    }
}

import Foundation
import Testing

@testable import Campaign

/// The cut and the sums of a plan, against hand-computed examples and a brute-force sort.
@Suite struct MailingCutTests {
    /// Cost 1, value 10: break-even at p = 0.1.
    static let probabilities = [0.5, 0.05, 0.2, 0.1, 0.3]
    static let segments = [0, 1, 0, 1, 0]

    static func run(_ cut: PlanOptions.Cut, runLength: Int = 1 << 18) throws -> (rows: [Int], summary: PlanSummary) {
        let options = PlanOptions(costPerMail: 1, valuePerResponse: 10, cut: cut)
        let selector = MailingSelector(options: options, runLength: runLength, temporaryDirectory: NSTemporaryDirectory())
        var tally = PlanTally(options: options, segmentCount: 2)
        for (i, p) in probabilities.enumerated() {
            tally.scored(segment: segments[i])
            try selector.offer(Candidate(probability: p, row: i + 1, segment: segments[i], id: "\(100 + i)"))
        }
        var rows: [Int] = []
        try selector.forEachSelected {
            rows.append($0.row)
            tally.mailed($0)
        }
        return (rows, tally.summary(bundleId: "test", segmentNames: [(1, "core"), (2, "neutral")]))
    }

    @Test func minProfitMailsStrictlyAboveBreakEven() throws {
        // 0.1 x 10 = 1 = cost: not profitable, so row 4 is not mailed.
        let (rows, summary) = try Self.run(.minProfit)
        #expect(rows == [1, 5, 3])
        #expect(summary.total.mailed == 3)
        #expect(abs(summary.total.expectedResponders - 1.0) < 1e-12)
        #expect(abs(summary.total.expectedRevenue - 10) < 1e-12)
        #expect(summary.total.cost == 3)
        #expect(abs(summary.total.expectedProfit - 7) < 1e-12)
        #expect(abs(summary.total.roi - 7.0 / 3.0) < 1e-12)
        #expect(summary.breakEvenProbability == 0.1)
        #expect(summary.rowsRead == 5)
        // Segment 1 (index 0) got all three mails; segment 2 none of its two rows.
        #expect(summary.segments.map(\.figures.mailed) == [3, 0])
        #expect(summary.segments.map(\.figures.scored) == [3, 2])
    }

    @Test func topAndBudgetTakeTheBestN() throws {
        let top = try Self.run(.top(2))
        #expect(top.rows == [1, 5])
        #expect(abs(top.summary.total.expectedRevenue - 8) < 1e-12)
        #expect(abs(top.summary.total.expectedProfit - 6) < 1e-12)
        // 3.5 EUR at 1 EUR a mail buys 3 mails.
        let budget = try Self.run(.budget(3.5))
        #expect(budget.rows == [1, 5, 3])
        #expect(budget.summary.total.cost == 3)
        // More than the file has: everyone, best first, losses included.
        #expect(try Self.run(.top(10)).rows == [1, 5, 3, 4, 2])
        #expect(try Self.run(.top(0)).rows == [])
    }

    @Test func externalSortGivesTheSameListAsInMemory() throws {
        #expect(try Self.run(.minProfit, runLength: 1).rows == [1, 5, 3])
    }

    /// Random probabilities with ties, several hundred sorted runs: the list must be exactly a
    /// full sort of the rows, cut as the options say, and the sums those of that list.
    @Test(arguments: [PlanOptions.Cut.minProfit, .top(300), .budget(123.4)])
    func agreesWithABruteForceSort(cut: PlanOptions.Cut) throws {
        var generator = SystemRandomNumberGenerator()
        let count = 5000
        // Rounded to 3 digits so that ties occur and their order (by row) is checked.
        let ps = (0..<count).map { _ in (Double.random(in: 0...0.3, using: &generator) * 1000).rounded() / 1000 }
        let segs = (0..<count).map { _ in Int.random(in: 0..<3, using: &generator) }
        let options = PlanOptions(costPerMail: 0.5, valuePerResponse: 12, cut: cut)
        let selector = MailingSelector(options: options, runLength: 17, temporaryDirectory: NSTemporaryDirectory())
        var tally = PlanTally(options: options, segmentCount: 3)
        for i in 0..<count {
            tally.scored(segment: segs[i])
            try selector.offer(Candidate(probability: ps[i], row: i + 1, segment: segs[i], id: "id\(i)"))
        }
        var rows: [Int] = []
        try selector.forEachSelected {
            rows.append($0.row)
            tally.mailed($0)
        }
        let summary = tally.summary(bundleId: "t", segmentNames: [(1, "a"), (2, "b"), (0, "insufficient-data")])

        func before(_ a: Int, _ b: Int) -> Bool {
            let pa: Double = ps[a - 1]
            let pb: Double = ps[b - 1]
            return pa != pb ? pa > pb : a < b
        }
        var expected: [Int] = Array(1...count).sorted(by: before)
        switch cut {
        case .minProfit:
            expected = expected.filter { ps[$0 - 1] * 12 > 0.5 }
            #expect(selector.runCount > 100)
        case .top(let n): expected = Array(expected.prefix(n))
        case .budget(let b): expected = Array(expected.prefix(Int(b / 0.5)))
        }
        #expect(rows == expected)
        let sum = expected.reduce(0.0) { $0 + ps[$1 - 1] }
        #expect(summary.total.mailed == expected.count)
        #expect(abs(summary.total.expectedResponders - sum) < 1e-9)
        let profit: Double = sum * 12 - 0.5 * Double(expected.count)
        #expect(abs(summary.total.expectedProfit - profit) < 1e-9)
        for segment in summary.segments {
            let index = segment.segment == 0 ? 2 : segment.segment - 1
            let mine = expected.filter { segs[$0 - 1] == index }
            #expect(segment.figures.mailed == mine.count)
            let mineSum: Double = mine.reduce(0.0) { $0 + ps[$1 - 1] }
            #expect(abs(segment.figures.expectedResponders - mineSum) < 1e-9)
        }
    }
}

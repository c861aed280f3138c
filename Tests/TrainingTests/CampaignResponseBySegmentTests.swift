import Report
import Testing

@testable import Training

@Suite struct CampaignResponseBySegmentTests {
    @Test func meansAndRatesPerSegmentByHand() {
        // Segment 2: rows 0, 2, 3 (p 0.1, 0.3, 0.2; one responder); segment 5: rows 1, 4 (p 0.5, 0.7; two).
        let measured = CampaignResponseBySegment.measure(
            segments: [2, 5, 2, 2, 5], probabilities: [0.1, 0.5, 0.3, 0.2, 0.7], labels: [0, 1, 1, 0, 1])
        #expect(measured.keys.sorted() == [2, 5])
        #expect(measured[2]?.rows == 3)
        #expect(abs(measured[2]!.meanPredicted - 0.2) < 1e-12)
        #expect(abs(measured[2]!.observedRate - 1.0 / 3) < 1e-12)
        #expect(measured[5] == .init(rows: 2, meanPredicted: 0.6, observedRate: 1))
    }
}

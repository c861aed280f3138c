import Testing

@testable import Report

/// The summary the page leads with, against a small hand-made run whose figures are worked out by hand.
@Suite struct SummaryTests {
    /// Segments 1 and 5 are core (3.0×, 2.5×), 2 is over-represented (1.5×), 3 neutral, 4 under-represented.
    static func run(responders: Int?) -> ReportData {
        func segment(_ id: Int, _ label: String, _ population: Double, _ customers: Double) -> ReportData.Segment {
            .init(
                id: id, name: "segment \(id)", label: label, populationShare: population, customerShare: customers,
                ratio: customers / population, distinguishing: [])
        }
        let segments = ReportData.Segments(
            kScan: nil, chosenK: 5,
            rows: [
                segment(2, "over-represented", 0.20, 0.30), segment(3, "neutral", 0.25, 0.25),
                segment(5, "core", 0.05, 0.125), segment(4, "under-represented", 0.40, 0.0),
                segment(1, "core", 0.10, 0.30),
            ])
        let response = ReportData.Response(
            models: [
                .init(name: "boosted trees", cvAUCMean: 0.7712, cvAUCSD: 0.01, roc: []),
                .init(name: "logistic baseline", cvAUCMean: 0.70, cvAUCSD: 0.02, roc: []),
            ],
            baseRate: 0.0125,
            lift: [
                // 2 148 people cut at 214: the first decile is 0.0996 of them, as in a real run.
                .init(topShare: 0.0996, responderShare: 0.3187, lift: 3.2, threshold: 0.05),
                .init(topShare: 0.2, responderShare: 0.5, lift: 2.5, threshold: 0.03),
            ],
            reliability: [.init(meanPredicted: 0.01, observed: 0.0125, count: 3_200)], expectedCalibrationError: 0.001,
            topFeatures: [], responders: responders)
        return ReportData(
            provenance: .init(bundleId: "b", createdAt: "2026-12-04T00:00:00Z", prospectorVersion: "0"),
            segments: segments, response: response)
    }

    @Test func summaryComesFirstAndNamesTheTargetsWithTheirShares() throws {
        let page = try XMLTree.parse(ReportRenderer.render(Self.run(responders: 532)))
        #expect(page.elements("section").first?.attributes["id"] == "summary")
        let facts = try #require(page.element(id: "summary-facts")).elements("li").map(\.text)
        // 0.10 + 0.05 + 0.20 of the population, 0.30 + 0.125 + 0.30 of the customers.
        #expect(
            facts[0]
                == "Target 1 · segment 1 (core), 5 · segment 5 (core), 2 · segment 2 (over-represented): "
                + "35.0% of the population, 72.5% of the customers.")
        // 0.0125 × 3.2 × 1 000 = 40 responders per 1 000 mailed in the top decile.
        #expect(
            facts[1]
                == "Response model (boosted trees): cross-validated ROC AUC \(ReportFormat.auc(0.7712)); the best-scored "
                + "10% respond at 3.20× the overall rate, about 40.0 responders per 1 000 mailed.")
        #expect(page.all.filter { $0.attributes["class"] == "warning" }.isEmpty)
    }

    @Test func summaryFiguresAreThoseOfTheReportData() {
        let data = SampleReport.make()
        let summary = ReportData.ExecutiveSummary(data)
        let rows = data.segments!.rows
        #expect(Set(summary.targets.map(\.id)) == Set(rows.filter { $0.label == "core" || $0.label == "over-represented" }.map(\.id)))
        #expect(!summary.targets.isEmpty)
        #expect(abs(summary.populationShare - summary.targets.map(\.populationShare).reduce(0, +)) < 1e-12)
        #expect(summary.model == data.response!.models[0])
        #expect(summary.topDecileLift == data.response!.lift[0].lift)
    }

    @Test func fewRespondersWarnInTheSummaryAndTheResponseSection() throws {
        let page = try XMLTree.parse(ReportRenderer.render(Self.run(responders: 40)))
        for id in ["summary", "response"] {
            let section = try #require(page.element(id: id))
            let warnings = section.all.filter { $0.attributes["class"] == "warning" }.map(\.text)
            #expect(warnings.count == 1, "\(id)")
            #expect(warnings.first?.contains("40 responders (fewer than 100)") == true, "\(id)")
        }
        // 99 warns, 100 does not.
        #expect(Self.run(responders: 99).response!.tooFewResponders)
        #expect(!Self.run(responders: 100).response!.tooFewResponders)
    }

    @Test func segmentTableShowsTheCampaignResponse() throws {
        var data = Self.run(responders: 532)
        data.segments!.rows[4].campaign = .init(rows: 1_234, meanPredicted: 0.0234, observedRate: 0.0312)
        let page = try XMLTree.parse(ReportRenderer.render(data))
        let table = try #require(page.element(id: "segment-shares"))
        #expect(table.headerCells.suffix(3) == ["Campaign rows", "Mean predicted", "Observed response"])
        let rows = table.tableRows
        #expect(rows.first { $0.first == "1" }?.suffix(3) == ["1,234", "2.34%", "3.12%"])
        #expect(rows.first { $0.first == "3" }?.suffix(3) == ["0", "–", "–"])
        // The summary pools the targets' campaign rows only when every target has them.
        #expect(page.element(id: "summary-facts")?.elements("li").count == 2)
        data.segments!.rows[0].campaign = .init(rows: 200, meanPredicted: 0.02, observedRate: 0.015)  // segment 2
        data.segments!.rows[2].campaign = .init(rows: 100, meanPredicted: 0.05, observedRate: 0.03)  // segment 5
        data.segments!.rows[4].campaign = .init(rows: 700, meanPredicted: 0.03, observedRate: 0.04)  // segment 1
        let facts = try #require(try XMLTree.parse(ReportRenderer.render(data)).element(id: "summary-facts")).elements("li")
        // (200 × 0.02 + 100 × 0.05 + 700 × 0.03) / 1 000 = 0.030; (3 + 3 + 28) / 1 000 = 0.034.
        #expect(
            facts.map(\.text)[1]
                == "In the campaign file, their 1,000 people had a mean predicted response probability of 3.00% "
                + "(about 30.0 responders per 1 000 mailed) and responded at 3.40%.")
        // Without campaign figures the table keeps its six columns.
        let plain = try XMLTree.parse(ReportRenderer.render(Self.run(responders: 532)))
        #expect(plain.element(id: "segment-shares")?.headerCells.count == 6)
    }

    /// Manifests written before `responders` was stored: the count comes from the reliability bins (0.0125 × 3 200 = 40).
    @Test func oldManifestsCountRespondersFromTheReliabilityBins() {
        let response = Self.run(responders: nil).response!
        #expect(response.responderCount == 40)
        #expect(response.tooFewResponders)
    }
}

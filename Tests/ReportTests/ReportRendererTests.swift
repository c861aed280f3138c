import Foundation
import Testing

@testable import Report

/// The rendered sample report, read back as XML, checked against the data it was drawn from.
@Suite struct ReportRendererTests {
    let data = SampleReport.make()
    let html: String
    let page: Node

    init() throws {
        html = ReportRenderer.render(data)
        page = try XMLTree.parse(html)
        // `REPORT_SAMPLE_OUT=/tmp/sample.html swift test --filter ReportTests` keeps the page,
        // for scripts/report-screenshot.sh.
        if let path = ProcessInfo.processInfo.environment["REPORT_SAMPLE_OUT"] {
            try html.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    private func rows(_ id: String) throws -> [[String]] {
        try #require(page.element(id: id), "no element with id \(id)").tableRows
    }

    @Test func everySectionIsPresentInOrderAndFilled() throws {
        let sections = page.elements("section")
        #expect(
            sections.map { $0.attributes["id"] ?? "" }
                == ["summary", "segments", "response", "pca", "data-quality", "provenance"])
        for section in sections {
            #expect(section.elements("h2").count == 1)
            #expect(
                !section.all.contains { $0.attributes["class"] == "unavailable" }, "\(section.attributes["id"] ?? "")")
        }
        // Every navigation link points at a section of the page.
        let targets = page.elements("a").compactMap { $0.attributes["href"] }
        #expect(targets == sections.map { "#" + ($0.attributes["id"] ?? "") })
    }

    @Test func everyChartIsAnSVGInItsSection() throws {
        let expected = [
            "data-quality": ["chart-column-missing", "chart-column-profile", "chart-row-missing"],
            "pca": ["chart-explained-variance"], "segments": ["chart-k-scan", "chart-segment-shares"],
            "response": ["chart-roc", "chart-gain", "chart-reliability", "chart-feature-gain"], "provenance": [],
            "summary": [],
        ]
        for section in page.elements("section") {
            let id = try #require(section.attributes["id"])
            let charts = section.elements("svg")
            #expect(charts.map { $0.attributes["id"] ?? "" } == expected[id], "\(id)")
            for chart in charts {
                #expect(chart.attributes["viewBox"]?.hasPrefix("0 0 ") == true)
                #expect(chart.children.first?.name == "title")
                // Axes carry titles with units.
                let titles = chart.all.filter { $0.attributes["class"] == "axis-title" }.map(\.text)
                #expect(
                    !titles.isEmpty && titles.allSatisfy { $0.contains("(") },
                    "\(chart.attributes["id"] ?? "") \(titles)")
            }
        }
    }

    @Test func sectionsWithoutDataSayNotAvailable() throws {
        var partial = data
        partial.principalComponents = nil
        partial.response = nil
        let page = try XMLTree.parse(ReportRenderer.render(partial))
        for id in ["pca", "response"] {
            let section = try #require(page.element(id: id))
            let notice = try #require(section.all.first { $0.attributes["class"] == "unavailable" })
            #expect(notice.text.hasPrefix("Not available"))
            #expect(section.elements("svg").isEmpty)
        }
        #expect(page.element(id: "segments")?.all.contains { $0.attributes["class"] == "unavailable" } == false)
    }

    @Test func dataQualityTablesHoldTheData() throws {
        let quality = try #require(data.dataQuality)
        let all = try rows("all-columns")
        #expect(all.count == 366)
        for (row, column) in zip(all, quality.columns) {
            #expect(row[0] == column.name)
            #expect(row[1] == ReportFormat.percent(column.missingShare))
            #expect(row[2] == (column.droppedReason.map { "dropped: \($0)" } ?? "kept"))
            #expect(row[3] == (column.hasMetadata ? "yes" : "no"))
            #expect(row[4] == ReportFormat.integer(column.unknownCodeHits))
        }
        let dropped = quality.columns.filter { $0.droppedReason != nil }.sorted { $0.missingShare > $1.missingShare }
        #expect(
            try rows("dropped-columns")
                == dropped.map { [$0.name, ReportFormat.percent($0.missingShare), $0.droppedReason!] })
        #expect(
            try rows("columns-without-metadata").map(\.[0]) == quality.columns.filter { !$0.hasMetadata }.map(\.name))
        let bins = try rows("row-missing-bins")
        #expect(bins.count == 20)
        #expect(bins[10] == ["50.0%", "55.0%", "1,410"])
        let hits = try rows("unknown-codes")
        #expect(hits.first?[1] == ReportFormat.integer(quality.columns.map(\.unknownCodeHits).max()!))
    }

    @Test func pcaTablesHoldTheData() throws {
        let pca = try #require(data.principalComponents)
        let variance = try rows("explained-variance")
        #expect(variance.count == 200)
        #expect(
            variance[0] == [
                "1", ReportFormat.percent(pca.explainedVarianceRatio[0], decimals: 2),
                ReportFormat.percent(pca.explainedVarianceRatio[0], decimals: 2),
            ])
        let cumulative = pca.explainedVarianceRatio.reduce(0, +)
        #expect(variance[199][2] == ReportFormat.percent(cumulative, decimals: 2))
        #expect(variance[199][2] == "100.00%")
        for component in pca.topAttributes {
            let table = try rows("loadings-\(component.component)")
            #expect(
                table
                    == component.attributes.map { [$0.name, ReportFormat.loading($0.loading), $0.description ?? "–"] })
        }
    }

    @Test func segmentTablesHoldTheData() throws {
        let segments = try #require(data.segments)
        #expect(
            try rows("segment-shares")
                == segments.rows.map {
                    [
                        "\($0.id)", $0.name, ReportFormat.percent($0.populationShare),
                        ReportFormat.percent($0.customerShare),
                        ReportFormat.ratio($0.ratio), $0.label,
                    ]
                })
        #expect(
            try rows("k-scan")
                == segments.kScan!.map {
                    ["\($0.k)", ReportFormat.inertia($0.inertia), ReportFormat.silhouette($0.silhouette)]
                })
        // One card per segment, each trait in words from the metadata.
        let cards = page.all.filter { ["segment", "segment core"].contains($0.attributes["class"] ?? "") }
        #expect(cards.count == segments.rows.count)
        let first = try #require(cards.first?.elements("li").first?.text)
        let attribute = segments.rows[0].distinguishing[0].attribute
        #expect(
            first
                == "Financial typology: money saver (\(attribute), Person): far above average (+1.60 SD); "
                + "typically 1 \u{201C}very high affinity\u{201D}.")
    }

    @Test func responseTablesHoldTheData() throws {
        let response = try #require(data.response)
        #expect(
            try rows("models")
                == response.models.map { [$0.name, ReportFormat.auc($0.cvAUCMean), ReportFormat.auc($0.cvAUCSD)] })
        #expect(try rows("models")[0] == ["gradient-boosted trees", "0.771", "0.014"])
        #expect(
            try rows("lift")
                == response.lift.map {
                    [
                        ReportFormat.percent($0.topShare), ReportFormat.percent($0.responderShare),
                        ReportFormat.lift($0.lift), ReportFormat.probability($0.threshold),
                    ]
                })
        #expect(
            try rows("reliability")
                == response.reliability.enumerated().map {
                    [
                        "\($0.offset + 1)", ReportFormat.percent($0.element.meanPredicted, decimals: 2),
                        ReportFormat.percent($0.element.observed, decimals: 2), ReportFormat.integer($0.element.count),
                    ]
                })
        let features = try rows("top-features")
        #expect(features.count == response.topFeatures.count)
        #expect(features[0] == ["1", response.topFeatures[0].name, "18.00%", SampleReport.trickyDescription])
        // The ROC curves are drawn from every point of both models.
        let roc = try #require(page.element(id: "chart-roc"))
        let lines = roc.elements("polyline").map { $0.attributes["points"]!.split(separator: " ").count }
        #expect(lines == response.models.map(\.roc.count))
    }

    @Test func provenanceTablesHoldTheData() throws {
        let provenance = data.provenance
        #expect(
            try rows("inputs")
                == provenance.inputs.map {
                    [$0.name, ReportFormat.bytes($0.size), ReportFormat.integer($0.size), $0.contentHash]
                })
        #expect(try rows("inputs")[0][1...2] == ["1.10 GB", "1,104,418,232"])
        #expect(try rows("parameters") == provenance.parameters.map { [$0.name, $0.value] })
        // Steps in run order, the time outside them, and the recorded total once: heading and total row agree.
        #expect(
            try rows("steps")
                == [
                    ["read metadata", "0.4 s"], ["ingest", "8.7 s"], ["clean", "4.1 s"], ["segment", "61.9 s"],
                    ["response model", "33.0 s"], ["other (between steps)", "1.8 s"], ["total", "110.0 s"],
                ])
        let caption = try #require(page.element(id: "steps")?.elements("caption").first?.text)
        #expect(caption == "Run time per step (total 110.0 s)")
        let facts = page.elements("dd").map(\.text)
        #expect(facts == [provenance.bundleId, provenance.createdAt, provenance.prospectorVersion])
    }

    @Test func userTextIsEscaped() throws {
        #expect(html.contains("Income &lt;net&gt; &amp; &quot;gross&quot; per household"))
        #expect(!html.contains("<net>"))
        #expect(!html.contains("<kids>"))
        // Read back, the text is the original; also inside the SVG charts.
        let shares = try #require(page.element(id: "chart-segment-shares"))
        #expect(shares.all.contains { $0.name == "text" && $0.text == "3 · \(SampleReport.trickySegmentName)" })
    }

    @Test func pageIsSelfContained() {
        let lowered = html.lowercased()
        for forbidden in ["<script", "http://", "https://", "src=", "url(", "@import", "<link", "<iframe", "<img"] {
            #expect(!lowered.contains(forbidden), "\(forbidden)")
        }
        #expect(lowered.contains("@media print"))
        #expect(lowered.contains("break-inside: avoid"))
    }

    /// Bar labels one per row, at least a font height apart, and none shortened at the real
    /// data's name lengths.
    @Test func barChartLabelsDoNotOverlap() throws {
        let chart = try #require(page.element(id: "chart-column-missing"))
        let labels = chart.all.filter { $0.attributes["class"] == "bar-label" }
        let quality = try #require(data.dataQuality)
        let droppedBeyondTop = quality.columns.sorted { $0.missingShare > $1.missingShare }.dropFirst(60)
            .filter { $0.droppedReason != nil }.count
        #expect(labels.count == 60 + droppedBeyondTop)
        #expect(droppedBeyondTop == 1)
        try expectSeparatedVertically(labels)
        #expect(labels.allSatisfy { !$0.text.hasSuffix("…") })
        let notes = chart.all.filter { $0.attributes["class"] == "bar-note" }
        #expect(notes.count == quality.columns.filter { $0.droppedReason != nil }.count)
        try expectSeparatedVertically(
            try #require(page.element(id: "chart-segment-shares")).all.filter {
                $0.attributes["class"] == "group-label"
            })
        try expectSeparatedVertically(
            try #require(page.element(id: "chart-feature-gain")).all.filter { $0.attributes["class"] == "bar-label" })
    }

    /// At the upper end of the real segment counts, with names longer than the chart allows:
    /// one label per group, a font height apart, shortened rather than running into the bars.
    @Test func twentySegmentsKeepTheirLabelsApart() throws {
        var many = data
        let rows = try #require(data.segments?.rows)
        many.segments?.rows = (0..<20).map { index in
            var row = rows[index % rows.count]
            row.id = index
            row.name = "Segment with a very long descriptive name number \(index)"
            return row
        }
        let page = try XMLTree.parse(ReportRenderer.render(many))
        let chart = try #require(page.element(id: "chart-segment-shares"))
        let labels = chart.all.filter { $0.attributes["class"] == "group-label" }
        #expect(labels.count == 20)
        #expect(labels.allSatisfy { $0.text.hasSuffix("…") })
        try expectSeparatedVertically(labels)
        // Labels end left of the bars.
        let bar = try #require(chart.elements("rect").first { $0.attributes["width"] != nil })
        let barLeft = try #require(Double(bar.attributes["x"] ?? ""))
        for label in labels {
            #expect(Double(label.attributes["x"] ?? "") ?? .infinity < barLeft)
            #expect(label.attributes["text-anchor"] == "end")
            #expect(Double(label.text.count) * 11 * 0.64 <= barLeft)
        }
    }

    /// Tick labels along every x axis leave room between them, by a width estimate of the
    /// test's own (DejaVu Sans digits are 0.64 em wide).
    @Test func axisTickLabelsDoNotOverlap() throws {
        for chart in page.elements("svg") {
            for role in ["tick-x", "tick-x-top"] {
                let ticks = chart.all.filter { $0.attributes["class"] == role }
                let placed = try ticks.map { tick -> (x: Double, width: Double) in
                    let x = try #require(Double(tick.attributes["x"] ?? ""))
                    let size = try #require(Double(tick.attributes["font-size"] ?? ""))
                    return (x, Double(tick.text.count) * size * 0.64)
                }.sorted { $0.x < $1.x }
                for (a, b) in zip(placed, placed.dropFirst()) {
                    #expect(b.x - a.x >= (a.width + b.width) / 2, "\(chart.attributes["id"] ?? "") \(role)")
                }
            }
            for role in ["tick-y", "tick-y2"] {
                try expectSeparatedVertically(chart.all.filter { $0.attributes["class"] == role })
            }
        }
    }

    private func expectSeparatedVertically(_ labels: [Node], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let placed = try labels.map { label -> (y: Double, size: Double) in
            (
                try #require(Double(label.attributes["y"] ?? "")),
                try #require(Double(label.attributes["font-size"] ?? ""))
            )
        }.sorted { $0.y < $1.y }
        for (a, b) in zip(placed, placed.dropFirst()) {
            #expect(b.y - a.y >= max(a.size, b.size), sourceLocation: sourceLocation)
        }
    }

    /// Empty sections, a long ROC curve and values JSON could not even hold: the page is still
    /// well-formed, and says "–" where a number is undefined.
    @Test func degenerateDataStillRenders() throws {
        var odd = data
        odd.dataQuality = .init(
            columns: [
                .init(name: "ONLY", missingShare: .nan, droppedReason: nil, hasMetadata: true, unknownCodeHits: 0)
            ],
            columnMissingThreshold: nil, rowMissingHistogram: .init(binEdges: [], counts: []), rowMissingThreshold: 0.5,
            rowsAboveThreshold: 0, rowCount: 0)
        odd.principalComponents = .init(
            explainedVarianceRatio: [], chosenComponents: 0, varianceTarget: nil, topAttributes: [])
        odd.segments = .init(
            kScan: nil, chosenK: 1,
            rows: [
                .init(
                    id: 0, name: "all", label: "neutral", populationShare: 0, customerShare: 1, ratio: nil,
                    distinguishing: [])
            ])
        let dense = (0...40_000).map { step in
            let fpr = Double(step) / 40_000
            return ReportData.ROCPoint(falsePositiveRate: fpr, truePositiveRate: fpr.squareRoot())
        }
        odd.response = .init(
            models: [.init(name: "trees", cvAUCMean: .infinity, cvAUCSD: 0, roc: dense)], baseRate: nil, lift: [],
            reliability: [], expectedCalibrationError: 0, topFeatures: [])
        let page = try XMLTree.parse(ReportRenderer.render(odd))
        #expect(page.element(id: "all-columns")?.tableRows == [["ONLY", "–", "kept", "yes", "0"]])
        #expect(page.element(id: "segment-shares")?.tableRows.first?[4] == "–")
        #expect(page.element(id: "models")?.tableRows == [["trees", "–", "0.000"]])
        // The dense curve is drawn with about one point per pixel, first and last kept.
        let points = try #require(page.element(id: "chart-roc")?.elements("polyline").first?.attributes["points"])
            .split(separator: " ")
        #expect(points.count > 100 && points.count < 2_000)
        #expect(page.element(id: "chart-k-scan") == nil)
    }

    @Test func dataSurvivesJSON() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(data)
        #expect(try JSONDecoder().decode(ReportData.self, from: json) == data)
        let text = String(decoding: json, as: UTF8.self)
        for key in [
            "\"explainedVarianceRatio\"", "\"rowMissingHistogram\"", "\"cvAUCMean\"", "\"droppedReason\"", "\"kScan\"",
        ] {
            #expect(text.contains(key))
        }
    }
}

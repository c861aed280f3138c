import Testing

@testable import Report

/// The drift page: well-formed, attributes by PSI with their level, segment shares drawn.
@Suite struct DriftPageTests {
    static let drift = DriftData(
        bundleId: "2026-12-04T0300Z-0badc0de", file: "prospects.csv", rows: 1000, rowsWithErrors: 2, populationRows: 8912,
        attributes: [
            .init(name: "STABLE", psi: 0.01, bins: ["1", "2", "other", "missing"], expected: [0.5, 0.5, 0, 0], actual: [0.52, 0.48, 0, 0]),
            .init(name: "MOVED", psi: 0.31, bins: ["≤ 3", "> 3", "missing"], expected: [0.5, 0.5, 0], actual: [0.2, 0.8, 0]),
            .init(name: "WATCHED", psi: 0.12, bins: ["1", "other", "missing"], expected: [0.9, 0, 0.1], actual: [0.8, 0, 0.2]),
        ],
        segments: [.init(number: 1, label: "core", population: 0.6, file: 0.5), .init(number: 0, label: "insufficient-data", population: 0.4, file: 0.5)])

    @Test func attributesByPSIWithTheirLevel() throws {
        let page = try XMLTree.parse(DriftPage.render(Self.drift))
        let rows = try #require(page.element(id: "drift-attributes")).tableRows
        #expect(rows == [["MOVED", "0.3100", "act"], ["WATCHED", "0.1200", "watch"], ["STABLE", "0.0100", "stable"]])
        // The bins of the attributes past the watch threshold are listed; the stable one's are not.
        #expect(page.element(id: "drift-bins-MOVED")?.tableRows.first == ["≤ 3", "50.0%", "20.0%"])
        #expect(page.element(id: "drift-bins-WATCHED") != nil)
        #expect(page.element(id: "drift-bins-STABLE") == nil)
        #expect(page.element(id: "chart-drift-psi") != nil)
        #expect(page.element(id: "chart-drift-segments") != nil)
    }

    @Test func textTableSortsAndCounts() {
        let text = Self.drift.table(limit: 2)
        #expect(text.contains("PSI: 1 attributes to act on (>= 0.25), 1 to watch (>= 0.1), 1 stable"))
        let moved = text.range(of: "MOVED")!.lowerBound
        let watched = text.range(of: "WATCHED")!.lowerBound
        #expect(moved < watched)
        #expect(text.contains("(1 more, all below 0.0100)"))
    }
}

import Testing

@testable import Report

@Suite struct ReportFormatTests {
    @Test func numbersAreWrittenConsistently() {
        #expect(ReportFormat.percent(0.1234) == "12.3%")
        #expect(ReportFormat.percent(0.00049) == "0.0%")
        #expect(ReportFormat.percent(-0.0001) == "0.0%")
        #expect(
            ReportFormat.percent(0.01235, decimals: 2) == "1.24%"
                || ReportFormat.percent(0.01235, decimals: 2) == "1.23%")
        #expect(ReportFormat.percent(.nan) == "–")
        #expect(ReportFormat.integer(891_221) == "891,221")
        #expect(ReportFormat.integer(-1_234_567) == "-1,234,567")
        #expect(ReportFormat.integer(999) == "999")
        #expect(ReportFormat.ratio(2.345_6) == "2.35×")
        #expect(ReportFormat.ratio(nil) == "–")
        #expect(ReportFormat.deviation(1.234) == "+1.23 SD")
        #expect(ReportFormat.deviation(-0.5) == "-0.50 SD")
        #expect(ReportFormat.deviation(-0.001) == "0.00 SD")
        #expect(ReportFormat.bytes(999) == "999 B")
        #expect(ReportFormat.bytes(1_104_418_232) == "1.10 GB")
        #expect(ReportFormat.bytes(240_223_118) == "240 MB")
        #expect(ReportFormat.bytes(12_345_678) == "12.3 MB")
        #expect(ReportFormat.seconds(61.94) == "61.9 s")
        #expect(ReportFormat.inertia(23_456_789.4) == "23,456,789")
        #expect(ReportFormat.inertia(.infinity) == "–")
        #expect(ReportFormat.probability(0.012345) == "0.0123")
    }

    @Test func niceScalesUseRoundSteps() {
        let shares = NiceScale(covering: 0, 0.87, maxTicks: 6)
        #expect(shares.step == 0.2)
        #expect(shares.upper == 1.0)
        #expect(shares.ticks.count == 6)
        // 0, 100k, ... 700k are 8 ticks: allowed 8, taken; allowed 7, the next step up.
        let counts = NiceScale(covering: 0, 601_234, maxTicks: 8)
        #expect(counts.step == 100_000)
        #expect(counts.upper == 700_000)
        let fewer = NiceScale(covering: 0, 601_234, maxTicks: 7)
        #expect(fewer.step == 200_000)
        #expect(fewer.upper == 800_000)
        let inertia = NiceScale(covering: 17_100_000, 25_300_000, maxTicks: 7)
        #expect(inertia.step == 2_000_000)
        #expect(inertia.lower == 16_000_000)
        #expect(inertia.upper == 26_000_000)
        #expect(TickFormat.percent.label(0.25, step: 0.05) == "25%")
        #expect(TickFormat.percent.label(0.025, step: 0.005) == "2.5%")
        #expect(TickFormat.number.label(700_000, step: 100_000) == "700k")
        #expect(TickFormat.number.label(17_500_000, step: 500_000) == "17.5M")
    }

    @Test func escapingCoversMarkupCharacters() {
        #expect(Markup.escape("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;")
        #expect(Markup.escape("tab\there\u{1}") == "tab\there ")
    }

    @Test func traitsReadAsWords() {
        let trait = ReportData.Trait(
            attribute: "FINANZ_SPARER", description: "Financial typology: money saver", level: "Person",
            deviation: -0.62,
            typicalCode: "5", typicalMeaning: "very low")
        let words = SegmentsSection.describe(trait)
        #expect(
            words
                == "<strong>Financial typology: money saver</strong> <span class=\"attr\">(FINANZ_SPARER, Person)</span>"
                + ": below average (-0.62 SD); typically 5 \u{201C}very low\u{201D}.")
        let bare = ReportData.Trait(
            attribute: "KBA05_ANTG1", description: nil, level: nil, deviation: 0.2, typicalCode: nil,
            typicalMeaning: nil)
        #expect(SegmentsSection.describe(bare) == "<strong>KBA05_ANTG1</strong>: slightly above average (+0.20 SD).")
    }
}

/// Part 1: how complete the population was, which columns the cleaning dropped and why, and
/// which rows had too little data to be profiled.
enum DataQualitySection {
    /// Columns labelled one per row in the bar chart (dropped columns are always added).
    static let labelledColumns = 60

    static func render(_ quality: ReportData.DataQuality) -> String {
        let columns = quality.columns
        let dropped = columns.filter { $0.droppedReason != nil }.sorted { $0.missingShare > $1.missingShare }
        let withoutMetadata = columns.filter { !$0.hasMetadata }
        let rowShare = quality.rowCount > 0 ? Double(quality.rowsAboveThreshold) / Double(quality.rowCount) : .nan
        var out = Page.paragraph(
            "\(ReportFormat.integer(columns.count)) columns in the population file; \(dropped.count) dropped by the cleaning, "
                + "\(withoutMetadata.count) without metadata. \(ReportFormat.percent(rowShare)) of the rows "
                + "(\(ReportFormat.integer(quality.rowsAboveThreshold)) of \(ReportFormat.integer(quality.rowCount))) miss more "
                + "than \(ReportFormat.percent(quality.rowMissingThreshold)) of their kept columns and form the "
                + "\u{201C}insufficient data\u{201D} segment.")
        out += Markup.text("h3", "Missing share per column")
        out += columnBars(quality)
        out += columnProfile(quality)
        out += droppedTable(dropped)
        out += Markup.text("h3", "Missing share per row")
        out += rowHistogram(quality, rowShare: rowShare)
        out += Markup.text("h3", "Unknown codes and metadata coverage")
        out += unknownCodesTable(quality)
        out += withoutMetadataTable(withoutMetadata)
        out += Page.folded("All \(columns.count) columns", allColumnsTable(columns))
        return out
    }

    private static func threshold(_ quality: ReportData.DataQuality) -> (value: Double, label: String)? {
        quality.columnMissingThreshold.map { ($0, "drop threshold: \(ReportFormat.percent($0)) missing") }
    }

    /// The most incomplete columns, one labelled bar each, plus every dropped column.
    private static func columnBars(_ quality: ReportData.DataQuality) -> String {
        let ranked = quality.columns.enumerated().sorted {
            $0.element.missingShare != $1.element.missingShare
                ? $0.element.missingShare > $1.element.missingShare : $0.offset < $1.offset
        }
        let shown = ranked.enumerated().filter {
            $0.offset < labelledColumns || $0.element.element.droppedReason != nil
        }
        let bars = shown.map { item in
            let column = item.element.element
            return BarChart.Bar(
                label: column.name, value: column.missingShare, highlighted: column.droppedReason != nil,
                note: column.droppedReason)
        }
        let chart = BarChart(
            bars: bars, valueTitle: "missing share of population rows (%)", format: .percent, domainMax: 1,
            threshold: threshold(quality),
            legend: [
                Legend.Entry(name: "kept", color: Palette.blue),
                Legend.Entry(name: "dropped", color: Palette.vermillion),
            ])
        let caption =
            bars.count < quality.columns.count
            ? "The \(bars.count) most incomplete of \(quality.columns.count) columns, most missing first; "
                + "dropped columns in red with the reason. The next figure shows all columns."
            : "All \(quality.columns.count) columns, most missing first; dropped columns in red with the reason."
        return Page.figure(
            chart.svg(id: "chart-column-missing", title: "Missing share per column"), caption: caption)
    }

    /// Every column as a thin bar, sorted: the shape of the whole table's completeness.
    private static func columnProfile(_ quality: ReportData.DataQuality) -> String {
        let sorted = quality.columns.sorted { $0.missingShare > $1.missingShare }
        let highlighted = Set(sorted.indices.filter { sorted[$0].droppedReason != nil })
        let chart = ProfileStrip(
            values: sorted.map(\.missingShare), highlighted: highlighted,
            itemTitle: "columns, most missing first (count)", valueTitle: "missing share (%)", format: .percent,
            domainMax: 1, threshold: threshold(quality),
            legend: [
                Legend.Entry(name: "kept", color: Palette.blue),
                Legend.Entry(name: "dropped", color: Palette.vermillion),
            ])
        return Page.figure(
            chart.svg(id: "chart-column-profile", title: "Missing share of all columns"),
            caption: "All \(quality.columns.count) columns as one bar each, sorted by their missing share.")
    }

    private static func droppedTable(_ dropped: [ReportData.Column]) -> String {
        guard !dropped.isEmpty else { return Page.paragraph("The cleaning dropped no column.") }
        return Markup.table(
            id: "dropped-columns", caption: "Dropped columns, most missing first",
            header: ["Column", "Missing", "Reason"],
            numericColumns: [1],
            rows: dropped.map {
                [Page.code($0.name), ReportFormat.percent($0.missingShare), Markup.escape($0.droppedReason ?? "")]
            })
    }

    private static func rowHistogram(_ quality: ReportData.DataQuality, rowShare: Double) -> String {
        let histogram = quality.rowMissingHistogram
        let chart = Histogram(
            binEdges: histogram.binEdges, counts: histogram.counts,
            xTitle: "share of the row's kept columns missing (%)", yTitle: "population rows (count)", xFormat: .percent,
            threshold: (
                quality.rowMissingThreshold,
                "insufficient-data threshold: \(ReportFormat.percent(quality.rowMissingThreshold))"
            ))
        var out = Page.figure(
            chart.svg(id: "chart-row-missing", title: "Missing share per row"),
            caption: "Population rows by the share of their kept columns that is missing (a bar taller than the "
                + "axis is cut and its count written beside it). Rows right of the dashed "
                + "line (red bars), \(ReportFormat.integer(quality.rowsAboveThreshold)) or \(ReportFormat.percent(rowShare)), "
                + "have insufficient data.")
        let rows = histogram.counts.indices.filter { $0 + 1 < histogram.binEdges.count }.map { index in
            [
                ReportFormat.percent(histogram.binEdges[index]), ReportFormat.percent(histogram.binEdges[index + 1]),
                ReportFormat.integer(histogram.counts[index]),
            ]
        }
        out += Page.folded(
            "Rows per bin",
            Markup.table(
                id: "row-missing-bins", caption: "Population rows by missing share", header: ["From", "To", "Rows"],
                numericColumns: [0, 1, 2], rows: rows))
        return out
    }

    private static func unknownCodesTable(_ quality: ReportData.DataQuality) -> String {
        let hit = quality.columns.filter { $0.unknownCodeHits > 0 }.sorted {
            $0.unknownCodeHits != $1.unknownCodeHits ? $0.unknownCodeHits > $1.unknownCodeHits : $0.name < $1.name
        }
        guard !hit.isEmpty else { return Page.paragraph("No cell held a code the metadata marks as unknown.") }
        let total = hit.reduce(0) { $0 + $1.unknownCodeHits }
        let table = Markup.table(
            id: "unknown-codes", caption: "Cells holding an \u{201C}unknown\u{201D} code (turned missing)",
            header: ["Column", "Cells", "Share of rows"], numericColumns: [1, 2],
            rows: hit.map {
                [
                    Page.code($0.name), ReportFormat.integer($0.unknownCodeHits),
                    ReportFormat.percent(
                        quality.rowCount > 0 ? Double($0.unknownCodeHits) / Double(quality.rowCount) : .nan),
                ]
            })
        return Page.paragraph(
            "\(ReportFormat.integer(total)) cells in \(hit.count) columns held a code whose meaning in the metadata is "
                + "\u{201C}unknown\u{201D}; they count as missing above.")
            + (hit.count > 25 ? Page.folded("Columns with unknown codes (\(hit.count))", table) : table)
    }

    private static func withoutMetadataTable(_ columns: [ReportData.Column]) -> String {
        guard !columns.isEmpty else { return Page.paragraph("Every column is described in the metadata.") }
        let table = Markup.table(
            id: "columns-without-metadata", caption: "Columns without metadata", header: ["Column", "Missing", "Kept"],
            numericColumns: [1],
            rows: columns.map {
                [
                    Page.code($0.name), ReportFormat.percent($0.missingShare),
                    $0.droppedReason == nil ? "kept" : "dropped",
                ]
            })
        return Page.paragraph(
            "\(columns.count) columns are not described in the metadata workbooks: their codes cannot be checked "
                + "for \u{201C}unknown\u{201D} and their meaning cannot be shown.")
            + (columns.count > 25 ? Page.folded("Columns without metadata (\(columns.count))", table) : table)
    }

    private static func allColumnsTable(_ columns: [ReportData.Column]) -> String {
        Markup.table(
            id: "all-columns", caption: "All columns, in file order",
            header: ["Column", "Missing", "Status", "Metadata", "Unknown-code cells"], numericColumns: [1, 4],
            rows: columns.map {
                [
                    Page.code($0.name), ReportFormat.percent($0.missingShare),
                    Markup.escape($0.droppedReason.map { "dropped: \($0)" } ?? "kept"), $0.hasMetadata ? "yes" : "no",
                    ReportFormat.integer($0.unknownCodeHits),
                ]
            })
    }
}

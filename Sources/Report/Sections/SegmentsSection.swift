/// Part 3: the segments, how customers spread over them compared with the population, and
/// what sets each segment apart, in the metadata's words.
enum SegmentsSection {
    static func render(_ segments: ReportData.Segments) -> String {
        let core = segments.rows.filter { $0.label == "core" }
        var summary = "\(segments.chosenK) segments"
        if let scan = segments.kScan, let first = scan.first?.k, let last = scan.last?.k {
            summary += ", chosen from a scan of k = \(first)…\(last)"
        }
        summary += ". "
        summary +=
            core.isEmpty
            ? "No segment holds customers at twice its population share."
            : "Core customer base (customer share at least twice the population share): "
                + core.map(\.name).joined(separator: ", ") + "."
        var out = Page.paragraph(summary)
        if let scan = segments.kScan, !scan.isEmpty {
            out += kScan(scan, chosenK: segments.chosenK)
        }
        out += shares(segments.rows)
        if let lineage = segments.lineage { out += moved(lineage) }
        out += Markup.text("h3", "What sets each segment apart")
        out += Page.paragraph(
            "Each segment's attributes furthest from the population average, in population standard deviations (SD), "
                + "with the code its members typically have and what that code means.")
        out += "<div class=\"segments\">" + segments.rows.map(card).joined() + "</div>"
        return out
    }

    private static func kScan(_ scan: [ReportData.KScanPoint], chosenK: Int) -> String {
        var series: [LineChart.Series] = [
            .init(
                name: "inertia (left axis)", points: scan.map { (Double($0.k), $0.inertia) }, color: Palette.blue,
                markers: true)
        ]
        let silhouettes = scan.compactMap { point in point.silhouette.map { (x: Double(point.k), y: $0) } }
        if !silhouettes.isEmpty {
            series.append(
                .init(
                    name: "silhouette (right axis)", points: silhouettes, side: .right, color: Palette.vermillion,
                    markers: true))
        }
        let chart = LineChart(
            series: series,
            x: .init(title: "k (number of segments)", format: .number, includeZero: false),
            left: .init(title: "inertia (sum of squared distances)", format: .number, includeZero: false),
            right: silhouettes.isEmpty
                ? nil : .init(title: "mean silhouette (−1…1)", format: .number, includeZero: false),
            verticalMarkers: [(Double(chosenK), "chosen: k = \(chosenK)")], xGrid: true)
        return Page.figure(
            chart.svg(id: "chart-k-scan", title: "Inertia and silhouette per k"),
            caption:
                "Inertia falls as k grows (look for the elbow); a higher silhouette means better separated segments.")
            + Markup.table(
                id: "k-scan", caption: "The k scan", header: ["k", "Inertia", "Silhouette"], numericColumns: [0, 1, 2],
                rows: scan.map {
                    ["\($0.k)", ReportFormat.inertia($0.inertia), ReportFormat.silhouette($0.silhouette)]
                })
    }

    private static func shares(_ rows: [ReportData.Segment]) -> String {
        // The campaign file's response per segment, when the run measured it: do the core segments also respond?
        let withCampaign = rows.contains { $0.campaign != nil }
        let chart = GroupedBarChart(
            groups: rows.map {
                GroupedBarChart.Group(
                    label: "\($0.id) · \($0.name)", values: [$0.populationShare, $0.customerShare],
                    note: "\(ReportFormat.ratio($0.ratio)) \($0.label)", emphasised: $0.label == "core")
            },
            seriesNames: ["population share", "customer share"], valueTitle: "share of people (%)", format: .percent)
        return Page.figure(
            chart.svg(id: "chart-segment-shares", title: "Population and customer share per segment"),
            caption:
                "Share of the population (grey) and of the customers (blue) in each segment; right: customer share "
                + "over population share, and the label it earns (core ≥ 2×, over-represented ≥ 1.25×, "
                + "under-represented ≤ 0.8×)."
                + (withCampaign
                    ? " The table's last columns: the segment's rows in the campaign's training file, their mean "
                        + "out-of-fold predicted response probability and the share of them who responded." : ""))
            + Markup.table(
                id: "segment-shares", caption: "Customers against the population per segment",
                header: ["Segment", "Name", "Population", "Customers", "Ratio", "Label"]
                    + (withCampaign ? ["Campaign rows", "Mean predicted", "Observed response"] : []),
                numericColumns: [0, 2, 3, 4, 6, 7, 8],
                rows: rows.map {
                    [
                        "\($0.id)", Markup.escape($0.name), ReportFormat.percent($0.populationShare),
                        ReportFormat.percent($0.customerShare), ReportFormat.ratio($0.ratio), Markup.escape($0.label),
                    ]
                        + (withCampaign
                            ? $0.campaign.map {
                                [
                                    ReportFormat.integer($0.rows), ReportFormat.percent($0.meanPredicted, decimals: 2),
                                    ReportFormat.percent($0.observedRate, decimals: 2),
                                ]
                            } ?? ["0", ReportFormat.unavailable, ReportFormat.unavailable] : [])
                })
    }

    /// The segments against the previous bundle's: kept numbers, new and vanished segments.
    private static func moved(_ lineage: ReportData.Lineage) -> String {
        var out = Markup.text("h3", "What moved since the previous bundle")
        let new = lineage.entries.filter { $0.status == "new" }.map(\.name)
        let vanished = lineage.entries.filter { $0.status == "vanished" }.map(\.name)
        out += Page.paragraph(
            (lineage.renumbered
                ? "Numbered afresh (--renumber); the previous bundle was \(lineage.previousBundleId). "
                : "Segments keep the number of the previous bundle's segment (\(lineage.previousBundleId)) whose centre is "
                    + "nearest (optimal one-to-one matching). ")
                + (new.isEmpty ? "No new segments" : "New: " + new.joined(separator: ", "))
                + "; " + (vanished.isEmpty ? "none vanished." : "vanished: " + vanished.joined(separator: ", ") + "."))
        func share(_ value: Double?) -> String { value.map { ReportFormat.percent($0) } ?? "–" }
        return out + Markup.table(
            id: "segment-lineage", caption: "Segments against the previous bundle (distance: centre moved, in SD)",
            header: ["Segment", "Status", "Distance", "Population before", "Population now", "Customers before", "Customers now"],
            numericColumns: [2, 3, 4, 5, 6],
            rows: lineage.entries.map {
                [
                    Markup.escape($0.name), Markup.escape($0.status),
                    $0.distance.map { ReportFormat.fixed($0, decimals: 3) } ?? "–", share($0.populationShareBefore),
                    share($0.populationShareNow), share($0.customerShareBefore), share($0.customerShareNow),
                ]
            })
    }

    private static func card(_ segment: ReportData.Segment) -> String {
        let labelClass = segment.label == "core" ? "label core" : "label"
        var out = "<div class=\"\(segment.label == "core" ? "segment core" : "segment")\">"
        out += Markup.element(
            "h4",
            Markup.escape(segment.name.prefix(1).uppercased() + segment.name.dropFirst() + " ")
                + Markup.text("span", segment.label, attributes: [("class", labelClass)]))
        out += Page.paragraph(
            "\(ReportFormat.percent(segment.customerShare)) of customers, \(ReportFormat.percent(segment.populationShare)) "
                + "of the population (\(ReportFormat.ratio(segment.ratio))).")
        if segment.distinguishing.isEmpty {
            out += Page.paragraph("No distinguishing attributes recorded.")
        } else {
            out += "<ul>" + segment.distinguishing.map { "<li>" + describe($0) + "</li>" }.joined() + "</ul>"
        }
        return out + "</div>"
    }

    /// One trait in words: "<description> (ATTRIBUTE, level): far above average (+1.42 SD);
    /// typically 1 “very high”."
    static func describe(_ trait: ReportData.Trait) -> String {
        var out = Markup.text("strong", trait.description ?? trait.attribute)
        var source = trait.description == nil ? "" : trait.attribute
        if let level = trait.level, !level.isEmpty { source += source.isEmpty ? level : ", \(level)" }
        if !source.isEmpty { out += " " + Markup.text("span", "(\(source))", attributes: [("class", "attr")]) }
        out += Markup.escape(": \(direction(trait.deviation)) (\(ReportFormat.deviation(trait.deviation)))")
        if let code = trait.typicalCode {
            out += Markup.escape("; typically \(code)")
            if let meaning = trait.typicalMeaning, !meaning.isEmpty {
                out += Markup.escape(" \u{201C}\(meaning)\u{201D}")
            }
        }
        return out + "."
    }

    static func direction(_ deviation: Double) -> String {
        let side = deviation >= 0 ? "above" : "below"
        switch abs(deviation) {
        case 1...: return "far \(side) average"
        case 0.5..<1: return "\(side) average"
        default: return "slightly \(side) average"
        }
    }
}

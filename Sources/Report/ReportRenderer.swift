/// Draws a training run's report: one self-contained HTML page (inline CSS and SVG, no
/// scripts, nothing fetched from the network) that reads on screen and on paper.
package enum ReportRenderer {
    /// The parts of the page, in order: `id` is the section's HTML id (`#data-quality`, …).
    package static let sections: [(id: String, title: String)] = [
        ("summary", "Summary"), ("segments", "Segments"), ("response", "Response model"),
        ("pca", "Principal components"), ("data-quality", "Data quality"), ("provenance", "Provenance"),
    ]

    package static func render(_ data: ReportData) -> String {
        let provenance = data.provenance
        let bodies: [String?] = [
            SummarySection.render(data),
            data.segments.map(SegmentsSection.render),
            data.response.map(ResponseSection.render),
            data.principalComponents.map(PrincipalComponentsSection.render),
            data.dataQuality.map(DataQualitySection.render),
            ProvenanceSection.render(provenance),
        ]
        let missingReasons = [
            "this run neither segmented the population nor fitted a response model.",
            "this run did not segment the population.", "this run fitted no response model.",
            "this run recorded no principal components.", "this run recorded no data-quality figures.", "",
        ]
        var out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
        out += Markup.text("title", "\(data.title) · \(provenance.bundleId)")
        out += "<style>\n" + Stylesheet.css + "</style></head><body><header>"
        out += Markup.text("h1", data.title)
        out += Markup.element(
            "p",
            Markup.escape("Bundle ") + Page.code(provenance.bundleId)
                + Markup.escape(" · created \(provenance.createdAt) · Prospector \(provenance.prospectorVersion)"),
            attributes: [("class", "subtitle")])
        out += "<nav><ol>"
        for (index, section) in sections.enumerated() {
            out +=
                "<li>" + Markup.text("a", "\(index + 1). \(section.title)", attributes: [("href", "#\(section.id)")])
                + "</li>"
        }
        out += "</ol></nav></header><main>"
        for (index, section) in sections.enumerated() {
            out += Page.section(
                id: section.id, number: index + 1, title: section.title, content: bodies[index],
                unavailable: missingReasons[index])
        }
        out += "</main>"
        out += Markup.text(
            "footer", "Written by Prospector \(provenance.prospectorVersion) for bundle \(provenance.bundleId).")
        return out + "</body></html>\n"
    }
}

/// Part 5: which bundle this is, what it was fitted on, with which settings, and how long
/// each step took: enough to reproduce the run or tell two runs apart.
enum ProvenanceSection {
    static func render(_ provenance: ReportData.Provenance) -> String {
        var out = "<dl class=\"facts\">"
        for (term, value) in [
            ("Bundle id", provenance.bundleId), ("Created (UTC)", provenance.createdAt),
            ("Prospector version", provenance.prospectorVersion),
        ] {
            out += Markup.text("dt", term) + Markup.element("dd", Page.code(value))
        }
        out += "</dl>"
        out += Markup.table(
            id: "inputs", caption: "Inputs", header: ["File", "Size", "Bytes", "Content hash"], numericColumns: [1, 2],
            rows: provenance.inputs.map {
                [
                    Page.code($0.name), ReportFormat.bytes($0.size), ReportFormat.integer($0.size),
                    Page.code($0.contentHash),
                ]
            })
        out += Markup.table(
            id: "parameters", caption: "Parameters", header: ["Parameter", "Value"], numericColumns: [],
            rows: provenance.parameters.map { [Page.code($0.name), Page.code($0.value)] })
        // The rows add up to the total the heading and the last row show.
        let total = ReportFormat.seconds(provenance.totalSeconds)
        var steps = provenance.timedSteps.map { [Markup.escape($0.step), ReportFormat.seconds($0.seconds)] }
        if provenance.untimedSeconds >= 0.05 {
            steps.append(["other (between steps)", ReportFormat.seconds(provenance.untimedSeconds)])
        }
        steps.append([Markup.escape(ReportData.Provenance.totalStep), total])
        out += Markup.table(
            id: "steps", caption: "Run time per step (total \(total))", header: ["Step", "Time"], numericColumns: [1],
            rows: steps)
        return out
    }
}

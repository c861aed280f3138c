/// Adds up a plan's figures as rows are scored and mailed, per segment and in total.
package struct PlanTally {
    package let options: PlanOptions
    private var total = FiguresAccumulator()
    private var segments: [FiguresAccumulator]
    package private(set) var rowsRead = 0
    package private(set) var rowsWithErrors = 0

    package init(options: PlanOptions, segmentCount: Int) {
        self.options = options
        segments = [FiguresAccumulator](repeating: FiguresAccumulator(), count: segmentCount)
    }

    package mutating func scored(segment: Int) {
        rowsRead += 1
        total.scored += 1
        segments[segment].scored += 1
    }

    package mutating func failed() {
        rowsRead += 1
        rowsWithErrors += 1
    }

    package mutating func mailed(_ candidate: Candidate) {
        total.mail(candidate.probability, value: options.valuePerResponse)
        segments[candidate.segment].mail(candidate.probability, value: options.valuePerResponse)
    }

    /// `names[s]` = (printed number, label) of segment index `s`.
    package func summary(bundleId: String, segmentNames: [(number: Int, label: String)]) -> PlanSummary {
        let cut: String
        switch options.cut {
        case .budget(let budget): cut = "budget \(PlanSummary.money(budget))"
        case .top(let n): cut = "top \(n)"
        case .minProfit: cut = "min-profit"
        }
        let perSegment = segments.indices.filter { segments[$0].scored > 0 }.map { s in
            PlanSummary.Segment(
                segment: segmentNames[s].number, label: segmentNames[s].label,
                figures: segments[s].figures(costPerMail: options.costPerMail))
        }.sorted { ($0.segment == 0 ? Int.max : $0.segment) < ($1.segment == 0 ? Int.max : $1.segment) }  // insufficient data last
        return PlanSummary(
            bundleId: bundleId, costPerMail: options.costPerMail, valuePerResponse: options.valuePerResponse, cut: cut,
            breakEvenProbability: options.breakEvenProbability, rowsRead: rowsRead, rowsWithErrors: rowsWithErrors,
            total: total.figures(costPerMail: options.costPerMail), segments: perSegment)
    }
}

/// Why a row got its score and its segment, per input attribute: the reason codes of
/// `scorer --reasons N` and `trainer predict --reasons N`.
///
/// **Response reasons.** The trees' exact SHAP values (``TreeSHAP``) of the raw score
/// (log-odds), one per engineered feature, summed per source attribute: the features derived
/// from one input column (its value, its one-hot indicators, CAMEO's two digits, …) count as
/// that column; the row's missing share is its own pseudo-attribute `ROW_MISSING_SHARE`.
/// Sums of Shapley values are the Shapley values of the group, so the attribute values still
/// add up: `expectedValue + Σ contributions = raw score`. The N attributes of largest
/// |contribution| are reported, with their sign.
///
/// **Segment reasons.** A row's segment is the centre c minimising ‖c‖² − 2 w_c·(x − μ)
/// (``FoldedCentroids``; x the standardised features, w_c the centre folded back through the
/// PCA axes). The sum 2 w_c·(x − μ) is what pulls the row towards c, away from the population
/// mean (where it is 0), and splits over features: feature j pulls with
/// w_c[j]·(x_j − μ_j), the row's standardised value times the centre's. Summed per attribute,
/// the N largest positive pulls are the segment's reasons (none for insufficient data).
public struct ReasonModel: Sendable {
    /// The trees' SHAP computation.
    public let shap: TreeSHAP
    /// The attributes reasons name: the transform's inputs, then `ROW_MISSING_SHARE` (if used).
    public let attributeNames: [String]
    /// For each feature, the index of its attribute.
    public let featureAttribute: [Int32]

    /// nil when the trees have no node statistics (bundles written before format 1.1).
    public init?(transform: CleaningTransform, booster: TreeEnsemble) {
        guard let shap = TreeSHAP(booster) else { return nil }
        self.shap = shap
        var names = transform.inputs.map(\.name)
        var attribute: [Int32] = []
        for feature in transform.features {
            switch feature.recipe {
            case .value(let input), .indicator(let input, _), .tensDigit(let input), .unitsDigit(let input),
                .lookup(let input, _):
                attribute.append(Int32(input))
            case .missingShare:
                if let existing = names.firstIndex(of: feature.name) {
                    attribute.append(Int32(existing))
                } else {
                    attribute.append(Int32(names.count))
                    names.append(feature.name)
                }
            }
        }
        attributeNames = names
        featureAttribute = attribute
    }
}

/// One attribute and how much it moved the row: a SHAP contribution to the log-odds, or a
/// pull towards the segment's centre.
public struct Reason: Sendable, Hashable {
    /// Index into ``ReasonModel/attributeNames``.
    public var attribute: Int
    /// The contribution to the log-odds (response), or the pull towards the centre (segment).
    public var value: Double

    /// A reason from its attribute index and value.
    public init(attribute: Int, value: Double) {
        self.attribute = attribute
        self.value = value
    }
}

/// A row's reasons: the response's (largest |contribution| first) and the segment's
/// (largest pull first).
public struct RowReasons: Sendable, Hashable {
    /// The response's reasons, largest |contribution| first.
    public var response: [Reason]
    /// The segment's reasons, largest pull first (none for insufficient data).
    public var segment: [Reason]

    /// Reasons from their two lists.
    public init(response: [Reason], segment: [Reason]) {
        self.response = response
        self.segment = segment
    }
}

/// One thread's reason-code computation, with its own buffers (no allocation per row but the
/// answer's two small arrays).
public final class RowExplainer {
    /// The bundle's reason model, shared read-only by every explainer.
    public let model: ReasonModel
    /// Reasons per list a row gets (the `--reasons N`).
    public let count: Int
    private let scratch: TreeSHAP.Scratch
    private var phi: [Double]
    private var perAttribute: [Double]

    /// An explainer with its own buffers, for one thread, giving `count` reasons per list.
    public init(model: ReasonModel, count: Int) {
        self.model = model
        self.count = count
        scratch = TreeSHAP.Scratch(for: model.shap)
        phi = [Double](repeating: 0, count: model.featureAttribute.count)
        perAttribute = [Double](repeating: 0, count: model.attributeNames.count)
    }

    /// Every attribute's SHAP contribution for a row of raw features (index = attribute).
    public func attributeContributions(raw: UnsafeBufferPointer<Double>) -> [Double] {
        computeContributions(raw: raw)
        return perAttribute
    }

    /// Every feature's SHAP contribution for a row of raw features (index = feature).
    public func featureContributions(raw: UnsafeBufferPointer<Double>) -> [Double] {
        computeContributions(raw: raw)
        return phi
    }

    private func computeContributions(raw: UnsafeBufferPointer<Double>) {
        let attributeOf = model.featureAttribute
        phi.withUnsafeMutableBufferPointer { phi in
            phi.update(repeating: 0)
            model.shap.addContributions(row: raw, to: phi, scratch: scratch)
            perAttribute.withUnsafeMutableBufferPointer { sums in
                sums.update(repeating: 0)
                for (j, a) in attributeOf.enumerated() where phi[j] != 0 { sums[Int(a)] += phi[j] }
            }
        }
    }

    /// The row's reasons; `segment` is its segment index from `segments`/`folded`.
    public func reasons(
        raw: UnsafeBufferPointer<Double>, scaled: UnsafeBufferPointer<Double>, segment: Int,
        segments: SegmentModel, folded: FoldedCentroids
    ) -> RowReasons {
        computeContributions(raw: raw)
        let response = RowExplainer.top(count, of: perAttribute) { abs($0) }
        var pulls: [Reason] = []
        if segment < segments.clusterCount {
            perAttribute.withUnsafeMutableBufferPointer { sums in
                sums.update(repeating: 0)
                model.featureAttribute.withUnsafeBufferPointer { groups in
                    folded.addPulls(scaled, centre: segment, groups: groups, into: sums)
                }
            }
            pulls = RowExplainer.top(count, of: perAttribute) { $0 }
        }
        return RowReasons(response: response, segment: pulls)
    }

    /// The `n` entries of largest positive `key(value)`, largest first (ties: lower index
    /// first); zero keys are never reasons.
    static func top(_ n: Int, of values: [Double], key: (Double) -> Double) -> [Reason] {
        var best: [Reason] = []
        best.reserveCapacity(n + 1)
        for (i, v) in values.enumerated() {
            let k = key(v)
            guard k > 0 else { continue }
            if best.count == n, let last = best.last, key(last.value) >= k { continue }
            var at = best.count
            while at > 0, key(best[at - 1].value) < k { at -= 1 }
            best.insert(Reason(attribute: i, value: v), at: at)
            if best.count > n { best.removeLast() }
        }
        return best
    }
}

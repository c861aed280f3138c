extension ReportData {
    /// The PCA ahead of the segmentation: how much variance each component explains and
    /// where the cut was made.
    package struct PrincipalComponents: Codable, Sendable, Hashable {
        /// Per component, descending (0–1 each); all of them, not only the kept ones.
        package var explainedVarianceRatio: [Double]
        /// Components kept.
        package var chosenComponents: Int
        /// The cumulative share the cut aimed for (0–1), when the cut was chosen by variance.
        package var varianceTarget: Double?
        /// The strongest loadings of the first few components.
        package var topAttributes: [ComponentLoadings]

        package init(
            explainedVarianceRatio: [Double], chosenComponents: Int, varianceTarget: Double?,
            topAttributes: [ComponentLoadings]
        ) {
            self.explainedVarianceRatio = explainedVarianceRatio
            self.chosenComponents = chosenComponents
            self.varianceTarget = varianceTarget
            self.topAttributes = topAttributes
        }
    }

    package struct ComponentLoadings: Codable, Sendable, Hashable {
        /// 1-based, as the page numbers components.
        package var component: Int
        /// Strongest first (by absolute loading).
        package var attributes: [Loading]

        package init(component: Int, attributes: [Loading]) {
            self.component = component
            self.attributes = attributes
        }
    }

    package struct Loading: Codable, Sendable, Hashable {
        /// The feature's name (a column, or a column's derived feature).
        package var name: String
        /// Signed weight in the unit-length component.
        package var loading: Double
        /// The metadata's description of the attribute, if it has one.
        package var description: String?

        package init(name: String, loading: Double, description: String?) {
            self.name = name
            self.loading = loading
            self.description = description
        }
    }
}

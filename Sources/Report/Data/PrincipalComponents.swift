extension ReportData {
    /// The PCA ahead of the segmentation: how much variance each component explains and
    /// where the cut was made.
    public struct PrincipalComponents: Codable, Sendable, Hashable {
        /// Per component, descending (0–1 each); all of them, not only the kept ones.
        public var explainedVarianceRatio: [Double]
        /// Components kept.
        public var chosenComponents: Int
        /// The cumulative share the cut aimed for (0–1), when the cut was chosen by variance.
        public var varianceTarget: Double?
        /// The strongest loadings of the first few components.
        public var topAttributes: [ComponentLoadings]

        public init(
            explainedVarianceRatio: [Double], chosenComponents: Int, varianceTarget: Double?,
            topAttributes: [ComponentLoadings]
        ) {
            self.explainedVarianceRatio = explainedVarianceRatio
            self.chosenComponents = chosenComponents
            self.varianceTarget = varianceTarget
            self.topAttributes = topAttributes
        }
    }

    public struct ComponentLoadings: Codable, Sendable, Hashable {
        /// 1-based, as the page numbers components.
        public var component: Int
        /// Strongest first (by absolute loading).
        public var attributes: [Loading]

        public init(component: Int, attributes: [Loading]) {
            self.component = component
            self.attributes = attributes
        }
    }

    public struct Loading: Codable, Sendable, Hashable {
        /// The feature's name (a column, or a column's derived feature).
        public var name: String
        /// Signed weight in the unit-length component.
        public var loading: Double
        /// The metadata's description of the attribute, if it has one.
        public var description: String?

        public init(name: String, loading: Double, description: String?) {
            self.name = name
            self.loading = loading
            self.description = description
        }
    }
}

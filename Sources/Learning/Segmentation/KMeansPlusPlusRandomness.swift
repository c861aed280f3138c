/// What k-means++ seeding draws: the row of the first centre, then uniform numbers in [0, 1)
/// that pick candidates by their share of the potential.
///
/// ``KMeans/fit(_:_:)`` draws from ``NumPyRandomState`` the way scikit-learn does, so a seed
/// names the same centres in both; tests may seed from any generator.
protocol KMeansPlusPlusRandomness {
    mutating func firstCentre(amongRows count: Int) -> Int
    mutating func nextUnit() -> Double
}

extension NumPyRandomState: KMeansPlusPlusRandomness {
    /// `choice(n_samples, p=sample_weight / sample_weight.sum())` with unit weights.
    mutating func firstCentre(amongRows count: Int) -> Int { choiceWithUniformProbabilities(count: count) }
    /// `uniform()`.
    mutating func nextUnit() -> Double { randomSample() }
}

extension SplitMix64: KMeansPlusPlusRandomness {
    mutating func firstCentre(amongRows count: Int) -> Int { nextIndex(below: count) }
}

import ModelFormat

/// A loaded model with what the scorer precomputes for it once (not per stream).
public final class ServingModel: Sendable {
    public let model: ScoringModel

    public init(_ model: ScoringModel) {
        self.model = model
    }
}

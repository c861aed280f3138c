extension ReportData {
    /// Which bundle the page describes, what it was fitted on, with which settings, and how
    /// long each step took.
    public struct Provenance: Codable, Sendable, Hashable {
        public var bundleId: String
        /// ISO 8601, UTC, as the manifest writes it.
        public var createdAt: String
        public var prospectorVersion: String
        public var inputs: [Input]
        /// In the order the page lists them.
        public var parameters: [Parameter]
        /// In the order the steps ran.
        public var steps: [StepTime]

        public init(
            bundleId: String, createdAt: String, prospectorVersion: String, inputs: [Input] = [],
            parameters: [Parameter] = [], steps: [StepTime] = []
        ) {
            self.bundleId = bundleId
            self.createdAt = createdAt
            self.prospectorVersion = prospectorVersion
            self.inputs = inputs
            self.parameters = parameters
            self.steps = steps
        }

        /// The name under which the trainer records the whole run's wall-clock time among ``steps``.
        public static let totalStep = "total"

        /// The steps proper, in run order, without the recorded total.
        public var timedSteps: [StepTime] { steps.filter { $0.step != Self.totalStep } }

        /// The run's wall-clock time: the recorded total, or the steps' sum in runs that recorded none.
        /// (Summing every row, total included, counted the run twice.)
        public var totalSeconds: Double {
            steps.last { $0.step == Self.totalStep }?.seconds ?? timedSteps.reduce(0) { $0 + $1.seconds }
        }

        /// Time the run spent outside the timed steps (writing the bundle, between steps).
        public var untimedSeconds: Double { max(0, totalSeconds - timedSteps.reduce(0) { $0 + $1.seconds }) }
    }

    public struct Input: Codable, Sendable, Hashable {
        /// The file's name as given to the trainer.
        public var name: String
        /// Bytes.
        public var size: Int
        /// With its method, e.g. `xxh64:1a2b3c4d5e6f7081`.
        public var contentHash: String

        public init(name: String, size: Int, contentHash: String) {
            self.name = name
            self.size = size
            self.contentHash = contentHash
        }
    }

    /// One fitting parameter, already written as the user would type it.
    public struct Parameter: Codable, Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public struct StepTime: Codable, Sendable, Hashable {
        public var step: String
        /// Wall-clock seconds.
        public var seconds: Double

        public init(step: String, seconds: Double) {
            self.step = step
            self.seconds = seconds
        }
    }
}

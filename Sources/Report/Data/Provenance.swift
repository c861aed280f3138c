extension ReportData {
    /// Which bundle the page describes, what it was fitted on, with which settings, and how
    /// long each step took.
    package struct Provenance: Codable, Sendable, Hashable {
        package var bundleId: String
        /// ISO 8601, UTC, as the manifest writes it.
        package var createdAt: String
        package var prospectorVersion: String
        package var inputs: [Input]
        /// In the order the page lists them.
        package var parameters: [Parameter]
        /// In the order the steps ran.
        package var steps: [StepTime]

        package init(
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
        package static let totalStep = "total"

        /// The steps proper, in run order, without the recorded total.
        package var timedSteps: [StepTime] { steps.filter { $0.step != Self.totalStep } }

        /// The run's wall-clock time: the recorded total, or the steps' sum in runs that recorded none.
        /// (Summing every row, total included, counted the run twice.)
        package var totalSeconds: Double {
            steps.last { $0.step == Self.totalStep }?.seconds ?? timedSteps.reduce(0) { $0 + $1.seconds }
        }

        /// Time the run spent outside the timed steps (writing the bundle, between steps).
        package var untimedSeconds: Double { max(0, totalSeconds - timedSteps.reduce(0) { $0 + $1.seconds }) }
    }

    package struct Input: Codable, Sendable, Hashable {
        /// The file's name as given to the trainer.
        package var name: String
        /// Bytes.
        package var size: Int
        /// With its method, e.g. `xxh64:1a2b3c4d5e6f7081`.
        package var contentHash: String

        package init(name: String, size: Int, contentHash: String) {
            self.name = name
            self.size = size
            self.contentHash = contentHash
        }
    }

    /// One fitting parameter, already written as the user would type it.
    package struct Parameter: Codable, Sendable, Hashable {
        package var name: String
        package var value: String

        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    package struct StepTime: Codable, Sendable, Hashable {
        package var step: String
        /// Wall-clock seconds.
        package var seconds: Double

        package init(step: String, seconds: Double) {
            self.step = step
            self.seconds = seconds
        }
    }
}

import ArgumentParser

/// `trainer`: the offline, nightly half of Prospector.
@main
struct TrainerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trainer",
        abstract: "Fits Prospector's cleaning transform, segmentation and response model.",
        subcommands: [
            DemoCommand.self, TrainCommand.self, PredictCommand.self, InspectCommand.self, ReportCommand.self, SynthCommand.self,
            MetadataCommand.self, CleanCommand.self, SegmentCommand.self,
            ExplainCommand.self, ExportCommand.self,
        ])
}

import ArgumentParser
import Console
import ModelFormat

/// `trainer`: the offline, nightly half of Prospector.
@main
struct TrainerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trainer",
        abstract: "Fits Prospector's cleaning transform, segmentation and response model.",
        discussion: ExitStatus.helpText,
        version: ProspectorVersion.versionText,
        subcommands: [
            DemoCommand.self, TrainCommand.self, PredictCommand.self, PlanCommand.self, DriftCommand.self, InspectCommand.self, ReportCommand.self, SynthCommand.self,
            MetadataCommand.self, CleanCommand.self, SegmentCommand.self,
            ExplainCommand.self, ExportCommand.self,
        ])

    func validate() throws {
        try UnknownCommand.check(CommandLine.arguments.dropFirst(), commands: Self.configuration.subcommands)
    }
}

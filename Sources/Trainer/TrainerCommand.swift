import ArgumentParser

/// `trainer`: the offline, nightly half of Prospector.
@main
struct TrainerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trainer",
        abstract: "Fits Prospector's cleaning transform, segmentation and response model.",
        subcommands: [MetadataCommand.self, CleanCommand.self, SynthCommand.self])
}

import ArgumentParser

/// `prospector-bench`: the Swift side of `bench/run`. Each subcommand runs one step on
/// files already generated and prints one JSON object per line (see bench/README.md).
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prospector-bench",
        abstract: "Runs one Prospector step for bench/run and prints its timing as JSON lines.",
        subcommands: [
            XLSXReadBench.self, IngestBench.self, CleanBench.self, SynthBench.self, BoostBench.self, SegmentBench.self,
            TrainBench.self, LoadBench.self,
        ])
}

import ArgumentParser
import Foundation
import ModelFormat

/// `prospector-bench load`: how long loading a bundle takes (read, verify every checksum,
/// decode the manifest and every model section, cross-check them): the scorer's reload cost.
struct LoadBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Times loading a bundle as the scorer does, as JSON.")

    @Argument(help: "The bundle (models/current works).")
    var bundle: String
    @Option(help: "Loads to time.")
    var repeats: Int = 20

    func run() throws {
        var times: [Double] = []
        var reads: [Double] = []
        for _ in 0..<max(1, repeats) {
            let start = Date()
            let file = try BundleFile.read(path: bundle)
            reads.append(Date().timeIntervalSince(start) * 1000)
            _ = try ScoringModel(bundle: file, path: bundle)
            times.append(Date().timeIntervalSince(start) * 1000)
        }
        times.sort()
        reads.sort()
        let size = (try? Data(contentsOf: URL(fileURLWithPath: bundle)).count) ?? 0
        print(String(format: "{\"step\":\"load\",\"min_ms\":%.3f,\"median_ms\":%.3f,\"max_ms\":%.3f,\"read_and_verify_median_ms\":%.3f,\"bytes\":%d}",
                     times[0], times[times.count / 2], times[times.count - 1], reads[reads.count / 2], size))
    }
}

import ArgumentParser
import Foundation
import ModelFormat
import Training

/// `trainer inspect`: what a bundle is, where it came from and how good it was.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Verifies a bundle and prints its manifest.")

    @Argument(help: ArgumentHelp("The bundle, or a models directory (its 'current' is used).", valueName: "bundle"))
    var bundle: String = "models/current"
    @Option(help: ArgumentHelp(
        "text (for people) or json (the manifest, its metrics completed from the report section).", valueName: "format"))
    var format: InspectFormat = .text

    enum InspectFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func run() throws {
        try CommandErrors.run("inspect") {
            let path = BundlePath.resolve(bundle)
            let file = try BundleFile.read(path: path)
            _ = try ScoringModel(bundle: file, path: path)
            // The manifest keeps the headline figures; the report section has them all.
            var manifest = file.manifest
            manifest.metrics = try file.reportMetrics()
            switch format {
            case .json:
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(manifest), as: UTF8.self))
            case .text:
                var sections = file.sections
                sections[BundleFile.reportSectionName] = file.report
                print(ManifestText.render(manifest, sections: sections))
            }
        }
    }
}

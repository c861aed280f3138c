import ArgumentParser
import Foundation
import ModelFormat
import Training

/// `trainer report`: re-renders a bundle's HTML report from its report section.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Writes the customer segmentation report (self-contained HTML) of a bundle.",
        discussion: "Every `trainer train` writes prospector-<id>.report.html beside the bundle; this renders it again from the bundle's report section alone.")

    @Argument(help: ArgumentHelp("The bundle, or a models directory (its 'current' is used).", valueName: "bundle"))
    var bundle: String = "models/current"
    @Option(help: ArgumentHelp("Where to write the page ('-' for standard output).", valueName: "file.html"))
    var out: String = "report.html"

    func run() throws {
        try CommandErrors.run("report") {
            let file = try BundleFile.read(path: BundlePath.resolve(bundle))
            let html = try ReportFile.render(file)
            if out == "-" {
                FileHandle.standardOutput.write(Data(html.utf8))
            } else {
                try ModelStore.writeAtomically(Array(html.utf8), to: out)
                print("report of bundle \(file.manifest.bundleId) written to \(out)")
            }
        }
    }
}

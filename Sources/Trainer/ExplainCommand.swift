import ArgumentParser
import Foundation
import ModelFormat

/// `trainer explain`: one prospect in words.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Prints why one prospect got its score and its segment, in words from the bundle's metadata.",
        discussion: """
            Finds the row whose id (LNR) is --lnr in the CSV file, scores it as the scorer does and \
            prints its probability and segment, the attributes that moved its score most (exact tree \
            SHAP contributions to the log-odds, summed over the features made from each attribute) \
            and those pulling it to its segment's centre, each with its value and the metadata's \
            description and meaning of that value.
            """)

    @Option(help: ArgumentHelp("The bundle, or a models directory (its 'current' is used).", valueName: "bundle"))
    var bundle: String = "models/current"
    @Option(help: ArgumentHelp("The id of the prospect to explain.", valueName: "id"))
    var lnr: String
    @Option(help: ArgumentHelp("How many attributes to show for the score and for the segment.", valueName: "N"))
    var reasons: Int = 5
    @Argument(help: ArgumentHelp("The CSV file holding the prospect.", valueName: "file.csv"))
    var file: String

    func validate() throws {
        guard reasons >= 1 else { throw ValidationError("--reasons must be at least 1") }
    }

    func run() throws {
        try CommandErrors.run("explain") {
            let path = BundlePath.resolve(bundle)
            let bundleFile = try BundleFile.read(path: path)
            let model = try ScoringModel(bundle: bundleFile, path: path)
            let descriptions = try? bundleFile.section(BundleSection.attributes, as: AttributeDescriptions.self)
            let data = try PredictCommand.contents(of: file)
            let explanation: ProspectExplanation
            do throws(ProspectExplanation.Failure) {
                explanation = try ProspectExplanation(id: lnr, in: Array(data), model: model, count: reasons)
            } catch {
                throw ExportError.input(file, error.description)
            }
            print(ExplanationText.render(explanation, model: model, descriptions: descriptions), terminator: "")
        }
    }
}

/// The explanation for people.
enum ExplanationText {
    static func render(_ e: ProspectExplanation, model: ScoringModel, descriptions: AttributeDescriptions?) -> String {
        let names = model.reasonModel?.attributeNames ?? []
        let number = ScoreFormat.segmentNumber(e.segment, model: model)
        var out = "Prospect \(e.id) (bundle \(model.bundleId))\n"
        out += String(format: "  response probability %.3f %% (log-odds %.3f; the average prospect %.3f)\n",
                      e.probability * 100, e.rawScore, e.expectedValue)
        out += number == 0
            ? "  segment: insufficient data (too many missing values to place)\n"
            : "  segment \(number): \(model.segmentLabels[e.segment])\n"
        out += "\nWhy this score (exact tree SHAP: what each attribute adds to the log-odds):\n"
        for reason in e.reasons.response { out += line(reason, names: names, values: e.values, descriptions: descriptions) }
        if number != 0 {
            out += "\nWhy segment \(number) (how far each attribute pulls the row towards the segment's centre):\n"
            for reason in e.reasons.segment { out += line(reason, names: names, values: e.values, descriptions: descriptions) }
        }
        return out
    }

    static func line(_ reason: Reason, names: [String], values: [String: String], descriptions: AttributeDescriptions?) -> String {
        let name = names[reason.attribute]
        let raw = values[name]
        // Attributes without a column of their own (ROW_MISSING_SHARE) are computed from the row.
        let value = raw.map { $0.isEmpty ? "missing" : $0 } ?? "(computed from the row: the share of its values that are missing)"
        var out = String(format: "  %+.3f  ", reason.value) + "\(name) = \(value)\n"
        if let entry = descriptions?.entry(column: name), !entry.description.isEmpty {
            var words = entry.description
            if !entry.informationLevel.isEmpty { words += " [\(entry.informationLevel)]" }
            if let raw, let meaning = entry.meaning(of: canonicalCode(raw)) { words += "; \(value): \(meaning)" }
            out += "          \(words)\n"
        }
        return out
    }

    /// `3.0` reads as the code `3`.
    static func canonicalCode(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let value = Double(trimmed), value == value.rounded(), abs(value) < 1e9 { return String(Int(value)) }
        return trimmed
    }
}

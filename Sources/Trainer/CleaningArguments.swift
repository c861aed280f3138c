import ArgumentParser
import Features

/// The cleaning options, one group shared by every command that cleans (`clean`, `segment`,
/// `train`), so each documents and accepts the same ones.
struct CleaningArguments: ParsableArguments {
    @Option(help: "Drop columns missing in more than this share of the population.")
    var maxColumnMissing: Double = CleaningOptions().maxColumnMissingShare

    @Option(help: "Rows missing more than this share of their columns are 'insufficient data' (their own segment).")
    var maxRowMissing: Double = CleaningOptions().maxRowMissingShare

    @Flag(help: "Drop numeric columns that have no metadata entry (default: keep them).")
    var dropColumnsWithoutMetadata = false

    @Flag(help: "Fail on a value that is neither a number nor a known marker, instead of reading it as missing.")
    var strict = false

    func validate() throws {
        try OptionCheck.share(maxColumnMissing, "--max-column-missing")
        try OptionCheck.share(maxRowMissing, "--max-row-missing")
    }

    var options: CleaningOptions {
        var options = CleaningOptions()
        options.maxColumnMissingShare = maxColumnMissing
        options.maxRowMissingShare = maxRowMissing
        options.dropColumnsWithoutMetadata = dropColumnsWithoutMetadata
        options.strict = strict
        return options
    }
}

/// Range checks of option values, run by ArgumentParser before a command reads anything, so a
/// wrong value fails at once with exit 64 and a line naming the option and what it takes.
enum OptionCheck {
    static func share(_ value: Double, _ option: String) throws {
        guard value >= 0, value <= 1 else { throw ValidationError("\(option) \(value): give a share between 0 and 1, e.g. 0.3") }
    }

    static func fraction(_ value: Double, _ option: String) throws {
        guard value > 0, value <= 1 else { throw ValidationError("\(option) \(value): give a share above 0 and at most 1, e.g. 0.8") }
    }

    static func atLeast(_ minimum: Int, _ value: Int, _ option: String) throws {
        guard value >= minimum else { throw ValidationError("\(option) \(value): give at least \(minimum)") }
    }

    static func positive(_ value: Double, _ option: String) throws {
        guard value > 0, value.isFinite else { throw ValidationError("\(option) \(value): give a number above 0") }
    }

    /// The segmentation options `segment` and `train` share.
    static func segmentation(k: Int, kRange: String?, explainedVariance: Double, components: Int?) throws {
        try atLeast(2, k, "--k")
        if let kRange { _ = try KRangeArgument.parse(kRange) }
        try fraction(explainedVariance, "--explained-variance")
        if let components { try atLeast(1, components, "--components") }
    }
}

import ArgumentParser
import Campaign
import Foundation
import ModelFormat

/// `trainer plan`: whom to mail for a budget (thin: the work is `Campaign.MailingPlanner`).
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Scores a prospects file and writes the mailing list that pays best under a budget.",
        discussion: """
            Ranks the prospects by expected profit (p x value - cost) and mails the best ones: as \
            many as --budget pays for, the --top N, or (--min-profit) everyone above break-even \
            (p x value > cost). Writes LNR;rank;segment;segment_label;probability;expected_value \
            (expected_value = p x value - cost), prints the plan's figures (expected responders \
            with a 90 % interval, revenue, cost, profit, ROI, per segment), and puts rows that \
            cannot be scored into the errors file; they are never mailed. Any file size runs in \
            bounded memory.
            """)

    @Option(help: ArgumentHelp("The bundle, or a models directory (its 'current' is used).", valueName: "bundle"))
    var bundle: String = "models/current"
    @Option(help: ArgumentHelp("The prospects CSV ('-' reads standard input).", valueName: "file.csv"))
    var prospects: String
    @Option(help: ArgumentHelp("What one mail costs.", valueName: "EUR"))
    var costPerMail: Double
    @Option(help: ArgumentHelp("What one response is worth.", valueName: "EUR"))
    var valuePerResponse: Double
    @Option(help: ArgumentHelp("Mail as many as this pays for (budget / cost).", valueName: "EUR"))
    var budget: Double?
    @Option(help: ArgumentHelp("Mail the best N.", valueName: "N"))
    var top: Int?
    @Flag(help: "Mail everyone whose expected profit is positive.")
    var minProfit = false
    @Option(help: ArgumentHelp("The mailing list to write.", valueName: "file.csv"))
    var out: String = "mailing.csv"
    @Option(help: ArgumentHelp("Rows that could not be scored (default: beside --out, .errors.csv).", valueName: "file.csv"))
    var errors: String?
    @Option(help: ArgumentHelp("Also write the figures as JSON.", valueName: "file.json"))
    var summary: String?
    @Option(help: ArgumentHelp("Where --min-profit's sorted runs go (default: beside --out).", valueName: "dir"))
    var tempDir: String?

    func validate() throws {
        let cuts = [budget != nil, top != nil, minProfit].filter { $0 }.count
        guard cuts == 1 else { throw ValidationError("give exactly one of --budget, --top, --min-profit") }
    }

    func run() throws {
        try CommandErrors.run("plan") {
            let cut: PlanOptions.Cut = budget.map { .budget($0) } ?? top.map { .top($0) } ?? .minProfit
            let model = try ScoringModel.load(path: BundlePath.resolve(bundle))
            let directory = (out as NSString).deletingLastPathComponent
            let planner = try MailingPlanner(
                model: model, options: PlanOptions(costPerMail: costPerMail, valuePerResponse: valuePerResponse, cut: cut),
                temporaryDirectory: tempDir ?? (directory.isEmpty ? "." : directory))
            let errorsPath = errors ?? Self.errorsPath(beside: out)
            let figures = try planner.plan(prospects: prospects, output: out, errors: errorsPath)
            if let summary {
                guard FileManager.default.createFile(atPath: summary, contents: try figures.json()) else {
                    throw PlanError.cannotWrite(path: summary, reason: "cannot create the file")
                }
            }
            print(figures.table(), terminator: "")
            print("mailing list: \(out); rows not scored: \(errorsPath)")
        }
    }

    /// `mailing.csv` → `mailing.errors.csv`.
    static func errorsPath(beside out: String) -> String {
        let base = out.hasSuffix(".csv") ? String(out.dropLast(4)) : out
        return base + ".errors.csv"
    }
}

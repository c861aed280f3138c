import Foundation
import ModelFormat

/// `trainer plan`: scores a prospects file through the scorer's row path, keeps the prospects
/// worth mailing (``MailingSelector``), and writes the mailing list, the rows it could not
/// score, and the plan's figures.
///
/// The mailing list: `LNR;rank;segment;segment_label;probability;expected_value`, best first,
/// where `expected_value` = p × value − cost, the expected profit of that one mail. Rows that
/// cannot be scored go to the errors file (`LNR;row;error`) and are never mailed.
package struct MailingPlanner {
    package let model: ScoringModel
    package let options: PlanOptions
    /// Candidates per sorted run of the external sort (`--min-profit`).
    package var runLength = 1 << 18
    package var temporaryDirectory: String

    package init(model: ScoringModel, options: PlanOptions, temporaryDirectory: String) throws {
        guard options.costPerMail >= 0, options.costPerMail.isFinite else {
            throw PlanError.invalidOption("--cost-per-mail must be a finite number >= 0")
        }
        guard options.valuePerResponse > 0, options.valuePerResponse.isFinite else {
            throw PlanError.invalidOption("--value-per-response must be a finite number > 0")
        }
        switch options.cut {
        case .budget(let budget):
            guard budget >= 0, budget.isFinite else { throw PlanError.invalidOption("--budget must be a finite number >= 0") }
            guard options.costPerMail > 0 else { throw PlanError.invalidOption("--budget needs --cost-per-mail > 0") }
        case .top(let n):
            guard n >= 0 else { throw PlanError.invalidOption("--top must be >= 0") }
        case .minProfit: break
        }
        self.model = model
        self.options = options
        self.temporaryDirectory = temporaryDirectory
    }

    /// Plans the mailing of `prospects` (`-` = standard input): writes `output` and `errors`
    /// and returns the figures.
    package func plan(prospects: String, output: String, errors: String) throws -> PlanSummary {
        let selector = MailingSelector(options: options, runLength: runLength, temporaryDirectory: temporaryDirectory)
        var tally = PlanTally(options: options, segmentCount: model.segmentLabels.count)
        let errorFile = try LineWriter(path: errors)
        errorFile.write(model.transform.idColumn + ";row;error\n")
        try FileRowScorer(model: model).score(path: prospects) { row, outcome in
            switch outcome {
            case .scored(let id, let segment, let probability, _):
                tally.scored(segment: segment)
                // A probability that is not a number cannot be ranked: it is an error, not a mail.
                guard probability.isFinite else {
                    tally.failed()
                    errorFile.write("\(Self.clean(id));\(row);the model gave no finite probability\n")
                    return
                }
                try selector.offer(Candidate(probability: probability, row: row, segment: segment, id: id))
            case .failed(let id, let message):
                tally.failed()
                errorFile.write("\(Self.clean(id));\(row);\(Self.clean(message))\n")
            }
        }
        try errorFile.close()

        let list = try LineWriter(path: output)
        list.write(model.transform.idColumn + ";rank;segment;segment_label;probability;expected_value\n")
        var rank = 0
        try selector.forEachSelected { candidate in
            rank += 1
            tally.mailed(candidate)
            let number = ScoreFormat.segmentNumber(candidate.segment, model: model)
            let profit = options.expectedProfit(candidate.probability)
            list.write(
                "\(Self.clean(candidate.id));\(rank);\(number);\(model.segmentLabels[candidate.segment]);"
                    + "\(candidate.probability);\(String(format: "%.4f", profit))\n")
        }
        try list.close()
        let names = model.segmentLabels.indices.map { (ScoreFormat.segmentNumber($0, model: model), model.segmentLabels[$0]) }
        return tally.summary(bundleId: model.bundleId, segmentNames: names)
    }

    /// Text safe inside one `;` field.
    static func clean(_ text: String) -> String {
        guard text.contains(where: { $0 == ";" || $0 == "\n" || $0 == "\r" || $0 == "\"" }) else { return text }
        return String(text.map { $0 == ";" || $0 == "\"" ? "," : ($0 == "\n" || $0 == "\r" ? " " : $0) })
    }
}

/// A text file written through a 1 MB buffer.
final class LineWriter {
    let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw PlanError.cannotWrite(path: path, reason: "cannot create the file")
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { flush() }
    }

    private func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flush()
        do { try handle.close() } catch { throw PlanError.cannotWrite(path: path, reason: "\(error)") }
    }
}

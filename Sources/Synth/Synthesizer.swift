import Foundation
import XLSX

/// Options of one synthetic data set.
public struct SynthOptions: Sendable {
    /// Fraction of the real row counts (1 = 891 221 AZDIAS rows).
    public var scale: Double
    public var seed: UInt64
    public var segmentCount: Int
    /// Fewest rows any file gets, so small scales still give usable files.
    public static let minimumRows = 500

    public init(scale: Double = 0.02, seed: UInt64 = 1, segmentCount: Int = 10) {
        self.scale = scale
        self.seed = seed
        self.segmentCount = segmentCount
    }
}

/// Writes the four Arvato-shaped CSV files, the two metadata workbooks and the ground
/// truth into a directory.
public struct Synthesizer: Sendable {
    public let schema: ArvatoSchema
    public let options: SynthOptions
    public let model: SynthModel

    public init(schema: ArvatoSchema? = nil, options: SynthOptions = SynthOptions()) throws {
        guard options.scale > 0, options.scale <= 10 else {
            throw SynthError.badOption("scale must be in (0, 10], got \(options.scale)")
        }
        let schema = try schema ?? ArvatoSchema.bundled()
        self.schema = schema
        self.options = options
        self.model = try SynthModel(schema: schema, seed: options.seed, segmentCount: options.segmentCount)
    }

    /// Row count of a file: the real count times the scale, at least `minimumRows`.
    public func rows(of file: SynthFile) -> Int {
        let real = schema.files[file.schemaKey]?.rows ?? 0
        return max(SynthOptions.minimumRows, Int((Double(real) * options.scale).rounded()))
    }

    /// The LNR of every row of a file, in row order (see `files[..].lnr` in the schema).
    public func lnrs(of file: SynthFile) -> [Int32] {
        switch file {
        case .azdias:
            let first = Self.firstInteger(in: schema.files["AZDIAS"]?.lnr) ?? 1
            return permutation(first: first, count: rows(of: .azdias), stream: 1)
        case .customers:
            return permutation(first: 1, count: rows(of: .customers), stream: 2)
        case .mailoutTrain, .mailoutTest:
            let train = rows(of: .mailoutTrain)
            let all = permutation(first: 1, count: train + rows(of: .mailoutTest), stream: 3)
            return file == .mailoutTrain ? Array(all[..<train]) : Array(all[train...])
        }
    }

    private func permutation(first: Int, count: Int, stream: UInt64) -> [Int32] {
        var values = (0..<count).map { Int32(first + $0) }
        var random = SynthRandom(seed: options.seed, stream: 0x1D, stream)
        if count > 1 {
            for i in stride(from: count - 1, to: 0, by: -1) {
                values.swapAt(i, random.below(i + 1))
            }
        }
        return values
    }

    private static func firstInteger(in text: String?) -> Int? {
        guard let text else { return nil }
        return text.split { !$0.isNumber }.first.flatMap { Int($0) }
    }

    /// Generates one CSV file and its truth file into `directory` (truth into `directory/truth`).
    public func generate(_ file: SynthFile, into directory: String) throws -> SynthTruth.FileTruth {
        let truthDirectory = try Self.makeDirectories(directory)
        let result = try FileGeneration.write(
            model: model, file: file, lnrs: lnrs(of: file),
            csvPath: directory + "/" + file.fileName, truthPath: truthDirectory + "/" + file.truthFileName)
        var truth = SynthTruth.FileTruth(
            fileName: file.fileName, rows: result.rows, bytes: result.bytes, segmentCounts: result.segmentCounts,
            sparseShare: Double(result.sparseRows) / Double(max(1, result.rows)))
        if file.isMailout {
            truth.meanProbability = result.probabilities.reduce(0, +) / Double(max(1, result.rows))
            truth.positives = result.labels.reduce(0) { $0 + Int($1) }
            truth.bayesAUC = AUC.of(scores: result.probabilities, labels: result.labels)
            truth.expectedBayesAUC = AUC.expected(probabilities: result.probabilities)
        }
        return truth
    }

    /// Generates everything: the four CSV files, the two metadata workbooks and the truth.
    @discardableResult
    public func generateAll(into directory: String, workbooks: Bool = true) throws -> SynthTruth {
        var files: [String: SynthTruth.FileTruth] = [:]
        for file in SynthFile.allCases {
            files[file.schemaKey] = try generate(file, into: directory)
        }
        if workbooks {
            try writeWorkbooks(into: directory)
        }
        let truth = makeTruth(files: files)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let path = directory + "/truth/truth.json"
        do {
            try encoder.encode(truth).write(to: URL(fileURLWithPath: path))
        } catch {
            throw SynthError.cannotWrite(path: path, reason: error.localizedDescription)
        }
        return truth
    }

    /// Writes the two metadata workbooks (see MetadataWorkbookLayout).
    public func writeWorkbooks(into directory: String) throws {
        let layout = MetadataWorkbookLayout(schema: schema)
        for (sheets, name) in [
            (layout.valuesWorkbook(), MetadataWorkbookLayout.valuesFileName),
            ([layout.informationLevelsWorkbook()], MetadataWorkbookLayout.informationLevelsFileName),
        ] {
            let path = directory + "/" + name
            do {
                try XLSXWriter().write(sheets, to: path)
            } catch {
                throw SynthError.cannotWrite(path: path, reason: "\(error)")
            }
        }
    }

    func makeTruth(files: [String: SynthTruth.FileTruth]) -> SynthTruth {
        let segments = model.latent.segments.map { s in
            SynthTruth.SegmentTruth(
                id: s.id, traitMeans: s.traitMeans, populationShare: s.populationShare,
                customerShare: s.customerShare, mailoutShare: s.mailoutShare,
                customerRatio: s.customerShare / s.populationShare, responseOffset: s.responseOffset)
        }
        return SynthTruth(
            seed: options.seed, scale: options.scale, traits: LatentModel.traitNames, segments: segments,
            overRepresentedSegments: segments.filter { $0.customerRatio >= 1.5 }.map(\.id),
            underRepresentedSegments: segments.filter { $0.customerRatio <= 2.0 / 3.0 }.map(\.id),
            response: SynthTruth.ResponseTruth(
                targetBaseRate: model.response.targetRate, intercept: model.response.intercept,
                strength: model.response.strength,
                hiddenWeight: model.response.hiddenWeight,
                formula: "p = sigmoid(intercept + hidden_weight * receptiveness + strength * (segment response_offset + 0.9 tanh(1.3 online_affinity) "
                    + "+ 0.7 max(0, wealth) - 0.4 (age - 0.4)^2 + 0.35 wealth mobility "
                    + "+ 1.1 [D19_SOZIALES = 1] - 0.3 [D19_SOZIALES = 0] + 0.35 [KBA13_ANZAHL_PKW > 1000])), receptiveness ~ N(0, 1) hidden per person"),
            files: files)
    }

    private static func makeDirectories(_ directory: String) throws -> String {
        let truth = directory + "/truth"
        do {
            try FileManager.default.createDirectory(atPath: truth, withIntermediateDirectories: true)
        } catch {
            throw SynthError.cannotWrite(path: truth, reason: error.localizedDescription)
        }
        return truth
    }
}

import Concurrency
import Console
import DIASMetadata
import Features
import Foundation
import Learning
import ModelFormat
import Numerics
import Report
import Tabular

/// The nightly job's work: read the inputs, fit cleaning, segmentation and the response model,
/// and assemble one bundle, plus the campaign test file's predictions through that bundle's
/// own scoring code. Publishing the result is ``ModelStore``'s job.
package final class TrainingPipeline {
    package let inputs: TrainingInputs
    package let options: TrainingOptions
    private let progress: (ProgressEvent) -> Void
    private let live: ProgressReporter
    private var clock = Date()
    private var stepSeconds: [(String, Double)] = []
    // The run's state shared by its stages.
    private var fingerprints: [String: InputFingerprint] = [:]
    private var cache: StageCache?
    private var populationTable: Table?

    /// `progress` hears of every finished step; `live` shows the steps while they run (their
    /// chunks, restarts and folds).
    package init(
        inputs: TrainingInputs, options: TrainingOptions, progress: @escaping (ProgressEvent) -> Void = { _ in },
        live: ProgressReporter = .silent
    ) {
        self.inputs = inputs
        self.options = options
        self.progress = progress
        self.live = live
    }

    /// What a run produced.
    package struct Run: Sendable {
        package var bundle: ModelBundle
        package var model: ScoringModel
        package var segmentation: SegmentationSummary
        package var lineage: SegmentLineage
        package var response: ResponseSummary
        package var cleaning: CleaningSummary
        package var test: TestPredictions?
        package var stepSeconds: [(step: String, seconds: Double)]
        /// What the HTML report shows (also stored in the manifest's metrics as `report`).
        package var report: ReportData

        /// The files published beside the bundle: predictions and submission (with a test
        /// file), and the report.
        package var companions: [(suffix: String, bytes: [UInt8])] {
            var files: [(suffix: String, bytes: [UInt8])] = []
            if let test {
                files.append(("predictions.csv", PredictionFiles.predictions(test, model: model)))
                files.append(("submission.csv", PredictionFiles.submission(test)))
            }
            files.append(("report.html", Array(ReportRenderer.render(report).utf8)))
            return files
        }
    }

    /// The campaign test file scored by the bundle.
    package struct TestPredictions: Sendable {
        package var ids: [String]
        package var segments: [Int]
        package var probabilities: [Double]
        package var summary: TestPredictionSummary
    }

    /// The population's reference distribution of every input, for drift monitoring.
    private func fitReference(_ table: Table, _ transform: CleaningTransform) throws(TrainingError) -> ReferenceDistribution {
        do {
            return try ReferenceFit.fit(population: table, transform: transform)
        } catch {
            throw .badInput(file: inputs.population, problem: "\(error)")
        }
    }

    /// Runs the nightly job's stages in order; each stage reports its step when it finishes.
    package func run() throws(TrainingError) -> Run {
        clock = Date()
        let started = Date()
        try fingerprintInputs()
        let catalog = try readMetadata()
        openCache()
        let keys = stageKeys()
        // The campaign's training file is small: read and check its labels first, so a bad
        // label fails the run in a second, not after the population's steps.
        let responseEntry = lookup(step: "response", key: keys.response)
        let campaign = try responseEntry == nil ? readCampaign() : nil
        var cleaned = try clean(catalog: catalog, key: keys.clean)
        try InputColumnCheck.check(
            cleaned.transform, population: inputs.population,
            others: [inputs.customers, inputs.mailoutTrain] + (inputs.mailoutTest.map { [$0] } ?? []))
        var segmented = try segment(cleaned, key: keys.segment)
        populationTable = nil
        let numbering = numberSegments(&segmented, transform: cleaned.transform)
        let response = try fitResponse(cached: responseEntry, campaign: campaign, transform: cleaned.transform, key: keys.response)
        var bundle = assembleBundle(catalog: catalog, cleaned: &cleaned, segmented: segmented, numbers: numbering.numbers, response: response)
        let model = try readBack(bundle)
        let test = try predictTest(model: model)
        let campaignResponse = try campaignResponseBySegment(campaign, outOfFold: response.outOfFold, model: model)
        stepSeconds.append(("total", Date().timeIntervalSince(started)))
        let report = try addReport(
            to: &bundle, catalog: catalog, cleaned: cleaned, segmented: segmented, lineage: numbering.lineage,
            response: response.summary, test: test, campaignResponse: campaignResponse)
        return Run(
            bundle: bundle, model: model, segmentation: segmented.summary, lineage: numbering.lineage, response: response.summary,
            cleaning: cleaned.summary, test: test, stepSeconds: stepSeconds.map { (step: $0.0, seconds: $0.1) }, report: report)
    }

    // MARK: Stages

    /// The campaign's training file with its 0/1 labels.
    private typealias Campaign = (table: Table, labels: [UInt8])

    /// The cleaning stage's result, fitted on the population.
    private struct Cleaned {
        var transform: CleaningTransform
        var summary: CleaningSummary
        var reference: ReferenceDistribution
    }

    /// The segmentation stage's result: the model and the customers-vs-population table.
    private struct Segmented {
        var model: SegmentModel
        var summary: SegmentationSummary
    }

    /// The response stage's result.
    private struct FittedResponse {
        var booster: TreeEnsemble
        var logistic: LogisticModel
        var calibrator: ProbabilityCalibrator
        var summary: ResponseSummary
        /// The calibrated out-of-fold probabilities, when the model is fitted in this run (not cached).
        var outOfFold: [Double]?
    }

    /// The cache keys of the cached stages: each covers its inputs' fingerprints, its options
    /// and the key of the stage it builds on.
    private struct StageKeys {
        var clean: String
        var segment: String
        var response: String
    }

    /// Hashes every input file: the cache keys and the manifest's inputs are made of them.
    private func fingerprintInputs() throws(TrainingError) {
        fingerprints = [:]
        let files = inputs.all
        live.update("fingerprint", done: 0, total: files.count, unit: "files")
        // The population is most of the bytes: it is hashed on one core, the other files on the other.
        let hashed = Parallel.perform(files.count) { i in
            Result { () throws(TrainingError) in try InputFingerprint(path: files[i].path) }
        }
        for (file, result) in zip(files, hashed) { fingerprints[file.role] = try result.get() }
        let total = files.reduce(0) { $0 + fingerprints[$1.role]!.size }
        finish("fingerprint", "hashed \(files.count) input files (\(total / 1_000_000) MB)", rows: nil)
    }

    /// An input's fingerprint as a cache key part.
    private func fingerprintKey(_ role: String) -> String {
        fingerprints[role].map { "\($0.name):\($0.size):\($0.contentHash)" } ?? "\(role):none"
    }

    /// The DIAS workbooks as a catalog: the meaning of every code.
    private func readMetadata() throws(TrainingError) -> DIASCatalog {
        let catalog: DIASCatalog
        live.begin("metadata")
        do {
            catalog = try DIASCatalog.load(valuesPath: inputs.values, levelsPath: inputs.levels)
        } catch {
            throw .badInput(file: inputs.values, problem: "\(error)")
        }
        finish("metadata", "read the metadata: \(catalog.attributes.count) attributes", rows: nil)
        return catalog
    }

    /// Opens the stage cache, if any, removing the temporary files of killed runs.
    private func openCache() {
        cache = options.cacheDirectory.map { StageCache(directory: $0) }
        if let removed = cache?.removeAbandonedTemporaries(), !removed.isEmpty {
            progress(ProgressEvent(step: "cache", message: "removed \(removed.count) temporary files of killed runs", seconds: 0))
        }
    }

    private func stageKeys() -> StageKeys {
        let clean = StageCache.key([
            options.prospectorVersion, "clean", fingerprintKey("population"), fingerprintKey("values"), fingerprintKey("levels"),
            json(options.cleaning),
        ])
        return StageKeys(
            clean: clean,
            segment: StageCache.key([clean, "segment", fingerprintKey("customers"), "\(segmentationOptions)"]),
            response: StageCache.key([
                clean, "response", "trees with node statistics", fingerprintKey("mailout-train"), json(options.response),
                "seed \(options.seed)",
            ]))
    }

    /// The segmentation options with the run's seed.
    private var segmentationOptions: SegmentationOptions {
        var segmentation = options.segmentation
        segmentation.seed = options.seed
        return segmentation
    }

    /// The population table, read once when a stage first needs it (a run whose stages all
    /// come from the cache never reads it).
    private func population() throws(TrainingError) -> Table {
        if let populationTable { return populationTable }
        live.begin("read population")
        let table = try read(inputs.population, needsRows: true)
        populationTable = table
        finish("read population", "read \(name(inputs.population)): \(table.rowCount) rows x \(table.columnNames.count) columns", rows: table.rowCount)
        return table
    }

    private func readCampaign() throws(TrainingError) -> Campaign {
        live.begin("read mailout-train")
        let table = try read(inputs.mailoutTrain)
        return (table, try Self.labels(table, column: options.response.labelColumn, file: inputs.mailoutTrain))
    }

    /// Cleaning, fitted on the population (or from the cache), with the population's
    /// reference distribution for drift monitoring.
    private func clean(catalog: DIASCatalog, key: String) throws(TrainingError) -> Cleaned {
        if var entry = lookup(step: "clean", key: key) {
            let transform: CleaningTransform = try decode { () throws(BundleError) in try entry.section(BundleSection.transform) }
            let cleaning = try decodeJSON(CleaningSummary.self, entry.sections["summary"])
            let reference: ReferenceDistribution
            if entry.sections[BundleSection.reference] != nil {
                reference = try decode { () throws(BundleError) in try entry.section(BundleSection.reference) }
            } else {
                // An entry from before drift monitoring: fit the reference alone and keep it.
                reference = try fitReference(try population(), transform)
                entry.setSection(BundleSection.reference, reference)
                cache?.store(step: "clean", key: key, entry)
            }
            finish("clean", "cleaning transform from the cache: \(transform.features.count) features", rows: nil, cached: true)
            return Cleaned(transform: transform, summary: cleaning, reference: reference)
        }
        let table = try population()
        let fit: CleaningFit.Result
        live.begin("clean")
        do {
            fit = try CleaningFit.fit(
                population: table, file: name(inputs.population), catalog: catalog, options: options.cleaning, withReference: true)
        } catch {
            throw .badInput(file: inputs.population, problem: "\(error)")
        }
        let cleaning = fit.summary
        let reference: ReferenceDistribution
        if let fitted = fit.reference { reference = fitted } else { reference = try fitReference(table, fit.transform) }
        var entry = cacheEntry()
        entry.setSection(BundleSection.transform, fit.transform)
        entry.setSection(BundleSection.reference, reference)
        entry.sections["summary"] = encodeJSON(cleaning)
        cache?.store(step: "clean", key: key, entry)
        finish(
            "clean",
            "fitted the cleaning: \(cleaning.featureCount) features, \(cleaning.columns.filter { $0.decision.rawValue.hasPrefix("dropped") }.count) columns dropped, "
                + "\(cleaning.rowsAboveMissingThreshold) rows with insufficient data", rows: table.rowCount)
        return Cleaned(transform: fit.transform, summary: cleaning, reference: reference)
    }

    /// Segmentation, fitted on the population (or from the cache), customers compared with it.
    private func segment(_ cleaned: Cleaned, key: String) throws(TrainingError) -> Segmented {
        if let entry = lookup(step: "segment", key: key) {
            let projection = try decode { () throws(BundleError) in try entry.section(BundleSection.pca, as: PCAProjection.self) }
            let centroids = try decode { () throws(BundleError) in try entry.section(BundleSection.centroids, as: SegmentCentroids.self) }
            let segmentModel = SegmentModel(projection: projection, centroids: centroids)
            let segmentation = try decodeJSON(SegmentationSummary.self, entry.sections["summary"])
            finish("segment", "segmentation from the cache: \(segmentModel.clusterCount) clusters", rows: nil, cached: true)
            return Segmented(model: segmentModel, summary: segmentation)
        }
        let segmentationOptions = segmentationOptions
        let table = try population()
        // The step holds the only reference: it releases the table once it is transformed.
        populationTable = nil
        live.begin("read customers")
        let customerTable = try read(inputs.customers, needsRows: true)
        finish("read customers", "read \(name(inputs.customers)): \(customerTable.rowCount) rows", rows: customerTable.rowCount)
        let result = try SegmentationStep.run(
            populationTable: consume table, populationFile: inputs.population, customerTable: customerTable,
            customerFile: inputs.customers, transform: cleaned.transform, summary: cleaned.summary, options: segmentationOptions,
            progress: live)
        populationTable = nil
        let fitted = result.populationSegments.filter { $0 != result.model.insufficientDataSegment }.count
        let segmentation = SegmentationSummary(
            table: result.table, clusterCount: result.model.clusterCount, components: result.model.projection.outputDimension,
            explainedVarianceRatios: result.explainedVarianceRatios,
            varianceTarget: segmentationOptions.components == nil ? segmentationOptions.explainedVariance : nil,
            inertia: result.inertia, fittedRows: fitted,
            scan: result.scan.map { $0.entries.map { .init(k: $0.k, inertia: $0.inertia, silhouette: $0.silhouette) } })
        var entry = cacheEntry()
        entry.setSection(BundleSection.pca, result.model.projection)
        entry.setSection(BundleSection.centroids, result.model.centroids)
        entry.sections["summary"] = encodeJSON(segmentation)
        cache?.store(step: "segment", key: key, entry)
        finish(
            "segment",
            "segmented: \(segmentation.components) principal components, \(segmentation.clusterCount) clusters + insufficient data",
            rows: result.populationSegments.count + result.customerSegments.count)
        return Segmented(model: result.model, summary: segmentation)
    }

    /// Segment numbers: following the previous bundle's, or afresh. Renumbers the
    /// segmentation's table.
    private func numberSegments(
        _ segmented: inout Segmented, transform: CleaningTransform
    ) -> (numbers: SegmentNumbers, lineage: SegmentLineage) {
        var previous: SegmentNumbering.Previous?
        if let path = options.previousBundle {
            do {
                let file = try BundleFile.read(path: path)
                previous = SegmentNumbering.Previous(model: try ScoringModel(bundle: file, path: path), metrics: try file.reportMetrics())
            } catch {
                progress(ProgressEvent(step: "segment", message: "previous bundle not read, segments numbered afresh: \(error)", seconds: 0))
            }
        }
        let (segmentNumbers, lineage) = SegmentNumbering.number(
            model: segmented.model, transform: transform, table: segmented.summary.table, previous: previous, renumber: options.renumber)
        segmented.summary.table = segmented.summary.table.renumbered(segmentNumbers)
        if let previous {
            let kept = lineage.segments.filter { $0.kept && $0.number != SegmentNumbers.insufficientData }.count
            finish("number segments", "\(kept) segments kept their numbers from \(previous.model.bundleId), "
                + "\(segmented.model.clusterCount - kept) new, \(lineage.vanished.count) vanished" + (options.renumber ? " (renumbered)" : ""), rows: nil)
        }
        return (segmentNumbers, lineage)
    }

    /// The response model, on the campaign's training file (or from the cache).
    private func fitResponse(
        cached: ModelBundle?, campaign: Campaign?, transform: CleaningTransform, key: String
    ) throws(TrainingError) -> FittedResponse {
        if let entry = cached {
            let response = FittedResponse(
                booster: try decode { () throws(BundleError) in try entry.section(BundleSection.booster, as: TreeEnsemble.self) },
                logistic: try decode { () throws(BundleError) in try entry.section(BundleSection.logistic, as: LogisticModel.self) },
                calibrator: try decode { () throws(BundleError) in try entry.section(BundleSection.calibration, as: ProbabilityCalibrator.self) },
                summary: try decodeJSON(ResponseSummary.self, entry.sections["summary"]), outOfFold: nil)
            finish("response", "response model from the cache: \(response.booster.treeCount) trees", rows: nil, cached: true)
            return response
        }
        guard let (table, labels) = campaign else {
            throw .internalFailure(step: "response", problem: "neither a cached model nor the campaign file")
        }
        live.begin("clean mailout-train")
        let matrix = try features(transform, table, parts: .raw, file: inputs.mailoutTrain)
        finish("read mailout-train", "read and cleaned \(name(inputs.mailoutTrain)): \(table.rowCount) rows, \(labels.filter { $0 == 1 }.count) responses", rows: table.rowCount)
        let result: ResponseResult
        do {
            result = try ResponseStep.run(
                features: Matrix(rows: matrix.rows, columns: matrix.columns, values: matrix.raw), labels: labels,
                options: options.response, seed: options.seed, progress: live)
        } catch {
            throw .badInput(file: inputs.mailoutTrain, problem: "\(error)")
        }
        let names = transform.featureNames
        let top = result.featureImportance.enumerated().filter { $0.element > 0 }.sorted { $0.element > $1.element }.prefix(30)
        let response = ResponseSummary(
            rows: labels.count, positives: labels.filter { $0 == 1 }.count,
            booster: CrossValidationSummary(result.boosterCV, scores: result.boosterCV.outOfFold, labels: labels),
            logistic: CrossValidationSummary(result.logisticCV, scores: result.logisticCV.outOfFold, labels: labels),
            chosenTrees: result.chosenTrees, calibration: options.response.calibration.rawValue,
            expectedCalibrationError: result.expectedCalibrationError,
            meanOutOfFoldProbability: result.calibratedOutOfFold.reduce(0, +) / Double(max(1, labels.count)),
            reliability: result.reliability, lift: result.lift,
            liftThresholds: Self.thresholds(of: result.lift, probabilities: result.calibratedOutOfFold),
            topFeatures: top.map { .init(feature: names[$0.offset], gain: $0.element) })
        var entry = cacheEntry()
        entry.setSection(BundleSection.booster, result.booster)
        entry.setSection(BundleSection.logistic, result.logistic)
        entry.setSection(BundleSection.calibration, result.calibrator)
        entry.sections["summary"] = encodeJSON(response)
        cache?.store(step: "response", key: key, entry)
        finish(
            "response",
            String(format: "response model: CV AUC %.4f ± %.4f (trees, %d) vs %.4f ± %.4f (logistic)",
                   response.booster.meanAUC, response.booster.standardDeviationAUC, response.chosenTrees,
                   response.logistic.meanAUC, response.logistic.standardDeviationAUC), rows: labels.count)
        return FittedResponse(
            booster: result.booster, logistic: result.logistic, calibrator: result.calibrator, summary: response,
            outOfFold: result.calibratedOutOfFold)
    }

    /// The bundle: every fitted part as a section, and the manifest's identity, inputs and
    /// parameters (its metrics come with the report). Sets the reference's segment shares.
    private func assembleBundle(
        catalog: DIASCatalog, cleaned: inout Cleaned, segmented: Segmented, numbers: SegmentNumbers, response: FittedResponse
    ) -> ModelBundle {
        let transform = cleaned.transform
        let segmentModel = segmented.model
        let segmentation = segmented.summary
        var bundle = ModelBundle(
            manifest: BundleManifest(prospectorVersion: options.prospectorVersion, inputSchema: .init(transform: transform)))
        bundle.setSection(BundleSection.transform, transform)
        bundle.setSection(BundleSection.pca, segmentModel.projection)
        bundle.setSection(BundleSection.centroids, segmentModel.centroids)
        bundle.setSection(BundleSection.segmentLabels, SegmentLabels(table: segmentation.table, segmentCount: segmentModel.segmentCount))
        bundle.setSection(BundleSection.segmentNumbers, numbers)
        bundle.setSection(BundleSection.booster, response.booster)
        bundle.setSection(BundleSection.logistic, response.logistic)
        bundle.setSection(BundleSection.calibration, response.calibrator)
        cleaned.reference.segmentShares = (0..<segmentModel.segmentCount).map { segment in
            segmentation.table.rows.first(where: { $0.cluster == segment })?.populationShare ?? 0
        }
        bundle.setSection(BundleSection.reference, cleaned.reference)
        bundle.setSection(BundleSection.attributes, AttributeDescriptions(transform: transform, cleaning: cleaned.summary, catalog: catalog))
        let created = Date()
        bundle.manifest.createdAt = BundleManifest.timestamp(created)
        bundle.manifest.bundleId = BundleManifest.bundleId(createdAt: created, contentHash: bundle.contentHash)
        bundle.manifest.inputs = inputs.all.map { fingerprints[$0.role]!.manifestInput }
        bundle.manifest.parameters = parameters(segmentationOptions)
        return bundle
    }

    /// The scoring model read back from the new bundle: the predictions below go through the
    /// same code as the scorer's.
    private func readBack(_ bundle: ModelBundle) throws(TrainingError) -> ScoringModel {
        do {
            return try ScoringModel(bundle: bundle, path: "new bundle")
        } catch {
            throw .internalFailure(step: "assembling the bundle", problem: error.description)
        }
    }

    /// The campaign test file, if any, scored by the new bundle.
    private func predictTest(model: ScoringModel) throws(TrainingError) -> TestPredictions? {
        guard let path = inputs.mailoutTest else { return nil }
        live.begin("predict mailout-test")
        let test = try predict(path, model: model)
        finish("predict mailout-test", "scored \(name(path)): \(test.ids.count) rows, mean probability \(String(format: "%.5f", test.summary.meanProbability))", rows: test.ids.count)
        return test
    }

    /// The campaign's actual and out-of-fold predicted response per segment, for the report
    /// (only when the response model was fitted in this run).
    private func campaignResponseBySegment(
        _ campaign: Campaign?, outOfFold: [Double]?, model: ScoringModel
    ) throws(TrainingError) -> [Int: ReportData.CampaignResponse] {
        guard let (table, labels) = campaign, let outOfFold else { return [:] }
        let matrix = try features(model.transform, table, parts: .both, file: inputs.mailoutTrain)
        let segments = model.segments.segments(of: matrix, maxRowMissingShare: model.transform.maxRowMissingShare)
        return CampaignResponseBySegment.measure(segments: segments, probabilities: outOfFold, labels: labels)
    }

    /// The report's data with the run's summaries, stored in the bundle's report section; the
    /// manifest keeps the headline figures.
    private func addReport(
        to bundle: inout ModelBundle, catalog: DIASCatalog, cleaned: Cleaned, segmented: Segmented, lineage: SegmentLineage,
        response: ResponseSummary, test: TestPredictions?, campaignResponse: [Int: ReportData.CampaignResponse]
    ) throws(TrainingError) -> ReportData {
        let segmentation = segmented.summary
        var metrics: [String: JSONValue] = [
            "cleaning": JSONValue(encoding: cleaned.summary), "segmentation": JSONValue(encoding: segmentation),
            "response": JSONValue(encoding: response), "segmentLineage": JSONValue(encoding: lineage),
            "stepSeconds": .object(Dictionary(stepSeconds.map { ($0.0, JSONValue.number(($0.1 * 1000).rounded() / 1000)) }, uniquingKeysWith: { a, _ in a })),
        ]
        if let test { metrics["test"] = JSONValue(encoding: test.summary) }
        let builder = ReportBuilder(catalog: catalog, transform: cleaned.transform, cleaning: cleaned.summary)
        let report = ReportData(
            provenance: ReportBuilder.provenance(bundle.manifest, steps: stepSeconds), dataQuality: builder.dataQuality(),
            principalComponents: builder.principalComponents(segmentation, projection: segmented.model.projection),
            segments: builder.segments(segmentation, lineage: lineage, campaign: campaignResponse), response: builder.response(response))
        metrics["report"] = JSONValue(encoding: report)
        do {
            try bundle.setReport(metrics)
        } catch {
            throw .internalFailure(step: "assembling the bundle", problem: error.description)
        }
        bundle.manifest.metrics = ManifestMetrics.headline(of: metrics)
        return report
    }

    // MARK: Steps' helpers

    /// Scores a campaign file through the table path and `model`'s own per-row functions.
    private func predict(_ path: String, model: ScoringModel) throws(TrainingError) -> TestPredictions {
        let table = try read(path)
        let matrix = try features(model.transform, table, parts: .both, file: path)
        let segments = model.segments.segments(of: matrix, maxRowMissingShare: model.transform.maxRowMissingShare)
        let width = matrix.columns
        let probabilities = matrix.raw.withUnsafeBufferPointer { raw in
            (0..<matrix.rows).map { r in model.probability(raw: UnsafeBufferPointer(rebasing: raw[(r * width)..<((r + 1) * width)])) }
        }
        guard let idColumn = table[model.transform.idColumn] else {
            throw .badInput(file: path, problem: "no id column \(model.transform.idColumn)")
        }
        let ids = (0..<table.rowCount).map { idColumn.value(row: $0).text }
        let sum = probabilities.reduce(0, +)
        return TestPredictions(
            ids: ids, segments: segments, probabilities: probabilities,
            summary: TestPredictionSummary(
                rows: ids.count, meanProbability: sum / Double(max(1, ids.count)), expectedResponders: sum,
                insufficientDataRows: segments.filter { $0 == model.segments.insufficientDataSegment }.count))
    }

    /// The lowest probability mailed at each cut of the lift table (one sort for all cuts).
    static func thresholds(of lift: LiftTable, probabilities: [Double]) -> [Double] {
        let sorted = probabilities.sorted(by: >)
        guard !sorted.isEmpty else { return lift.rows.map { _ in 0 } }
        return lift.rows.map { row in
            sorted[max(0, min(sorted.count - 1, Int((row.mailedShare * Double(sorted.count)).rounded(.up)) - 1))]
        }
    }

    /// The 0/1 label column; any other value is an input error naming its line.
    static func labels(_ table: Table, column name: String, file: String) throws(TrainingError) -> [UInt8] {
        guard let column = table[name] else { throw .badInput(file: file, problem: "no label column \(name)") }
        var labels = [UInt8](repeating: 0, count: table.rowCount)
        for r in 0..<table.rowCount {
            switch column.double(row: r) {
            case 0: labels[r] = 0
            case 1: labels[r] = 1
            default:
                throw .badInput(
                    file: file, problem: "line \(r + 2): column \(name): expected 0 or 1, found '\(column.value(row: r).text)'")
            }
        }
        guard labels.contains(1), labels.contains(0) else {
            throw .badInput(file: file, problem: "column \(name) needs both 0 and 1 rows to fit a response model")
        }
        return labels
    }

    /// Reads a table file; `needsRows`: a file with a header and no rows is bad input (the
    /// steps fitted on it have nothing to fit).
    private func read(_ path: String, needsRows: Bool = false) throws(TrainingError) -> Table {
        let table: Table
        do {
            table = try CSVReader.read(path: path)
        } catch {
            throw .badInput(file: path, problem: "\(error)")
        }
        if needsRows && table.rowCount == 0 { throw .badInput(file: path, problem: "the file has a header but no data rows") }
        return table
    }

    private func features(
        _ transform: CleaningTransform, _ table: Table, parts: FeatureMatrix.Parts, file: String
    ) throws(TrainingError) -> FeatureMatrix {
        do {
            return try transform.transform(table: table, parts: parts)
        } catch {
            throw .badInput(file: file, problem: error.description)
        }
    }

    private func lookup(step: String, key: String) -> ModelBundle? {
        guard let cache else { return nil }
        switch cache.load(step: step, key: key) {
        case .hit(let entry): return entry
        case .miss: return nil
        case .corrupt(let problem):
            progress(ProgressEvent(step: step, message: "cache entry was corrupt and is rebuilt: \(problem)", seconds: 0))
            return nil
        }
    }

    private func cacheEntry() -> ModelBundle {
        ModelBundle(manifest: BundleManifest(
            prospectorVersion: options.prospectorVersion, inputSchema: .init(idColumn: "", columns: []), notes: "stage cache entry"))
    }

    private func decode<T>(_ body: () throws(BundleError) -> T) throws(TrainingError) -> T {
        do {
            return try body()
        } catch {
            throw .internalFailure(step: "reading the cache", problem: error.description)
        }
    }

    private func decodeJSON<T: Decodable>(_ type: T.Type, _ bytes: [UInt8]?) throws(TrainingError) -> T {
        guard let bytes, let value = try? JSONDecoder().decode(T.self, from: Data(bytes)) else {
            throw .internalFailure(step: "reading the cache", problem: "entry without a readable summary")
        }
        return value
    }

    private func encodeJSON(_ value: some Encodable) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return Array((try? encoder.encode(value)) ?? Data())
    }

    private func json(_ value: some Encodable) -> String { String(decoding: encodeJSON(value), as: UTF8.self) }

    private func parameters(_ segmentation: SegmentationOptions) -> [String: JSONValue] {
        var k: JSONValue = .number(Double(segmentation.k))
        if let range = segmentation.kRange { k = .string("\(range.lowerBound)...\(range.upperBound)") }
        return [
            "seed": .number(Double(options.seed)),
            "cleaning": JSONValue(encoding: options.cleaning),
            "segmentation": [
                "k": k, "restarts": .number(Double(segmentation.initializations)),
                "sampleRows": .number(Double(segmentation.sampleRows)), "refined": .number(Double(segmentation.refined)),
                "maxIterations": .number(Double(segmentation.maxIterations)), "tolerance": .number(segmentation.tolerance),
                "explainedVariance": .number(segmentation.explainedVariance),
                "components": segmentation.components.map { .number(Double($0)) } ?? .null,
            ],
            "response": JSONValue(encoding: options.response),
        ]
    }

    private func name(_ path: String) -> String { (path as NSString).lastPathComponent }

    private func finish(_ step: String, _ message: String, rows: Int?, cached: Bool = false) {
        let now = Date()
        let seconds = now.timeIntervalSince(clock)
        clock = now
        stepSeconds.append((step, seconds))
        progress(ProgressEvent(step: step, message: message, seconds: seconds, rows: rows, cached: cached))
    }
}

extension JSONValue {
    /// Any encodable value as JSON (non-finite numbers become null).
    init(encoding value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let data = try? encoder.encode(value), let decoded = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            self = .null
            return
        }
        self = decoded.replacingNonFiniteMarkers()
    }

    private func replacingNonFiniteMarkers() -> JSONValue {
        switch self {
        case .string("inf"), .string("-inf"), .string("nan"): .null
        case .array(let values): .array(values.map { $0.replacingNonFiniteMarkers() })
        case .object(let members): .object(members.mapValues { $0.replacingNonFiniteMarkers() })
        default: self
        }
    }
}

import Concurrency
import DIASMetadata
import Dispatch
import ModelFormat
import Tabular

/// Fits the ``CleaningTransform`` on the population, from its table and the metadata catalog.
///
/// Decisions, in order:
/// 1. every data column is matched to its metadata attribute (``Reconciliation``);
/// 2. each column gets a reading (number, year of a timestamp, text category) and its
///    unknown codes from the metadata (`X`/`XX` markers are missing in every column);
/// 3. columns missing in more than ``CleaningOptions/maxColumnMissingShare`` of the
///    population, after unknown codes became missing, are dropped;
/// 4. engineered features replace the mixed columns (EINGEFUEGT_AM → year, OST_WEST_KZ → 0/1,
///    CAMEO_INTL_2015 → wealth and life stage, PRAEGENDE_JUGENDJAHRE → decade and movement,
///    CAMEO_DEU_2015 and D19_LETZTER_KAUF_BRANCHE → one indicator per category), and the row's
///    missing share is one more feature;
/// 5. fill values (medians) and scaling (mean, standard deviation) are computed on the rows with
///    enough data, through the transform itself, so what is fitted is exactly what is applied.
package enum CleaningFit {
    package struct Result: Sendable {
        package var transform: CleaningTransform
        package var summary: CleaningSummary
        /// The population's drift reference (``ReferenceFit``), when asked for.
        package var reference: ReferenceDistribution?
    }

    /// Fits the transform on `table`; with `withReference`, also the drift reference of its
    /// inputs (as ``ReferenceFit/fit(population:transform:)``, its counting pass shared with
    /// the statistics').
    package static func fit(
        population table: Table, file: String = "population", catalog: DIASCatalog,
        options: CleaningOptions = CleaningOptions(), withReference: Bool = false
    ) throws(CleaningError) -> Result {
        guard table.columnNames.contains(options.idColumn) else {
            throw .missingIdColumn(file: file, column: options.idColumn)
        }
        let reconciliation = Reconciliation(columns: table.columnNames, catalog: catalog)
        var reports: [CleaningSummary.ColumnReport] = []
        var candidates: [Candidate] = []

        for (index, column) in table.columns.enumerated() {
            let match = reconciliation.columns[index]
            var report = CleaningSummary.ColumnReport(
                name: column.name, decision: .kept, attribute: match.attribute?.name,
                informationLevel: match.informationLevel, missingShare: 0, emptyCount: column.emptyCount,
                unknownCodeHits: 0, unparsableTokens: 0, features: [])
            if column.name == options.idColumn {
                report.decision = .identifier
            } else if options.excludedColumns.contains(column.name) {
                report.decision = .excluded
            } else if let candidate = try candidate(
                for: column, attribute: match.attribute, file: file, options: options,
                reportIndex: reports.count, report: &report)
            {
                candidates.append(candidate)
            }
            reports.append(report)
        }

        // Missing share per candidate after cleaning, through the transform's own stages.
        let probe = CleaningTransform(
            idColumn: options.idColumn, inputs: candidates.map(\.input), features: [],
            maxRowMissingShare: options.maxRowMissingShare)
        let counts = try Self.columnCounts(probe, table: table)
        var kept: [Candidate] = []
        for (i, candidate) in candidates.enumerated() {
            let r = candidate.reportIndex
            reports[r].missingShare = Double(counts.missing[i]) / Double(max(1, table.rowCount))
            reports[r].unknownCodeHits = counts.unknownHits[i] + candidate.markerHits
            if reports[r].missingShare > options.maxColumnMissingShare {
                reports[r].decision = .droppedTooManyMissing
            } else {
                kept.append(candidate)
            }
        }
        guard !kept.isEmpty else { throw .noFeatures(file: file) }

        // Inputs and features of the kept columns.
        var inputs: [InputColumn] = []
        var features: [FeatureSpec] = []
        for candidate in kept {
            let input = inputs.count
            inputs.append(candidate.input)
            let made = candidate.rule.features(name: candidate.input.name, input: input, reading: candidate.input.reading)
            features.append(contentsOf: made)
            reports[candidate.reportIndex].features = made.map(\.name)
        }
        features.append(FeatureSpec(name: "ROW_MISSING_SHARE", recipe: .missingShare))

        var transform = CleaningTransform(
            idColumn: options.idColumn, inputs: inputs, features: features,
            maxRowMissingShare: options.maxRowMissingShare)
        var binned: ReferenceDistribution?
        if withReference {
            do { binned = try ReferenceFit.binning(population: table, transform: transform) } catch {
                throw .noFeatures(file: error.description)
            }
        }
        let statistics = try FeatureStatistics.compute(transform, table: table, drift: binned.map(DriftLayout.init))
        for j in transform.features.indices {
            transform.features[j].fillValue = statistics.median[j]
            transform.features[j].mean = statistics.mean[j]
            transform.features[j].scale = statistics.scale[j]
        }

        let summary = CleaningSummary(
            rows: table.rowCount, columns: reports, featureCount: transform.features.count,
            rowsAboveMissingThreshold: statistics.rowsAboveThreshold,
            maxColumnMissingShare: options.maxColumnMissingShare,
            maxRowMissingShare: options.maxRowMissingShare,
            rowMissingShareHistogram: statistics.rowMissingHistogram)
        var reference: ReferenceDistribution?
        if let binned, let counts = statistics.driftCounts { reference = ReferenceFit.reference(binned, counts: counts) }
        return Result(transform: transform, summary: summary, reference: reference)
    }

    /// A column that may become features, before the missing-share rule.
    struct Candidate {
        var input: InputColumn
        var rule: EngineeringRule
        var reportIndex: Int
        /// `X`/`XX` markers met while reading (they are missing already in the table).
        var markerHits: Int
    }

    private static func candidate(
        for column: Column, attribute: Attribute?, file: String, options: CleaningOptions,
        reportIndex: Int, report: inout CleaningSummary.ColumnReport
    ) throws(CleaningError) -> Candidate? {
        var markerHits = 0
        var unparsable = 0
        for (t, token) in column.specialTokens.tokens.enumerated() {
            if InputColumn.missingMarkers.contains(token) {
                markerHits += column.specialTokens.counts[t]
            } else {
                unparsable += column.specialTokens.counts[t]
                if options.strict, let first = column.specialTokens.rows.indices.first(where: {
                    Int(column.specialTokens.codes[$0]) == t
                }) {
                    throw .unparsableToken(
                        file: file, line: Int(column.specialTokens.rows[first]) + 2, column: column.name, token: token)
                }
            }
        }
        report.unparsableTokens = unparsable
        if case .text(let codes, let dictionary) = column.storage {
            // Markers stored as text (CAMEO_DEU_2015's `XX`) count as unknown hits too.
            let markerCodes = Set(dictionary.indices.filter { InputColumn.missingMarkers.contains(dictionary[$0]) }.map { UInt16($0) })
            if !markerCodes.isEmpty {
                for (row, code) in codes.enumerated() where markerCodes.contains(code) && !column.isMissing(row: row) {
                    markerHits += 1
                }
            }
        }

        let rule = EngineeringRule.rule(for: column.name)
        let reading: InputColumn.Reading
        switch column.storage {
        case .text(_, let dictionary):
            if rule == .year || looksLikeTimestamps(dictionary) {
                reading = .year
            } else if rule == .binary {
                reading = .category(vocabulary: EngineeringRule.eastWestVocabulary)
            } else if rule == .indicators {
                reading = .category(vocabulary: dictionary.filter { !InputColumn.missingMarkers.contains($0) })
            } else if column.specialTokens.isEmpty, dictionary.allSatisfy({ Double($0) != nil || InputColumn.missingMarkers.contains($0) }) {
                reading = .number
            } else {
                report.decision = .droppedNotUsable
                return nil
            }
        default:
            reading = .number
        }
        if attribute == nil, rule == .plain, options.dropColumnsWithoutMetadata {
            report.decision = .droppedNoMetadata
            return nil
        }
        report.decision = rule == .plain ? .kept : .engineered

        var unknown: [Double] = []
        for code in attribute?.unknownCodes ?? [] {
            switch (code, reading) {
            case (.integer(let v), .number), (.integer(let v), .year):
                unknown.append(Double(v))
            case (.integer(let v), .category(let vocabulary)):
                if let i = vocabulary.firstIndex(of: String(v)) { unknown.append(Double(i)) }
            case (.text(let t), .category(let vocabulary)):
                if let i = vocabulary.firstIndex(of: t) { unknown.append(Double(i)) }
            case (.text, _):
                break
            }
        }
        let input = InputColumn(name: column.name, reading: reading, unknownCodes: unknown)
        return Candidate(input: input, rule: rule, reportIndex: reportIndex, markerHits: markerHits)
    }

    private static func looksLikeTimestamps(_ dictionary: [String]) -> Bool {
        guard !dictionary.isEmpty else { return false }
        return dictionary.prefix(20).allSatisfy { text in
            var bytes = Array(text.utf8)
            return bytes.count >= 10 && bytes.withUnsafeMutableBufferPointer { InputColumn.year(of: UnsafeBufferPointer($0)) } != nil
        }
    }

    struct ColumnCounts {
        var missing: [Int]
        var unknownHits: [Int]
    }

    /// Missing cells per input after cleaning, and how many of them were unknown codes.
    private static func columnCounts(_ probe: CleaningTransform, table: Table) throws(CleaningError) -> ColumnCounts {
        let reader: TableRowReader
        do { reader = try TableRowReader(transform: probe, table: table) } catch {
            throw .noFeatures(file: error.description)
        }
        let n = probe.inputs.count
        let partials = Parallel.mapBlocks(count: table.rowCount, blockSize: TableRowReader.blockRows * 32) { rows -> ColumnCounts in
            var counts = ColumnCounts(missing: [Int](repeating: 0, count: n), unknownHits: [Int](repeating: 0, count: n))
            let program = probe.program()
            reader.forEachRow(in: rows) { _, inputs in
                for i in 0..<n where inputs[i].isNaN { counts.missing[i] += 1 }
                _ = program.clean(inputs)
                for i in 0..<n where inputs[i].isNaN { counts.unknownHits[i] += 1 }
            }
            return counts
        }
        var total = ColumnCounts(missing: [Int](repeating: 0, count: n), unknownHits: [Int](repeating: 0, count: n))
        for part in partials {
            for i in 0..<n {
                total.unknownHits[i] += part.unknownHits[i] - part.missing[i]
                total.missing[i] += part.unknownHits[i]
            }
        }
        return total
    }
}

import DIASMetadata
import Features
import Foundation
import Learning
import ModelFormat
import Numerics
import Tabular

/// What the boost bench fits and scores: raw feature matrices (NaN = missing) of the training
/// and test rows, the training labels, and the test rows' drawn responses and true probabilities.
struct BoostProblem {
    var train: Matrix
    var labels: [UInt8]
    var test: Matrix
    var testLabels: [UInt8]
    /// The probability each test label was drawn from.
    var testTruth: [Double]
    /// Seconds spent reading the files and fitting the cleaning (not part of the timed figure).
    var preparationSeconds: Double
    /// Where the cleaning transform was fitted.
    var cleaningFittedOn: String

    /// The MAILOUT files of a `trainer synth` directory through the product's pipeline:
    /// CSVReader → CleaningFit (on `population`, or MAILOUT_TRAIN itself when nil) → raw features.
    /// Labels are MAILOUT_TRAIN's RESPONSE column; the test rows' truth comes from
    /// truth/response_mailout_test.csv, matched by LNR.
    static func load(data directory: String, population: String?, values: String?, levels: String?) throws -> BoostProblem {
        let started = Date()
        let dir = URL(fileURLWithPath: directory, isDirectory: true)
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let valuesPath = values ?? path("DIAS Attributes - Values 2017.xlsx")
        let levelsPath = levels ?? path("DIAS Information Levels - Attributes 2017.xlsx")
        let catalog = try DIASCatalog.load(
            valuesPath: valuesPath, levelsPath: FileManager.default.fileExists(atPath: levelsPath) ? levelsPath : nil)
        let trainPath = path("Udacity_MAILOUT_052018_TRAIN.csv")
        let testPath = path("Udacity_MAILOUT_052018_TEST.csv")
        let trainTable = try CSVReader.read(path: trainPath)
        let testTable = try CSVReader.read(path: testPath)
        let fit: CleaningFit.Result
        if let population {
            let table = try CSVReader.read(path: population)
            fit = try CleaningFit.fit(population: table, file: population, catalog: catalog)
        } else {
            fit = try CleaningFit.fit(population: trainTable, file: trainPath, catalog: catalog)
        }
        let train = try fit.transform.transform(table: trainTable, parts: .raw)
        let test = try fit.transform.transform(table: testTable, parts: .raw)

        guard let response = trainTable["RESPONSE"] else { throw BoostBenchError.missingColumn(file: trainPath, column: "RESPONSE") }
        var labels: [UInt8] = []
        labels.reserveCapacity(trainTable.rowCount)
        for (row, value) in response.doubles().enumerated() {
            guard value == 0 || value == 1 else {
                throw BoostBenchError.badLabel(file: trainPath, row: row + 1, value: value.isNaN ? "empty" : "\(value)")
            }
            labels.append(UInt8(value))
        }

        guard let lnr = testTable["LNR"] else { throw BoostBenchError.missingColumn(file: testPath, column: "LNR") }
        let truthPath = dir.appendingPathComponent("truth/response_mailout_test.csv").path
        let truth = try readTruth(path: truthPath)
        var testLabels: [UInt8] = []
        var testTruth: [Double] = []
        for (row, id) in lnr.doubles().enumerated() {
            guard !id.isNaN, let entry = truth[Int(id)] else {
                throw BoostBenchError.noTruth(file: truthPath, lnr: id.isNaN ? "empty" : "\(Int(id))", row: row + 1)
            }
            testTruth.append(entry.probability)
            testLabels.append(entry.response)
        }
        return BoostProblem(
            train: Matrix(rows: train.rows, columns: train.columns, values: train.raw), labels: labels,
            test: Matrix(rows: test.rows, columns: test.columns, values: test.raw), testLabels: testLabels,
            testTruth: testTruth, preparationSeconds: Date().timeIntervalSince(started),
            cleaningFittedOn: population ?? trainPath)
    }

    /// `LNR;segment;p_true;response` rows, by LNR.
    private static func readTruth(path: String) throws -> [Int: (probability: Double, response: UInt8)] {
        let table = try CSVReader.read(path: path)
        guard let lnr = table["LNR"], let p = table["p_true"], let response = table["response"] else {
            throw BoostBenchError.missingColumn(file: path, column: "LNR, p_true or response")
        }
        var truth: [Int: (probability: Double, response: UInt8)] = [:]
        for (id, (probability, drawn)) in zip(lnr.doubles(), zip(p.doubles(), response.doubles()))
        where !id.isNaN && (drawn == 0 || drawn == 1) {
            truth[Int(id)] = (probability, UInt8(drawn))
        }
        return truth
    }

    /// The matrices a previous `--dump DIR` wrote (no cleaning to fit: for timing the fit again quickly).
    static func read(dump directory: String) throws -> BoostProblem {
        let started = Date()
        let url = URL(fileURLWithPath: directory, isDirectory: true)
        func bytes(_ name: String) throws -> Data { try Data(contentsOf: url.appendingPathComponent(name)) }
        func doubles(_ name: String) throws -> [Double] {
            let data = try bytes(name)
            return data.withUnsafeBytes { raw in (0..<(data.count / 8)).map { raw.loadUnaligned(fromByteOffset: 8 * $0, as: Double.self) } }
        }
        let labels = [UInt8](try bytes("y_train.u8"))
        let testLabels = [UInt8](try bytes("y_test.u8"))
        let train = try doubles("X_train.f64")
        let test = try doubles("X_test.f64")
        let columns = labels.isEmpty ? 0 : train.count / labels.count
        return BoostProblem(
            train: Matrix(rows: labels.count, columns: columns, values: train), labels: labels,
            test: Matrix(rows: testLabels.count, columns: columns, values: test), testLabels: testLabels,
            testTruth: try doubles("p_test.f64"), preparationSeconds: Date().timeIntervalSince(started),
            cleaningFittedOn: "dump \(directory)")
    }

    /// The generated mail-out-shaped matrices of `SyntheticResponseData` (no files).
    static func synthetic(trainingRows: Int, testRows: Int, columns: Int, seed: UInt64) -> BoostProblem {
        let started = Date()
        let (train, test) = SyntheticResponseData.make(trainingRows: trainingRows, testRows: testRows, columns: columns, seed: seed)
        return BoostProblem(train: train.features, labels: train.labels, test: test.features, testLabels: test.labels,
                            testTruth: test.truth, preparationSeconds: Date().timeIntervalSince(started),
                            cleaningFittedOn: "none (generated matrices)")
    }

    /// Raw little-endian float64 / uint8 files, read by bench/peer/boost_peer.py.
    func write(to directory: String, settings: String) throws {
        let url = URL(fileURLWithPath: directory, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        func save(_ values: [Double], _ name: String) throws {
            try values.withUnsafeBytes { try Data($0).write(to: url.appendingPathComponent(name)) }
        }
        try save(train.values, "X_train.f64")
        try save(test.values, "X_test.f64")
        try save(testTruth, "p_test.f64")
        try Data(labels).write(to: url.appendingPathComponent("y_train.u8"))
        try Data(testLabels).write(to: url.appendingPathComponent("y_test.u8"))
        try Data((settings + "\n").utf8).write(to: url.appendingPathComponent("settings.json"))
    }
}

/// Why the boost bench could not read its input.
enum BoostBenchError: Error, CustomStringConvertible {
    case missingColumn(file: String, column: String)
    case badLabel(file: String, row: Int, value: String)
    case noTruth(file: String, lnr: String, row: Int)

    var description: String {
        switch self {
        case let .missingColumn(file, column):
            return "\(file) has no column \(column); is this a `trainer synth` directory?"
        case let .badLabel(file, row, value):
            return "\(file), data row \(row): RESPONSE is \(value); expected 0 or 1"
        case let .noTruth(file, lnr, row):
            return "\(file) has no response for LNR \(lnr) (MAILOUT_TEST data row \(row)); "
                + "the truth must come from the same `trainer synth` run"
        }
    }
}

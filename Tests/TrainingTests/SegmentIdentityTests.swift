import Foundation
import ModelFormat
import Synth
import Testing

/// Runs a product built beside the test bundle (`swift build --build-tests` builds them all)
/// and returns its stdout; a non-zero exit fails with its stderr.
enum BuiltProduct {
    struct Failure: Error, CustomStringConvertible { var description: String }

    static func run(_ product: String, _ arguments: [String], stdin: String? = nil) throws -> String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let binary = URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent(product).path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw Failure(description: "no \(product) binary at \(binary): run `swift build` first")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("\(product)-\(UUID().uuidString).out")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("\(product)-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        if let stdin { process.standardInput = FileHandle(forReadingAtPath: stdin) }
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(product) \(arguments.joined(separator: " ")) exited \(process.terminationStatus): "
                + ((try? String(contentsOf: err, encoding: .utf8)) ?? ""))
        }
        return try String(contentsOf: out, encoding: .utf8)
    }
}

/// Every output of one run names each segment with the same number and label.
@Suite(.serialized) struct SegmentIdentityTests {
    /// `number -> label` from the lines of a CLI segment table (``SegmentTableText``).
    static func cliTable(_ text: String) -> [Int: String] {
        var table: [Int: String] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 7, let number = Int(fields[0]), fields[2] == "%", fields[4] == "%" else { continue }
            table[number] = String(fields[6])
        }
        return table
    }

    /// `number -> label` from scored lines `LNR;segment;segment_label;probability`, checking
    /// that a number never comes with two labels.
    static func scored(_ text: String) throws -> [Int: String] {
        var pairs: [Int: String] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ";", omittingEmptySubsequences: false)
            let number = try #require(Int(fields[1]), "not a segment number: \(line)")
            if let seen = pairs[number] { #expect(seen == String(fields[2]), "segment \(number) labelled \(seen) and \(fields[2])") }
            pairs[number] = String(fields[2])
        }
        return pairs
    }

    @Test("train, segment, inspect, segments.json, the manifest, the report, predictions, predict and the scorer agree")
    func everyOutputAgrees() throws {
        let data = PipelineFixture.data
        let models = PipelineFixture.temporaryDirectory("identity-models")
        let fit = ["--seed", "3", "--k", "5", "--components", "8", "--restarts", "8", "--sample-rows", "2000"]
        let train = try BuiltProduct.run(
            "trainer", ["train", "--data", data, "--models", models, "--folds", "3", "--trees", "30", "--no-cache"] + fit)
        let reference = Self.cliTable(train)
        // k clusters and insufficient data, numbered 1...k and 0, labelled from one vocabulary.
        #expect(Set(reference.keys) == Set(0...5))
        #expect(reference[0] == "insufficient-data")
        let customerLabels: Set<String> = ["core", "over-represented", "neutral", "under-represented"]
        for number in 1...5 { #expect(customerLabels.contains(reference[number] ?? "?"), "segment \(number): \(reference[number] ?? "none")") }

        let inspect = try BuiltProduct.run("trainer", ["inspect", models + "/current"])
        #expect(Self.cliTable(inspect) == reference)

        let json = try BuiltProduct.run("trainer", ["inspect", models + "/current", "--format", "json"])
        let manifest = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let metrics = try #require(manifest["metrics"] as? [String: Any])
        let tableRows = try #require(((metrics["segmentation"] as? [String: Any])?["table"] as? [String: Any])?["rows"] as? [[String: Any]])
        var manifestTable: [Int: String] = [:]
        for row in tableRows {
            let number = try #require(row["number"] as? Int)
            manifestTable[number] = row["label"] as? String
            #expect(row["name"] as? String == (number == 0 ? "insufficient data" : "segment \(number)"))
        }
        #expect(manifestTable == reference)
        let reportRows = try #require(((metrics["report"] as? [String: Any])?["segments"] as? [String: Any])?["rows"] as? [[String: Any]])
        var reportData: [Int: String] = [:]
        for row in reportRows { reportData[try #require(row["id"] as? Int)] = row["label"] as? String }
        #expect(reportData == reference)

        // The report page: its table, cards and summary.
        let report = try String(contentsOfFile: try #require(
            try FileManager.default.contentsOfDirectory(atPath: models).first { $0.hasSuffix(".report.html") }
                .map { models + "/" + $0 }), encoding: .utf8)
        let table = try #require(report.range(of: "id=\"segment-shares\"")).upperBound
        let tableText = String(report[table...].split(separator: "</table>")[0])
        var pageTable: [Int: String] = [:]
        for row in tableText.components(separatedBy: "<tr>").dropFirst(2) {
            let cells = row.components(separatedBy: "<td").dropFirst().map { cell -> String in
                let content = cell[cell.index(after: cell.firstIndex(of: ">")!)...]
                return String(content.prefix { $0 != "<" })
            }
            let number = try #require(Int(cells[0]))
            #expect(cells[1] == (number == 0 ? "insufficient data" : "segment \(number)"))
            pageTable[number] = cells[5]  // the Label column (campaign columns follow it)
        }
        #expect(pageTable == reference)
        for (number, label) in reference {
            let title = number == 0 ? "Insufficient data" : "Segment \(number)"
            #expect(report.contains("<h4>\(title) <span class=\"\(label == "core" ? "label core" : "label")\">\(label)</span></h4>"),
                    "no card \(title) \(label)")
        }
        let core = reference.filter { $0.value == "core" }.keys.sorted()
        if !core.isEmpty {
            #expect(report.contains("Core customer base (customer share at least twice the population share): "
                + core.map { "segment \($0)" }.joined(separator: ", ") + "."))
        }

        // Row by row: the predictions file, `trainer predict` and the scorer.
        let test = data + "/" + SynthFile.mailoutTest.fileName
        let predictions = try String(contentsOfFile: try #require(
            try FileManager.default.contentsOfDirectory(atPath: models).first { $0.hasSuffix(".predictions.csv") }
                .map { models + "/" + $0 }), encoding: .utf8)
        let predict = try BuiltProduct.run("trainer", ["predict", "--bundle", models + "/current", test])
        let scorer = try BuiltProduct.run("scorer", ["--bundle", models + "/current", "--stdin"], stdin: test)
        #expect(predict == predictions)
        #expect(scorer == predictions)
        let rows = try Self.scored(predictions)
        #expect(!rows.isEmpty)
        for (number, label) in rows { #expect(reference[number] == label, "segment \(number): predictions say \(label)") }

        // `trainer segment` fits the same segmentation with the same options.
        let segmentsJSON = models + "/segments.json"
        let segment = try BuiltProduct.run("trainer", [
            "segment", "--population", data + "/" + SynthFile.azdias.fileName, "--customers", data + "/" + SynthFile.customers.fileName,
            "--values", data + "/" + MetadataWorkbookLayout.valuesFileName, "--out", segmentsJSON,
        ] + fit)
        #expect(Self.cliTable(segment) == reference)
        let written = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: segmentsJSON))) as? [String: Any])
        var file: [Int: String] = [:]
        for row in try #require(written["rows"] as? [[String: Any]]) { file[try #require(row["number"] as? Int)] = row["label"] as? String }
        #expect(file == reference)
    }
}

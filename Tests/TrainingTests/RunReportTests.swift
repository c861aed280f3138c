import Foundation
import ModelFormat
import Report
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@testable import Training

/// Collects the cells of every table by its id, and the ids and element names seen.
private final class TableCollector: NSObject, XMLParserDelegate {
    var tables: [String: [[String]]] = [:]
    var ids: Set<String> = []
    var svgCount = 0
    private var table: String?
    private var row: [String]?
    private var cell: String?

    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if let id = attributes["id"] { ids.insert(id) }
        if name == "svg" { svgCount += 1 }
        if name == "table" { table = attributes["id"] }
        if name == "tr", table != nil { row = [] }
        if name == "td" || name == "th", row != nil { cell = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { cell? += string }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "td" || name == "th", let text = cell {
            row?.append(text)
            cell = nil
        }
        if name == "tr", let id = table, let cells = row {
            tables[id, default: []].append(cells)
            row = nil
        }
        if name == "table" { table = nil }
    }
}

@Suite(.serialized) struct RunReportTests {
    @Test("the report of a synthetic run is well-formed, has every section, and its tables show the manifest's numbers")
    func reportOfARun() throws {
        let (run, _) = try PipelineFixture.run(cache: nil)
        let html = try ReportFile.render(run.bundle)
        #expect(html == ReportRenderer.render(run.report))  // from the report section alone, the same page
        // ... which the file carries (format 1.2), while the manifest keeps only headline figures.
        let file = try BundleFile.decode(try BundleFile.encode(run.bundle), path: "run.bundle")
        #expect(try ReportFile.render(file) == html)
        #expect(run.bundle.manifest.metrics["report"] == nil)
        #expect(run.bundle.manifest.metrics["response"]?[path: ["booster", "meanAUC"]] == .number(run.response.booster.meanAUC))
        #expect(run.bundle.manifest.metrics["response"]?[path: ["booster", "roc"]] == nil)
        #expect(run.bundle.manifest.metrics["segmentation"]?[path: ["table"]] == nil)
        let pretty = JSONEncoder()
        pretty.outputFormatting = [.prettyPrinted, .sortedKeys]
        // (The rest of the manifest is mostly the input schema, which the scorer needs.)
        #expect(try pretty.encode(run.bundle.manifest.metrics).count < 4 << 10)

        let collector = TableCollector()
        let parser = XMLParser(data: Data(html.utf8))
        parser.delegate = collector
        #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        for section in ["summary", "data-quality", "pca", "segments", "response", "provenance"] {
            #expect(collector.ids.contains(section), "section \(section)")
        }
        // The summary and the small-numbers warning count the campaign file's responders.
        #expect(run.report.response?.responders == run.response.positives)
        // Per segment, the campaign file's rows: together they are the whole file, its responders
        // and its mean out-of-fold probability.
        let campaign = (run.report.segments?.rows ?? []).compactMap(\.campaign)
        #expect(campaign.count == run.report.segments?.rows.count)
        #expect(campaign.reduce(0) { $0 + $1.rows } == run.response.rows)
        #expect(Int(campaign.reduce(0) { $0 + $1.observedRate * Double($1.rows) }.rounded()) == run.response.positives)
        let predicted = campaign.reduce(0) { $0 + $1.meanPredicted * Double($1.rows) } / Double(run.response.rows)
        #expect(abs(predicted - run.response.meanOutOfFoldProbability) < 1e-9)
        #expect(collector.svgCount >= 8)
        #expect(!html.contains("<script"))

        // Segment shares: every row of the run's segment table, as the page formats it.
        guard case .object(let segmentation)? = try run.bundle.reportMetrics()["segmentation"],
            case .object(let table)? = segmentation["table"], case .array(let rows)? = table["rows"]
        else { Issue.record("no segment table in the report section"); return }
        let shown = try #require(collector.tables["segment-shares"]).dropFirst()  // header row
        #expect(shown.count == rows.count)
        for case .object(let row) in rows {
            guard case .string(let name)? = row["name"], case .number(let population)? = row["populationShare"],
                case .number(let customers)? = row["customerShare"]
            else { Issue.record("incomplete segment row"); continue }
            let line = shown.first { $0.count > 1 && $0[1] == name }
            #expect(line?[2] == ReportFormat.percent(population), "\(name)")
            #expect(line?[3] == ReportFormat.percent(customers), "\(name)")
        }
        // Inputs with their fingerprints, as the manifest lists them.
        let inputs = try #require(collector.tables["inputs"]).flatMap { $0 }
        for input in run.bundle.manifest.inputs {
            #expect(inputs.contains(input.name) && inputs.contains(input.contentHash), "\(input.name)")
        }
    }
}

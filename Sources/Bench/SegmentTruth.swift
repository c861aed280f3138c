import Foundation
import Tabular

/// The generator's ground truth for segmentation (`DIR/truth` of `trainer synth`): every
/// population row's true segment, and every true segment's customer ratio.
struct SegmentTruth {
    /// LNR → true segment, from `segments_azdias.csv` (`LNR;segment`).
    var populationSegment: [Int64: Int]
    /// Customer share / population share of each true segment, from `truth.json`.
    var customerRatios: [Double]

    static func load(directory: String) throws -> SegmentTruth {
        let truth = SegmentDataset.path(directory, "truth")
        let csvPath = SegmentDataset.path(truth, "segments_azdias.csv")
        let table = try CSVReader.read(path: csvPath)
        guard let lnr = table["LNR"], let segment = table["segment"] else {
            throw Failure.malformed(path: csvPath, reason: "expected the columns LNR;segment")
        }
        var map: [Int64: Int] = [:]
        map.reserveCapacity(table.rowCount)
        for row in 0..<table.rowCount {
            guard let id = lnr.double(row: row), let s = segment.double(row: row), s >= 0 else {
                throw Failure.malformed(path: csvPath, reason: "data row \(row + 1) has no LNR or segment")
            }
            map[Int64(id)] = Int(s)
        }

        let jsonPath = SegmentDataset.path(truth, "truth.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: jsonPath)))
        guard let segments = (object as? [String: Any])?["segments"] as? [[String: Any]] else {
            throw Failure.malformed(path: jsonPath, reason: "no \"segments\" array")
        }
        var ratios = [Double](repeating: .nan, count: segments.count)
        for entry in segments {
            guard let id = entry["id"] as? Int, ratios.indices.contains(id), let ratio = entry["customer_ratio"] as? Double else {
                throw Failure.malformed(path: jsonPath, reason: "a segment lacks \"id\" or \"customer_ratio\"")
            }
            ratios[id] = ratio
        }
        if let high = map.values.max(), high >= ratios.count {
            throw Failure.malformed(path: csvPath, reason: "segment \(high) is not among the \(ratios.count) segments of truth.json")
        }
        return SegmentTruth(populationSegment: map, customerRatios: ratios)
    }

    enum Failure: Error, CustomStringConvertible {
        case malformed(path: String, reason: String)
        case unknownLNR(Int64)

        var description: String {
            switch self {
            case let .malformed(path, reason): return "\(path): \(reason)"
            case let .unknownLNR(lnr): return "LNR \(lnr) of the population is not in truth/segments_azdias.csv; is the truth from the same synth run?"
            }
        }
    }

    func segments(of lnrs: [Int64]) throws -> [Int] {
        try lnrs.map { lnr in
            guard let s = populationSegment[lnr] else { throw Failure.unknownLNR(lnr) }
            return s
        }
    }
}

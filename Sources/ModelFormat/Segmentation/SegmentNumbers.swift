/// The one identity of every segment: the number and name every output prints (report,
/// CLI tables, segments.json, the manifest, predictions, `trainer predict`, the scorer).
///
/// Inside a model a segment is an index: `0..<k` the centroid rows, `k` "insufficient data".
/// Outside it is a number: `numbers[c]` for centroid row `c` (≥ 1, distinct, not necessarily
/// `1...k`: a retrain keeps the numbers of the segments it matched to the previous bundle and
/// gives new segments numbers never used before), and 0 for "insufficient data".
public struct SegmentNumbers: Sendable, Hashable, Codable {
    /// The number of each centroid row.
    public var numbers: [Int]

    /// The number of the "insufficient data" segment, in every output.
    public static let insufficientData = 0

    /// Numbers given per cluster index, in centroid order.
    public init(numbers: [Int]) { self.numbers = numbers }

    /// `1...k` in centroid order: a segmentation without a previous bundle to follow.
    public static func sequential(clusterCount: Int) -> SegmentNumbers {
        SegmentNumbers(numbers: (0..<clusterCount).map { $0 + 1 })
    }

    /// Number of clusters numbered.
    public var clusterCount: Int { numbers.count }

    /// The number of a segment index (`clusterCount` is "insufficient data").
    @inline(__always)
    public func number(ofSegment index: Int) -> Int {
        index < numbers.count ? numbers[index] : SegmentNumbers.insufficientData
    }

    /// The name of a segment number: "segment 7", or "insufficient data" for 0.
    public static func name(of number: Int) -> String {
        number == insufficientData ? "insufficient data" : "segment \(number)"
    }

    /// Why these numbers cannot serve a model with `clusterCount` clusters, or nil.
    public func problem(clusterCount: Int) -> String? {
        guard numbers.count == clusterCount else {
            return "\(numbers.count) segment numbers for \(clusterCount) clusters"
        }
        guard numbers.allSatisfy({ $0 >= 1 }) else { return "segment numbers must be at least 1 (0 is insufficient data)" }
        guard Set(numbers).count == numbers.count else { return "segment numbers repeat: \(numbers)" }
        return nil
    }
}

extension SegmentNumbers: BinaryCodable {
    /// Writes the numbers as one `Int32` block.
    public func encode(to writer: inout BinaryWriter) {
        writer.write(numbers.map { Int32(clamping: $0) })
    }

    /// Reads the numbers; whether they are valid for a model is ``ScoringModel``'s check.
    public init(from reader: inout BinaryReader) throws(BundleError) {
        self.init(numbers: try reader.read([Int32].self).map { Int($0) })
    }
}

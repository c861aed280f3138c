/// The population's distribution of every input attribute, and its segment shares: what the
/// bundle's `reference` section holds, and what drift (PSI) is measured against.
///
/// Each attribute is cut into bins fitted on the population: one bin per code for
/// categorical and ordinal attributes (plus an "other" bin for codes the population never
/// showed), or quantile bins for numbers (value ≤ edge j → bin j, above the last edge → the
/// last value bin). The last bin of every attribute is "missing": an empty field, a marker, or
/// a code the metadata calls unknown. Values are the inputs after cleaning (stage 2 of the
/// transform), where the trainer's table path and the scorer's record path agree exactly.
public struct ReferenceDistribution: Sendable, Hashable, BinaryCodable {
    /// How an attribute's values are put in bins: by code, or by quantile edges.
    public enum Binning: Sendable, Hashable {
        /// The codes seen, ascending; bins: one per code, "other", "missing".
        case codes([Double])
        /// Ascending quantile edges; bins: `edges.count + 1` ranges, then "missing".
        case quantiles(edges: [Double])

        /// The codes or edges (ascending).
        public var values: [Double] {
            switch self {
            case .codes(let codes): codes
            case .quantiles(let edges): edges
            }
        }

        /// Value bins + "other"/"above" + "missing".
        public var binCount: Int { values.count + 2 }
    }

    /// One input attribute's bins and the population's share in each.
    public struct Attribute: Sendable, Hashable {
        /// The input column's name.
        public var name: String
        /// How its values fall into bins.
        public var binning: Binning
        /// The population's share of each bin (``Binning/binCount`` values, summing to 1).
        public var shares: [Double]

        /// An attribute from its bins and their shares.
        public init(name: String, binning: Binning, shares: [Double]) {
            self.name = name
            self.binning = binning
            self.shares = shares
        }

        /// Names of the bins for reports: `3`, `≤ 1.5`, `other`, `missing`.
        public var binNames: [String] {
            switch binning {
            case .codes(let codes): codes.map(Self.number) + ["other", "missing"]
            case .quantiles(let edges):
                edges.map { "≤ " + Self.number($0) } + ["> " + (edges.last.map(Self.number) ?? "-inf"), "missing"]
            }
        }

        private static func number(_ value: Double) -> String {
            value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        }
    }

    /// One per input of the bundle's transform, in its order.
    public var attributes: [Attribute]
    /// The population's share of each segment (clusters, then insufficient data).
    public var segmentShares: [Double]
    /// Population rows the shares were counted on.
    public var rows: Int

    /// A distribution from its attributes, the segment shares and the row count.
    public init(attributes: [Attribute], segmentShares: [Double], rows: Int) {
        self.attributes = attributes
        self.segmentShares = segmentShares
        self.rows = rows
    }

    // MARK: Binary encoding (see FORMAT.md)

    /// Writes the row count, the segment shares, then each attribute (name, binning tag and
    /// values, shares).
    public func encode(to writer: inout BinaryWriter) {
        writer.write(rows)
        writer.write(segmentShares)
        writer.write(UInt64(attributes.count))
        for attribute in attributes {
            writer.write(attribute.name)
            switch attribute.binning {
            case .codes(let codes):
                writer.write(UInt8(0))
                writer.write(codes)
            case .quantiles(let edges):
                writer.write(UInt8(1))
                writer.write(edges)
            }
            writer.write(attribute.shares)
        }
    }

    /// Reads a distribution, refusing unknown binning tags, share counts that do not match the
    /// bins, and bins that are not strictly ascending.
    public init(from reader: inout BinaryReader) throws(BundleError) {
        let rows = try reader.read(Int.self)
        let segmentShares = try reader.read([Double].self)
        let count = try reader.read(UInt64.self)
        var attributes: [Attribute] = []
        var decoded: UInt64 = 0
        while decoded < count {
            let start = reader.offset
            let name = try reader.read(String.self)
            let tag = try reader.read(UInt8.self)
            let values = try reader.read([Double].self)
            let binning: Binning
            switch tag {
            case 0: binning = .codes(values)
            case 1: binning = .quantiles(edges: values)
            default: throw reader.malformed("attribute '\(name)': unknown binning tag \(tag)")
            }
            let shares = try reader.read([Double].self)
            guard shares.count == binning.binCount else {
                throw BundleError.malformed(
                    section: nil, offset: start,
                    problem: "attribute '\(name)': \(shares.count) shares for \(binning.binCount) bins")
            }
            guard zip(values, values.dropFirst()).allSatisfy({ $0 < $1 }), !values.contains(where: \.isNaN) else {
                throw BundleError.malformed(section: nil, offset: start, problem: "attribute '\(name)': bins are not ascending")
            }
            attributes.append(Attribute(name: name, binning: binning, shares: shares))
            decoded += 1
        }
        self.init(attributes: attributes, segmentShares: segmentShares, rows: rows)
    }
}

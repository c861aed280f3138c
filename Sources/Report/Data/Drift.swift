import Foundation

/// A prospects file compared with the bundle's population: what `trainer drift` prints and
/// draws. Plain values, so the page can be rendered (and tested) without a model.
public struct DriftData: Sendable, Hashable {
    public struct Attribute: Sendable, Hashable {
        public var name: String
        /// Population stability index against the population.
        public var psi: Double
        public var bins: [String]
        /// The population's share per bin, and the file's.
        public var expected: [Double]
        public var actual: [Double]

        public init(name: String, psi: Double, bins: [String], expected: [Double], actual: [Double]) {
            self.name = name
            self.psi = psi
            self.bins = bins
            self.expected = expected
            self.actual = actual
        }
    }

    public struct Segment: Sendable, Hashable {
        public var number: Int
        public var label: String
        public var population: Double
        public var file: Double

        public init(number: Int, label: String, population: Double, file: Double) {
            self.number = number
            self.label = label
            self.population = population
            self.file = file
        }
    }

    public static let watch = 0.1
    public static let act = 0.25

    public var bundleId: String
    public var file: String
    public var rows: Int
    public var rowsWithErrors: Int
    public var populationRows: Int
    public var attributes: [Attribute]
    public var segments: [Segment]

    public init(
        bundleId: String, file: String, rows: Int, rowsWithErrors: Int, populationRows: Int, attributes: [Attribute],
        segments: [Segment]
    ) {
        self.bundleId = bundleId
        self.file = file
        self.rows = rows
        self.rowsWithErrors = rowsWithErrors
        self.populationRows = populationRows
        self.attributes = attributes
        self.segments = segments
    }

    /// Attributes by PSI, largest first (ties by name).
    public var byPSI: [Attribute] {
        attributes.sorted { $0.psi != $1.psi ? $0.psi > $1.psi : $0.name < $1.name }
    }

    /// `act` (≥ 0.25), `watch` (≥ 0.1) or `stable`.
    public static func level(_ psi: Double) -> String {
        psi >= act ? "act" : psi >= watch ? "watch" : "stable"
    }

    /// The plain-text report: the top `limit` attributes by PSI, then the segment shares.
    public func table(limit: Int) -> String {
        let sorted = byPSI
        let act = sorted.filter { $0.psi >= Self.act }.count
        let watch = sorted.filter { $0.psi >= Self.watch && $0.psi < Self.act }.count
        var out = "bundle \(bundleId): \(file), \(rows) rows scored (\(rowsWithErrors) with errors) against \(populationRows) population rows\n"
        out += "PSI: \(act) attributes to act on (>= 0.25), \(watch) to watch (>= 0.1), \(sorted.count - act - watch) stable\n\n"
        let width = max(9, sorted.prefix(limit).map(\.name.count).max() ?? 0)
        out += "attribute".padding(toLength: width, withPad: " ", startingAt: 0) + "     PSI  level\n"
        for a in sorted.prefix(limit) {
            out += a.name.padding(toLength: width, withPad: " ", startingAt: 0) + String(format: "  %6.4f  ", a.psi)
                + Self.level(a.psi) + "\n"
        }
        if sorted.count > limit { out += "(\(sorted.count - limit) more, all below \(String(format: "%.4f", sorted[limit].psi)))\n" }
        out += "\nsegment  label               population    file\n"
        for s in segments {
            out += String(format: "%7d  ", s.number) + s.label.padding(toLength: 18, withPad: " ", startingAt: 0)
                + String(format: "  %9.2f%%  %6.2f%%\n", s.population * 100, s.file * 100)
        }
        return out
    }
}

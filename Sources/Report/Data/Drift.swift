import Foundation

/// A prospects file compared with the bundle's population: what `trainer drift` prints and
/// draws. Plain values, so the page can be rendered (and tested) without a model.
package struct DriftData: Sendable, Hashable {
    package struct Attribute: Sendable, Hashable {
        package var name: String
        /// Population stability index against the population.
        package var psi: Double
        package var bins: [String]
        /// The population's share per bin, and the file's.
        package var expected: [Double]
        package var actual: [Double]

        package init(name: String, psi: Double, bins: [String], expected: [Double], actual: [Double]) {
            self.name = name
            self.psi = psi
            self.bins = bins
            self.expected = expected
            self.actual = actual
        }
    }

    package struct Segment: Sendable, Hashable {
        package var number: Int
        package var label: String
        package var population: Double
        package var file: Double

        package init(number: Int, label: String, population: Double, file: Double) {
            self.number = number
            self.label = label
            self.population = population
            self.file = file
        }
    }

    package static let watch = 0.1
    package static let act = 0.25

    package var bundleId: String
    package var file: String
    package var rows: Int
    package var rowsWithErrors: Int
    package var populationRows: Int
    package var attributes: [Attribute]
    package var segments: [Segment]

    package init(
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
    package var byPSI: [Attribute] {
        attributes.sorted { $0.psi != $1.psi ? $0.psi > $1.psi : $0.name < $1.name }
    }

    /// `act` (≥ 0.25), `watch` (≥ 0.1) or `stable`.
    package static func level(_ psi: Double) -> String {
        psi >= act ? "act" : psi >= watch ? "watch" : "stable"
    }

    /// The plain-text report: the top `limit` attributes by PSI, then the segment shares.
    package func table(limit: Int) -> String {
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

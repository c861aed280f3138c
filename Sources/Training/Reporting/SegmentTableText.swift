import Foundation
import ModelFormat

/// The segment table for people, as `trainer train`, `trainer segment` and `trainer inspect`
/// print it: one line per segment, most over-represented first, numbered and labelled as
/// every other output (``SegmentNumbers``, ``SegmentTable``).
package enum SegmentTableText {
    package static let header =
        "segment  population  customers  ratio  label              distinguishing attributes (standard deviations)"

    package static func render(_ table: SegmentTable) -> String {
        var lines = [header]
        for row in table.rows.sorted(by: { $0.ratio > $1.ratio || ($0.ratio == $1.ratio && $0.number < $1.number) }) {
            let attributes = row.distinguishing.prefix(3)
                .map { "\($0.feature) \(String(format: "%+.1f", $0.standardDeviations))" }.joined(separator: ", ")
            lines.append(line(number: row.number, populationShare: row.populationShare, customerShare: row.customerShare,
                              ratio: row.ratio, label: row.label.rawValue, attributes: attributes))
        }
        return lines.joined(separator: "\n")
    }

    /// One segment's line.
    package static func line(
        number: Int, populationShare: Double, customerShare: Double, ratio: Double, label: String, attributes: String
    ) -> String {
        let ratioText = ratio.isFinite ? String(format: "%5.2f", ratio) : "    -"
        return String(format: "%7d", number) + String(format: "%10.1f %%", populationShare * 100)
            + String(format: "%9.1f %%", customerShare * 100) + "  \(ratioText)  "
            + label.padding(toLength: max(19, label.count + 1), withPad: " ", startingAt: 0) + attributes
    }
}

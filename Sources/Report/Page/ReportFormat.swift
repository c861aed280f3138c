import Foundation

/// How the page writes numbers. Public so a test (or another front end) can write the
/// same numbers the same way; every table cell goes through one of these.
///
/// Non-finite values are written as "–" rather than "nan" or "inf".
package enum ReportFormat {
    package static let unavailable = "–"

    /// A share (0–1) as a percentage: `0.1234` → `12.3%`.
    package static func percent(_ share: Double, decimals: Int = 1) -> String {
        guard share.isFinite else { return unavailable }
        return fixed(share * 100, decimals: decimals) + "%"
    }

    /// `value` with exactly `decimals` decimals, never "-0.0".
    package static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return unavailable }
        let text = String(format: "%.\(max(0, decimals))f", value)
        if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
            return String(text.dropFirst())
        }
        return text
    }

    /// Thousands grouped by commas: `891221` → `891,221`.
    package static func integer(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// Customer share over population share: `2.345` → `2.35×`; `nil` (no population) → "–".
    package static func ratio(_ value: Double?) -> String {
        guard let value, value.isFinite else { return unavailable }
        return fixed(value, decimals: 2) + "×"
    }

    /// A signed deviation in standard deviations: `1.234` → `+1.23 SD`.
    package static func deviation(_ standardDeviations: Double) -> String {
        guard standardDeviations.isFinite else { return unavailable }
        let text = fixed(standardDeviations, decimals: 2)
        return (text.hasPrefix("-") || text == "0.00" ? text : "+" + text) + " SD"
    }

    /// A signed PCA loading: `-0.1234` → `-0.123`.
    package static func loading(_ value: Double) -> String {
        fixed(value, decimals: 3)
    }

    /// An area under the ROC curve: `0.78123` → `0.781`.
    package static func auc(_ value: Double) -> String {
        fixed(value, decimals: 3)
    }

    /// A predicted probability or score threshold: `0.012345` → `0.0123`.
    package static func probability(_ value: Double) -> String {
        fixed(value, decimals: 4)
    }

    /// A k-means inertia, to the unit, grouped: `23456789.4` → `23,456,789`.
    package static func inertia(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 9e18 else { return unavailable }
        return integer(Int(value.rounded()))
    }

    /// A mean silhouette (−1…1): `0.12345` → `0.123`.
    package static func silhouette(_ value: Double?) -> String {
        guard let value else { return unavailable }
        return fixed(value, decimals: 3)
    }

    /// A lift: `3.456` → `3.46`.
    package static func lift(_ value: Double) -> String {
        fixed(value, decimals: 2)
    }

    /// Wall-clock time: `12.345` → `12.3 s`.
    package static func seconds(_ value: Double) -> String {
        guard value.isFinite else { return unavailable }
        return fixed(value, decimals: 1) + " s"
    }

    /// A file size in decimal units: `1_100_000_000` → `1.10 GB`.
    package static func bytes(_ value: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var scaled = Double(value)
        var unit = 0
        while scaled >= 1000, unit < units.count - 1 {
            scaled /= 1000
            unit += 1
        }
        return unit == 0
            ? "\(value) B" : fixed(scaled, decimals: scaled < 10 ? 2 : scaled < 100 ? 1 : 0) + " " + units[unit]
    }
}

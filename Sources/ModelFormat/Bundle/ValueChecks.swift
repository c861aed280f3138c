/// The checks every decoded value passes before a bundle is accepted: a section can carry a
/// valid checksum and still hold a NaN calibration (every probability `nan`), an infinite
/// one (every probability 0), or a label with a line break (one answer becomes two lines).
///
/// Each check throws ``BundleError/invalidValue(section:field:problem:)`` naming the field
/// (`features[3].scale`, `platt.a`); ``ModelBundle/section(_:as:)`` adds the section.
enum ValueChecks {
    static func invalid(_ field: String, _ problem: String) -> BundleError {
        .invalidValue(section: nil, field: field, problem: problem)
    }

    /// `value` is a finite number.
    static func finite(_ value: Double, _ field: @autoclosure () -> String) throws(BundleError) {
        guard value.isFinite else { throw invalid(field(), "\(value) is not a finite number") }
    }

    /// Every element of `values` is finite; the error names the first that is not.
    static func finite(_ values: [Double], _ field: @autoclosure () -> String) throws(BundleError) {
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw invalid("\(field())[\(i)]", "\(values[i]) is not a finite number")
        }
    }

    /// `value` lies in `range` (and so is finite).
    static func within(_ value: Double, _ range: ClosedRange<Double>, _ field: @autoclosure () -> String) throws(BundleError) {
        guard range.contains(value) else {
            throw invalid(field(), "\(value) is outside \(range.lowerBound)...\(range.upperBound)")
        }
    }

    /// A name printed into answers and logs: one line of printable text. `allowEmpty` for
    /// values that may be empty (a category's empty code, a cache entry's bundle id).
    static func printableLine(_ text: String, _ field: @autoclosure () -> String, allowEmpty: Bool = false) throws(BundleError) {
        if text.isEmpty {
            guard allowEmpty else { throw invalid(field(), "the text is empty") }
            return
        }
        if let bad = text.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            let code = String(bad.value, radix: 16, uppercase: true)
            throw invalid(
                field(), "'\(text.debugDescription.dropFirst().dropLast())' holds the control character U+"
                    + String(repeating: "0", count: max(0, 4 - code.count)) + code + " (names must be one printable line)")
        }
    }
}

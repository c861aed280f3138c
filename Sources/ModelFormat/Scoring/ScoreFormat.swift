import Foundation

/// How scored rows are written: the one output format of the scorer and `trainer predict`.
///
/// CSV (the default): a header `LNR;segment;segment_label;probability`, then one line per
/// input row in input order. `segment` is the segment's number as the segment table names it
/// (`segment 3` → 3), `0` for rows with insufficient data; `probability` is printed with the
/// shortest digits that read back to the same `Double`, so parity checks can compare text.
/// A row that cannot be scored gives `LNR;error;MESSAGE` in its place. JSON Lines gives one
/// object per row: `{"LNR":"…","segment":3,"segment_label":"core","probability":0.0123}` or
/// `{"LNR":"…","error":"…"}`. With `withVersion`, each line also carries the bundle id.
public struct ScoreFormat: Sendable, Hashable {
    public enum Style: String, Sendable, Hashable, CaseIterable {
        case csv
        case jsonl
    }

    public var style: Style
    public var separator: UInt8
    public var withVersion: Bool

    public init(style: Style = .csv, separator: UInt8 = UInt8(ascii: ";"), withVersion: Bool = false) {
        self.style = style
        self.separator = separator
        self.withVersion = withVersion
    }

    /// The header line (with its newline), or nothing for JSON Lines.
    public func header(idColumn: String) -> String {
        guard style == .csv else { return "" }
        let s = String(UnicodeScalar(separator))
        return [idColumn, "segment", "segment_label", "probability"].joined(separator: s)
            + (withVersion ? s + "bundle_id" : "") + "\n"
    }

    /// The line (with its newline) for one outcome, scored by `model`.
    public func line(_ outcome: RowOutcome, model: ScoringModel) -> String {
        let s = String(UnicodeScalar(separator))
        switch (style, outcome) {
        case (.csv, .scored(let id, let segment, let probability)):
            let number = ScoreFormat.segmentNumber(segment, model: model)
            return clean(id) + s + String(number) + s + model.segmentLabels[segment] + s + String(probability)
                + (withVersion ? s + model.bundleId : "") + "\n"
        case (.csv, .failed(let id, let message)):
            return clean(id) + s + "error" + s + clean(message) + (withVersion ? s + model.bundleId : "") + "\n"
        case (.jsonl, .scored(let id, let segment, let probability)):
            let number = ScoreFormat.segmentNumber(segment, model: model)
            return "{\"LNR\":\(json(id)),\"segment\":\(number),\"segment_label\":\(json(model.segmentLabels[segment])),"
                + "\"probability\":\(probability.isFinite ? String(probability) : "null")"
                + (withVersion ? ",\"bundle_id\":\(json(model.bundleId))" : "") + "}\n"
        case (.jsonl, .failed(let id, let message)):
            return "{\"LNR\":\(json(id)),\"error\":\(json(message))"
                + (withVersion ? ",\"bundle_id\":\(json(model.bundleId))" : "") + "}\n"
        }
    }

    /// An error line for a stream-level problem (e.g. a missing required column), before any row.
    public func streamError(_ message: String) -> String {
        switch style {
        case .csv: "error" + String(UnicodeScalar(separator)) + clean(message) + "\n"
        case .jsonl: "{\"error\":\(json(message))}\n"
        }
    }

    /// The printed segment number: 1-based for clusters, 0 for "insufficient data".
    public static func segmentNumber(_ segment: Int, model: ScoringModel) -> Int {
        segment == model.segments.insufficientDataSegment ? 0 : segment + 1
    }

    /// Text safe inside one CSV field: no separator, quote or line break.
    private func clean(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.value == UInt32(separator) || scalar == "\"" {
                out.append(",")
            } else if scalar == "\n" || scalar == "\r" {
                out.append(" ")
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private func json(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

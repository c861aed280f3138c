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
///
/// With `reasons` N > 0, two columns follow `probability` (see ``ReasonModel``): `reasons`, the
/// N attributes of largest |SHAP contribution| to the log-odds as `ATTRIBUTE:+0.031|…`, and
/// `segment_reasons`, the N attributes pulling the row most towards its segment's centre, as
/// `ATTRIBUTE:+1.250|…` (empty for insufficient data); JSON Lines gets two arrays,
/// `"reasons":[{"attribute":"…","contribution":…}]` and `"segment_reasons":[{"attribute":"…","pull":…}]`,
/// with full precision.
public struct ScoreFormat: Sendable, Hashable {
    /// The output's syntax: `csv` lines or one JSON object a line.
    public enum Style: String, Sendable, Hashable, CaseIterable {
        /// A header line, then `LNR;segment;segment_label;probability` lines.
        case csv
        /// One JSON object a line.
        case jsonl
    }

    /// CSV or JSON lines.
    public var style: Style
    /// The CSV field separator (`;` as in the Arvato files).
    public var separator: UInt8
    /// Whether each line names the bundle that scored it (useful across hot reloads).
    public var withVersion: Bool
    /// Reason codes per row (0: none, and no reason columns).
    public var reasons: Int

    /// A format; the defaults are the scorer's: CSV with `;`, no bundle id, no reasons.
    public init(style: Style = .csv, separator: UInt8 = UInt8(ascii: ";"), withVersion: Bool = false, reasons: Int = 0) {
        self.style = style
        self.separator = separator
        self.withVersion = withVersion
        self.reasons = reasons
    }

    /// The header line (with its newline), or nothing for JSON Lines.
    public func header(idColumn: String) -> String {
        guard style == .csv else { return "" }
        let s = String(UnicodeScalar(separator))
        return [idColumn, "segment", "segment_label", "probability"].joined(separator: s)
            + (reasons > 0 ? s + "reasons" + s + "segment_reasons" : "")
            + (withVersion ? s + "bundle_id" : "") + "\n"
    }

    /// The line (with its newline) for one outcome, scored by `model`.
    public func line(_ outcome: RowOutcome, model: ScoringModel) -> String {
        var bytes: [UInt8] = []
        append(outcome, model: model, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the line (with its newline) for one outcome to `out`: the scorer's per-row
    /// path, written as bytes with no `String` built per line.
    public func append(_ outcome: RowOutcome, model: ScoringModel, to out: inout [UInt8]) {
        let s = separator
        switch (style, outcome) {
        case (.csv, .scored(let id, let segment, let probability, let rowReasons)):
            appendClean(id, to: &out)
            out.append(s)
            appendDecimal(ScoreFormat.segmentNumber(segment, model: model), to: &out)
            out.append(s)
            out.append(contentsOf: model.segmentLabels[segment].utf8)
            out.append(s)
            out.append(contentsOf: String(probability).utf8)
            if reasons > 0 {
                let names = model.reasonModel?.attributeNames ?? []
                out.append(s)
                appendReasons(rowReasons?.response ?? [], names: names, to: &out)
                out.append(s)
                appendReasons(rowReasons?.segment ?? [], names: names, to: &out)
            }
        case (.csv, .failed(let id, let message)):
            appendClean(id, to: &out)
            out.append(s)
            out.append(contentsOf: "error".utf8)
            out.append(s)
            appendClean(message, to: &out)
        case (.jsonl, .scored(let id, let segment, let probability, let rowReasons)):
            out.append(contentsOf: #"{"LNR":"#.utf8)
            appendJSON(id, to: &out)
            out.append(contentsOf: #","segment":"#.utf8)
            appendDecimal(ScoreFormat.segmentNumber(segment, model: model), to: &out)
            out.append(contentsOf: #","segment_label":"#.utf8)
            appendJSON(model.segmentLabels[segment], to: &out)
            out.append(contentsOf: #","probability":"#.utf8)
            out.append(contentsOf: (probability.isFinite ? String(probability) : "null").utf8)
            if reasons > 0 {
                let names = model.reasonModel?.attributeNames ?? []
                out.append(contentsOf: #","reasons":"#.utf8)
                appendJSONReasons(rowReasons?.response ?? [], names: names, key: "contribution", to: &out)
                out.append(contentsOf: #","segment_reasons":"#.utf8)
                appendJSONReasons(rowReasons?.segment ?? [], names: names, key: "pull", to: &out)
            }
        case (.jsonl, .failed(let id, let message)):
            out.append(contentsOf: #"{"LNR":"#.utf8)
            appendJSON(id, to: &out)
            out.append(contentsOf: #","error":"#.utf8)
            appendJSON(message, to: &out)
        }
        switch style {
        case .csv:
            if withVersion {
                out.append(s)
                out.append(contentsOf: model.bundleId.utf8)
            }
        case .jsonl:
            if withVersion {
                out.append(contentsOf: #","bundle_id":"#.utf8)
                appendJSON(model.bundleId, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "\n"))
    }

    /// An error line for a stream-level problem (e.g. a missing required column), before any row.
    public func streamError(_ message: String) -> String {
        switch style {
        case .csv: "error" + String(UnicodeScalar(separator)) + clean(message) + "\n"
        case .jsonl: "{\"error\":\(json(message))}\n"
        }
    }

    /// `NAME:+0.031|NAME:-0.012`: three decimals, always signed, names made safe for a field.
    private func appendReasons(_ reasons: [Reason], names: [String], to out: inout [UInt8]) {
        for (i, reason) in reasons.enumerated() {
            if i > 0 { out.append(UInt8(ascii: "|")) }
            for byte in names[reason.attribute].utf8 where byte != UInt8(ascii: "|") && byte != UInt8(ascii: ":") {
                out.append(byte)
            }
            out.append(UInt8(ascii: ":"))
            appendSignedThousandths(reason.value, to: &out)
        }
    }

    private func appendJSONReasons(_ reasons: [Reason], names: [String], key: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (i, reason) in reasons.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #"{"attribute":"#.utf8)
            appendJSON(names[reason.attribute], to: &out)
            out.append(contentsOf: ",\"\(key)\":".utf8)
            out.append(contentsOf: (reason.value.isFinite ? String(reason.value) : "null").utf8)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
    }

    /// `+0.031`, `-1.250`: rounded to three decimals without `String(format:)` (per-row path).
    private func appendSignedThousandths(_ value: Double, to out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(contentsOf: "nan".utf8)
            return
        }
        let thousandths = Int((abs(value) * 1000).rounded())
        out.append(value < 0 && thousandths > 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        appendDecimal(thousandths / 1000, to: &out)
        out.append(UInt8(ascii: "."))
        let fraction = thousandths % 1000
        out.append(UInt8(ascii: "0") + UInt8(fraction / 100))
        out.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        out.append(UInt8(ascii: "0") + UInt8(fraction % 10))
    }

    /// The printed segment number (``SegmentNumbers``): 0 for "insufficient data".
    @inline(__always)
    public static func segmentNumber(_ segment: Int, model: ScoringModel) -> Int {
        model.segmentNumbers.number(ofSegment: segment)
    }

    /// Text safe inside one CSV field: no separator, quote, line break or other control
    /// character, so one answer is always one line any CSV reader takes.
    private func clean(_ text: String) -> String {
        var out: [UInt8] = []
        appendClean(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Byte by byte: the separator and `"` become `,`; control characters (NUL, line breaks,
    /// tabs, escape, DEL: 0x00-0x1F and 0x7F, echoed from a client's row in an id or an error
    /// message) become a space. All are ASCII, which never occurs inside a multi-byte UTF-8
    /// sequence.
    private func appendClean(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 {
            if byte == separator || byte == UInt8(ascii: "\"") {
                out.append(UInt8(ascii: ","))
            } else if byte < 0x20 || byte == 0x7F {
                out.append(UInt8(ascii: " "))
            } else {
                out.append(byte)
            }
        }
    }

    private func json(_ text: String) -> String {
        var out: [UInt8] = []
        appendJSON(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private func appendJSON(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20, 0x7F:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default:
                out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    private func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 0 {
            out.append(UInt8(ascii: "-"))
            appendDecimal(-value, to: &out)
            return
        }
        if value >= 10 { appendDecimal(value / 10, to: &out) }
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}

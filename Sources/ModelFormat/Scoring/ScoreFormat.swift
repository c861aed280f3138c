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
        var bytes: [UInt8] = []
        append(outcome, model: model, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the line (with its newline) for one outcome to `out`: the scorer's per-row
    /// path, written as bytes with no `String` built per line.
    public func append(_ outcome: RowOutcome, model: ScoringModel, to out: inout [UInt8]) {
        let s = separator
        switch (style, outcome) {
        case (.csv, .scored(let id, let segment, let probability)):
            appendClean(id, to: &out)
            out.append(s)
            appendDecimal(ScoreFormat.segmentNumber(segment, model: model), to: &out)
            out.append(s)
            out.append(contentsOf: model.segmentLabels[segment].utf8)
            out.append(s)
            out.append(contentsOf: String(probability).utf8)
        case (.csv, .failed(let id, let message)):
            appendClean(id, to: &out)
            out.append(s)
            out.append(contentsOf: "error".utf8)
            out.append(s)
            appendClean(message, to: &out)
        case (.jsonl, .scored(let id, let segment, let probability)):
            out.append(contentsOf: #"{"LNR":"#.utf8)
            appendJSON(id, to: &out)
            out.append(contentsOf: #","segment":"#.utf8)
            appendDecimal(ScoreFormat.segmentNumber(segment, model: model), to: &out)
            out.append(contentsOf: #","segment_label":"#.utf8)
            appendJSON(model.segmentLabels[segment], to: &out)
            out.append(contentsOf: #","probability":"#.utf8)
            out.append(contentsOf: (probability.isFinite ? String(probability) : "null").utf8)
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

    /// The printed segment number (``SegmentNumbers``): 0 for "insufficient data".
    @inline(__always)
    public static func segmentNumber(_ segment: Int, model: ScoringModel) -> Int {
        model.segmentNumbers.number(ofSegment: segment)
    }

    /// Text safe inside one CSV field: no separator, quote or line break.
    private func clean(_ text: String) -> String {
        var out: [UInt8] = []
        appendClean(text, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Byte by byte: the characters replaced are ASCII, which never occur inside a multi-byte
    /// UTF-8 sequence.
    private func appendClean(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 {
            if byte == separator || byte == UInt8(ascii: "\"") {
                out.append(UInt8(ascii: ","))
            } else if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
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
            case 0..<0x20:
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

import Foundation

/// One logfmt line (`key=value key2="value with spaces"`): the format of the trainer's progress
/// lines and the scorer's logs, read by people and by log tools (Loki, `hl`, `lnav`).
///
/// A value is written bare when it is non-empty and holds no space, `=`, `"`, backslash or
/// control character; otherwise it is quoted, with `"` and `\` escaped and line breaks, tabs and
/// other control characters written as `\n`, `\r`, `\t`, `\u00XX`, so one event is one line.
package struct LogfmtLine: Sendable {
    package private(set) var text = ""

    package init() {}

    package init(_ fields: KeyValuePairs<String, String>) {
        for (key, value) in fields { append(key, value) }
    }

    package mutating func append(_ key: String, _ value: String) {
        if !text.isEmpty { text += " " }
        text += Self.key(key)
        text += "="
        text += Self.value(value)
    }

    /// Keys are bare words: any character that would break the pair becomes `_`.
    package static func key(_ key: String) -> String {
        guard !key.isEmpty else { return "_" }
        return String(String.UnicodeScalarView(key.unicodeScalars.map { needsQuoting($0) ? "_" : $0 }))
    }

    package static func value(_ value: String) -> String {
        guard value.isEmpty || value.unicodeScalars.contains(where: needsQuoting) else { return value }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func needsQuoting(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "=" || scalar == "\"" || scalar == "\\" || scalar.value < 0x20 || scalar.value == 0x7F
    }
}

extension LogfmtLine {
    /// `ts=` values: ISO 8601 in UTC with milliseconds (`2026-12-04T07:12:03.481Z`).
    package static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(secondsFromGMT: 0)!))
    }
}

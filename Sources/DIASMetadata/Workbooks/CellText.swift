import XLSX

/// The text rules the DIAS workbooks need: what a cell says, trimmed; captions compared
/// loosely; attribute names cleaned of the stray spaces the workbooks contain.
enum CellText {
    /// Whitespace (including no-break space and newlines) removed from both ends.
    static func trimmed(_ text: String) -> String {
        guard let start = text.firstIndex(where: { !$0.isWhitespace }),
            let end = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(text[start...end])
    }

    /// The cell as text, trimmed; nil for an empty cell or one holding only whitespace
    /// (the workbooks use a single-space cell as a continuation).
    static func text(of cell: CellValue?) -> String? {
        guard let cell else { return nil }
        let raw: String
        switch cell {
        case .text(let value): raw = value
        case .number(let value): raw = numberText(value)
        case .bool(let value): raw = value ? "TRUE" : "FALSE"
        case .error(let value): raw = value
        case .date(let value): raw = value.isoString
        }
        let text = trimmed(raw)
        return text.isEmpty ? nil : text
    }

    /// `3.0` → `3`, `2.5` → `2.5`.
    static func numberText(_ value: Double) -> String {
        if let integer = exactInteger(value) { return String(integer) }
        return String(value)
    }

    /// The integer a double holds exactly, if it does.
    static func exactInteger(_ value: Double) -> Int? {
        guard value.isFinite, value.rounded() == value, abs(value) < 9.0e15 else { return nil }
        return Int(value)
    }

    /// A caption reduced for comparison: lowercased, all whitespace removed
    /// (`Information level ` and `informationlevel` are the same caption).
    static func captionKey(_ text: String) -> String {
        String(text.lowercased().filter { !$0.isWhitespace })
    }

    /// The attribute names in a name cell. Two names sharing a cell are separated by a run
    /// of two or more spaces (or a line break); a single space inside a name is a typo and
    /// is dropped: `D19_BANKEN_ ANZ_12      D19_BANKEN_ ANZ_24` →
    /// `["D19_BANKEN_ANZ_12", "D19_BANKEN_ANZ_24"]`.
    static func attributeNames(in text: String) -> [String] {
        var names: [String] = []
        var current = ""
        var pendingSpaces = 0
        var pendingBreak = false
        func finishName() {
            if !current.isEmpty { names.append(current) }
            current = ""
        }
        for character in text {
            if character.isWhitespace {
                pendingSpaces += 1
                if character.isNewline { pendingBreak = true }
                continue
            }
            if pendingSpaces >= 2 || pendingBreak { finishName() }
            pendingSpaces = 0
            pendingBreak = false
            current.append(character)
        }
        finishName()
        return names
    }
}

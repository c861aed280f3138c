/// One attribute of the DIAS metadata: a block of the values workbook, with the
/// information level the levels workbook gives it.
package struct Attribute: Sendable, Codable, Hashable {
    /// The name as the metadata spells it (trimmed): `D19_KOSMETIK_RZ`, not the data's `D19_KOSMETIK`.
    package var name: String
    /// The description; a second description row is appended after a space.
    package var description: String
    /// `Person`, `Household`, `PLZ8`, ...; nil when no levels workbook was read or it does
    /// not list the attribute, or lists it above its first level.
    package var informationLevel: String?
    /// The listed codes in workbook order, each once (`-1, 9` contributes two codes).
    package var codes: [ValueCode]
    /// The codes whose meaning says "unknown": the values a cleaner turns into missing.
    package var unknownCodes: [ValueCode]
    /// True when the block lists `…`: the value is a number (a count, a year), not a code.
    package var isNumeric: Bool
    /// Each code's meaning, trimmed; codes of a merged Meaning cell share its text.
    /// A code without a meaning is absent.
    package var meanings: [ValueCode: String]

    package init(
        name: String, description: String = "", informationLevel: String? = nil,
        codes: [ValueCode] = [], unknownCodes: [ValueCode] = [], isNumeric: Bool = false,
        meanings: [ValueCode: String] = [:]
    ) {
        self.name = name
        self.description = description
        self.informationLevel = informationLevel
        self.codes = codes
        self.unknownCodes = unknownCodes
        self.isNumeric = isNumeric
        self.meanings = meanings
    }

    package func meaning(of code: ValueCode) -> String? { meanings[code] }

    package func isUnknown(_ code: ValueCode) -> Bool { unknownCodes.contains(code) }
}

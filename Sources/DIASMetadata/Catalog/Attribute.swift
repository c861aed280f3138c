/// One attribute of the DIAS metadata: a block of the values workbook, with the
/// information level the levels workbook gives it.
public struct Attribute: Sendable, Codable, Hashable {
    /// The name as the metadata spells it (trimmed): `D19_KOSMETIK_RZ`, not the data's `D19_KOSMETIK`.
    public var name: String
    /// The description; a second description row is appended after a space.
    public var description: String
    /// `Person`, `Household`, `PLZ8`, ...; nil when no levels workbook was read or it does
    /// not list the attribute, or lists it above its first level.
    public var informationLevel: String?
    /// The listed codes in workbook order, each once (`-1, 9` contributes two codes).
    public var codes: [ValueCode]
    /// The codes whose meaning says "unknown": the values a cleaner turns into missing.
    public var unknownCodes: [ValueCode]
    /// True when the block lists `…`: the value is a number (a count, a year), not a code.
    public var isNumeric: Bool
    /// Each code's meaning, trimmed; codes of a merged Meaning cell share its text.
    /// A code without a meaning is absent.
    public var meanings: [ValueCode: String]

    public init(
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

    public func meaning(of code: ValueCode) -> String? { meanings[code] }

    public func isUnknown(_ code: ValueCode) -> Bool { unknownCodes.contains(code) }
}

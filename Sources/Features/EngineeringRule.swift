import ModelFormat

/// The features one kept column turns into. Columns of mixed meaning are split the way
/// analysts of these files split them; every other column is used as it is.
enum EngineeringRule: Sendable, Hashable {
    /// The value as it is.
    case plain
    /// A timestamp read as its year (EINGEFUEGT_AM).
    case year
    /// `O`/`W` read as 0/1 (OST_WEST_KZ).
    case binary
    /// A two-digit code split into tens and units (CAMEO_INTL_2015: wealth, life stage).
    case digits
    /// PRAEGENDE_JUGENDJAHRE: the decade of a person's youth and its movement.
    case youthDecadeAndMovement
    /// A text category: one indicator feature per category seen in the population.
    case indicators

    static func rule(for column: String) -> EngineeringRule {
        switch column {
        case "EINGEFUEGT_AM": .year
        case "OST_WEST_KZ": .binary
        case "CAMEO_INTL_2015", "CAMEO_DEUINTL_2015": .digits
        case "PRAEGENDE_JUGENDJAHRE": .youthDecadeAndMovement
        case "CAMEO_DEU_2015", "D19_LETZTER_KAUF_BRANCHE": .indicators
        default: .plain
        }
    }

    /// OST_WEST_KZ: O (former East) is 0, W (former West) is 1.
    static let eastWestVocabulary = ["O", "W"]

    /// PRAEGENDE_JUGENDJAHRE codes 1...15 (the metadata's meanings): the decade of youth
    /// (40s ... 90s) and the movement (0 mainstream, 1 avant-garde). Code 0 is unknown.
    static let youthDecade: [Double] = [.nan, 40, 40, 50, 50, 60, 60, 60, 70, 70, 80, 80, 80, 80, 90, 90]
    static let youthMovement: [Double] = [.nan, 0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1, 0, 1]

    func features(name: String, input: Int, reading: InputColumn.Reading) -> [FeatureSpec] {
        switch self {
        case .plain, .year, .binary:
            return [FeatureSpec(name: name, recipe: .value(input: input))]
        case .digits:
            return [
                FeatureSpec(name: name + "_WEALTH", recipe: .tensDigit(input: input)),
                FeatureSpec(name: name + "_LIFE_STAGE", recipe: .unitsDigit(input: input)),
            ]
        case .youthDecadeAndMovement:
            return [
                FeatureSpec(name: name + "_DECADE", recipe: .lookup(input: input, table: Self.youthDecade)),
                FeatureSpec(name: name + "_MOVEMENT", recipe: .lookup(input: input, table: Self.youthMovement)),
            ]
        case .indicators:
            guard case .category(let vocabulary) = reading else {
                return [FeatureSpec(name: name, recipe: .value(input: input))]
            }
            return vocabulary.enumerated().map { code, text in
                FeatureSpec(name: name + "=" + text, recipe: .indicator(input: input, code: Double(code)))
            }
        }
    }
}

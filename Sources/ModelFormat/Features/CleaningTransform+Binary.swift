// The cleaning transform's binary encoding (the bundle's `transform` section). Enum cases
// are a UInt8 tag followed by their fields; tags are never reused.

extension CleaningTransform: BinaryCodable {
    /// Writes the id column, the inputs, the features and the threshold.
    public func encode(to writer: inout BinaryWriter) {
        writer.write(idColumn)
        writer.write(inputs)
        writer.write(features)
        writer.write(maxRowMissingShare)
    }

    /// Also checks that every feature reads an existing input, so a hand-made section
    /// cannot make ``TransformProgram/apply(inputs:raw:scaled:)`` index out of bounds later.
    public init(from reader: inout BinaryReader) throws(BundleError) {
        let idColumn = try reader.read(String.self)
        let inputs = try reader.read([InputColumn].self)
        let featuresStart = reader.offset
        let features = try reader.read([FeatureSpec].self)
        let maxRowMissingShare = try reader.read(Double.self)
        for feature in features {
            if let input = feature.recipe.input, !inputs.indices.contains(input) {
                throw BundleError.malformed(
                    section: nil, offset: featuresStart,
                    problem: "feature '\(feature.name)' reads input \(input), but the transform has \(inputs.count) inputs")
            }
        }
        self.init(idColumn: idColumn, inputs: inputs, features: features, maxRowMissingShare: maxRowMissingShare)
        try checkValues()
    }

    /// The values the program computes with and the scorer prints: finite codes and statistics,
    /// a positive scale (features are divided by it), a missing-share threshold in 0...1, and
    /// names that are one printable line.
    func checkValues() throws(BundleError) {
        try ValueChecks.printableLine(idColumn, "idColumn")
        try ValueChecks.within(maxRowMissingShare, 0...1, "maxRowMissingShare")
        for (i, input) in inputs.enumerated() {
            let at = "inputs[\(i)] '\(input.name)'"
            try ValueChecks.printableLine(input.name, "inputs[\(i)]")
            try ValueChecks.finite(input.unknownCodes, at + ".unknownCodes")
            if case .category(let vocabulary) = input.reading {
                for (k, code) in vocabulary.enumerated() {
                    try ValueChecks.printableLine(code, at + ".vocabulary[\(k)]", allowEmpty: true)
                }
            }
        }
        for (j, feature) in features.enumerated() {
            let at = "features[\(j)] '\(feature.name)'"
            try ValueChecks.printableLine(feature.name, "features[\(j)]")
            try ValueChecks.finite(feature.fillValue, at + ".fillValue")
            try ValueChecks.finite(feature.mean, at + ".mean")
            try ValueChecks.finite(feature.scale, at + ".scale")
            guard feature.scale > 0 else {
                throw ValueChecks.invalid(at + ".scale", "\(feature.scale) is not a positive number")
            }
            switch feature.recipe {
            case .indicator(_, let code):
                try ValueChecks.finite(code, at + ".indicator code")
            case .lookup(_, let table):
                // NaN is allowed: it maps a code to "missing".
                if let k = table.firstIndex(where: { $0.isInfinite }) {
                    throw ValueChecks.invalid(at + ".lookup table[\(k)]", "\(table[k]) is neither a number nor missing")
                }
            case .value, .tensDigit, .unitsDigit, .missingShare:
                break
            }
        }
    }
}

extension InputColumn: BinaryCodable {
    /// Writes the name, the reading, the unknown codes and the missing-share flag.
    public func encode(to writer: inout BinaryWriter) {
        writer.write(name)
        writer.write(reading)
        writer.write(unknownCodes)
        writer.write(countsTowardMissingShare)
    }

    /// Reads an input column.
    public init(from reader: inout BinaryReader) throws(BundleError) {
        let name = try reader.read(String.self)
        let reading = try reader.read(Reading.self)
        let unknownCodes = try reader.read([Double].self)
        let counts = try reader.read(Bool.self)
        self.init(name: name, reading: reading, unknownCodes: unknownCodes, countsTowardMissingShare: counts)
    }
}

extension InputColumn.Reading: BinaryCodable {
    private enum Tag: UInt8 {
        case number = 0, category = 1, year = 2
    }

    /// Writes the reading's tag, then a category's vocabulary.
    public func encode(to writer: inout BinaryWriter) {
        switch self {
        case .number:
            writer.write(Tag.number.rawValue)
        case .category(let vocabulary):
            writer.write(Tag.category.rawValue)
            writer.write(vocabulary)
        case .year:
            writer.write(Tag.year.rawValue)
        }
    }

    /// Reads a reading, refusing unknown tags.
    public init(from reader: inout BinaryReader) throws(BundleError) {
        let start = reader.offset
        let raw = try reader.read(UInt8.self)
        switch Tag(rawValue: raw) {
        case .number: self = .number
        case .category: self = .category(vocabulary: try reader.read([String].self))
        case .year: self = .year
        case nil:
            throw BundleError.malformed(section: nil, offset: start, problem: "unknown input reading tag \(raw)")
        }
    }
}

extension FeatureSpec: BinaryCodable {
    /// Writes the name, the recipe, then the fill value, mean and scale.
    public func encode(to writer: inout BinaryWriter) {
        writer.write(name)
        writer.write(recipe)
        writer.write(fillValue)
        writer.write(mean)
        writer.write(scale)
    }

    /// Reads a feature.
    public init(from reader: inout BinaryReader) throws(BundleError) {
        let name = try reader.read(String.self)
        let recipe = try reader.read(FeatureRecipe.self)
        let fillValue = try reader.read(Double.self)
        let mean = try reader.read(Double.self)
        let scale = try reader.read(Double.self)
        self.init(name: name, recipe: recipe, fillValue: fillValue, mean: mean, scale: scale)
    }
}

extension FeatureRecipe: BinaryCodable {
    private enum Tag: UInt8 {
        case value = 0, indicator = 1, tensDigit = 2, unitsDigit = 3, lookup = 4, missingShare = 5
    }

    /// The input the recipe reads, if any.
    var input: Int? {
        switch self {
        case .value(let input), .indicator(let input, _), .tensDigit(let input), .unitsDigit(let input),
            .lookup(let input, _):
            input
        case .missingShare:
            nil
        }
    }

    /// Writes the recipe's tag, then its input and parameters.
    public func encode(to writer: inout BinaryWriter) {
        switch self {
        case .value(let input):
            writer.write(Tag.value.rawValue)
            writer.write(input)
        case .indicator(let input, let code):
            writer.write(Tag.indicator.rawValue)
            writer.write(input)
            writer.write(code)
        case .tensDigit(let input):
            writer.write(Tag.tensDigit.rawValue)
            writer.write(input)
        case .unitsDigit(let input):
            writer.write(Tag.unitsDigit.rawValue)
            writer.write(input)
        case .lookup(let input, let table):
            writer.write(Tag.lookup.rawValue)
            writer.write(input)
            writer.write(table)
        case .missingShare:
            writer.write(Tag.missingShare.rawValue)
        }
    }

    /// Reads a recipe, refusing unknown tags.
    public init(from reader: inout BinaryReader) throws(BundleError) {
        let start = reader.offset
        let raw = try reader.read(UInt8.self)
        switch Tag(rawValue: raw) {
        case .value: self = .value(input: try reader.read(Int.self))
        case .indicator: self = .indicator(input: try reader.read(Int.self), code: try reader.read(Double.self))
        case .tensDigit: self = .tensDigit(input: try reader.read(Int.self))
        case .unitsDigit: self = .unitsDigit(input: try reader.read(Int.self))
        case .lookup: self = .lookup(input: try reader.read(Int.self), table: try reader.read([Double].self))
        case .missingShare: self = .missingShare
        case nil:
            throw BundleError.malformed(section: nil, offset: start, problem: "unknown feature recipe tag \(raw)")
        }
    }
}

/// What can go wrong while generating synthetic data, with enough detail to act on.
public enum SynthError: Error, CustomStringConvertible, Equatable {
    case schemaMissing(String)
    case schemaInvalid(String)
    case badOption(String)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case .schemaMissing(let detail): return "Synthetic data schema not found: \(detail)"
        case .schemaInvalid(let detail): return "Synthetic data schema is not valid: \(detail)"
        case .badOption(let detail): return "Bad synthetic data option: \(detail)"
        case .cannotWrite(let path, let reason): return "Cannot write \(path): \(reason)"
        }
    }
}

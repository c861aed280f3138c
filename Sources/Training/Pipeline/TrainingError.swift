/// Why `trainer train` failed, split the way its exit codes are: bad input (a file, a column,
/// a value the user can fix), an input that cannot be opened, an output that cannot be written,
/// or an internal failure (a bug).
package enum TrainingError: Error, Sendable, CustomStringConvertible {
    case badInput(file: String, problem: String)
    case cannotOpen(file: String, problem: String)
    case cannotPublish(path: String, problem: String)
    case internalFailure(step: String, problem: String)

    package var isBadInput: Bool {
        if case .badInput = self { return true }
        return false
    }

    package var description: String {
        switch self {
        case .badInput(let file, let problem): "\(file): \(problem)"
        case .cannotOpen(let file, let problem): "cannot read \(file): \(problem)"
        case .cannotPublish(let path, let problem): "cannot write \(path): \(problem)"
        case .internalFailure(let step, let problem): "\(step) failed: \(problem)"
        }
    }
}

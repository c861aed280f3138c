/// The exit statuses of every `trainer` and `scorer` command, in one table: sysexits(3) values,
/// chosen by who must act. README.md ("Exit codes") prints the same table.
package enum ExitStatus: Int32, CaseIterable, Sendable {
    /// Done.
    case success = 0
    /// The command line is wrong: an unknown or missing option, a value out of range. Nothing was read.
    case usage = 64
    /// An input was read and is wrong: a missing column, a bad value or label, a corrupt bundle.
    case dataError = 65
    /// An input cannot be opened: no such file or directory, no permission.
    case noInput = 66
    /// An internal failure (a bug): please report it with the command line.
    case software = 70
    /// An output cannot be created: its directory does not exist or is not writable, a socket path is taken.
    case cannotCreate = 73
    /// Reading or writing failed midway: a full disk, a closed pipe.
    case ioError = 74

    /// What the status means, as README.md's table says it.
    package var meaning: String {
        switch self {
        case .success: "done"
        case .usage: "wrong command line (unknown or missing option, value out of range), nothing was read"
        case .dataError: "an input is wrong (a missing column, a bad value or label, a corrupt bundle)"
        case .noInput: "an input cannot be opened (no such file, no permission)"
        case .software: "internal failure (please report it)"
        case .cannotCreate: "an output cannot be created (missing directory, no permission, socket in use)"
        case .ioError: "reading or writing failed midway (disk full, closed pipe)"
        }
    }
}

extension ExitStatus {
    /// The table in one line, for the programs' `--help`.
    package static var helpText: String {
        "Exit codes: " + allCases.map { "\($0.rawValue) \($0.meaning)" }.joined(separator: "; ") + "."
    }
}

/// An error that knows which ``ExitStatus`` it ends a command with.
package protocol ExitStatusProviding: Error {
    var exitStatus: ExitStatus { get }
}

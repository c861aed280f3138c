/// Why the scorer cannot start or serve.
package enum ScorerError: Error, Sendable, Hashable, CustomStringConvertible {
    case socketPathTooLong(path: String)
    case notASocket(path: String)
    case socketInUse(path: String)
    case cannotRemoveStaleSocket(path: String, reason: String)
    case cannotSetSocketMode(path: String, reason: String)
    case cannotBind(path: String, reason: String)
    case invalidSocketMode(String)
    case noInput
    case outputClosed(reason: String)
    case inputFailed(reason: String)

    package var description: String {
        switch self {
        case .socketPathTooLong(let path):
            "\(path): socket path is too long for a Unix socket (at most 107 bytes)"
        case .notASocket(let path):
            "\(path): exists and is not a socket; refusing to replace it"
        case .socketInUse(let path):
            "\(path): another process is listening on this socket; stop it or choose another path"
        case .cannotRemoveStaleSocket(let path, let reason):
            "\(path): cannot remove the stale socket file: \(reason)"
        case .cannotSetSocketMode(let path, let reason):
            "\(path): cannot set the socket's mode: \(reason)"
        case .cannotBind(let path, let reason):
            "\(path): cannot listen: \(reason)"
        case .invalidSocketMode(let text):
            "--socket-mode \(text): expected an octal mode such as 0600 or 0660"
        case .noInput:
            "nothing to serve: give --stdin or --socket PATH"
        case .outputClosed(let reason):
            "cannot write the results: \(reason)"
        case .inputFailed(let reason):
            "cannot read the input: \(reason)"
        }
    }
}

import Console
import Foundation
import ModelFormat

/// The scorer's failures as rows of the one exit-status table (``ExitStatus``), and the checks
/// that run before the bundle is loaded, so a wrong path fails at once, naming what to fix.
enum ScorerExitStatus {
    static func of(_ error: any Error) -> ExitStatus {
        switch error {
        case let error as ScorerError:
            switch error {
            case .socketPathTooLong, .invalidSocketMode, .noInput: return .usage
            case .notASocket, .socketInUse, .cannotRemoveStaleSocket, .cannotSetSocketMode, .cannotBind: return .cannotCreate
            case .outputClosed, .inputFailed: return .ioError
            }
        case let error as BundleError:
            if case .cannotRead = error { return .noInput }
            return .dataError
        default: return .software
        }
    }

    /// Each socket's directory exists and is writable (a socket file is created in it).
    static func checkSocketDirectories(_ configuration: ScorerConfiguration) throws(ScorerError) {
        for path in [configuration.socketPath, configuration.adminSocketPath].compactMap({ $0 }) {
            if let problem = OutputDirectory.problem(creating: path) { throw .cannotBind(path: path, reason: problem) }
        }
    }
}

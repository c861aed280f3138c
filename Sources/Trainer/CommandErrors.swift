import ArgumentParser
import Foundation

/// Turns any error of a command into one readable line on stderr and a non-zero exit:
/// users see what failed, never a stack trace.
enum CommandErrors {
    static func run<T>(_ command: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            FileHandle.standardError.write(Data("trainer \(command): \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}

import Foundation
import Synchronization
import Testing

/// The real `scorer` executable, started as a child process.
final class ScorerProcess: @unchecked Sendable {
    let process = Process()
    let stdinPipe = Pipe()
    let stdoutPipe = Pipe()
    let stderrPipe = Pipe()

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `scorer` beside the test bundle: `swift build --build-tests` (which `swift test` runs)
    /// builds every product into the same directory.
    static var binary: String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("scorer").path
    }

    /// `shell`, if given, runs first in the child's shell (e.g. `umask 000` or `ulimit -n 64`),
    /// which then becomes the scorer.
    init(_ arguments: [String], shell: String? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw Failure(description: "no scorer binary at \(Self.binary): run `swift build --product scorer` first")
        }
        if let shell {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", shell + "; exec \"$0\" \"$@\"", Self.binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = arguments
        }
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    /// The exit status, or nil if it is still running after `timeout`.
    func exitStatus(within timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    /// Expects the process to exit with `expected` within `timeout`; otherwise the issue quotes
    /// its standard error (a sanitizer's report, a trap), which a bare status would hide.
    func expectExit(_ expected: Int32, within timeout: Duration, sourceLocation: SourceLocation = #_sourceLocation) async {
        let status = await exitStatus(within: timeout)
        #expect(
            status == expected,
            "exit status \(status.map(String.init) ?? "none: still running"); stderr: \(status == nil ? "" : String(decoding: stderrPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))",
            sourceLocation: sourceLocation)
    }

    /// CPU seconds (user + system) the process has used so far, from /proc.
    var cpuSeconds: Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
            let afterName = stat.range(of: ") ", options: .backwards)
        else { return .nan }
        // Fields after the name start at field 3 (state); utime and stime are fields 14 and 15.
        let fields = stat[afterName.upperBound...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return .nan }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    var standardError: String {
        String(decoding: stderrPipe.fileHandleForReading.availableData, as: UTF8.self)
    }

    /// Waits until a client can connect to `path`.
    static func waitForSocket(_ path: String, timeout: Duration = .seconds(20)) async throws {
        let deadline = ContinuousClock.now + timeout
        while (try? SocketClient(path: path)) == nil {
            if ContinuousClock.now > deadline { throw Failure(description: "nothing listens on \(path)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// An HTTP GET over the admin socket.
func adminGet(_ path: String, _ target: String) -> String {
    guard let client = try? SocketClient(path: path) else { return "connect failed" }
    client.send("GET \(target) HTTP/1.1\r\nHost: scorer\r\nConnection: close\r\n\r\n")
    return client.readAll()
}

/// A flag one thread raises and others watch.
final class StopFlag: Sendable {
    private let raised = Atomic<Bool>(false)
    func raise() { raised.store(true, ordering: .relaxed) }
    var isRaised: Bool { raised.load(ordering: .relaxed) }
}

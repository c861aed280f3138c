import Foundation
import ModelFormat
import Synchronization
import Testing

@testable import ScoringService

/// The `scorer` binary as operators run it: signals, hot reload and draining.
@Suite("scorer process", .serialized)
struct DaemonProcessTests {
    let directory: ModelDirectory

    init() throws {
        directory = try ModelDirectory()
        try directory.install(TestBundles.bundle(id: "v1", initialScore: 0), as: "v1.bundle")
        try BundleFile.write(TestBundles.bundle(id: "v2", initialScore: 2), to: directory.path("v2.bundle"))
    }

    /// The answer for row `r` of a client under bundle v1 or v2 (see `TestBundles`).
    static func expected(id: String, row r: Int, version: String) -> String? {
        switch (r % 2, version) {
        case (0, "v1"): "\(id);1;core;0.18242552380635632;v1"
        case (1, "v1"): "\(id);2;neutral;0.8175744761936437;v1"
        case (0, "v2"): "\(id);1;core;0.6224593312018546;v2"
        case (1, "v2"): "\(id);2;neutral;0.9706877692486436;v2"
        default: nil
        }
    }

    /// Streams rows (every fifth one bad) in small bursts until `stop` is raised, then ends
    /// its input; returns the rows sent and every answer line.
    static func streamUntilStopped(path: String, client c: Int, stop: StopFlag) -> (rows: Int, lines: [String]) {
        guard let client = try? SocketClient(path: path) else { return (0, ["connect failed"]) }
        let sent = Mutex(0)
        let writer = Thread {
            client.send("LNR;A;B;C\n")
            var r = 0
            while !stop.isRaised {
                var burst = ""
                for _ in 0..<20 {
                    burst += r % 5 == 4 ? "c\(c)r\(r);bad;0;x\n" : (r % 2 == 0 ? "c\(c)r\(r);2;0;x\n" : "c\(c)r\(r);7;9;y\n")
                    r += 1
                }
                client.send(burst)
                Thread.sleep(forTimeInterval: 0.005)
            }
            sent.withLock { $0 = r }
            client.shutdownWrite()
        }
        writer.start()
        let output = client.readAll()
        while writer.isExecuting { Thread.sleep(forTimeInterval: 0.001) }
        return (sent.withLock { $0 }, output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
    }

    /// Every row answered once, in order, by v1 then v2 (never back), each with its version's numbers.
    static func check(_ result: (rows: Int, lines: [String]), client c: Int) -> (sawV1: Bool, sawV2: Bool) {
        var lines = result.lines
        #expect(lines.last == "", "client \(c): output ends with a newline")
        lines.removeLast()
        #expect(lines.first == "LNR;segment;segment_label;probability;bundle_id")
        #expect(lines.count == result.rows + 1, "client \(c): \(result.rows) rows sent, \(lines.count - 1) answered")
        var version = "v1"
        var sawV1 = false
        var sawV2 = false
        for (r, line) in lines.dropFirst().enumerated() {
            let id = "c\(c)r\(r)"
            let lineVersion = String(line.split(separator: ";").last ?? "")
            if lineVersion == "v2" { version = "v2" }
            #expect(lineVersion == version, "client \(c) row \(r): \(line) after a v2 answer")
            if version == "v1" { sawV1 = true } else { sawV2 = true }
            let want =
                r % 5 == 4 ? "\(id);error;column A: 'bad' is not a number;\(version)" : expected(id: id, row: r, version: version)
            #expect(line == want, "client \(c) row \(r)")
        }
        return (sawV1, sawV2)
    }

    func runStreams(
        socket: String, admin: String, clients: Int, switchModel: () async throws -> Void
    ) async throws -> [(sawV1: Bool, sawV2: Bool)] {
        let stop = StopFlag()
        return try await withThrowingTaskGroup(of: (Int, (rows: Int, lines: [String])).self) { group in
            for c in 0..<clients {
                group.addTask { (c, await onThread { Self.streamUntilStopped(path: socket, client: c, stop: stop) }) }
            }
            try await Task.sleep(for: .milliseconds(300))
            try await switchModel()
            let deadline = ContinuousClock.now + .seconds(15)
            while !(await onThread { adminGet(admin, "/readyz") }).hasSuffix("ready v2\n") && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            try await Task.sleep(for: .milliseconds(300))
            stop.raise()
            var seen: [(Bool, Bool)] = []
            for try await (c, result) in group { seen.append(Self.check(result, client: c)) }
            return seen
        }
    }

    @Test("stdin filter: answers on stdout, exit 0 at end of input; a header without a column exits 65")
    func stdinFilter() async throws {
        let scorer = try ScorerProcess(["--bundle", directory.current, "--stdin"])
        let input = ScoringStreamTests.rows
        let writer = scorer.stdinPipe.fileHandleForWriting
        writer.write(Data(input.utf8))
        try writer.close()
        let output = await onThread { scorer.stdoutPipe.fileHandleForReading.readDataToEndOfFile() }
        #expect(String(decoding: output, as: UTF8.self) == ScoringStreamTests.answers)
        await scorer.expectExit(0, within: .seconds(10))

        let rejected = try ScorerProcess(["--bundle", directory.current, "--stdin", "--output", "jsonl"])
        rejected.stdinPipe.fileHandleForWriting.write(Data("LNR,A,C\n1,2,x\n".utf8))
        try rejected.stdinPipe.fileHandleForWriting.close()
        let error = await onThread { rejected.stdoutPipe.fileHandleForReading.readDataToEndOfFile() }
        #expect(String(decoding: error, as: UTF8.self) == "{\"error\":\"required column B is not in the input (bundle v1 needs it)\"}\n")
        await rejected.expectExit(65, within: .seconds(10))
    }

    @Test("a `current` switch while 16 clients stream: no row lost, the model changes between rows only")
    func pollReload() async throws {
        let socket = temporarySocketPath("poll")
        let admin = temporarySocketPath("polladm")
        let scorer = try ScorerProcess([
            "--bundle", directory.current, "--socket", socket, "--admin-socket", admin, "--with-version",
            "--poll-seconds", "0.1", "--log-level", "warning",
        ])
        try await ScorerProcess.waitForSocket(socket)
        let directory = self.directory
        let seen = try await runStreams(socket: socket, admin: admin, clients: 16) {
            try directory.point(at: "v2.bundle")
        }
        #expect(seen.contains { $0.sawV1 && $0.sawV2 }, "the switch landed in the middle of the streams")
        let metrics = await onThread { adminGet(admin, "/metrics") }
        #expect(metrics.contains("\nscorer_reloads_total 1\n"))
        scorer.signal(SIGTERM)
        await scorer.expectExit(0, within: .seconds(15))
    }

    @Test("SIGHUP while clients stream swaps the model between rows; a corrupt bundle keeps the old one serving")
    func sighupReload() async throws {
        let socket = temporarySocketPath("hup")
        let admin = temporarySocketPath("hupadm")
        let scorer = try ScorerProcess([
            "--bundle", directory.current, "--socket", socket, "--admin-socket", admin, "--with-version",
            "--poll-seconds", "0", "--log-level", "warning",
        ])
        try await ScorerProcess.waitForSocket(socket)
        let directory = self.directory
        let seen = try await runStreams(socket: socket, admin: admin, clients: 8) {
            try directory.point(at: "v2.bundle")
            // Polling is off: nothing changes until the signal.
            try await Task.sleep(for: .milliseconds(200))
            #expect(await onThread { adminGet(admin, "/readyz") }.hasSuffix("ready v1\n"))
            scorer.signal(SIGHUP)
        }
        #expect(seen.contains { $0.sawV1 && $0.sawV2 })

        try directory.installCorrupt(as: "broken.bundle")
        scorer.signal(SIGHUP)
        let deadline = ContinuousClock.now + .seconds(10)
        var metrics = ""
        repeat {
            try await Task.sleep(for: .milliseconds(50))
            metrics = await onThread { adminGet(admin, "/metrics") }
        } while !metrics.contains("\nscorer_reload_failures_total 1\n") && ContinuousClock.now < deadline
        #expect(metrics.contains("\nscorer_reload_failures_total 1\n"))
        #expect(metrics.contains("scorer_bundle_info{bundle_id=\"v2\"} 1"))
        let answer = await onThread { () -> String in
            guard let client = try? SocketClient(path: socket) else { return "connect failed" }
            client.send("LNR;A;B;C\n9;7;9;y\n")
            client.shutdownWrite()
            return client.readAll()
        }
        #expect(answer == "LNR;segment;segment_label;probability;bundle_id\n9;2;neutral;0.9706877692486436;v2\n")
        scorer.signal(SIGTERM)
        await scorer.expectExit(0, within: .seconds(15))
    }

    @Test("SIGTERM: stop accepting, let open streams finish, answer every row, exit 0")
    func sigtermDrains() async throws {
        let socket = temporarySocketPath("term")
        let scorer = try ScorerProcess(["--bundle", directory.current, "--socket", socket, "--log-level", "warning"])
        try await ScorerProcess.waitForSocket(socket)
        let client = try SocketClient(path: socket)
        client.send("LNR;A;B;C\n1;2;0;x\n")
        #expect(await onThread { client.readLine() } == "LNR;segment;segment_label;probability")
        #expect(await onThread { client.readLine() } == "1;1;core;0.18242552380635632")
        scorer.signal(SIGTERM)
        let deadline = ContinuousClock.now + .seconds(10)
        while FileManager.default.fileExists(atPath: socket) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(!FileManager.default.fileExists(atPath: socket), "the socket file is gone: no new connections")
        #expect(scorer.process.isRunning, "the open stream keeps the daemon draining")
        var more = ""
        for r in 2...500 { more += "\(r);7;9;y\n" }
        client.send(more)
        client.shutdownWrite()
        let rest = await onThread { client.readAll() }
        #expect(rest.split(separator: "\n").count == 499)
        #expect(rest.hasSuffix("500;2;neutral;0.8175744761936437\n"))
        await scorer.expectExit(0, within: .seconds(15))
    }

    /// CI once caught the daemon killed by a SIGTERM sent just after the socket appeared: the
    /// sockets were bound before the service group trapped the signal.
    @Test("SIGTERM the moment the socket file appears still stops the daemon cleanly (exit 0)")
    func sigtermRightAfterBind() async throws {
        for attempt in 0..<5 {
            let socket = temporarySocketPath("early\(attempt)")
            let scorer = try ScorerProcess(["--bundle", directory.current, "--socket", socket, "--log-level", "warning"])
            let deadline = ContinuousClock.now + .seconds(20)
            while !FileManager.default.fileExists(atPath: socket) && ContinuousClock.now < deadline {
                try await Task.sleep(for: .microseconds(200))
            }
            scorer.signal(SIGTERM)
            await scorer.expectExit(0, within: .seconds(15))
            #expect(scorer.process.terminationReason == .exit, "attempt \(attempt): ended by the signal itself")
            #expect(!FileManager.default.fileExists(atPath: socket))
        }
    }

    // Issue 16, defect 2: under umask 000 the socket files were 0777 until a later chmod.
    @Test("under umask 000 both socket files only ever appear with their final mode (0600), and nothing is left beside them")
    func socketModeUnderOpenUmask() async throws {
        for attempt in 0..<8 {
            let folder = "/tmp/sm-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let socket = folder + "/score.sock"
            let admin = folder + "/admin.sock"
            let stop = StopFlag()
            // Watches both paths as fast as it can from before the start, recording each mode seen.
            let watcher = Thread {
                var seen = Set<String>()
                func look() {
                    for path in [socket, admin] {
                        var info = stat()
                        if lstat(path, &info) == 0 { seen.insert("\(path): \(String(info.st_mode & 0o7777, radix: 8))") }
                    }
                }
                while !stop.isRaised { look() }
                look()
                ModesSeen.shared.record(seen)
            }
            watcher.start()
            let scorer = try ScorerProcess(
                ["--bundle", directory.current, "--socket", socket, "--admin-socket", admin, "--log-level", "warning"],
                shell: "umask 000")
            try await ScorerProcess.waitForSocket(socket)
            try await ScorerProcess.waitForSocket(admin)
            stop.raise()
            while watcher.isExecuting { try await Task.sleep(for: .milliseconds(5)) }
            let seen = ModesSeen.shared.take()
            #expect(seen == ["\(socket): 600", "\(admin): 600"], "attempt \(attempt)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == ["admin.sock", "score.sock"])
            scorer.signal(SIGTERM)
            await scorer.expectExit(0, within: .seconds(15))
        }
    }

    // Issue 16, defect 7: out of descriptors, the accept loop spun a core and logged nothing.
    @Test("out of file descriptors: accepting pauses (no spinning), it is logged and counted, and serving resumes")
    func descriptorExhaustion() async throws {
        let socket = temporarySocketPath("fd")
        let admin = temporarySocketPath("fdadm")
        let scorer = try ScorerProcess(
            ["--bundle", directory.current, "--socket", socket, "--admin-socket", admin, "--log-level", "info"],
            shell: "ulimit -n 64")
        try await ScorerProcess.waitForSocket(socket)
        // More connections than the scorer has descriptors: the kernel queues them (backlog
        // 256), the scorer's accept fails with EMFILE once its table is full.
        let clients = await onThread { () -> [SocketClient] in
            (0..<120).compactMap { _ in
                let client = try? SocketClient(path: socket)
                client?.send("LNR;A;B;C\n1;2;0;x\n")
                return client
            }
        }
        #expect(clients.count == 120)
        try await Task.sleep(for: .milliseconds(500))
        let before = scorer.cpuSeconds
        try await Task.sleep(for: .seconds(1))
        let used = scorer.cpuSeconds - before
        #expect(used < 0.25, "\(used) s of CPU in 1 s while out of descriptors")
        // Descriptors come back: the scorer accepts and serves again.
        for client in clients { client.shutdownWrite() }
        let answers = await onThread { clients.map { $0.readAll() } }
        #expect(answers.allSatisfy { $0 == "LNR;segment;segment_label;probability\n1;1;core;0.18242552380635632\n" })
        let fresh = await onThread { () -> String in
            guard let client = try? SocketClient(path: socket) else { return "connect failed" }
            client.send("LNR;A;B;C\n2;7;9;y\n")
            client.shutdownWrite()
            return client.readAll()
        }
        #expect(fresh == "LNR;segment;segment_label;probability\n2;2;neutral;0.8175744761936437\n")
        let metrics = await onThread { adminGet(admin, "/metrics") }
        let errors = metrics.split(separator: "\n").first { $0.hasPrefix("scorer_accept_errors_total ") }
        #expect((errors.flatMap { Int($0.split(separator: " ")[1]) } ?? 0) > 0, "\(errors ?? "no scorer_accept_errors_total")")
        scorer.signal(SIGTERM)
        await scorer.expectExit(0, within: .seconds(15))
        let log = String(decoding: scorer.stderrPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let episodes = log.components(separatedBy: "cannot accept connections").count - 1
        #expect(episodes >= 1, "the exhaustion is logged")
        let failures = errors.flatMap { Int($0.split(separator: " ")[1]) } ?? 0
        #expect(episodes <= failures, "logged once per episode, not per failed accept: \(episodes) lines")
    }
}

/// The modes one watcher thread saw, handed to the test.
final class ModesSeen: Sendable {
    static let shared = ModesSeen()
    private let modes = Mutex(Set<String>())
    func record(_ seen: Set<String>) { modes.withLock { $0.formUnion(seen) } }
    func take() -> Set<String> { modes.withLock { let seen = $0; $0 = []; return seen } }
}

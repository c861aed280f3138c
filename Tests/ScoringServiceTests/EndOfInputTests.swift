import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization
import Testing

@testable import ScoringService

/// Issue 16, defect 1: a socket client that sent more than ~16 KiB, left no newline after its
/// last row and half-closed got no answer for that row. Every payload size, with and without
/// the final newline, over the socket and over stdin, must be answered row for row.
@Suite("End of input at every size")
struct EndOfInputTests {
    let directory: ModelDirectory
    let models: ServedModel

    init() throws {
        (directory, models) = try ModelDirectory.servingV1()
    }

    static let header = "LNR;A;B;C;PAD\n"

    /// Exactly `size` bytes: the header, then rows alternating between the two hand-computed
    /// answers of `ScoringStreamTests`, padded through the ignored PAD column; the last row
    /// ends with a newline or not. Sizes below 32 bytes are the hand-made cases of `small`.
    static func payload(size: Int, finalNewline: Bool) -> (input: [UInt8], expected: String) {
        if let small = small[size] { return (Array(small.input.utf8), small.expected) }
        precondition(size >= 32)
        func row(_ i: Int, pad: Int, newline: Bool) -> String {
            (i % 2 == 0 ? "r\(i);2;0;x;" : "r\(i);7;9;y;") + String(repeating: "p", count: pad) + (newline ? "\n" : "")
        }
        func answer(_ i: Int) -> String {
            i % 2 == 0 ? "r\(i);1;core;0.18242552380635632\n" : "r\(i);2;neutral;0.8175744761936437\n"
        }
        var input = header
        var expected = "LNR;segment;segment_label;probability\n"
        var i = 0
        while true {
            let remaining = size - input.utf8.count
            let last = row(i, pad: 0, newline: finalNewline).utf8.count
            if remaining <= last + 200 {
                input += row(i, pad: remaining - last, newline: finalNewline)
                expected += answer(i)
                break
            }
            input += row(i, pad: i * 37 % 150, newline: true)
            expected += answer(i)
            i += 1
        }
        precondition(input.utf8.count == size)
        return (Array(input.utf8), expected)
    }

    static let small: [Int: (input: String, expected: String)] = [
        1: ("L", "error;required column A is not in the input (bundle v1 needs it)\n"),
        9: ("LNR;A;B;C", "LNR;segment;segment_label;probability\n"),
        14: (header, "LNR;segment;segment_label;probability\n"),
        31: (header + "r0;2;0;x;pppppp\n", "LNR;segment;segment_label;probability\nr0;1;core;0.18242552380635632\n"),
    ]

    /// Around every buffer size the code has (4 KiB, 16 KiB inline batches, 64 KiB reads,
    /// 1 MiB stdin blocks), and scattered sizes between 16 KiB and 750 KiB.
    static let sizes: [Int] = {
        var sizes = [1, 9, 14, 31, 100, 4095, 4096, 4097, 16383, 16384, 16385, 16386, 65535, 65536, 65537, 262_145, 1 << 20]
        // Spread over the range by a large prime step: the same sizes on every run.
        for k in 1...12 { sizes.append(16 * 1024 + k * 104_729 * 7 % (734 * 1024)) }
        return sizes
    }()

    @Test("socket: a half-closed stream of any size is answered row for row, the last row without a newline included")
    func socket() async throws {
        let path = temporarySocketPath("eoi")
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let server = ScoringSocketServer(
            configuration: .init(path: path), models: models, metrics: ScorerMetrics(), health: HealthState(), group: group)
        try await server.bind()
        let services = ServiceGroup(services: [server], logger: Logger(label: "test"))
        let running = Task { try await services.run() }
        for size in Self.sizes {
            for finalNewline in [true, false] {
                let (input, expected) = Self.payload(size: size, finalNewline: finalNewline)
                let output = await onThread { () -> String in
                    guard let client = try? SocketClient(path: path) else { return "connect failed" }
                    let writer = Thread {
                        client.send(input)
                        client.shutdownWrite()
                    }
                    writer.start()
                    return client.readAll()
                }
                #expect(output == expected, "\(size) bytes, final newline: \(finalNewline); \(Self.difference(output, expected))")
            }
        }
        await services.triggerGracefulShutdown()
        try await running.value
        try await group.shutdownGracefully()
    }

    @Test("stdin: a stream of any size is answered row for row, the last row without a newline included")
    func stdin() throws {
        for size in Self.sizes {
            for finalNewline in [true, false] {
                let (input, expected) = Self.payload(size: size, finalNewline: finalNewline)
                let output = try Self.filter(input, models: models)
                #expect(output == expected, "\(size) bytes, final newline: \(finalNewline); \(Self.difference(output, expected))")
            }
        }
    }

    /// Runs `input` through the stdin filter on pipes and returns what it wrote.
    static func filter(_ input: [UInt8], models: ServedModel, batchBytes: Int = 1 << 20) throws -> String {
        let inPipe = Pipe()
        let outPipe = Pipe()
        let filter = StdinFilter(
            models: models, metrics: ScorerMetrics(), input: inPipe.fileHandleForReading.fileDescriptor,
            output: outPipe.fileHandleForWriting.fileDescriptor, batchBytes: batchBytes)
        let bytes = Data(input)
        let writer = Thread {
            inPipe.fileHandleForWriting.write(bytes)
            try? inPipe.fileHandleForWriting.close()
        }
        writer.start()
        let collected = Mutex(Data())
        let received = DispatchSemaphore(value: 0)
        let reader = Thread {
            let data = outPipe.fileHandleForReading.readDataToEndOfFile()
            collected.withLock { $0 = data }
            received.signal()
        }
        reader.start()
        try filter.filter()
        try outPipe.fileHandleForWriting.close()
        guard received.wait(timeout: .now() + 60) == .success else { return "no end of output" }
        return String(decoding: collected.withLock { $0 }, as: UTF8.self)
    }

    /// Where two outputs part (line counts and the last lines), for a readable failure.
    static func difference(_ output: String, _ expected: String) -> String {
        guard output != expected else { return "" }
        let got = output.split(separator: "\n")
        let want = expected.split(separator: "\n")
        return "\(got.count) lines instead of \(want.count); last: \(got.last ?? "none") instead of \(want.last ?? "none")"
    }
}

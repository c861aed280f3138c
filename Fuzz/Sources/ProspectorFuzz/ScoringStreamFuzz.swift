import Foundation
import ModelFormat
import ScoringService

/// The scorer's stream path: the input (after its first byte) is what a client sends, fed in
/// pieces whose size the first byte chooses, then ended. Checks the protocol's promise that
/// every row line gets exactly one answer line.
enum ScoringStreamFuzz {
    /// Longest line the stream accepts in these runs (the daemon's default is 1 MiB).
    static let maxLineBytes = 16 << 10

    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        guard let first = input.first else { return }
        let piece = 1 + Int(first) * 64
        let stream = ScoringStream(
            models: FuzzFixtures.served, options: StreamOptions(maxLineBytes: maxLineBytes, workers: 1))
        let body = UnsafeBufferPointer(rebasing: input[1...])
        var out: [UInt8] = []
        var offset = 0
        while offset < body.count {
            let end = min(body.count, offset + piece)
            stream.feed(UnsafeBufferPointer(rebasing: body[offset..<end]), into: &out)
            offset = end
        }
        stream.feed([], endOfInput: true, into: &out)
        checkFraming(input: body, output: out, closed: stream.isClosed)
    }

    /// One answer line per non-blank input line (the header's answer is the output header or
    /// the stream's error line, after which nothing more is answered).
    static func checkFraming(input: UnsafeBufferPointer<UInt8>, output: [UInt8], closed: Bool) {
        var lines = 0
        var start = 0
        var position = 0
        while position <= input.count {
            if position == input.count || input[position] == 0x0A {
                let length = position - start
                let blank = length == 0 || (length == 1 && input[start] == 0x0D)
                if !blank { lines += 1 }
                start = position + 1
            }
            position += 1
        }
        let answers = output.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        if closed {
            // A stream error ends the stream: the header's answer is that one line (a new
            // bundle cannot close a stream here, the fixture never changes).
            guard answers == 1 else { fuzzFailure("a closed stream answered \(answers) lines") }
        } else if answers != lines {
            fuzzFailure("\(lines) input lines (header included) got \(answers) answer lines")
        }
        if !output.isEmpty && output.last != 0x0A { fuzzFailure("the output does not end with a newline") }
        if FuzzOptions.strict, let byte = output.first(where: { $0 < 0x20 && $0 != 0x0A }) {
            fuzzFailure("control byte \(byte) in the answer lines")
        }
    }
}

/// Switches read from the environment.
enum FuzzOptions {
    /// PROSPECTOR_FUZZ_STRICT=1 also checks promises not yet kept by every library
    /// (issue 16: control bytes echoed into answers).
    static let strict = ProcessInfo.processInfo.environment["PROSPECTOR_FUZZ_STRICT"] == "1"
}

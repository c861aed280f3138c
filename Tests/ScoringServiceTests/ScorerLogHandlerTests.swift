import Foundation
import Logging
import Synchronization
import Testing

@testable import ScoringService

@Suite struct ScorerLogHandlerTests {
    final class Captured: Sendable {
        let lines = Mutex<[String]>([])
    }

    func logger(_ format: ScorerLogHandler.Format, _ captured: Captured) -> Logger {
        Logger(label: "scorer.models") { label in
            ScorerLogHandler(
                label: label, format: format, write: { text in captured.lines.withLock { $0.append(text) } },
                wallClock: { Date(timeIntervalSince1970: 1_796_367_600.5) })
        }
    }

    @Test("logfmt: ts, level, msg, logger, then metadata in key order; spaces and quotes are quoted and escaped")
    func logfmt() {
        let captured = Captured()
        let log = logger(.logfmt, captured)
        log.info("serving bundle 202612040700-ab12cd34 (was \"old\")", metadata: ["reason": "models/current changed", "load_ms": "11"])
        log.debug("not at info")
        #expect(captured.lines.withLock { $0 } == [
            #"ts=2026-12-04T07:00:00.500Z level=info msg="serving bundle 202612040700-ab12cd34 (was \"old\")" "#
                + #"logger=scorer.models load_ms=11 reason="models/current changed""# + "\n"
        ])
    }

    @Test("logfmt: a message with line breaks stays one line")
    func newlines() {
        let captured = Captured()
        logger(.logfmt, captured).error("cannot start:\nbad bundle\tpath")
        let lines = captured.lines.withLock { $0 }
        #expect(lines == [#"ts=2026-12-04T07:00:00.500Z level=error msg="cannot start:\nbad bundle\tpath" logger=scorer.models"# + "\n"])
    }

    @Test("json: one object per line that a JSON parser reads back to the same fields")
    func json() throws {
        let captured = Captured()
        var log = logger(.json, captured)
        log[metadataKey: "pid"] = "42"
        log.warning("reload failed: \"x\"\nnext line", metadata: ["path": "models/current"])
        let lines = captured.lines.withLock { $0 }
        #expect(lines.count == 1)
        #expect(lines[0].hasSuffix("}\n") && !lines[0].dropLast().contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: String])
        #expect(object == [
            "ts": "2026-12-04T07:00:00.500Z", "level": "warning", "msg": "reload failed: \"x\"\nnext line",
            "logger": "scorer.models", "path": "models/current", "pid": "42",
        ])
        #expect(lines[0].hasPrefix(#"{"ts":"2026-12-04T07:00:00.500Z","level":"warning","msg":"#))
    }
}
